package dev.quench.cli;

import dev.quench.backends.ArenaPlanner;
import dev.quench.ir.FixedPoint;
import dev.quench.ir.Graph;
import dev.quench.ir.Interpreter;
import dev.quench.ir.ModelStats;
import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The quantization report as one self-contained HTML file (no scripts, no external files; plots
 * are inline SVG): model summary, per-layer table, per-layer weight SQNR, the activation error
 * accumulated through the network, weight and activation histograms of the flagged layers, the
 * arena over time (which tensor lives where, when), and MACs and bytes per layer.
 */
final class HtmlReport {
  private HtmlReport() {}

  /** Layers below this accumulated SQNR, or with weight outliers, are flagged (and the three worst always). */
  static final double FLAG_SQNR_DB = 20;
  /** Histograms for at most this many flagged layers (the worst first). */
  static final int MAX_HISTOGRAMS = 6;
  private static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};

  /** What the report shows; extra: headline figures (accuracy, SQNR of the outputs...) by label. */
  record Data(String title, Path model, Graph floatGraph, Graph quantGraph, List<QuantReport.Layer> layers, List<Map<String, Tensor>> samples,
      Map<String, String> extra) {}

  static void write(Path file, Data d) {
    AtomicFiles.write(file, render(d).getBytes(StandardCharsets.UTF_8));
  }

  static String render(Data d) {
    Graph q = d.quantGraph();
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(d.title())).append("</title>\n<style>")
        .append("body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}")
        .append("table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ddd;padding:2px 6px;text-align:right}td:first-child,th:first-child{text-align:left}")
        .append("tr.flag td{background:#fde8e8}.kv td{text-align:left}svg{background:#fff;border:1px solid #eee;margin:6px 0}.note{color:#666;font-size:12px}")
        .append("</style></head><body>\n<h1>").append(esc(d.title())).append("</h1>\n");
    summary(h, d);
    List<QuantReport.Layer> layers = d.layers();
    java.util.Set<String> flagged = flagged(layers);
    h.append("<h2>Layers</h2>\n<p class=\"note\">SQNR and cosine compare each layer's quantized output with the float network's, both run from the input, so they include the error accumulated up to the layer. Flagged rows (red): SQNR below ")
        .append(FLAG_SQNR_DB).append(" dB, weight outliers, or among the three worst.</p>\n");
    table(h, q, layers, flagged);
    h.append("<h2>Weight SQNR per layer</h2>\n<p class=\"note\">Each layer's integer weights against its float weights alone (no accumulation).</p>\n");
    List<String> names = new ArrayList<>();
    List<Double> wsq = new ArrayList<>();
    for (QuantReport.Layer l : layers) {
      if (Double.isFinite(l.weightSqnrDb())) {
        names.add(l.name());
        wsq.add(l.weightSqnrDb());
      }
    }
    h.append(bars("weight-sqnr", names, wsq, "dB", PALETTE[0]));
    h.append("<h2>Error accumulated through the network</h2>\n<p class=\"note\">SQNR (dB) of every layer output against float, in execution order.</p>\n");
    List<String> all = new ArrayList<>();
    List<Double> acc = new ArrayList<>();
    for (QuantReport.Layer l : layers) {
      all.add(l.name());
      acc.add(Double.isFinite(l.sqnrDb()) ? l.sqnrDb() : 99.0);
    }
    h.append(line("accumulated-sqnr", all, acc, "dB"));
    h.append("<h2>Histograms of flagged layers</h2>\n");
    histograms(h, d, flagged);
    h.append("<h2>Arena over time</h2>\n<p class=\"note\">Each rectangle is a tensor in the working memory: from the step that writes it to the last step that reads it (x), at its byte offset (y).</p>\n");
    h.append(arena(q));
    h.append("<h2>MACs and bytes per layer</h2>\n");
    List<String> ln = new ArrayList<>();
    List<Double> macs = new ArrayList<>(), bytes = new ArrayList<>();
    for (Node n : q.nodes()) {
      if (n.outputs().isEmpty() || n.output(0) == null) continue;
      ln.add(n.name);
      macs.add((double) ModelStats.macs(n));
      long b = n.output(0).type().numel() * n.output(0).type().dtype().bytes;
      for (Value v : n.inputs()) if (v != null && v.isConstant()) b += v.type().numel() * v.type().dtype().bytes;
      bytes.add((double) b);
    }
    h.append(bars("macs", ln, macs, "MACs", PALETTE[1]));
    h.append(bars("bytes", ln, bytes, "bytes (output + constants)", PALETTE[4]));
    h.append("<p class=\"note\">Generated by Quench ").append(dev.quench.backends.codegen.SdkGenerator.VERSION).append(".</p>\n</body></html>\n");
    return h.toString();
  }

  private static void summary(StringBuilder h, Data d) {
    Graph q = d.quantGraph();
    Map<String, Integer> ops = new TreeMap<>();
    for (Node n : q.nodes()) ops.merge(n.opType, 1, Integer::sum);
    ModelStats s = ModelStats.of(d.floatGraph());
    ArenaPlanner.Plan plan = ArenaPlanner.plan(q);
    long weights = 0;
    for (Value v : q.values().values()) if (v.isConstant() && v.type() != null) weights += v.type().numel() * v.type().dtype().bytes;
    Map<String, String> kv = new LinkedHashMap<>();
    kv.put("model", d.model().toString());
    for (Value v : q.dataInputs()) kv.put("input " + v.name, v.type().toString());
    for (Value v : q.outputs()) kv.put("output " + v.name, v.type().toString());
    kv.put("MACs", String.format(Locale.ROOT, "%,d", s.macs()));
    kv.put("parameters", String.format(Locale.ROOT, "%,d", s.parameters()));
    kv.put("constants (quantized)", String.format(Locale.ROOT, "%,d bytes", weights));
    kv.put("arena", String.format(Locale.ROOT, "%,d bytes (lower bound %,d)", plan.arenaBytes(), plan.lowerBoundBytes()));
    kv.put("samples behind the layer figures", Integer.toString(d.samples().size()));
    StringBuilder o = new StringBuilder();
    ops.forEach((k, v) -> o.append(o.length() == 0 ? "" : ", ").append(k).append(" ×").append(v));
    kv.put("ops", o.toString());
    kv.putAll(d.extra());
    h.append("<h2>Model</h2>\n<table class=\"kv\" id=\"summary\">");
    kv.forEach((k, v) -> h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>"));
    h.append("</table>\n");
  }

  private static java.util.Set<String> flagged(List<QuantReport.Layer> layers) {
    java.util.Set<String> f = new java.util.LinkedHashSet<>();
    List<QuantReport.Layer> sorted = new ArrayList<>(layers);
    sorted.removeIf(l -> l.floatIsland() || !Double.isFinite(l.sqnrDb()));
    sorted.sort(java.util.Comparator.comparingDouble(QuantReport.Layer::sqnrDb));
    for (int i = 0; i < Math.min(3, sorted.size()); i++) f.add(sorted.get(i).name());
    for (QuantReport.Layer l : layers) if (!l.floatIsland() && (l.sqnrDb() < FLAG_SQNR_DB || l.outliers())) f.add(l.name());
    return f;
  }

  private static void table(StringBuilder h, Graph q, List<QuantReport.Layer> layers, java.util.Set<String> flagged) {
    h.append("<table id=\"layers\"><tr><th>layer</th><th>op</th><th>bits</th><th>frac</th><th>float range</th><th>weight max|w|</th><th>weight SQNR dB</th><th>SQNR dB</th><th>cosine</th></tr>\n");
    for (QuantReport.Layer l : layers) {
      h.append(flagged.contains(l.name()) ? "<tr class=\"flag\">" : "<tr>").append("<td>").append(esc(l.name())).append("</td><td>").append(esc(l.op())).append("</td><td>")
          .append(l.floatIsland() ? "float" : (l.bits() < 0 ? "u" : "i") + Math.abs(l.bits())).append("</td><td>").append(l.floatIsland() ? "" : l.frac()).append("</td><td>")
          .append(fmt(l.actMin())).append(" … ").append(fmt(l.actMax())).append("</td><td>").append(l.wStd() > 0 ? fmt(l.wMaxAbs()) + (l.outliers() ? " (outliers)" : "") : "")
          .append("</td><td>").append(Double.isFinite(l.weightSqnrDb()) ? fmt(l.weightSqnrDb()) : "").append("</td><td>").append(fmt(l.sqnrDb())).append("</td><td>")
          .append(String.format(Locale.ROOT, "%.4f", l.cosine())).append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  /** Weight and activation histograms of the flagged layers, with the quantization grid's range. */
  private static void histograms(StringBuilder h, Data d, java.util.Set<String> flagged) {
    if (flagged.isEmpty()) {
      h.append("<p>No layer flagged.</p>\n");
      return;
    }
    Map<String, List<Float>> acts = new HashMap<>();
    Interpreter fi = Interpreter.everyBranch(d.floatGraph());
    for (int s = 0; s < Math.min(4, d.samples().size()); s++) {
      fi.run(d.samples().get(s), (n, outs) -> {
        for (int j = 0; j < outs.length && j < n.outputs().size(); j++) {
          Value v = n.output(j);
          if (v == null || outs[j] == null || !flagged.contains(v.name) || !outs[j].isFloat()) continue;
          List<Float> l = acts.computeIfAbsent(v.name, k -> new ArrayList<>());
          for (int e = 0; e < outs[j].numel() && l.size() < 200_000; e++) l.add(outs[j].f[e]);
        }
      });
    }
    List<QuantReport.Layer> worst = new ArrayList<>(d.layers());
    worst.removeIf(l -> !flagged.contains(l.name()));
    worst.sort(java.util.Comparator.comparingDouble(QuantReport.Layer::sqnrDb));
    if (worst.size() > MAX_HISTOGRAMS) {
      h.append("<p class=\"note\">The ").append(MAX_HISTOGRAMS).append(" worst of ").append(worst.size()).append(" flagged layers.</p>\n");
      worst = worst.subList(0, MAX_HISTOGRAMS);
    }
    for (QuantReport.Layer l : worst) {
      h.append("<h3>").append(esc(l.name())).append(" (").append(esc(l.op())).append(", SQNR ").append(fmt(l.sqnrDb())).append(" dB)</h3>\n");
      Value fv = d.floatGraph().value(l.name());
      Node p = fv == null ? null : fv.producer();
      if (p != null && p.inputs().size() > 1 && p.input(1) != null && p.input(1).isConstant() && p.input(1).data().isFloat()) {
        float[] w = p.input(1).data().f;
        h.append(histogram("weights", w, Double.NaN, Double.NaN));
      }
      List<Float> a = acts.get(l.name());
      if (a != null && !a.isEmpty()) {
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i);
        double lo = Double.NaN, hi = Double.NaN;
        if (!l.floatIsland()) {
          long bits = Math.abs(l.bits());
          boolean uns = l.bits() < 0;
          lo = FixedPoint.dequantize(FixedPoint.lo((int) bits, uns), (int) l.frac());
          hi = FixedPoint.dequantize(FixedPoint.hi((int) bits, uns), (int) l.frac());
        }
        h.append(histogram("activations", v, lo, hi));
      }
    }
  }

  private static String histogram(String what, float[] v, double gridLo, double gridHi) {
    int bins = 48;
    double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
    for (float x : v) {
      if (!Float.isFinite(x)) continue;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    if (Double.isFinite(gridLo)) {
      min = Math.min(min, gridLo);
      max = Math.max(max, gridHi);
    }
    if (!(max > min)) max = min + 1;
    long[] c = new long[bins];
    for (float x : v) if (Float.isFinite(x)) c[(int) Math.min(bins - 1, Math.floor((x - min) / (max - min) * bins))]++;
    long top = 1;
    for (long x : c) top = Math.max(top, x);
    int w = 560, ht = 150, pad = 30;
    StringBuilder s = new StringBuilder("<svg class=\"plot histogram\" width=\"" + w + "\" height=\"" + ht + "\" viewBox=\"0 0 " + w + " " + ht
        + "\" role=\"img\"><title>" + esc(what) + " histogram</title>");
    double bw = (w - 2.0 * pad) / bins;
    for (int i = 0; i < bins; i++) {
      // log scale of counts, so that tails show
      double y = c[i] == 0 ? 0 : Math.log1p(c[i]) / Math.log1p(top) * (ht - 2 * pad);
      s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>", pad + i * bw, ht - pad - y, Math.max(1, bw - 1), y,
          what.equals("weights") ? PALETTE[0] : PALETTE[1]));
    }
    if (Double.isFinite(gridLo)) {
      for (double g : new double[] {gridLo, gridHi}) {
        double x = pad + (g - min) / (max - min) * (w - 2 * pad);
        s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e15759\" stroke-dasharray=\"4 3\"/>", x, pad / 2, x, ht - pad));
      }
    }
    s.append(axisText(pad, ht - 8, fmt(min))).append(axisText(w - pad - 40, ht - 8, fmt(max)))
        .append(axisText(pad, 14, what + (Double.isFinite(gridLo) ? " (dashed: the integer grid's range)" : "") + ", log counts"));
    return s.append("</svg>\n").toString();
  }

  /** The arena: one rectangle per planned tensor, steps on x, byte offsets on y. */
  private static String arena(Graph g) {
    List<Node> nodes = g.nodes();
    Map<Value, int[]> life = new IdentityHashMap<>();  // first, last step
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      for (Value v : n.outputs()) {
        if (v == null || v.arenaOffset() < 0) continue;
        int[] r = life.computeIfAbsent(v, k -> new int[] {-1, -1});
        if (r[0] < 0) r[0] = i;
        r[1] = Math.max(r[1], i);
      }
      for (Value v : n.inputs()) {
        if (v == null || v.arenaOffset() < 0) continue;
        int[] r = life.computeIfAbsent(v, k -> new int[] {-1, -1});
        if (r[0] < 0) r[0] = i;
        r[1] = Math.max(r[1], i);
      }
    }
    long top = 1;
    for (Value v : life.keySet()) top = Math.max(top, v.arenaOffset() + v.type().numel() * v.type().dtype().bytes);
    int w = 1000, ht = 320, pad = 40, steps = Math.max(1, nodes.size());
    StringBuilder s = new StringBuilder("<svg class=\"plot arena\" width=\"" + w + "\" height=\"" + ht + "\" viewBox=\"0 0 " + w + " " + ht
        + "\" role=\"img\"><title>arena over time</title>");
    int k = 0;
    for (var e : life.entrySet()) {
      Value v = e.getKey();
      int[] r = e.getValue();
      if (r[1] < r[0]) r[1] = r[0];
      long size = v.type().numel() * v.type().dtype().bytes;
      double x = pad + (double) r[0] / steps * (w - 2 * pad), x2 = pad + (double) (r[1] + 1) / steps * (w - 2 * pad);
      double y = ht - pad - (double) (v.arenaOffset() + size) / top * (ht - 2 * pad), hh = (double) size / top * (ht - 2 * pad);
      s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" fill-opacity=\"0.75\" stroke=\"#fff\"><title>%s: %,d bytes at %,d, steps %d–%d</title></rect>",
          x, y, Math.max(1, x2 - x), Math.max(1, hh), PALETTE[k++ % PALETTE.length], esc(v.name), size, v.arenaOffset(), r[0], r[1]));
    }
    s.append(axisText(pad, ht - 10, "step 0")).append(axisText(w - pad - 60, ht - 10, "step " + (steps - 1))).append(axisText(4, 14, String.format(Locale.ROOT, "%,d bytes", top)));
    return s.append("</svg>\n").toString();
  }

  private static String bars(String id, List<String> names, List<Double> values, String unit, String colour) {
    int n = Math.max(1, names.size()), w = 1000, ht = 220, pad = 40;
    double max = 0;
    for (double v : values) if (Double.isFinite(v)) max = Math.max(max, v);
    if (max <= 0) max = 1;
    StringBuilder s = new StringBuilder("<svg class=\"plot bars\" id=\"" + id + "\" width=\"" + w + "\" height=\"" + ht + "\" viewBox=\"0 0 " + w + " " + ht
        + "\" role=\"img\"><title>" + esc(unit) + " per layer</title>");
    double bw = (w - 2.0 * pad) / n;
    for (int i = 0; i < names.size(); i++) {
      double v = Double.isFinite(values.get(i)) ? Math.max(0, values.get(i)) : 0, y = v / max * (ht - 2 * pad);
      s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: %s %s</title></rect>", pad + i * bw, ht - pad - y,
          Math.max(1, bw - 1), y, colour, esc(names.get(i)), fmt(values.get(i)), esc(unit)));
    }
    s.append(axisText(4, 14, fmt(max) + " " + unit)).append(axisText(pad, ht - 10, "layers in execution order (hover for names)"));
    return s.append("</svg>\n").toString();
  }

  private static String line(String id, List<String> names, List<Double> values, String unit) {
    int n = Math.max(2, names.size()), w = 1000, ht = 220, pad = 40;
    double max = 1, min = 0;
    for (double v : values) {
      max = Math.max(max, v);
      min = Math.min(min, v);
    }
    StringBuilder pts = new StringBuilder(), dots = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      double x = pad + (double) i / (n - 1) * (w - 2 * pad), y = ht - pad - (values.get(i) - min) / (max - min) * (ht - 2 * pad);
      pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s: %s %s</title></circle>", x, y, PALETTE[2], esc(names.get(i)),
          fmt(values.get(i)), esc(unit)));
    }
    double yFlag = ht - pad - (FLAG_SQNR_DB - min) / (max - min) * (ht - 2 * pad);
    return "<svg class=\"plot line\" id=\"" + id + "\" width=\"" + w + "\" height=\"" + ht + "\" viewBox=\"0 0 " + w + " " + ht
        + "\" role=\"img\"><title>accumulated SQNR</title>"
        + String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>", pad, yFlag, w - pad, yFlag)
        + "<polyline fill=\"none\" stroke=\"" + PALETTE[2] + "\" stroke-width=\"2\" points=\"" + pts + "\"/>" + dots + axisText(4, 14, fmt(max) + " " + unit)
        + axisText(4, ht - pad, fmt(min)) + axisText(pad, ht - 10, "layers in execution order; dashed: " + FLAG_SQNR_DB + " dB") + "</svg>\n";
  }

  private static String axisText(int x, int y, String t) {
    return "<text x=\"" + x + "\" y=\"" + y + "\" font-size=\"11\" fill=\"#555\">" + esc(t) + "</text>";
  }

  static String fmt(double v) {
    if (!Double.isFinite(v)) return v > 0 ? "∞" : v < 0 ? "−∞" : "–";
    double a = Math.abs(v);
    return a != 0 && (a < 1e-3 || a >= 1e6) ? String.format(Locale.ROOT, "%.3g", v) : String.format(Locale.ROOT, a >= 100 ? "%,.0f" : "%.3f", v);
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
      }
    }
    return b.toString();
  }
}
