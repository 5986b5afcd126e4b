package dev.quench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.quench.frontend.OnnxBuilder;
import dev.quench.frontend.OnnxImporter;
import dev.quench.ir.Graph;
import dev.quench.ir.Interpreter;
import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.io.Npy;
import dev.quench.ir.mw.MiddlewareParser;
import dev.quench.ir.op.Branch;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An If whose condition is computed from the data (a second stage that runs only when the first
 * stage's score passes a threshold, with an If nested inside it): both branches compile, run()
 * calls the taken branch's steps only, and the SDK is bit-exact with the Java integer interpreter
 * on inputs that take each of the three paths, on the host (ASan + UBSan) and on Cortex-M4.
 */
class DataDependentIfTest {
  @TempDir
  Path tmp;

  private static final int F = TensorProto.DataType.FLOAT_VALUE, B = TensorProto.DataType.BOOL_VALUE;
  /** The three paths: outer then + inner then (mean > 0.6), outer then + inner else, outer else (mean < 0). */
  private static final float[] OFFSETS = {1.0f, 0.3f, -0.8f};

  /**
   * x [1,3,8,8] -> r = Relu(Conv 3x3); m = mean(x). If m > 0: b = Conv(r) and, if m > 0.6, the
   * average of b per channel, else the maximum of r per channel (an outer-outer value); else:
   * half the average of r per channel. y [1,4].
   */
  static byte[] model() {
    Random rnd = new Random(21);
    float[] w1 = new float[4 * 3 * 3 * 3], w2 = new float[4 * 4 * 3 * 3];
    for (int i = 0; i < w1.length; i++) w1[i] = (float) rnd.nextGaussian() * 0.3f;
    for (int i = 0; i < w2.length; i++) w2[i] = (float) rnd.nextGaussian() * 0.3f;
    GraphProto.Builder innerThen = new OnnxBuilder(13).output("y_tt", F, 1, 4)
        .node("gap_b", "GlobalAveragePool", List.of("b"), List.of("gb"))
        .node("flat_b", "Flatten", List.of("gb"), List.of("y_tt")).graph().setName("inner_then");
    GraphProto.Builder innerElse = new OnnxBuilder(13).output("y_te", F, 1, 4)
        .node("gmp_r", "GlobalMaxPool", List.of("r"), List.of("mr"))
        .node("flat_mr", "Flatten", List.of("mr"), List.of("y_te")).graph().setName("inner_else");
    GraphProto.Builder then = new OnnxBuilder(13).output("y_t", F, 1, 4)
        .initializer("w2", new long[] {4, 4, 3, 3}, w2).initializer(OnnxBuilder.floatTensor("t2", new long[] {}, 0.6f))
        .node("conv2", "Conv", List.of("r", "w2"), List.of("b"), OnnxBuilder.ints("kernel_shape", 3, 3))
        .node("gt2", "Greater", List.of("m", "t2"), List.of("c2"))
        .node("inner", "If", List.of("c2"), List.of("y_t"), OnnxBuilder.graphAttr("then_branch", innerThen.build()),
            OnnxBuilder.graphAttr("else_branch", innerElse.build())).graph().setName("then");
    GraphProto.Builder els = new OnnxBuilder(13).output("y_e", F, 1, 4)
        .initializer(OnnxBuilder.floatTensor("half", new long[] {}, 0.5f))
        .node("gap_r", "GlobalAveragePool", List.of("r"), List.of("gr"))
        .node("flat_r", "Flatten", List.of("gr"), List.of("fr"))
        .node("halve", "Mul", List.of("fr", "half"), List.of("y_e")).graph().setName("else");
    return new OnnxBuilder(13).input("x", F, 1, 3, 8, 8).output("y", F, 1, 4)
        .initializer("w1", new long[] {4, 3, 3, 3}, w1).initializer(OnnxBuilder.floatTensor("zero", new long[] {}, 0f))
        .node("conv1", "Conv", List.of("x", "w1"), List.of("a"), OnnxBuilder.ints("kernel_shape", 3, 3))
        .node("relu", "Relu", List.of("a"), List.of("r"))
        .node("mean", "ReduceMean", List.of("x"), List.of("m"), OnnxBuilder.intAttr("keepdims", 0))
        .node("gt", "Greater", List.of("m", "zero"), List.of("c"))
        .node("stage2", "If", List.of("c"), List.of("y"), OnnxBuilder.graphAttr("then_branch", then.build()), OnnxBuilder.graphAttr("else_branch", els.build()))
        .bytes();
  }

  /** Samples cycling through the three paths (a Gaussian around each offset). */
  static float[] samples(int n, Random r) {
    float[] x = new float[n * 3 * 8 * 8];
    for (int i = 0; i < x.length; i++) x[i] = OFFSETS[i / 192 % 3] + (float) r.nextGaussian() * 0.5f;
    return x;
  }

  @Test
  void theInterpreterRunsTheTakenBranchAndAgreesWithOnnxRuntime() throws Exception {
    Path m = tmp.resolve("stage2.onnx");
    Files.write(m, model());
    Graph g = new OnnxImporter().importFile(m);
    // r and m enter the second stage, b and r its inner branches, r the else branch
    assertEquals(5, g.nodes().stream().filter(n -> n.opType.equals(Branch.GUARD)).count(), "one Guard per value entering a branch");
    assertEquals(2, g.nodes().stream().filter(n -> n.opType.equals(Branch.MERGE)).count(), "one Merge per If output");
    float[] x = samples(3, new Random(3));
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    // (ONNX Runtime 1.20's graph optimizer aborts the process on this model, an assertion on a
    // NodeArg index inside the nested If; unoptimized it runs)
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
    try (OrtSession s = env.createSession(m.toString(), options)) {
      for (int k = 0; k < 3; k++) {
        float[] one = java.util.Arrays.copyOfRange(x, k * 192, (k + 1) * 192);
        List<String> ran = new ArrayList<>();
        Map<String, Tensor> got = new Interpreter(g).run(Map.of("x", Tensor.ofFloat(new int[] {1, 3, 8, 8}, one)), (n, outs) -> ran.add(n.name));
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(one), new long[] {1, 3, 8, 8}); OrtSession.Result r = s.run(Map.of("x", t))) {
          float[] want = ((float[][]) r.get(0).getValue())[0];
          for (int i = 0; i < 4; i++) assertEquals(want[i], got.get("y").f[i], 1e-5f * Math.max(1, Math.abs(want[i])), "path " + k + " y[" + i + "]");
        }
        // only the taken path's nodes run
        assertEquals(k < 2, ran.contains("stage2/then/conv2"), "path " + k + ": the second stage");
        assertEquals(k == 0, ran.contains("stage2/then/inner/then/gap_b"), "path " + k + ": inner then");
        assertEquals(k == 1, ran.contains("stage2/then/inner/else/gmp_r"), "path " + k + ": inner else");
        assertEquals(k == 2, ran.contains("stage2/else/halve"), "path " + k + ": else");
      }
    }
  }

  @Test
  void theSdkBranchesAndIsBitExactOnEveryPath() throws Exception {
    Path m = tmp.resolve("stage2.onnx"), calib = tmp.resolve("calib.npy"), sdk = tmp.resolve("sdk");
    Files.write(m, model());
    Npy.write(calib, Tensor.ofFloat(new int[] {12, 3, 8, 8}, samples(12, new Random(7))));
    TestData.Run c = TestData.cli("compile", m.toString(), "--calib", calib.toString(), "--golden-samples", "6", "--out", sdk.toString(), "--quiet");
    assertEquals(0, c.code(), c.err());
    Graph q = MiddlewareParser.read(sdk.resolve("middleware/stage2.qir"));
    Node conv2 = q.nodes().stream().filter(n -> n.name.equals("stage2/then/conv2")).findFirst().orElseThrow();
    assertFalse(conv2.output(0).type().dtype().isFloating(), "the second stage is integer");
    Node merge = q.nodes().stream().filter(n -> n.opType.equals(Branch.MERGE)).findFirst().orElseThrow();
    assertFalse(merge.output(0).type().dtype().isFloating(), "a Merge of integers is integer");
    assertTrue(Files.readString(sdk.resolve("summary.json")).contains("\"golden_untaken_branches\":[]"), "the golden samples take every branch");
    // one golden sample (path 0) leaves both else branches unchecked: compile says so
    TestData.Run one = TestData.cli("compile", m.toString(), "--calib", calib.toString(), "--golden-samples", "1", "--out", tmp.resolve("one").toString());
    assertEquals(0, one.code(), one.err());
    assertTrue(one.err().contains("no golden sample takes the else branch of the If on 'c';") && one.err().contains("else branch of the If on 'c2'")
        && !one.err().contains("then branch"), one.err());
    String cpp = Files.readString(sdk.resolve("src/stage2.cpp"));
    // the second stage's steps run under its condition, the inner ones under both
    assertTrue(cpp.matches("(?s).*\\n  if \\(\\(\\([^\\n]*\\)\\[0\\] != 0\\)\\) \\{\\n  step_\\d+\\(.*"), "a step under one condition");
    assertTrue(cpp.matches("(?s).*\\n  if \\(\\(\\([^\\n]*\\)\\[0\\] != 0\\) && !\\(\\([^\\n]*\\)\\[0\\] != 0\\)\\) \\{\\n.*"), "a step under two conditions");
    assertTrue(cpp.contains("// the taken side requantized onto the output"), "integer Merge");
    // golden samples 0..5 cover every path twice
    TestData.Run v = TestData.cli("verify", sdk.toString(), "--sanitize", "--json");
    assertEquals(0, v.code(), v.out() + v.err());
    assertTrue(v.out().contains("\"bit_exact\":true"), v.out());
    // the trace build: each sample's steps, those of the taken branches only, hash as the interpreter's
    Path build = tmp.resolve("trace-build");
    StringBuilder log = new StringBuilder();
    assertEquals(0, Processes.run(List.of("cmake", "-S", sdk.toString(), "-B", build.toString(), "-DQUENCH_TRACE=ON"), log), log.toString());
    assertEquals(0, Processes.run(List.of("cmake", "--build", build.toString()), log), log.toString());
    String traced = Processes.output(List.of(build.resolve("stage2_selftest").toString()));
    assertTrue(traced.contains("bit-exact: 6/6 samples") && !traced.contains("first divergent"), traced);
    // a branch taken the wrong way round is caught, and the trace names where
    Path source = sdk.resolve("src/stage2.cpp");
    Files.writeString(source, Files.readString(source).replaceFirst("\\n  if \\(\\(\\(", "\n  if (!(("));
    TestData.Run wrong = TestData.cli("verify", sdk.toString(), "--json");
    assertEquals(1, wrong.code(), wrong.out() + wrong.err());
    assertTrue(wrong.out().contains("\"bit_exact\":false") && wrong.out().contains("stage2/"), wrong.out());
    // an NPU target: the second stage's convolution is an NPU segment, submitted under its condition
    Path npu = tmp.resolve("npu");
    assertEquals(0, TestData.cli("compile", m.toString(), "--target", "npu", "--calib", calib.toString(), "--golden-samples", "6", "--out", npu.toString(), "--quiet").code());
    assertTrue(Files.readString(npu.resolve("src/stage2.cpp")).matches("(?s).*\\n  if \\(\\(\\([^\\n]*\\)\\[0\\] != 0\\)\\) \\{\\n(?:(?!\\n  \\}\\n).)*quench_npu_submit.*"),
        "an NPU segment under the condition");
    TestData.Run vn = TestData.cli("verify", npu.toString(), "--sanitize", "--json");
    assertEquals(0, vn.code(), vn.out() + vn.err());
    assertTrue(vn.out().contains("\"bit_exact\":true"), vn.out());
    Path m4 = tmp.resolve("m4");
    assertEquals(0, TestData.cli("compile", m.toString(), "--target", "cortex-m4", "--calib", calib.toString(), "--golden-samples", "6", "--out", m4.toString(), "--quiet").code());
    TestData.Run vm = TestData.cli("verify", m4.toString(), "--toolchain", TestData.root().resolve("toolchains/cortex-m4.cmake").toString(), "--json");
    assertEquals(0, vm.code(), vm.out() + vm.err());
    assertTrue(vm.out().contains("\"bit_exact\":true"), vm.out());
  }

  @Test
  void branchesWhoseOutputsDifferInShapeAreAOneLineError() throws Exception {
    GraphProto.Builder then = new OnnxBuilder(13).output("yt", F, 1, 4).node("id", "Identity", List.of("x"), List.of("yt")).graph().setName("t");
    GraphProto.Builder els = new OnnxBuilder(13).output("ye", F, 1, 2).initializer(OnnxBuilder.floatTensor("k", new long[] {1, 2}, 1f, 2f))
        .node("id2", "Identity", List.of("k"), List.of("ye")).graph().setName("e");
    byte[] model = new OnnxBuilder(13).input("x", F, 1, 4).input("c", B, 1).output("y", F, 1, 4)
        .node("if", "If", List.of("c"), List.of("y"), OnnxBuilder.graphAttr("then_branch", then.build()), OnnxBuilder.graphAttr("else_branch", els.build())).bytes();
    Path m = tmp.resolve("bad.onnx");
    Files.write(m, model);
    TestData.Run r = TestData.cli("inspect", m.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("node 'if/merge0' (Merge): the branches' outputs have shapes [1, 4] and [1, 2]"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }
}
