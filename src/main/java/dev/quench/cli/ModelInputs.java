package dev.quench.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.quench.frontend.OnnxImporter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The names of a model's data inputs (graph inputs that are not initializers), before a full import. */
final class ModelInputs {
  private ModelInputs() {}

  /** The declared shape of a data input (-1 for symbolic dims), or null when the model does not say. */
  static int[] shape(Path model, String name) {
    if (ModelOptions.isMiddleware(model)) {
      for (var v : dev.quench.ir.mw.MiddlewareParser.read(model).dataInputs()) if (v.name.equals(name)) return v.type().shape();
      return null;
    }
    for (var vi : OnnxImporter.readModel(model).getGraph().getInputList()) {
      if (!vi.getName().equals(name) || !vi.getType().hasTensorType() || !vi.getType().getTensorType().hasShape()) continue;
      var dims = vi.getType().getTensorType().getShape().getDimList();
      int[] r = new int[dims.size()];
      for (int i = 0; i < r.length; i++) r[i] = dims.get(i).hasDimValue() ? (int) dims.get(i).getDimValue() : -1;
      return r;
    }
    return null;
  }

  static List<String> names(Path model) {
    if (ModelOptions.isMiddleware(model)) {
      return dev.quench.ir.mw.MiddlewareParser.read(model).dataInputs().stream().map(v -> v.name).toList();
    }
    ModelProto m = OnnxImporter.readModel(model);
    Set<String> init = new HashSet<>();
    m.getGraph().getInitializerList().forEach(t -> init.add(t.getName()));
    List<String> names = new ArrayList<>();
    m.getGraph().getInputList().forEach(vi -> {
      if (!init.contains(vi.getName())) names.add(vi.getName());
    });
    return names;
  }
}
