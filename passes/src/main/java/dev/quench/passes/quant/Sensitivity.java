package dev.quench.passes.quant;

import dev.quench.ir.Graph;
import dev.quench.ir.Interpreter;
import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How much each 8-bit layer output costs in accuracy, two ways:
 *
 * <ul>
 *   <li>{@code sqnr}: the network is quantized with only that layer in integer form (every other
 *       node float) twice, its output at 8 and at 16 bits; the gain is how much the noise at the
 *       graph outputs (mean over outputs of error power / signal power) shrinks, in dB;
 *   <li>{@code nuclear}: the nuclear norm (sum of singular values) of the layer's float output
 *       as a channels × positions matrix over the calibration samples: a measure of how much
 *       information the tensor carries, no quantized runs needed.
 * </ul>
 */
public final class Sensitivity {
  private Sensitivity() {}

  /** A candidate for promotion to 16 bits: the tensor, its producer, its size and the measures. */
  public record Layer(String tensor, String node, String op, long elements, double sqnr8Db, double sqnr16Db, double nuclearNorm) {
    public double gainDb() {
      return sqnr16Db - sqnr8Db;
    }
  }

  /** Measures every 8-bit integer layer output of the graph quantized with {@code o}. */
  public static List<Layer> measure(Graph floatGraph, Map<String, TensorStats> stats, QuantOptions o, List<Map<String, Tensor>> samples, boolean sqnr) {
    List<Map<String, Tensor>> few = samples.subList(0, Math.min(4, samples.size()));
    Graph full = QuantizePow2.quantize(floatGraph, stats, o);
    Set<String> allNodes = new HashSet<>();
    for (Node n : floatGraph.nodes()) allNodes.add(n.name);
    List<Node> candidates = new ArrayList<>();
    for (Node n : full.nodes()) {
      Value y = n.outputs().isEmpty() ? null : n.output(0);
      if (y == null || y.qparams() == null || y.qparams().bits() != 8 || !allNodes.contains(n.name)) continue;
      // moves and clamps keep their input's scale: no rounding of their own to measure
      if (n.is(dev.quench.ir.op.Trait.KEEPS_SCALE)) continue;
      candidates.add(n);
    }
    Interpreter fi = Interpreter.everyBranch(floatGraph);
    List<Map<String, Tensor>> reference = new ArrayList<>();
    for (Map<String, Tensor> s : few) reference.add(fi.run(s));
    Map<String, Double> nuclear = nuclearNorms(floatGraph, few, candidates);
    List<Layer> result = new ArrayList<>(candidates.size());
    for (int i = 0; i < candidates.size(); i++) result.add(null);
    java.util.stream.IntStream.range(0, candidates.size()).parallel().forEach(i -> {
      Node n = candidates.get(i);
      String y = n.output(0).name;
      double s8 = Double.NaN, s16 = Double.NaN;
      if (sqnr) {
        Set<String> others = new HashSet<>(allNodes);
        others.remove(n.name);
        QuantOptions only = o.withFloatNodes(others);
        s8 = outputSqnr(QuantizePow2.quantize(floatGraph, stats, only), few, reference);
        Set<String> wide = new HashSet<>(o.int16Layers());
        wide.add(y);
        s16 = outputSqnr(QuantizePow2.quantize(floatGraph, stats, only.withInt16(wide)), few, reference);
      }
      result.set(i, new Layer(y, n.name, n.opType, n.output(0).type().numel(), s8, s16, nuclear.getOrDefault(y, Double.NaN)));
    });
    return result;
  }

  /** SQNR in dB of the quantized graph's outputs against the float ones: mean of the per-output noise ratios. */
  static double outputSqnr(Graph quant, List<Map<String, Tensor>> samples, List<Map<String, Tensor>> reference) {
    Interpreter qi = Interpreter.everyBranch(quant);
    Map<String, double[]> acc = new HashMap<>();
    for (int i = 0; i < samples.size(); i++) {
      Map<String, Tensor> q = qi.run(samples.get(i));
      for (var e : reference.get(i).entrySet()) {
        Tensor f = e.getValue(), t = q.get(e.getKey());
        double[] a = acc.computeIfAbsent(e.getKey(), k -> new double[2]);
        for (int j = 0; j < f.numel(); j++) {
          double fv = f.getDouble(j), d = fv - t.getDouble(j);
          a[0] += fv * fv;
          a[1] += d * d;
        }
      }
    }
    double ratio = 0;
    for (double[] a : acc.values()) ratio += a[0] == 0 ? 0 : a[1] / a[0];
    ratio /= Math.max(1, acc.size());
    return ratio == 0 ? 200 : -10 * Math.log10(ratio);
  }

  /** Nuclear norms of the candidates' float outputs: sqrt of the eigenvalues of F F^T, summed. */
  private static Map<String, Double> nuclearNorms(Graph floatGraph, List<Map<String, Tensor>> samples, List<Node> candidates) {
    Set<String> names = new HashSet<>();
    for (Node n : candidates) names.add(n.output(0).name);
    Map<String, double[][]> gram = new HashMap<>();
    Interpreter fi = Interpreter.everyBranch(floatGraph);
    for (Map<String, Tensor> s : samples) {
      fi.run(s, (n, outs) -> {
        if (outs.length == 0 || n.outputs().isEmpty() || n.output(0) == null || !names.contains(n.output(0).name) || !outs[0].isFloat()) return;
        Tensor t = outs[0];
        int[] sh = t.shape();
        boolean channelsFirst = sh.length == 4;
        int c = channelsFirst ? sh[1] : sh[sh.length - 1];
        if (c > 2048) return;
        int inner = 1;
        if (channelsFirst) for (int k = 2; k < 4; k++) inner *= sh[k];
        int cols = t.numel() / c;
        double[][] f = new double[c][cols];
        for (int i = 0; i < t.numel(); i++) {
          int ch = channelsFirst ? (i / inner) % c : i % c;
          int col = channelsFirst ? (i / (inner * c)) * inner + i % inner : i / c;
          f[ch][col] = t.f[i];
        }
        double[][] g = gram.computeIfAbsent(n.output(0).name, k -> new double[c][c]);
        for (int a = 0; a < c; a++) for (int b = a; b < c; b++) {
          double sum = 0;
          for (int j = 0; j < cols; j++) sum += f[a][j] * f[b][j];
          g[a][b] += sum;
          if (a != b) g[b][a] += sum;
        }
      });
    }
    Map<String, Double> r = new HashMap<>();
    for (var e : gram.entrySet()) {
      double sum = 0;
      for (double l : SymmetricEigen.values(e.getValue())) sum += Math.sqrt(Math.max(0, l));
      r.put(e.getKey(), sum);
    }
    return r;
  }
}
