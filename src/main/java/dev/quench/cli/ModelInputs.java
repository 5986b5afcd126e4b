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
