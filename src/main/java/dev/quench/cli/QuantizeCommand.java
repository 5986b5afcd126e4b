package dev.quench.cli;

import dev.quench.ir.io.Json;
import dev.quench.backends.ArenaPlanner;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import dev.quench.ir.mw.MiddlewarePrinter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code quench quantize MODEL --calib X.npy -o OUT.qir}: optimise, calibrate, quantize with power-of-two scales, write middleware. */
@Command(name = "quantize", mixinStandardHelpOptions = true, description = "Quantize a model with power-of-two scales (post-training) and write middleware.")
final class QuantizeCommand extends ModelCommand {
  @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.qir")
  Path output;

  @Option(names = "--report-json", paramLabel = "FILE", description = "Write the per-layer report as JSON.")
  Path reportJson;

  @Mixin
  QuantFlow flow;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    QuenchException.check(output.getFileName() != null && output.getFileName().toString().endsWith(".qir"), "-o: the output must end in .qir");
    QuantFlow.Result r = flow.run(model, options, flags.progress(spec));
    ArenaPlanner.Plan plan = ArenaPlanner.plan(r.quantGraph());
    OptimizeCommand.write(output, MiddlewarePrinter.print(r.quantGraph(), output.getFileName() + ".bin"));
    List<Map<String, Tensor>> samples = SampleData.samples(SampleData.read(model, flow.calib, flow.images, options.constantNames()));
    List<QuantReport.Layer> layers = QuantReport.layers(r.floatGraph(), r.quantGraph(), samples);
    flow.report(model, r, layers, samples, Map.of("output", output.toString()));
    if (reportJson != null) {
      try {
        Files.writeString(reportJson, Json.write(Map.of("layers", layers.stream().map(QuantReport.Layer::json).toList())) + "\n", StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new QuenchException("cannot write " + reportJson + ": " + e.getMessage(), e);
      }
    }
    if (flags.json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("model", model.toString());
      m.put("output", output.toString());
      m.put("calibration_samples", r.calibSamples());
      m.put("calibration_seconds", QuantReport.round(r.calibSeconds()));
      m.put("arena_bytes", plan.arenaBytes());
      r.describe(m);
      m.put("layers", layers.stream().map(QuantReport.Layer::json).toList());
      out.println(Json.write(m));
    } else {
      out.print(QuantReport.text(layers));
      r.describe(out);
      out.printf("calibrated on %d samples in %.1f s; arena %,d bytes; wrote %s%n", r.calibSamples(), r.calibSeconds(), plan.arenaBytes(), output);
    }
    return 0;
  }
}
