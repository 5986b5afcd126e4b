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

  @Option(names = "--constant-input", paramLabel = "NAME=VALUE", description = "Fix an input to a constant so that the control flow and shapes it drives fold: a number or comma-separated numbers (e.g. sr=16000), or a .npy file.")
  List<String> constantInputs = List.of();

  /** The inputs --constant-input fixes (they take no data). */
  java.util.Set<String> constantNames() {
    return constants().keySet();
  }

  /** The --constant-input values by input name (numbers as int64 when all are integers, else float32). */
  Map<String, dev.quench.ir.Tensor> constants() {
    Map<String, dev.quench.ir.Tensor> m = new LinkedHashMap<>();
    for (String s : constantInputs) {
      int eq = s.indexOf('=');
      if (eq <= 0 || eq == s.length() - 1) throw new QuenchException("--constant-input '" + s + "': expected NAME=VALUE (a number, numbers, or a .npy file)", QuenchException.BAD_INPUT, null);
      String name = s.substring(0, eq), value = s.substring(eq + 1);
      if (value.endsWith(".npy")) {
        m.put(name, dev.quench.ir.io.Npy.read(Path.of(value)));
        continue;
      }
      String[] parts = value.split(",");
      double[] v = new double[parts.length];
      boolean ints = true;
      try {
        for (int i = 0; i < parts.length; i++) {
          v[i] = Double.parseDouble(parts[i].trim());
          ints &= v[i] == Math.rint(v[i]) && Math.abs(v[i]) < 9.0e15;
        }
      } catch (NumberFormatException e) {
        throw new QuenchException("--constant-input '" + s + "': '" + value + "' is not a number list or a .npy file", QuenchException.BAD_INPUT, null);
      }
      if (ints) {
        long[] l = new long[v.length];
        for (int i = 0; i < v.length; i++) l[i] = (long) v[i];
        m.put(name, dev.quench.ir.Tensor.ofLong(dev.quench.ir.DType.INT64, new int[] {v.length}, l));
      } else {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        m.put(name, dev.quench.ir.Tensor.ofFloat(new int[] {v.length}, f));
      }
    }
    return m;
  }

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
      if (!constantInputs.isEmpty()) throw new QuenchException("--constant-input does not apply to a .qir file: its control flow is folded already", dev.quench.ir.QuenchException.BAD_INPUT, null);
      return dev.quench.ir.mw.MiddlewareParser.read(model);
    }
    Map<String, int[]> all = new LinkedHashMap<>(extra);
    all.putAll(shapes());
    return new OnnxImporter(all).withConstantInputs(constants()).importFile(model);
  }

  static boolean isMiddleware(Path model) {
    return model.getFileName() != null && model.getFileName().toString().endsWith(".qir");
  }
}
