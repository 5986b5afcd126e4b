package dev.quench.cli;

import dev.quench.ir.op.Conv;
import dev.quench.ir.op.FullyConnected;
import dev.quench.ir.FixedPoint;
import dev.quench.ir.Graph;
import dev.quench.ir.Interpreter;
import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Per-layer quantization report: for every integer layer output, its bits and fractional bits,
 * the float activation range, the layer's weight range / std / outlier ratio (max|w| / std, the
 * RepVGG failure mode when large), and SQNR and cosine of the quantized output against the float
 * one. Both networks run end to end, so a layer's figures include the error accumulated from the
 * input up to it.
 */
final class QuantReport {
  private QuantReport() {}

  /** Above this max|w|/std a layer's weights are flagged as having outliers. */
  static final double OUTLIER_RATIO = 20;

  record Layer(String name, String op, long bits, long frac, double actMin, double actMax, double wMaxAbs, double wStd, boolean outliers,
      double sqnrDb, double cosine, boolean floatIsland, double weightSqnrDb) {
    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", name);
      m.put("op", op);
      m.put("bits", floatIsland ? 32 : Math.abs(bits));
      m.put("unsigned", bits < 0);
      m.put("frac", floatIsland ? null : frac);
      m.put("float_island", floatIsland);
      m.put("act_min", round(actMin));
      m.put("act_max", round(actMax));
      if (wStd > 0) {
        m.put("weight_max_abs", round(wMaxAbs));
        m.put("weight_std", round(wStd));
        m.put("weight_outliers", outliers);
        m.put("weight_sqnr_db", round(weightSqnrDb));
      }
      m.put("sqnr_db", round(sqnrDb));
      m.put("cosine", round(cosine));
      return m;
    }
  }

  static Double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 1e4) / 1e4 : null;
  }

  static List<Layer> layers(Graph floatGraph, Graph quant, List<Map<String, Tensor>> samples) {
    int k = Math.min(samples.size(), 32);
    Map<String, double[]> acc = new HashMap<>(); // name -> [sum f^2, sum err^2, sum f*q, sum q^2, min, max]
    Interpreter fi = Interpreter.everyBranch(floatGraph), qi = Interpreter.everyBranch(quant);
    List<Map<String, double[]>> parts = new ArrayList<>();
    for (int i = 0; i < k; i++) parts.add(null);
    IntStream.range(0, k).parallel().forEach(i -> {
      Map<String, Tensor> fv = new HashMap<>();
      fi.run(samples.get(i), (n, outs) -> {
        for (int j = 0; j < outs.length && j < n.outputs().size(); j++) if (n.output(j) != null && outs[j] != null) fv.put(n.output(j).name, outs[j]);
      });
      Map<String, double[]> m = new HashMap<>();
      qi.run(samples.get(i), (n, outs) -> {
        for (int j = 0; j < outs.length && j < n.outputs().size(); j++) {
          Value v = n.output(j);
          if (v == null || outs[j] == null) continue;
          String name = floatName(v);
          Tensor f = fv.get(name);
          if (f == null || !f.isFloat() || f.numel() != outs[j].numel()) continue;
          long fr = v.qparams() == null ? 0 : v.qparams().frac0();
          double[] a = m.computeIfAbsent(name, x -> new double[] {0, 0, 0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
          for (int e = 0; e < f.numel(); e++) {
            double fx = f.f[e], qx = outs[j].isFloat() ? outs[j].f[e] : FixedPoint.dequantize(outs[j].l[e], (int) fr);
            a[0] += fx * fx;
            a[1] += (fx - qx) * (fx - qx);
            a[2] += fx * qx;
            a[3] += qx * qx;
            a[4] = Math.min(a[4], fx);
            a[5] = Math.max(a[5], fx);
          }
        }
      });
      parts.set(i, m);
    });
    for (Map<String, double[]> m : parts) {
      for (var e : m.entrySet()) {
        double[] t = acc.computeIfAbsent(e.getKey(), x -> new double[] {0, 0, 0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
        for (int i = 0; i < 4; i++) t[i] += e.getValue()[i];
        t[4] = Math.min(t[4], e.getValue()[4]);
        t[5] = Math.max(t[5], e.getValue()[5]);
      }
    }
    List<Layer> r = new ArrayList<>();
    for (Node n : quant.nodes()) {
      if (n.opType.equals("QuantizeLinear") || n.opType.equals("DequantizeLinear") || n.outputs().isEmpty() || n.output(0) == null) continue;
      Value v = n.output(0);
      String name = floatName(v);
      double[] a = acc.get(name);
      if (a == null) continue;
      boolean island = v.qparams() == null;
      long bits = island ? 32 : v.qparams().bits() * (v.qparams().unsigned() ? -1 : 1), frac = island ? 0 : v.qparams().frac0();
      double wMax = 0, wStd = 0, wSqnr = Double.NaN;
      Value fw = floatGraph.value(name) == null || floatGraph.value(name).producer() == null ? null : floatGraph.value(name).producer().input(1);
      if (fw != null && fw.isConstant() && fw.data().isFloat() && fw.data().numel() > 1 && (n.opType.equals(Conv.CONV) || n.opType.equals(FullyConnected.FULLY_CONNECTED))) {
        float[] w = fw.data().f;
        double s = 0, s2 = 0;
        for (float x : w) {
          wMax = Math.max(wMax, Math.abs(x));
          s += x;
          s2 += (double) x * x;
        }
        wStd = Math.sqrt(Math.max(0, s2 / w.length - (s / w.length) * (s / w.length)));
        wSqnr = weightSqnr(w, n.input(1));
      }
      double sqnr = a[1] == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(a[0] / a[1]);
      double cos = a[0] == 0 || a[3] == 0 ? 1 : a[2] / Math.sqrt(a[0] * a[3]);
      r.add(new Layer(name, n.opType, bits, frac, a[4], a[5], wMax, wStd, wStd > 0 && wMax / wStd > OUTLIER_RATIO, sqnr, cos, island, wSqnr));
    }
    return r;
  }

  /** SQNR in dB of the integer weights (per-channel fracs) against the float ones; NaN when the layer kept float weights. */
  static double weightSqnr(float[] w, Value wq) {
    if (wq == null || !wq.isConstant() || wq.data().isFloat() || wq.qparams() == null || wq.data().numel() != w.length) return Double.NaN;
    long[] fr = wq.qparams().frac();
    int per = w.length / fr.length;
    double sig = 0, err = 0;
    for (int i = 0; i < w.length; i++) {
      double d = FixedPoint.dequantize(wq.data().l[i], (int) fr[fr.length == 1 ? 0 : i / per]) - w[i];
      sig += (double) w[i] * w[i];
      err += d * d;
    }
    return err == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(sig / err);
  }

  /** The float tensor a quantized value stands for (graph outputs' integer versions are named NAME/q). */
  static String floatName(Value v) {
    return v.name.endsWith("/q") ? v.name.substring(0, v.name.length() - 2) : v.name;
  }

  static String text(List<Layer> layers) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%-44s %-16s %5s %5s %21s %9s %8s%n", "layer", "op", "bits", "frac", "float range", "SQNR dB", "cosine"));
    for (Layer l : layers) {
      String name = l.name().length() > 44 ? "…" + l.name().substring(l.name().length() - 43) : l.name();
      sb.append(String.format("%-44s %-16s %5s %5s %10.3g..%-9.3g %9.2f %8.5f%s%n", name, l.op(), l.floatIsland() ? "f32" : (l.bits() < 0 ? "u" + (-l.bits()) : "i" + l.bits()),
          l.floatIsland() ? "-" : l.frac(), l.actMin(), l.actMax(), l.sqnrDb(), l.cosine(),
          l.outliers() ? String.format("  weight outliers: max %.3g = %.0f std", l.wMaxAbs(), l.wMaxAbs() / l.wStd()) : ""));
    }
    return sb.toString();
  }
}
