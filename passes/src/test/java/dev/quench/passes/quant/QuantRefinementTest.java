package dev.quench.passes.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quench.ir.Attributes;
import dev.quench.ir.DType;
import dev.quench.ir.Graph;
import dev.quench.ir.Interpreter;
import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import dev.quench.ir.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The accumulator-width proof, bias correction and mixed precision on small hand-built graphs. */
class QuantRefinementTest {
  /** x[1, k] -> FullyConnected(w[n, k]) -> h (-> second FullyConnected, weights 0.5 I -> y). */
  private static Graph fc(int k, int n, float[] w, boolean head) {
    Graph g = new Graph("fc");
    Value x = g.valueFor("x");
    x.setType(new TensorType(DType.FLOAT32, new int[] {1, k}));
    g.inputs().add(x);
    Value wv = g.valueFor("w");
    wv.setData(Tensor.ofFloat(new int[] {n, k}, w));
    wv.setParameter(true);
    Value h = g.valueFor("h");
    h.setType(new TensorType(DType.FLOAT32, new int[] {1, n}));
    Node f = new Node("fc", "FullyConnected", 13, List.of(x, wv), List.of(h), new Attributes());
    h.setProducer(f);
    g.nodes().add(f);
    Value y = h;
    if (head) {
      y = g.valueFor("y");
      y.setType(new TensorType(DType.FLOAT32, new int[] {1, n}));
      Value w2 = g.valueFor("w2");
      float[] eye = new float[n * n];
      for (int i = 0; i < n; i++) eye[i * n + i] = 0.5f;
      w2.setData(Tensor.ofFloat(new int[] {n, n}, eye));
      w2.setParameter(true);
      Node t = new Node("fc2", "FullyConnected", 13, List.of(h, w2), List.of(y), new Attributes());
      y.setProducer(t);
      g.nodes().add(t);
    }
    g.outputs().add(y);
    return g;
  }

