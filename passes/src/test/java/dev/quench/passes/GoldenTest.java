package dev.quench.passes;

import dev.quench.ir.target.Target;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quench.ir.Graph;
import dev.quench.ir.mw.MiddlewareParser;
import dev.quench.ir.mw.MiddlewarePrinter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden middleware tests: each {@code golden/<pass>/*.qir} names the passes to run on a
 * {@code // RUN:} line (and optionally the target on {@code // TARGET:}), is parsed as middleware, run through them, printed, and checked
 * against its CHECK lines (see {@link FileCheck}).
 */
class GoldenTest {
  static final Path ROOT = Path.of("src/test/resources/golden");

  static Map<String, Pass> passes() {
    return Pipelines.optimize().stream().map(PassManager.Entry::pass)
        .collect(Collectors.toMap(Pass::name, Function.identity(), (a, b) -> a));
  }

  static List<Path> files() throws IOException {
    try (Stream<Path> s = Files.walk(ROOT)) {
      return s.filter(p -> p.toString().endsWith(".qir")).sorted().toList();
    }
  }

  @TestFactory
  List<DynamicTest> goldens() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path f : files()) tests.add(DynamicTest.dynamicTest(ROOT.relativize(f).toString(), () -> run(f)));
    return tests;
  }

  static void run(Path f) throws IOException {
    String src = Files.readString(f);
    String run = src.lines().filter(l -> l.startsWith("// RUN:")).findFirst()
        .orElseThrow(() -> new AssertionError(f + ": no // RUN: line"));
    if (run.substring("// RUN:".length()).trim().equals("quantize")) {
      quantize(f, src);
      return;
    }
    List<Pass> pipeline = new ArrayList<>();
    for (String name : run.substring("// RUN:".length()).trim().split("[,\\s]+")) {
      Pass p = passes().get(name);
      if (p == null) throw new AssertionError(f + ": unknown pass '" + name + "' on the RUN line");
      pipeline.add(p);
    }
    List<FileCheck.Check> checks = FileCheck.checks(src, f.toString());
    Graph g = MiddlewareParser.parse(src, new byte[0], f.toString());
    Target named = src.lines().filter(l -> l.startsWith("// TARGET:")).findFirst().map(l -> Target.named(l.substring(10).trim())).orElse(Target.HOST);
    // "// LAYOUT: NHWC": the target preferring another activation layout (the layout pass's goldens)
    Target target = src.lines().filter(l -> l.startsWith("// LAYOUT:")).findFirst().map(l -> named.withLayout(l.substring(10).trim())).orElse(named);
    new PassManager().run(g, pipeline.stream().map(p -> new PassManager.Entry(p, "golden")).toList(), new PassContext(target));
    String out = MiddlewarePrinter.print(g, "golden.qir.bin").text();
    FileCheck.verify(checks, out, f.toString());
  }

  /**
   * The quantizer's goldens ({@code golden/quantize/}): calibration statistics from
   * {@code // STATS: value min max} lines, min-max fracs, per-channel weights.
   */
  static void quantize(Path f, String src) {
    List<FileCheck.Check> checks = FileCheck.checks(src, f.toString());
    Graph g = MiddlewareParser.parse(src, new byte[0], f.toString());
    Map<String, dev.quench.passes.quant.TensorStats> stats = new java.util.HashMap<>();
    src.lines().filter(l -> l.startsWith("// STATS:")).forEach(l -> {
      String[] p = l.substring(9).trim().split("\\s+");
      double lo = Double.parseDouble(p[1]), hi = Double.parseDouble(p[2]);
      stats.put(p[0], new dev.quench.passes.quant.TensorStats(lo, hi, Math.max(-lo, hi), new float[] {(float) lo, (float) hi}));
    });
    dev.quench.passes.quant.QuantOptions d = dev.quench.passes.quant.QuantOptions.DEFAULT;
    dev.quench.passes.quant.QuantOptions minmax = new dev.quench.passes.quant.QuantOptions("minmax", d.percentile(), true, 8, d.int16Layers(), true, d.floatNodes(),
        d.fixedFracs(), d.weightOffsets());
    Graph q = dev.quench.passes.quant.QuantizePow2.quantize(g, stats, minmax);
    FileCheck.verify(checks, MiddlewarePrinter.print(q, "golden.qir.bin").text(), f.toString());
  }

  @Test
  void everyPassOfThePipelineHasGoldens() throws IOException {
    List<String> covered = files().stream().map(p -> p.getParent().getFileName().toString()).distinct().toList();
    assertTrue(covered.contains("quantize"), "the quantizer has goldens");
    List<String> missing = passes().keySet().stream().filter(p -> !covered.contains(p)).sorted().toList();
    assertTrue(missing.isEmpty(), "passes without golden tests: " + missing);
  }

  @Test
  void fileCheckRejectsWhatItShould() {
    var checks = FileCheck.checks("// CHECK: a\n// CHECK-NEXT: b\n// CHECK-NOT: z\n// CHECK: c", "t");
    FileCheck.verify(checks, "a\nb\nx\nc", "t");
    assertFails(() -> FileCheck.verify(checks, "a\nx\nb\nc", "t"));
    assertFails(() -> FileCheck.verify(checks, "a\nb\nz\nc", "t"));
    assertFails(() -> FileCheck.checks("// CHECK-FOO: a", "t"));
    assertFails(() -> FileCheck.checks("no checks here", "t"));
  }

  private static void assertFails(Runnable r) {
    try {
      r.run();
    } catch (AssertionError expected) {
      return;
    }
    throw new AssertionError("expected a FileCheck failure");
  }
}
