package dev.quench.cli;

import dev.quench.ir.Graph;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import dev.quench.driver.Quantization;
import dev.quench.ir.target.Target;
import dev.quench.passes.quant.MixedPrecision;
import dev.quench.passes.quant.QdqImport;
import dev.quench.passes.quant.QuantOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/** Options and steps shared by quantize and eval: optimise for quantization, calibrate, quantize. */
final class QuantFlow {
  @Option(names = "--calib", required = true, paramLabel = "[NAME=]X.npy|DIR", description = "Calibration inputs; the first axis iterates samples. A directory: PNG / JPEG images (see --resize, --mean, --std, --layout, --bgr).")
  List<String> calib;

  @picocli.CommandLine.Mixin
  ImageOptions images;

  @Option(names = "--report", paramLabel = "FILE.html", description = "Write the quantization report as one self-contained HTML file (tables and SVG plots).")
  Path report;

  /** Writes --report, if asked for. */
  void report(Path model, Result r, List<QuantReport.Layer> layers, List<Map<String, Tensor>> samples, Map<String, String> extra) {
    if (report == null) return;
    Map<String, String> all = new java.util.LinkedHashMap<>();
    all.put("calibration", method + ", " + granularity + (r.promotions() == null || r.promotions().isEmpty() ? "" : ", mixed precision"));
    all.putAll(extra);
    HtmlReport.write(report, new HtmlReport.Data("Quench quantization report: " + model.getFileName(), model, r.floatGraph(), r.quantGraph(), layers, samples, all));
  }

  @Option(names = "--method", defaultValue = "cosine", description = "How activation scales are chosen: minmax, percentile, mse, kl, cosine (default: ${DEFAULT-VALUE}).")
  String method;

  @Option(names = "--percentile", defaultValue = "99.99", description = "p for --method percentile (default: ${DEFAULT-VALUE}).")
  double percentile;

  @Option(names = "--granularity", defaultValue = "per-channel", description = "Weights: per-channel or per-tensor (default: ${DEFAULT-VALUE}).")
  String granularity;

  @Option(names = "--activations", defaultValue = "int8", description = "Activation type: int8 or int16 (default: ${DEFAULT-VALUE}).")
  String activations;

  @Option(names = "--int16", paramLabel = "TENSOR", split = ",", description = "Tensors (layer outputs) to keep at 16 bits.")
  List<String> int16 = List.of();

  @Option(names = "--signed-only", description = "Keep non-negative 8-bit activations signed (by default they use the unsigned range 0..255).")
  boolean signedOnly;

  @Option(names = "--skip-pass", paramLabel = "PASS", split = ",", description = "Leave these passes out of the pipeline (ablations, e.g. merge-rep-branches).")
  List<String> skipPasses = List.of();

