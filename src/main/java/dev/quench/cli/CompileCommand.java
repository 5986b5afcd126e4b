package dev.quench.cli;

import dev.quench.backends.codegen.SdkGenerator;
import dev.quench.driver.SdkCompiler;
import dev.quench.ir.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code quench compile MODEL.onnx --target host --calib X.npy --out DIR}: optimise, quantize,
 * write the middleware, and generate the SDK from that file (the golden samples are the first
 * calibration samples).
 */
@Command(name = "compile", mixinStandardHelpOptions = true, description = "Optimize, quantize and generate the C++ SDK of a model.")
final class CompileCommand extends ModelCommand {
  @Option(names = "--target", defaultValue = "host", description = "Target: host, cortex-a, riscv64, cortex-m4, cortex-m7, cortex-m55, npu (default: ${DEFAULT-VALUE}).")
  String target;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "The SDK directory (replaced).")
  Path out;

  @Option(names = "--golden-samples", paramLabel = "N", description = CodegenCommand.GOLDEN_SAMPLES_HELP)
  Integer goldenSamples;

  @Option(names = "--name", paramLabel = "NAME", description = "The SDK's model name (C++ namespace, file names); default: the model file's stem.")
  String name;

  @Option(names = "--golden", paramLabel = "[NAME=]X.npy", description = "Golden inputs (first axis: samples); default: the calibration data.")
  List<String> golden;

  @Option(names = "--precision", defaultValue = "int", paramLabel = "int|float",
      description = "int: power-of-two quantization (default); float: the whole graph in float32, bit-exact with the float interpreter (--calib then only gives shapes and golden inputs).")
  String precision;

  @Mixin
  QuantFlow flow;

  @Override
  public Integer call() {
    int wanted = CodegenCommand.goldenCount(goldenSamples);
    boolean fp = switch (precision) {
      case "int" -> false;
      case "float" -> true;
      default -> throw new dev.quench.ir.QuenchException("--precision must be int or float, got '" + precision + "'", dev.quench.ir.QuenchException.BAD_INPUT, null);
    };
    if (fp && flow.report != null) throw new dev.quench.ir.QuenchException("--report: a float SDK has no quantization to report", dev.quench.ir.QuenchException.BAD_INPUT, null);
    dev.quench.ir.target.Target platform = dev.quench.ir.target.Target.named(target);
    QuantFlow.Result r = fp ? null : flow.run(model, options, flags.progress(spec), platform);
    dev.quench.ir.Graph graph = fp ? flow.floatGraph(model, options, platform) : r.quantGraph();
    String stem = name != null ? name : model.getFileName().toString().replaceAll("\\.(onnx|qir)$", "");
    List<Map<String, Tensor>> samples = SampleData.samples(SampleData.read(model, golden == null ? flow.calib : golden, flow.images, options.constantNames()));
    List<Map<String, Tensor>> offered = samples.subList(0, Math.min(wanted, samples.size()));
    SdkGenerator.Summary s = SdkCompiler.compile(graph, stem, target, out, offered, goldenSamples == null);
    CodegenCommand.noteGolden(flags.progress(spec), s, offered.size(), target);
    if (flow.report != null) {
      List<Map<String, Tensor>> calib = SampleData.samples(SampleData.read(model, flow.calib, flow.images, options.constantNames()));
      flow.report(model, r, QuantReport.layers(r.floatGraph(), r.quantGraph(), calib), calib, Map.of("target", target, "SDK", out.toString()));
    }
    CodegenCommand.print(spec.commandLine().getOut(), flags.json, s, out);
    return 0;
  }
}
