package dev.quench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quench.ir.Tensor;
import dev.quench.ir.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shared model (digits, fashion, real) run with {@code quench run} on its inputs matches its
 * reference outputs: per output, max |diff| &lt;= 1e-4 * max|ref| + 1e-5. Without ../shared, the
 * bundled example is checked against its reference logits.
 */
class RealModelsTest {
  @TempDir
  Path tmp;

  /** model, inputs (NAME=FILE), reference per output file name. */
  static Stream<Arguments> models() throws IOException {
    List<Arguments> r = new ArrayList<>();
    Path shared = TestData.shared();
    Path ex = TestData.example();
    r.add(Arguments.of("example", ex.resolve("fashion_mobilenet.onnx"), List.of("input=" + ex.resolve("test_x.npy")),
        List.of("logits.npy=" + ex.resolve("test_logits.npy"))));
    if (shared == null) return r.stream();
    Path digits = shared.resolve("models/digits");
    for (String m : List.of("digits_cnn", "digits_repvgg", "digits_qarepvgg", "digits_mlp", "digits_vit")) {
      r.add(Arguments.of(m, digits.resolve(m + ".onnx"), List.of("input=" + digits.resolve("digits_test_x.npy")),
          List.of("logits.npy=" + digits.resolve(m + "_test_logits.npy"))));
    }
    Path fashion = shared.resolve("models/fashion");
    r.add(Arguments.of("fashion_mobilenet", fashion.resolve("fashion_mobilenet.onnx"), List.of("input=" + fashion.resolve("fashion_test_x.npy")),
        List.of("logits.npy=" + fashion.resolve("fashion_mobilenet_test_logits.npy"))));
    try (Stream<Path> dirs = Files.list(shared.resolve("models/real"))) {
      for (Path d : dirs.sorted().toList()) {
        List<String> ins = new ArrayList<>(), refs = new ArrayList<>();
        try (Stream<Path> files = Files.list(d)) {
          for (Path f : files.sorted().toList()) {
            String n = f.getFileName().toString();
            if (n.startsWith("in_")) ins.add(n.substring(3, n.length() - 4) + "=" + f);
            if (n.startsWith("out_")) refs.add(Samples.fileName(n.substring(4, n.length() - 4)) + ".npy=" + f);
          }
        }
        r.add(Arguments.of(d.getFileName().toString(), d.resolve("model.onnx"), ins, refs));
      }
    }
    return r.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void matchesReference(String name, Path model, List<String> inputs, List<String> refs) {
    runAndCompare(name, model, inputs, refs);
  }

  /** The same through `quench optimize` to middleware, then `quench run` on the .qir. */
  @ParameterizedTest(name = "{0} optimized")
  @MethodSource("models")
  void optimizedMiddlewareMatchesReference(String name, Path model, List<String> inputs, List<String> refs) {
    Path qir = tmp.resolve(name + ".qir");
    List<String> args = new ArrayList<>(List.of("optimize", model.toString(), "-o", qir.toString()));
    if (name.startsWith("ppocr")) args.addAll(List.of("--input-shape", "x=1x3x48x192"));
    TestData.Run opt = TestData.cli(args.toArray(String[]::new));
    assertEquals(0, opt.code(), opt.err());
    runAndCompare(name, qir, inputs, refs);
  }

  private void runAndCompare(String name, Path model, List<String> inputs, List<String> refs) {
    List<String> args = new ArrayList<>(List.of("run", model.toString(), "--out-dir", tmp.toString(), "--json"));
    for (String in : inputs) {
      args.add("--input");
      args.add(in);
    }
    TestData.Run run = TestData.cli(args.toArray(String[]::new));
    assertEquals(0, run.code(), run.err());
    assertTrue(refs.size() >= 1);
    for (String ref : refs) {
      int eq = ref.indexOf('=');
      Tensor got = Npy.read(tmp.resolve(ref.substring(0, eq)));
      Tensor want = Npy.read(Path.of(ref.substring(eq + 1)));
      assertArrayEquals(want.shape(), got.shape(), name + " " + ref);
      double maxRef = 0, maxDiff = 0;
      for (int i = 0; i < want.numel(); i++) {
        maxRef = Math.max(maxRef, Math.abs(want.getDouble(i)));
        maxDiff = Math.max(maxDiff, Math.abs(want.getDouble(i) - got.getDouble(i)));
      }
      double bound = 1e-4 * maxRef + 1e-5;
      assertTrue(maxDiff <= bound, name + " " + ref + ": max |diff| " + maxDiff + " > " + bound);
    }
  }
}
