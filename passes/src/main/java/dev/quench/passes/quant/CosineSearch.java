package dev.quench.passes.quant;

import dev.quench.ir.op.Conv;
import dev.quench.ir.op.FullyConnected;
import dev.quench.ir.FixedPoint;
import dev.quench.ir.Graph;
import dev.quench.ir.Interpreter;
import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import dev.quench.ir.op.OpRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code cosine} method: per Conv / FullyConnected layer, the weight and output fractional
 * bits that maximise the cosine similarity between the layer's quantized output and its float
 * output on calibration data. The candidates are few — weights at the frac that fits each
 * channel's max or one more (clipping that channel's largest weights), output at f0..f0+2 from
 * its range — so all six pairs are tried jointly rather than alternating one at a time. Each
 * candidate is simulated in float: the float input rounded to its 8-bit grid, the weights to
 * theirs, the layer evaluated (with its fused activation), the result rounded to the output grid.
 * Input grids are the calibration choices of the other tensors (mse), so layers are independent.
 */
public final class CosineSearch {
  private CosineSearch() {}

  /** The choice for one layer: its output frac, the weight frac offset, and the cosine reached. */
  public record Choice(String node, String output, int frac, int weightOffset, double cosine, double baselineCosine) {}

  public static List<Choice> search(Graph g, Map<String, TensorStats> stats, QuantOptions o, List<Map<String, Tensor>> samples) {
    List<Node> targets = new ArrayList<>();
    Set<String> needed = new HashSet<>();
    for (Node n : g.nodes()) {
      if (!(n.opType.equals(Conv.CONV) || n.opType.equals(FullyConnected.FULLY_CONNECTED)) || n.input(1) == null || !n.input(1).isConstant()) continue;
      if (n.input(0) == null || stats.get(n.input(0).name) == null || stats.get(n.output(0).name) == null) continue;
      if (n.input(2) != null && !n.input(2).isConstant()) continue;
      targets.add(n);
      needed.add(n.input(0).name);
    }
    int[][] combos = {{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}};
    Map<Node, double[][]> acc = new HashMap<>(); // per combo: sum yq*y, sum yq^2, sum y^2
    for (Node n : targets) acc.put(n, new double[combos.length][3]);
    Interpreter fi = Interpreter.everyBranch(g);
    List<Map<String, Tensor>> few = samples.subList(0, Math.min(8, samples.size()));
    for (Map<String, Tensor> s : few) {
      Map<String, Tensor> env = new HashMap<>(s);
      Map<String, Tensor> outs = new HashMap<>();
      fi.run(s, (node, out) -> {
        for (int k = 0; k < out.length && k < node.outputs().size(); k++) {
          Value v = node.output(k);
          if (v != null && needed.contains(v.name)) env.put(v.name, out[k]);
        }
        if (acc.containsKey(node)) outs.put(node.name, out[0]);
      });
      targets.parallelStream().forEach(n -> {
        Tensor x = env.get(n.input(0).name), y = outs.get(n.name);
        if (x == null || y == null) return;
        Tensor xq = grid(x, frac(stats, n.input(0), o), lo(stats, n.input(0), o), hi(stats, n.input(0), o));
        int f0 = f0(stats, n.output(0), o);
        double[][] a = acc.get(n);
        for (int c = 0; c < combos.length; c++) {
          Tensor w = weights(n.input(1).data(), o.perChannel(), combos[c][0]);
          Tensor[] in = n.input(2) == null ? new Tensor[] {xq, w} : new Tensor[] {xq, w, n.input(2).data()};
          Tensor ys = OpRegistry.get(n.opType).eval(n, in)[0];
          Tensor yq = grid(ys, f0 + combos[c][1], lo(stats, n.output(0), o), hi(stats, n.output(0), o));
          double[] t = new double[3];
          for (int i = 0; i < y.numel(); i++) {
            t[0] += (double) yq.f[i] * y.f[i];
            t[1] += (double) yq.f[i] * yq.f[i];
            t[2] += (double) y.f[i] * y.f[i];
          }
          synchronized (a) {
            for (int k = 0; k < 3; k++) a[c][k] += t[k];
          }
        }
      });
    }
    List<Choice> r = new ArrayList<>();
    for (Node n : targets) {
      double[][] a = acc.get(n);
      int best = 0;
      double bestCos = -2;
      for (int c = 0; c < combos.length; c++) {
        double cos = a[c][1] == 0 || a[c][2] == 0 ? 0 : a[c][0] / Math.sqrt(a[c][1] * a[c][2]);
        if (cos > bestCos + 1e-12) {
          bestCos = cos;
          best = c;
        }
      }
      int f0 = f0(stats, n.output(0), o), base = frac(stats, n.output(0), o) - f0;
      int baseIdx = Math.max(0, Math.min(2, base));
      double baseCos = a[baseIdx][1] == 0 || a[baseIdx][2] == 0 ? 0 : a[baseIdx][0] / Math.sqrt(a[baseIdx][1] * a[baseIdx][2]);
      r.add(new Choice(n.name, n.output(0).name, f0 + combos[best][1], combos[best][0], bestCos, baseCos));
    }
    return r;
  }

