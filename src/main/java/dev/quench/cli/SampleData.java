package dev.quench.cli;

import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import dev.quench.ir.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Input data given as [NAME=]FILE.npy, its first axis iterating samples; shared by run, quantize and eval. */
final class SampleData {
  private SampleData() {}

  /** Tensors by model input name (unnamed files are matched to the inputs in order). */
  static Map<String, Tensor> read(Path model, List<String> specs) {
    return read(model, specs, new ImageOptions());
  }

  /**
   * As {@link #read(Path, List)}; a directory instead of a .npy file is a folder of PNG / JPEG
   * images, made into a tensor as the image options say (ImageFolder).
   */
  static Map<String, Tensor> read(Path model, List<String> specs, ImageOptions images) {
    return read(model, specs, images, java.util.Set.of());
  }

  /** As above, for a model whose inputs {@code fixed} are constants (--constant-input): they take no data. */
  static Map<String, Tensor> read(Path model, List<String> specs, ImageOptions images, java.util.Set<String> fixed) {
    Map<String, Tensor> named = new LinkedHashMap<>();
    List<Tensor> positional = new ArrayList<>();
    for (String spec : specs) {
      int eq = spec.indexOf('=');
      boolean hasName = eq > 0 && !Files.exists(Path.of(spec));
      Path file = Path.of(hasName ? spec.substring(eq + 1) : spec);
      Tensor t;
      if (ImageFolder.isImageDir(file)) {
        List<String> names = ModelInputs.names(model);
        String input = hasName ? spec.substring(0, eq) : names.isEmpty() ? "" : names.get(positional.size() < names.size() ? positional.size() : 0);
        t = ImageFolder.read(file, images, ModelInputs.shape(model, input));
      } else {
        t = Npy.read(file);
      }
      QuenchException.check(t.rank() >= 1, "input '%s' is a scalar; the first axis must iterate samples", spec);
      if (hasName) named.put(spec.substring(0, eq), t);
      else positional.add(t);
    }
    List<String> names = new ArrayList<>(ModelInputs.names(model));
    names.removeAll(fixed);
    Map<String, Tensor> data = new LinkedHashMap<>(named);
    int p = 0;
    for (String name : names) if (!data.containsKey(name) && p < positional.size()) data.put(name, positional.get(p++));
    QuenchException.check(p == positional.size(), "%d inputs given, the model has %d: %s", specs.size(), names.size(), names);
    for (String n : data.keySet()) QuenchException.check(names.contains(n), "the model has no input '%s' (inputs: %s)", n, names);
    for (String n : names) QuenchException.check(data.containsKey(n), "no data for input '%s'", n);
    int samples = -1;
    for (Tensor t : data.values()) {
      if (samples < 0) samples = t.dim(0);
      QuenchException.check(t.dim(0) == samples, "inputs have different sample counts (%d and %d)", samples, t.dim(0));
    }
    // a sample is npy[i] with the input's rank, or npy[i] without the input's leading batch axis of 1
    for (var e : data.entrySet()) {
      Tensor t = e.getValue();
      int[] declared = ModelInputs.shape(model, e.getKey()), rest = java.util.Arrays.copyOfRange(t.shape(), 1, t.rank());
      if (declared != null && rest.length == declared.length) continue;
      QuenchException.check(declared == null || rest.length + 1 == declared.length, "input '%s': samples of shape %s do not fit the model's rank-%d input",
          e.getKey(), java.util.Arrays.toString(rest), declared == null ? 0 : declared.length);
      int[] batched = new int[t.rank() + 1];
      batched[0] = t.dim(0);
      batched[1] = 1;
      System.arraycopy(rest, 0, batched, 2, rest.length);
      e.setValue(t.reshape(batched));
    }
    return data;
  }

  /** One sample's shape per input, to fix symbolic dims. */
  static Map<String, int[]> shapes(Map<String, Tensor> data) {
    Map<String, int[]> shapes = new LinkedHashMap<>();
    for (var e : data.entrySet()) shapes.put(e.getKey(), java.util.Arrays.copyOfRange(e.getValue().shape(), 1, e.getValue().rank()));
    return shapes;
  }

  static int count(Map<String, Tensor> data) {
    return data.values().iterator().next().dim(0);
  }

  static Map<String, Tensor> sample(Map<String, Tensor> data, int i) {
    Map<String, Tensor> in = new LinkedHashMap<>();
    for (var e : data.entrySet()) in.put(e.getKey(), Samples.slice(e.getValue(), i));
    return in;
  }

  static List<Map<String, Tensor>> samples(Map<String, Tensor> data) {
    List<Map<String, Tensor>> r = new ArrayList<>();
    for (int i = 0; i < count(data); i++) r.add(sample(data, i));
    return r;
  }
}