  @Option(names = "--bias-correction", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Subtract from each conv/FC bias the mean error its quantized weights add on the calibration data (default: on; --no-bias-correction to turn off).")
  boolean biasCorrection = true;

  @Option(names = "--mixed", description = "Mixed precision: widen the most sensitive 8-bit layer outputs to 16 bits within --budget.")
  boolean mixed;

  @Option(names = "--budget", defaultValue = "64K", paramLabel = "BYTES", description = "Extra activation bytes --mixed may spend (suffix K or M; default: ${DEFAULT-VALUE}).")
  String budget;

  @Option(names = "--sensitivity", defaultValue = "sqnr", description = "How --mixed ranks layers: sqnr (measured gain at the outputs) or nuclear (nuclear norm of the output; default: ${DEFAULT-VALUE}).")
  String sensitivity;

  QuantOptions options() {
    if (!granularity.equals("per-channel") && !granularity.equals("per-tensor")) {
      throw new QuenchException("--granularity must be per-channel or per-tensor", dev.quench.ir.QuenchException.BAD_INPUT, null);
    }
    if (!activations.equals("int8") && !activations.equals("int16")) throw new QuenchException("--activations must be int8 or int16", dev.quench.ir.QuenchException.BAD_INPUT, null);
    return new QuantOptions(method, percentile, granularity.equals("per-channel"), activations.equals("int16") ? 16 : 8, Set.copyOf(int16), !signedOnly, Set.of(), Map.of(), Map.of());
  }

  /** The optimised float graph and its quantized copy. */
  record Result(Graph floatGraph, Graph quantGraph, double calibSeconds, int calibSamples, List<MixedPrecision.Promotion> promotions,
      Map<String, Double> biasCorrections, List<QdqImport.Activation> qdq) {
    /** Adds the mixed-precision and bias-correction decisions to a JSON report. */
    void describe(Map<String, Object> m) {
      if (promotions != null) {
        m.put("promoted_to_int16", promotions.stream().map(p -> {
          Map<String, Object> e = new java.util.LinkedHashMap<>();
          e.put("tensor", p.layer().tensor());
          e.put("op", p.layer().op());
          e.put("extra_bytes", p.extraBytes());
          e.put("measure", p.measure());
          e.put("why", p.why());
          return e;
        }).toList());
      }
      if (biasCorrections != null) m.put("bias_corrected_layers", biasCorrections.size());
      if (!qdq.isEmpty()) {
        m.put("qdq", qdq.stream().map(a -> {
          Map<String, Object> e = new java.util.LinkedHashMap<>();
          e.put("tensor", a.tensor());
          e.put("scale", Double.isFinite(a.scale()) ? a.scale() : null);
          e.put("zero_point", a.zeroPoint());
          e.put("frac", a.frac());
          e.put("relative_scale_error", QuantReport.round(a.relativeError()));
          e.put("note", a.note());
          return e;
        }).toList());
      }
    }

    /** The same, as text lines. */
    void describe(PrintWriter out) {
      if (promotions != null) {
        out.printf("mixed precision: %d tensors promoted to 16 bits (%,d extra bytes)%n", promotions.size(),
            promotions.stream().mapToLong(MixedPrecision.Promotion::extraBytes).sum());
        for (MixedPrecision.Promotion p : promotions) out.printf("  %s (%s): %s%n", p.layer().tensor(), p.layer().op(), p.why());
      }
      if (biasCorrections != null) out.printf("bias correction: %d layers%n", biasCorrections.size());
      if (!qdq.isEmpty()) {
        out.printf("QDQ import: %d activation scales%n", qdq.size());
        for (QdqImport.Activation a : qdq) {
          out.printf("  %s: scale %.6g -> %s%n", a.tensor(), a.scale(), a.frac() == null ? a.note() : String.format("2^-%d (%+.1f%%)", a.frac(), 100 * a.relativeError()));
        }
      }
    }
  }

  static long bytes(String s) {
    String t = s.trim().toUpperCase(java.util.Locale.ROOT);
    long mul = t.endsWith("K") ? 1024 : t.endsWith("M") ? 1024 * 1024 : 1;
    try {
      long v = Long.parseLong(mul == 1 ? t : t.substring(0, t.length() - 1));
      if (v < 0) throw new NumberFormatException();
      return v * mul;
    } catch (NumberFormatException e) {
      throw new QuenchException("--budget: expected a byte count like 4096, 64K or 1M, got '" + s + "'", dev.quench.ir.QuenchException.BAD_INPUT, null);
    }
  }

  /** The float SDK's graph (compile --precision float): the model with the calibration data's shapes, optimised for the target, not quantized. */
  Graph floatGraph(Path model, ModelOptions mo, Target target) {
    Map<String, Tensor> data = SampleData.read(model, calib, images, mo.constantNames());
    Graph g = mo.load(model, ModelOptions.isMiddleware(model) ? Map.of() : SampleData.shapes(data));
    return dev.quench.driver.SdkCompiler.optimizeFloat(g, target);
  }

  /** Quantization for the build machine (quantize, eval). */
  Result run(Path model, ModelOptions mo, PrintWriter err) {
    return run(model, mo, err, Target.HOST);
  }

  /** Quantization for a target (the library's driver, dev.quench.driver.Quantization): the same pass pipeline as {@code optimize --target}, then calibration and quantization. */
  Result run(Path model, ModelOptions mo, PrintWriter err, Target target) {
    QuantOptions qo = options();
    Map<String, Tensor> data = SampleData.read(model, calib, images, mo.constantNames());
    Graph g = mo.load(model, ModelOptions.isMiddleware(model) ? Map.of() : SampleData.shapes(data));
    List<Map<String, Tensor>> samples = SampleData.samples(data);
    boolean progress = System.console() != null;
    Quantization.Settings settings = new Quantization.Settings(qo, skipPasses, biasCorrection, mixed, sensitivity, mixed ? bytes(budget) : 0);
    Quantization.Result q = Quantization.run(g, samples, settings, target, done -> {
      if (progress && (done % 16 == 0 || done == samples.size())) {
        int width = 30, bar = done * width / samples.size();
        err.print("\rcalibrating [" + "#".repeat(bar) + " ".repeat(width - bar) + "] " + done + "/" + samples.size());
        if (done == samples.size()) err.println();
        err.flush();
      }
    });
    return new Result(q.floatGraph(), q.quantGraph(), q.calibSeconds(), q.calibSamples(), q.promotions(), q.biasCorrections(), q.qdq());
  }
}
