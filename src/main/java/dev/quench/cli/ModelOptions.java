package dev.quench.cli;

import dev.quench.frontend.OnnxImporter;
import dev.quench.ir.Graph;
import dev.quench.ir.QuenchException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options shared by the commands that load a model. */
final class ModelOptions {
  @Option(names = "--input-shape", paramLabel = "NAME=DxDx...", description = "Fix an input's shape (symbolic dims; batch defaults to 1).")
  List<String> inputShapes = List.of();

  Map<String, int[]> shapes() {
    Map<String, int[]> m = new LinkedHashMap<>();
    for (String s : inputShapes) {
      int eq = s.lastIndexOf('=');
      if (eq <= 0) throw new QuenchException("--input-shape '" + s + "': expected NAME=1x3x224x224", dev.quench.ir.QuenchException.BAD_INPUT, null);
      String[] dims = s.substring(eq + 1).split("[x,]");
      int[] shape = new int[dims.length];
      try {
        for (int i = 0; i < dims.length; i++) {
          shape[i] = Integer.parseInt(dims[i].trim());
          if (shape[i] <= 0) throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw new QuenchException("--input-shape '" + s + "': dims must be positive integers", dev.quench.ir.QuenchException.BAD_INPUT, null);
      }
      m.put(s.substring(0, eq), shape);
    }
    return m;
  }

  /** An .onnx model (imported with the given shapes) or a .qir middleware file (shapes fixed already). */
  Graph load(Path model, Map<String, int[]> extra) {
    if (isMiddleware(model)) {
      if (!inputShapes.isEmpty()) throw new QuenchException("--input-shape does not apply to a .qir file: its shapes are fixed", dev.quench.ir.QuenchException.BAD_INPUT, null);
      return dev.quench.ir.mw.MiddlewareParser.read(model);
    }
    Map<String, int[]> all = new LinkedHashMap<>(extra);
    all.putAll(shapes());
    return new OnnxImporter(all).importFile(model);
  }

  static boolean isMiddleware(Path model) {
    return model.getFileName() != null && model.getFileName().toString().endsWith(".qir");
  }
}
