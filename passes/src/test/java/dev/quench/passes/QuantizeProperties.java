package dev.quench.passes;

import dev.quench.ir.target.Target;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.quench.ir.Graph;
import dev.quench.ir.Interpreter;
import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import dev.quench.ir.mw.Middleware;
import dev.quench.ir.mw.MiddlewareParser;
import dev.quench.ir.mw.MiddlewarePrinter;
import dev.quench.passes.quant.Calibrator;
import dev.quench.passes.quant.QuantOptions;
import dev.quench.passes.quant.QuantizePow2;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * On random CNNs: the quantized graph verifies, runs its convs, FCs, adds and pools on integers,
 * stays close to float (SQNR), survives the middleware round trip bit for bit, and every shift
 * stored in it is within range.
 */
class QuantizeProperties {
  private static Tensor input(Graph g, Random r) {
    Value x = g.dataInputs().get(0);
    Tensor t = Tensor.zeros(x.type().dtype(), x.type().shape());
    for (int i = 0; i < t.numel(); i++) t.f[i] = (float) r.nextGaussian();
    return t;
  }

  @Test
  void quantizedNetworksAreIntegerCloseAndRoundTrip() {
    qt().withExamples(40).forAll(longs().all()).checkAssert(seed -> {
      Graph g = RandomGraphs.build(seed);
      new PassManager().run(g, Pipelines.forQuantization(), new PassContext(Target.HOST));
      Random r = new Random(seed);
      List<Map<String, Tensor>> calib = new ArrayList<>();
      for (int i = 0; i < 24; i++) calib.add(Map.of("x", input(g, r)));
      String method = List.of("minmax", "percentile", "mse", "kl").get((int) Math.floorMod(seed, 4L));
      QuantOptions o = new QuantOptions(method, 99.9, seed % 3 != 0, 8, Set.of(), seed % 5 != 0, Set.of(), Map.of(), Map.of());
      Graph q = QuantizePow2.quantize(g, Calibrator.collect(g, calib, d -> { }), o);
      for (Node n : q.nodes()) {
        if (Set.of("Conv", "FullyConnected", "Add", "GlobalAveragePool").contains(n.opType)) {
          assertTrue(!n.output(0).type().dtype().isFloating(), n.describe() + " runs on integers, seed " + seed);
        }
        long[] shifts = n.attrs.getInts("shift_right");
        if (shifts != null) for (long s : shifts) assertTrue(s > -32 && s < 63, n.describe() + " shift " + s);
      }
      double sig = 0, err = 0;
      Interpreter fi = new Interpreter(g), qi = new Interpreter(q);
      for (Map<String, Tensor> in : calib.subList(0, 8)) {
        float[] f = fi.run(in).values().iterator().next().f, qv = qi.run(in).values().iterator().next().f;
        for (int i = 0; i < f.length; i++) {
          sig += f[i] * f[i];
          err += (f[i] - qv[i]) * (f[i] - qv[i]);
        }
      }
      double sqnr = 10 * Math.log10(sig / Math.max(err, 1e-30));
      // KL trades clipping for a histogram match and may clip heavy tails hard: no SQNR bar for it
      if (!method.equals("kl")) assertTrue(sqnr > 10, "SQNR " + sqnr + " dB, seed " + seed + " " + o);
      Middleware a = MiddlewarePrinter.print(q, "q.qir.bin");
      Graph back = MiddlewareParser.parse(a.text(), a.weights(), "q.qir");
      assertEquals(a.text(), MiddlewarePrinter.print(back, "q.qir.bin").text());
      Map<String, Tensor> in = calib.get(0);
      assertArrayEquals(qi.run(in).values().iterator().next().f, new Interpreter(back).run(in).values().iterator().next().f);
    });
  }
}