  /** The fixed output fracs and weight offsets of the choices, for {@link QuantOptions}. */
  public static QuantOptions apply(QuantOptions o, List<Choice> choices) {
    Map<String, Integer> fr = new LinkedHashMap<>(o.fixedFracs()), wo = new LinkedHashMap<>(o.weightOffsets());
    for (Choice c : choices) {
      fr.putIfAbsent(c.output(), c.frac());
      if (c.weightOffset() != 0) wo.put(c.node(), c.weightOffset());
    }
    return o.withFixedFracs(fr).withWeightOffsets(wo);
  }

  private static boolean unsigned(Map<String, TensorStats> stats, Value v, QuantOptions o) {
    return o.unsignedNonNegative() && stats.get(v.name).min() >= 0;
  }

  private static long lo(Map<String, TensorStats> stats, Value v, QuantOptions o) {
    return FixedPoint.lo(8, unsigned(stats, v, o));
  }

  private static long hi(Map<String, TensorStats> stats, Value v, QuantOptions o) {
    return FixedPoint.hi(8, unsigned(stats, v, o));
  }

  private static int f0(Map<String, TensorStats> stats, Value v, QuantOptions o) {
    return FixedPoint.fracForLimit(stats.get(v.name).maxAbs(), hi(stats, v, o));
  }

  /** The 8-bit frac calibration gives v (a QDQ-fixed one first). */
  private static int frac(Map<String, TensorStats> stats, Value v, QuantOptions o) {
    Integer fixed = o.fixedFracs().get(v.name);
    if (fixed != null) return fixed;
    return FracChooser.choose(stats.get(v.name), o, lo(stats, v, o), hi(stats, v, o));
  }

  /** t rounded to the grid 2^-f, saturated to [lo, hi] steps. */
  private static Tensor grid(Tensor t, int f, long lo, long hi) {
    float[] r = new float[t.numel()];
    for (int i = 0; i < r.length; i++) r[i] = (float) FixedPoint.dequantize(FixedPoint.quantize(t.f[i], f, lo, hi), f);
    return Tensor.ofFloat(t.shape(), r);
  }

  /** Weights rounded to their int8 grid: per output channel (or tensor) frac from the max, plus {@code offset}. */
  static Tensor weights(Tensor w, boolean perChannel, int offset) {
    int channels = w.dim(0), per = w.numel() / channels;
    double all = 0;
    for (float v : w.f) all = Math.max(all, Math.abs(v));
    float[] r = new float[w.numel()];
    for (int c = 0; c < channels; c++) {
      double m = 0;
      for (int i = 0; i < per; i++) m = Math.max(m, Math.abs(w.f[c * per + i]));
      int f = FixedPoint.fracFor(perChannel ? m : all, 8) + offset;
      for (int i = 0; i < per; i++) r[c * per + i] = (float) FixedPoint.dequantize(FixedPoint.quantize(w.f[c * per + i], f, 8), f);
    }
    return Tensor.ofFloat(w.shape(), r);
  }
}
