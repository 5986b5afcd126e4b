package dev.quench.cli;

import dev.quench.frontend.QdqExporter;
import dev.quench.ir.Graph;
import dev.quench.ir.QuenchException;
import dev.quench.ir.io.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quench export-qdq OUT.qir -o model_qdq.onnx}: the quantized model as standard ONNX QuantizeLinear / DequantizeLinear. */
@Command(name = "export-qdq", mixinStandardHelpOptions = true,
    description = "Write a quantized .qir as standard ONNX with QuantizeLinear/DequantizeLinear (opens in Netron, runs in ONNX Runtime).")
final class ExportQdqCommand extends ModelCommand {
  @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.onnx", description = "The ONNX file to write.")
  Path output;

  @Override
  public Integer call() {
    QuenchException.check(ModelOptions.isMiddleware(model), "export-qdq reads a quantized .qir (from quench quantize), not %s", model);
    Graph g = options.load(model, Map.of());
    byte[] bytes = QdqExporter.export(g).toByteArray();
    AtomicFiles.write(output, bytes);
    if (flags.json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("output", output.toString());
      m.put("bytes", bytes.length);
      m.put("opset", 21);
      Map<String, Integer> ops = new TreeMap<>();
      try {
        for (var n : ai.onnx.proto.OnnxMl.ModelProto.parseFrom(bytes).getGraph().getNodeList()) ops.merge(n.getOpType(), 1, Integer::sum);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      m.put("ops", ops);
      spec.commandLine().getOut().println(Json.write(m));
    } else {
      spec.commandLine().getOut().printf("wrote %s (%,d bytes, ONNX opset 21 with QuantizeLinear/DequantizeLinear)%n", output, bytes.length);
    }
    return 0;
  }
}
