package dev.quench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quench.frontend.OnnxBuilder;
import dev.quench.ir.Tensor;
import dev.quench.ir.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User errors: one clear line on stderr, the documented exit code, no stack trace, nothing half-written. */
class CliErrorsTest {
  @TempDir
  Path tmp;

  private static void assertOneLineError(TestData.Run r, int code, String... fragments) {
    assertEquals(code, r.code(), r.out() + r.err());
    String err = r.err().strip();
    assertFalse(err.contains("\n"), "one line: " + err);
    assertFalse(err.contains("\tat "), "no stack trace: " + err);
    for (String f : fragments) assertTrue(err.contains(f), "'" + f + "' in: " + err);
  }

  @Test
  void unknownOpsAreAllListedWithExit2() throws IOException {
    Path model = tmp.resolve("unknown.onnx");
    Files.write(model, new OnnxBuilder(13).input("x", 1, 1, 4).output("z", 1, 1, 4)
        .node("first_bad", "FancyOp", List.of("x"), List.of("y"))
        .node("ok", "Relu", List.of("y"), List.of("y2"))
        .node("second_bad", "OtherOp", List.of("y2"), List.of("z")).bytes());
    TestData.Run r = TestData.cli("inspect", model.toString());
    assertOneLineError(r, 2, "2 unsupported ops", "FancyOp (node 'first_bad', opset 13)", "OtherOp (node 'second_bad', opset 13)");
    assertTrue(r.out().contains("first_bad") && r.out().contains("second_bad"), r.out());
    TestData.Run json = TestData.cli("inspect", model.toString(), "--json");
    assertEquals(2, json.code());
    assertTrue(json.out().contains("\"op\":\"FancyOp\"") && json.out().contains("\"node\":\"second_bad\""), json.out());
  }

  @Test
  void anAttributeGivenTwiceIsOneLineWithExit2() throws IOException {
    Path model = tmp.resolve("twice.onnx");
    Files.write(model, new OnnxBuilder(13).input("x", 1, 1, 1, 4, 4).output("y", 1, 1, 1, 2, 2)
        .node("pool", "MaxPool", List.of("x"), List.of("y"), OnnxBuilder.ints("kernel_shape", 2, 2), OnnxBuilder.ints("strides", 2, 2),
            OnnxBuilder.ints("strides", 1, 1)).bytes());
    assertOneLineError(TestData.cli("inspect", model.toString()), 2, "twice.onnx", "node 'pool' (MaxPool)", "attribute 'strides' is given twice");
    Path out = tmp.resolve("sdk"), calib = tmp.resolve("calib.npy");
    Npy.write(calib, Tensor.ofFloat(new int[] {2, 1, 4, 4}, new float[32]));
    assertOneLineError(TestData.cli("compile", model.toString(), "--calib", calib.toString(), "--out", out.toString()), 2, "attribute 'strides' is given twice");
    assertFalse(Files.exists(out), "nothing written");
  }

