package dev.quench.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.quench.frontend.OnnxImporter;
import dev.quench.ir.QuenchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The names of a model's data inputs (graph inputs that are not initializers), before a full import. */
final class ModelInputs {
  private ModelInputs() {}

  static List<String> names(Path model) {
    byte[] bytes;
    try {
      if (!Files.isRegularFile(model)) throw new QuenchException(model + ": no such file");
      bytes = Files.readAllBytes(model);
    } catch (IOException e) {
      throw new QuenchException(model + ": cannot read: " + e.getMessage());
    }
    ModelProto m = OnnxImporter.parse(bytes, model.toString());
    Set<String> init = new HashSet<>();
    m.getGraph().getInitializerList().forEach(t -> init.add(t.getName()));
    List<String> names = new ArrayList<>();
    m.getGraph().getInputList().forEach(vi -> {
      if (!init.contains(vi.getName())) names.add(vi.getName());
    });
    return names;
  }
}