  /** Random inputs on a 1/32 grid (exact at 8 bits when |x| < 4), mean {@code mean}, std 0.3. */
  private static List<Map<String, Tensor>> samples(int k, int count, long seed, double mean) {
    Random r = new Random(seed);
    List<Map<String, Tensor>> s = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      float[] v = new float[k];
      for (int j = 0; j < k; j++) v[j] = Math.round((mean + 0.3 * r.nextGaussian()) * 32) / 32f;
      s.add(Map.of("x", Tensor.ofFloat(new int[] {1, k}, v)));
    }
    return s;
  }

  private static Node node(Graph g, String name) {
    return g.nodes().stream().filter(n -> n.name.equals(name)).findFirst().orElseThrow();
  }

  private static QuantOptions bits(int activationBits) {
    return new QuantOptions("minmax", 99.99, true, activationBits, Set.of(), true, Set.of(), Map.of(), Map.of());
  }

  @Test
  void accumulatorIsWidenedOnlyWhenTheWeightsCanOverflowInt32() {
    int k = 4096;
    float[] w = new float[2 * k];
    java.util.Arrays.fill(w, 0.9f);
    Graph g = fc(k, 2, w, false);
    List<Map<String, Tensor>> s = samples(k, 4, 1, 1.0);
    Graph q = QuantizePow2.quantize(g, Calibrator.collect(g, s, d -> { }), bits(16));
    assertEquals(64, node(q, "fc").attrs.getInt("acc_bits", 32), "4096 x int8 ~115 x int16 can exceed int32");
    float[] got = new Interpreter(q).run(s.get(0)).get("h").f, want = new Interpreter(g).run(s.get(0)).get("h").f;
    assertEquals(want[0], got[0], Math.abs(want[0]) * 0.01, "the widened node computes the right value");

    Graph small = fc(16, 2, java.util.Arrays.copyOf(w, 32), false);
    List<Map<String, Tensor>> s2 = samples(16, 4, 2, 1.0);
    Graph q2 = QuantizePow2.quantize(small, Calibrator.collect(small, s2, d -> { }), bits(16));
    assertFalse(node(q2, "fc").attrs.has("acc_bits"), "16 products stay within int32");
  }

  @Test
  void biasCorrectionRemovesTheSystematicWeightError() {
    int k = 64, n = 4;
    float[] w = new float[n * k];
    // every weight of a row rounds the same way: a systematic error of the row's sum
    for (int c = 0; c < n; c++) for (int j = 0; j < k; j++) w[c * k + j] = (float) ((j == 0 ? 0.49 : 0.3 + 0.0015 * (c + 1)) * (c % 2 == 0 ? 1 : -1));
    Graph g = fc(k, n, w, false);
    List<Map<String, Tensor>> s = samples(k, 32, 3, 1.0);
    Map<String, TensorStats> stats = Calibrator.collect(g, s, d -> { });
    Graph plain = QuantizePow2.quantize(g, stats, bits(8)), corrected = QuantizePow2.quantize(g, stats, bits(8));
    Map<String, Double> fixes = BiasCorrection.apply(g, corrected, s);
    assertTrue(fixes.containsKey("h"), fixes.toString());
    assertTrue(node(corrected, "fc").input(2) != null, "a bias was added to carry the correction");
    double before = channelBias(g, plain, s), after = channelBias(g, corrected, s);
    assertTrue(before > 0.01 && after < before / 4, "per-channel mean error (rms over channels) " + before + " -> " + after);
  }

  /** Per output channel, the mean signed error of the quantized output over the samples; then the rms over channels. */
  private static double channelBias(Graph f, Graph q, List<Map<String, Tensor>> s) {
    Interpreter fi = new Interpreter(f), qi = new Interpreter(q);
    double[] e = null;
    for (Map<String, Tensor> in : s) {
      float[] a = fi.run(in).values().iterator().next().f, b = qi.run(in).values().iterator().next().f;
      if (e == null) e = new double[a.length];
      for (int i = 0; i < a.length; i++) e[i] += (b[i] - a[i]) / s.size();
    }
    double rms = 0;
    for (double v : e) rms += v * v / e.length;
    return Math.sqrt(rms);
  }

  @Test
  void mixedPrecisionPromotesWithinTheBudgetAndHelps() {
    int k = 32, n = 16;
    Random r = new Random(5);
    float[] w = new float[n * k];
    // weights on a 2^-7 grid, inputs on a 2^-5 grid: both exact at 8 bits, so all error is h's
    for (int i = 0; i < w.length; i++) w[i] = Math.round(0.05 * r.nextGaussian() * 128) / 128f;
    Graph g = fc(k, n, w, true);
    List<Map<String, Tensor>> s = samples(k, 8, 6, 0.0);
    Map<String, TensorStats> stats = Calibrator.collect(g, s, d -> { });
    QuantOptions o = bits(8);
    List<Sensitivity.Layer> sens = Sensitivity.measure(g, stats, o, s, true);
    assertEquals(1, sens.size(), "the FC output is the one 8-bit candidate: " + sens);
    Sensitivity.Layer l = sens.get(0);
    assertEquals("h", l.tensor());
    assertTrue(l.gainDb() > 20 && l.nuclearNorm() > 0, l.toString());
    assertTrue(MixedPrecision.choose(sens, "sqnr", n - 1).isEmpty(), "16 elements do not fit in 15 bytes");
    List<MixedPrecision.Promotion> p = MixedPrecision.choose(sens, "sqnr", n);
    assertEquals(1, p.size());
    assertTrue(p.get(0).why().contains("dB"), p.get(0).why());
    List<Map<String, Tensor>> ref = new ArrayList<>();
    for (Map<String, Tensor> in : s) ref.add(new Interpreter(g).run(in));
    double base = Sensitivity.outputSqnr(QuantizePow2.quantize(g, stats, o), s, ref);
    double mixed = Sensitivity.outputSqnr(QuantizePow2.quantize(g, stats, o.withInt16(Set.of("h"))), s, ref);
    assertTrue(mixed > base + 20, base + " dB -> " + mixed + " dB");
  }

  @Test
  void cosineSearchClipsAnOutlierWeightThatMeetsNoSignal() {
    int k = 32, n = 4;
    Random r = new Random(9);
    float[] w = new float[n * k];
    for (int c = 0; c < n; c++) {
      w[c * k] = 1.99f; // an outlier on input 0, which is always zero: clipping it costs nothing
      for (int j = 1; j < k; j++) w[c * k + j] = (float) (0.3 * r.nextGaussian());
    }
    Graph g = fc(k, n, w, true);
    List<Map<String, Tensor>> s = new ArrayList<>();
    for (Map<String, Tensor> in : samples(k, 8, 10, 0.0)) {
      float[] v = in.get("x").f.clone();
      v[0] = 0;
      s.add(Map.of("x", Tensor.ofFloat(new int[] {1, k}, v)));
    }
    Map<String, TensorStats> stats = Calibrator.collect(g, s, d -> { });
    QuantOptions o = new QuantOptions("cosine", 99.99, true, 8, Set.of(), true, Set.of(), Map.of(), Map.of());
    List<CosineSearch.Choice> cs = CosineSearch.search(g, stats, o, s);
    CosineSearch.Choice c = cs.stream().filter(x -> x.node().equals("fc")).findFirst().orElseThrow();
    assertEquals(1, c.weightOffset(), c.toString());
    assertTrue(c.cosine() > c.baselineCosine(), c.toString());
    Graph q = QuantizePow2.quantize(g, stats, CosineSearch.apply(o, cs));
    long[] fr = node(q, "fc").input(1).qparams().frac();
    assertEquals(6, fr[0], "max 1.99 fits frac 5 (1.99 * 64 > 127); the search asks for one more");
  }
}