  @Test
  void notAModel() throws IOException {
    Path f = tmp.resolve("garbage.onnx");
    Files.write(f, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x12, 0x34});
    assertOneLineError(TestData.cli("inspect", f.toString()), 2, "garbage.onnx", "not a valid ONNX model");
    assertOneLineError(TestData.cli("inspect", tmp.resolve("missing.onnx").toString()), 2, "missing.onnx", "no such file");
  }

  @Test
  void badUsageIsBadInput() {
    TestData.Run r = TestData.cli("run", "x.onnx");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--input") || r.err().contains("--out-dir"), r.err());
    assertEquals(2, TestData.cli("inspect", "--no-such-option", "x.onnx").code());
    assertEquals(2, TestData.cli("no-such-command").code());
  }

  @Test
  void everyCommandTakesJsonQuietVerbose() {
    List<String> commands = List.of("inspect", "optimize", "quantize", "eval", "run", "compile", "codegen", "verify", "export-qdq", "conformance");
    for (String c : commands) {
      TestData.Run h = TestData.cli(c, "--help");
      assertEquals(0, h.code(), c + ": " + h.err());
      for (String o : List.of("--json", "--quiet", "--verbose")) assertTrue(h.out().contains(o), c + " --help lists " + o + ":\n" + h.out());
    }
    // the same flags parse everywhere: a missing file is exit 2 whatever the flags
    for (String c : List.of("inspect", "optimize", "codegen", "verify")) {
      List<String> args = new java.util.ArrayList<>(List.of(c, tmp.resolve("missing.onnx").toString(), "--json", "--quiet", "--verbose"));
      if (c.equals("optimize")) args.addAll(List.of("-o", tmp.resolve("o.qir").toString()));
      if (c.equals("codegen")) args.addAll(List.of("--out", tmp.resolve("sdk").toString()));
      TestData.Run r = TestData.cli(args.toArray(String[]::new));
      assertEquals(2, r.code(), c + ": " + r.out() + r.err());
    }
  }

  @Test
  void badNpyNamesFileAndWritesNothing() throws IOException {
    Path model = TestData.example().resolve("fashion_mobilenet.onnx");
    Path bad = tmp.resolve("bad.npy");
    Files.write(bad, "not numpy".getBytes());
    Path out = tmp.resolve("out");
    assertOneLineError(TestData.cli("run", model.toString(), "--input", bad.toString(), "--out-dir", out.toString()), 2, "bad.npy", "not a .npy file");
    assertFalse(Files.exists(out), "no output directory on error");
    // wrong sample shape: the model wants 1x28x28 per sample
    Path wrong = tmp.resolve("wrong.npy");
    Npy.write(wrong, Tensor.ofFloat(new int[] {2, 1, 28, 27}, new float[2 * 28 * 27]));
    assertOneLineError(TestData.cli("run", model.toString(), "--input", wrong.toString(), "--out-dir", out.toString()), 2, "input");
    assertFalse(Files.exists(out), "no output directory on error");
  }

  @Test
  void unwritableOutDirIsAUserError() throws IOException {
    Path ex = TestData.example();
    Path file = tmp.resolve("a-file");
    Files.writeString(file, "x");
    Path in = tmp.resolve("one.npy");
    Npy.write(in, Tensor.ofFloat(new int[] {1, 1, 28, 28}, new float[784]));
    assertOneLineError(TestData.cli("run", ex.resolve("fashion_mobilenet.onnx").toString(), "--input", in.toString(), "--out-dir", file.toString()), 2,
        "cannot write to " + file);
  }

  @Test
  void dumpIsDeterministicAndTyped() {
    Path model = TestData.example().resolve("fashion_mobilenet.onnx");
    TestData.Run a = TestData.cli("inspect", model.toString(), "--dump"), b = TestData.cli("inspect", model.toString(), "--dump");
    assertEquals(0, a.code(), a.err());
    assertEquals(a.out(), b.out());
    assertTrue(a.out().contains("input %input:f32[1x1x28x28]"), a.out());
    assertTrue(a.out().lines().anyMatch(l -> l.contains("= Conv(") && l.contains(":f32[")), "conv lines carry types");
  }

  @Test
  void runWritesStackedOutputsAndTopOne() throws IOException {
    Path ex = TestData.example();
    Path out = tmp.resolve("o");
    TestData.Run r = TestData.cli("run", ex.resolve("fashion_mobilenet.onnx").toString(), "--input", ex.resolve("test_x.npy").toString(),
        "--labels", ex.resolve("test_y.npy").toString(), "--out-dir", out.toString(), "--json");
    assertEquals(0, r.code(), r.err());
    Tensor logits = Npy.read(out.resolve("logits.npy"));
    assertEquals(500, logits.dim(0));
    assertEquals(10, logits.dim(1));
    assertTrue(r.out().contains("\"top1\":0.9"), "top-1 above 90 %: " + r.out());
    try (var files = Files.list(out)) {
      assertEquals(List.of("logits.npy"), files.map(p -> p.getFileName().toString()).toList(), "no temporary files left");
    }
    Path again = tmp.resolve("again");
    assertEquals(0, TestData.cli("run", ex.resolve("fashion_mobilenet.onnx").toString(), "--input", ex.resolve("test_x.npy").toString(),
        "--out-dir", again.toString()).code());
    org.junit.jupiter.api.Assertions.assertArrayEquals(Files.readAllBytes(out.resolve("logits.npy")), Files.readAllBytes(again.resolve("logits.npy")),
        "samples run in parallel, results byte-identical from run to run");
  }
}
