package dev.quench.passes;

import dev.quench.ir.target.Target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.quench.ir.Graph;
import dev.quench.ir.Interpreter;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import dev.quench.ir.mw.Middleware;
import dev.quench.ir.mw.MiddlewareParser;
import dev.quench.ir.mw.MiddlewarePrinter;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * On random CNNs: every pass and the whole pipeline keep the verifier green (the PassManager
 * checks after each pass), preserve float results within tolerance on random inputs, are
 * idempotent, and print -> parse -> print is the identity.
 */
class PipelineProperties {
  /** The NPU with a channels-last preference: the pipeline with the layout pass at work. */
  private static final Target CHANNELS_LAST_NPU = Target.named("npu").withLayout("NHWC");

  private static Tensor input(Graph g, long seed) {
    Value x = g.dataInputs().get(0);
    Tensor t = Tensor.zeros(x.type().dtype(), x.type().shape());
    Random r = new Random(seed);
    for (int i = 0; i < t.numel(); i++) t.f[i] = (float) r.nextGaussian();
    return t;
  }

  private static float[] run(Graph g, Tensor x) {
    return new Interpreter(g).run(Map.of("x", x)).values().iterator().next().f;
  }

  private static void close(float[] want, float[] got, String what) {
    assertEquals(want.length, got.length, what);
    double scale = 1e-6;
    for (float w : want) scale = Math.max(scale, Math.abs(w));
    for (int i = 0; i < want.length; i++) {
      assertTrue(Math.abs(want[i] - got[i]) <= 1e-4 * scale + 1e-5, what + ": element " + i + " " + got[i] + " vs " + want[i]);
    }
  }

  @Test
  void pipelinePreservesResultsAndIsIdempotent() {
    qt().withExamples(150).forAll(longs().all()).checkAssert(seed -> {
      Graph g = RandomGraphs.build(seed);
      Tensor x = input(g, seed);
      float[] before = run(g, x);
      Target target = (seed & 1) == 0 ? Target.HOST : CHANNELS_LAST_NPU;
      new PassManager().run(g, Pipelines.optimize(), new PassContext(target));
      close(before, run(g, x), "seed " + seed + " on " + target.name());
      assertTrue(g.nodes().stream().noneMatch(n -> n.opType.equals("BatchNormalization")), "no BN left, seed " + seed);
      assertTrue(g.nodes().stream().noneMatch(n -> n.opType.equals("Erf") || n.opType.equals("ReduceMean")), "GELU and LayerNorm recognised, seed " + seed);
      String once = MiddlewarePrinter.print(g, "w").text();
      new PassManager().run(g, Pipelines.optimize(), new PassContext(target));
      assertEquals(once, MiddlewarePrinter.print(g, "w").text(), "idempotent, seed " + seed);
    });
  }

  @Test
  void eachPassAloneIsSoundAndIdempotent() {
    List<PassManager.Entry> passes = Pipelines.optimize();
    qt().withExamples(60).forAll(longs().all()).checkAssert(seed -> {
      for (PassManager.Entry e : passes) {
        Graph g = RandomGraphs.build(seed);
        Tensor x = input(g, seed);
        float[] before = run(g, x);
        List<PassManager.Entry> one = List.of(e);
        Target target = (seed & 1) == 0 ? Target.HOST : CHANNELS_LAST_NPU;
        new PassManager().run(g, one, new PassContext(target));
        close(before, run(g, x), e.pass().name() + " seed " + seed);
        String once = MiddlewarePrinter.print(g, "w").text();
        new PassManager().run(g, one, new PassContext(target));
        assertEquals(once, MiddlewarePrinter.print(g, "w").text(), e.pass().name() + " idempotent, seed " + seed);
      }
    });
  }

  @Test
  void printParsePrintIsIdentity() {
    qt().withExamples(100).forAll(longs().all()).checkAssert(seed -> {
      Graph g = RandomGraphs.build(seed);
      if (seed % 3 != 0) new PassManager().run(g, Pipelines.optimize(), new PassContext(seed % 3 == 1 ? Target.HOST : CHANNELS_LAST_NPU));
      Middleware a = MiddlewarePrinter.print(g, "m.qir.bin");
      Graph back = MiddlewareParser.parse(a.text(), a.weights(), "m.qir");
      Middleware b = MiddlewarePrinter.print(back, "m.qir.bin");
      assertEquals(a.text(), b.text());
      assertTrue(java.util.Arrays.equals(a.weights(), b.weights()));
      Tensor x = input(g, seed);
      assertTrue(java.util.Arrays.equals(run(g, x), run(back, x)), "same results after the round trip");
    });
  }
}
