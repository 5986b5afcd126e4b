package dev.quench.cli;

import dev.quench.ir.io.Json;
import dev.quench.ir.Graph;
import dev.quench.ir.Interpreter;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import dev.quench.ir.io.Npy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quench run MODEL --input [NAME=]FILE.npy ... --out-dir DIR}: runs the float reference
 * interpreter on every sample (first axis of each .npy) and writes DIR/&lt;output&gt;.npy.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the reference interpreter (float, or integer for a quantized .qir) on .npy inputs.")
final class RunCommand extends ModelCommand {
  @Option(names = "--input", required = true, paramLabel = "[NAME=]FILE.npy", description = "Input data; the first axis iterates samples. Without NAME, inputs are taken in the model's order.")
  List<String> inputs;

  @picocli.CommandLine.Mixin
  ImageOptions images;

  @Option(names = "--out-dir", required = true, paramLabel = "DIR", description = "Where to write <output name>.npy.")
  Path outDir;

  @Option(names = "--raw", description = "For a quantized .qir: write the integer output tensors (before dequantization) instead of floats.")
  boolean raw;

  @Option(names = "--labels", paramLabel = "FILE.npy", description = "Integer class labels, one per sample: report top-1 accuracy of the first output.")
  Path labels;

  /** Writes every output to a temporary file in the out dir, then renames them all: no half-written results. */
  private Map<String, Object> write(Graph g, List<List<Tensor>> results) throws IOException {
    Files.createDirectories(outDir);
    List<Path> tmp = new ArrayList<>();
    List<Path> finals = new ArrayList<>();
    Map<String, Object> written = new LinkedHashMap<>();
    try {
      for (int k = 0; k < g.outputs().size(); k++) {
        Value v = g.outputs().get(k);
        Tensor stacked = Samples.stack(results.get(k));
        Path f = outDir.resolve(Samples.fileName(v.name) + ".npy");
        QuenchException.check(!finals.contains(f), "outputs '%s' and another map to the same file %s", v.name, f);
        Path t = Files.createTempFile(outDir, ".quench-", ".tmp");
        tmp.add(t);
        finals.add(f);
        Npy.write(t, stacked);
        written.put(v.name, Map.of("file", f.toString(), "shape", stacked.shape()));
      }
      for (int k = 0; k < tmp.size(); k++) Files.move(tmp.get(k), finals.get(k), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      for (Path t : tmp) Files.deleteIfExists(t);
    }
    return written;
  }

  /** Makes the graph's outputs the integer tensors its final DequantizeLinear nodes read. */
  private void rawOutputs(Graph g) {
    for (int k = 0; k < g.outputs().size(); k++) {
      Value y = g.outputs().get(k);
      dev.quench.ir.Node p = y.producer();
      QuenchException.check(p != null && p.opType.equals("DequantizeLinear") && p.input(0).qparams() != null,
          "%s: --raw needs a quantized .qir; output '%s' is not dequantized from an integer tensor", model, y.name);
      g.outputs().set(k, p.input(0));
    }
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Tensor> data = SampleData.read(model, inputs, images, options.constantNames());
    int samples = SampleData.count(data);
    Map<String, int[]> shapes = SampleData.shapes(data);
    Tensor lab = labels == null ? null : Npy.read(labels);
    Graph g = options.load(model, ModelOptions.isMiddleware(model) ? Map.of() : shapes);
    if (raw) rawOutputs(g);
    Interpreter interp = new Interpreter(g);
    // Samples run in parallel (each result is the same whatever the thread: the kernels are deterministic).
    final int count = samples;
    Tensor[][] perSample = new Tensor[count][];
    java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
    long t0 = System.nanoTime();
    java.util.stream.IntStream.range(0, count).parallel().forEach(i -> {
      perSample[i] = interp.run(SampleData.sample(data, i)).values().toArray(Tensor[]::new);
      int d = done.incrementAndGet();
      if (!flags.json && count >= 100 && d % 100 == 0) flags.progress(spec).printf("quench: %d/%d samples%n", d, count);
    });
    List<List<Tensor>> results = new ArrayList<>();
    for (int k = 0; k < g.outputs().size(); k++) {
      List<Tensor> col = new ArrayList<>(count);
      for (Tensor[] r : perSample) col.add(r[k]);
      results.add(col);
    }
    double ms = (System.nanoTime() - t0) / 1e6;
    Double top1 = null;
    if (lab != null) {
      QuenchException.check(!lab.isFloat() && lab.numel() == samples, "%s: expected %d integer labels", labels, samples);
      int correct = 0;
      for (int i = 0; i < samples; i++) if (Samples.argmax(results.get(0).get(i)) == lab.l[i]) correct++;
      top1 = (double) correct / samples;
    }
    Map<String, Object> written;
    try {
      written = write(g, results);
    } catch (IOException e) {
      throw new QuenchException("cannot write to " + outDir + ": " + e.getMessage(), e);
    }
    if (flags.json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("model", model.toString());
      m.put("samples", samples);
      m.put("millis", Math.round(ms));
      m.put("outputs", written);
      if (top1 != null) m.put("top1", top1);
      out.println(Json.write(m));
    } else {
      out.printf("ran %d sample%s in %.0f ms%n", samples, samples == 1 ? "" : "s", ms);
      for (var e : written.entrySet()) out.println("wrote " + ((Map<?, ?>) e.getValue()).get("file"));
      if (top1 != null) out.printf("top-1 %.2f %% (%d samples)%n", 100 * top1, samples);
    }
    return 0;
  }
}
