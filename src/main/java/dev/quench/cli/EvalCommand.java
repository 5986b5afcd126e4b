package dev.quench.cli;

import dev.quench.ir.io.Json;
import dev.quench.ir.Interpreter;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import dev.quench.ir.io.Npy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code quench eval MODEL --calib C.npy --data X.npy [--labels Y.npy]}: quantizes, then runs the
 * float and the integer network on the same data and compares: top-1 against labels, top-1
 * agreement with float, SQNR per output, and the per-layer report.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Quantize and compare the integer network with the float one on data.")
final class EvalCommand extends ModelCommand {
  @Option(names = "--data", required = true, paramLabel = "[NAME=]X.npy", description = "Evaluation inputs; the first axis iterates samples.")
  List<String> dataSpecs;

  @Option(names = "--labels", paramLabel = "Y.npy", description = "Integer class labels for top-1 of the first output.")
  Path labels;

  @Mixin
  QuantFlow flow;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Tensor> data = SampleData.read(model, dataSpecs, flow.images, options.constantNames());
    Tensor lab = labels == null ? null : Npy.read(labels);
    int n = SampleData.count(data);
    QuenchException.check(lab == null || (!lab.isFloat() && lab.numel() == n), "%s: expected %d integer labels", labels, n);
    QuantFlow.Result r = flow.run(model, options, flags.progress(spec));
    Interpreter fi = new Interpreter(r.floatGraph()), qi = new Interpreter(r.quantGraph());
    List<Value> outs = r.floatGraph().outputs();
    Tensor[][] fo = new Tensor[n][], qo = new Tensor[n][];
    IntStream.range(0, n).parallel().forEach(i -> {
      Map<String, Tensor> in = SampleData.sample(data, i);
      fo[i] = fi.run(in).values().toArray(Tensor[]::new);
      qo[i] = qi.run(in).values().toArray(Tensor[]::new);
    });
    int agree = 0, fCorrect = 0, qCorrect = 0;
    for (int i = 0; i < n; i++) {
      int fa = Samples.argmax(fo[i][0]), qa = Samples.argmax(qo[i][0]);
      if (fa == qa) agree++;
      if (lab != null && fa == lab.l[i]) fCorrect++;
      if (lab != null && qa == lab.l[i]) qCorrect++;
    }
    Map<String, Object> sqnr = new LinkedHashMap<>();
    for (int k = 0; k < outs.size(); k++) {
      double s = 0, e = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < fo[i][k].numel(); j++) {
          double f = fo[i][k].getDouble(j), q = qo[i][k].getDouble(j);
          s += f * f;
          e += (f - q) * (f - q);
        }
      }
      sqnr.put(outs.get(k).name, e == 0 ? null : QuantReport.round(10 * Math.log10(s / e)));
    }
    List<QuantReport.Layer> layers = QuantReport.layers(r.floatGraph(), r.quantGraph(), SampleData.samples(data).subList(0, Math.min(n, 32)));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", model.toString());
    m.put("samples", n);
    m.put("method", flow.method);
    m.put("granularity", flow.granularity);
    m.put("calibration_samples", r.calibSamples());
    m.put("calibration_seconds", QuantReport.round(r.calibSeconds()));
    if (lab != null) {
      m.put("float_top1", (double) fCorrect / n);
      m.put("quant_top1", (double) qCorrect / n);
    }
    m.put("top1_agreement", (double) agree / n);
    m.put("sqnr_db", sqnr);
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put("evaluation samples", Integer.toString(n));
    if (lab != null) extra.put("top-1 float / int", String.format(java.util.Locale.ROOT, "%.2f %% / %.2f %%", 100.0 * fCorrect / n, 100.0 * qCorrect / n));
    extra.put("top-1 agreement", String.format(java.util.Locale.ROOT, "%.2f %%", 100.0 * agree / n));
    extra.put("output SQNR (dB)", Json.write(sqnr));
    flow.report(model, r, layers, SampleData.samples(data).subList(0, Math.min(n, 32)), extra);
    if (flags.json) {
      r.describe(m);
      m.put("layers", layers.stream().map(QuantReport.Layer::json).toList());
      out.println(Json.write(m));
    } else {
      out.print(QuantReport.text(layers));
      r.describe(out);
      for (var e : m.entrySet()) out.println(e.getKey() + ": " + (e.getValue() instanceof Map<?, ?> mm ? Json.write(mm) : e.getValue()));
    }
    return 0;
  }
}
