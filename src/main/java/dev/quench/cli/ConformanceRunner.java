package dev.quench.cli;

import dev.quench.frontend.OnnxImporter;
import dev.quench.frontend.OnnxTensors;
import dev.quench.frontend.UnsupportedOpsException;
import dev.quench.ir.DType;
import dev.quench.ir.Graph;
import dev.quench.ir.Interpreter;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs ONNX backend test cases (a folder with model.onnx and test_data_set_N/input_K.pb,
 * output_K.pb) through the importer and the float interpreter, comparing with the ONNX test
 * runner's default tolerance: |actual - expected| &lt;= atol + rtol * |expected|, NaN equal to NaN.
 */
public final class ConformanceRunner {
  public static final double RTOL = 1e-3, ATOL = 1e-7;

  /** Outcome of one case. */
  public enum Status { PASS, FAIL, UNSUPPORTED }

  public record CaseResult(String name, Status status, String reason) {}

  public static List<CaseResult> runAll(Path dir) {
    if (!Files.isDirectory(dir)) throw new QuenchException(dir + ": not a directory");
    List<Path> cases;
    try (Stream<Path> s = Files.list(dir)) {
      cases = s.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).sorted().toList();
    } catch (IOException e) {
      throw new QuenchException(dir + ": cannot list: " + e.getMessage());
    }
    if (cases.isEmpty()) throw new QuenchException(dir + ": no test cases (folders with model.onnx)");
    List<CaseResult> r = new ArrayList<>();
    for (Path c : cases) r.add(runCase(c));
    return r;
  }

  public static CaseResult runCase(Path dir) {
    String name = dir.getFileName().toString();
    try {
      List<Path> sets;
      try (Stream<Path> s = Files.list(dir)) {
        sets = s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
      }
      if (sets.isEmpty()) return new CaseResult(name, Status.FAIL, "no test_data_set_*");
      for (Path set : sets) {
        String why = runSet(dir.resolve("model.onnx"), set);
        if (why != null) return new CaseResult(name, Status.FAIL, set.getFileName() + ": " + why);
      }
      return new CaseResult(name, Status.PASS, "");
    } catch (UnsupportedOpsException e) {
      return new CaseResult(name, Status.UNSUPPORTED, e.ops.toString());
    } catch (QuenchException e) {
      if (e.getMessage().contains("outside the supported range")) return new CaseResult(name, Status.UNSUPPORTED, e.getMessage());
      return new CaseResult(name, Status.FAIL, e.getMessage());
    } catch (IOException | RuntimeException | StackOverflowError e) {
      return new CaseResult(name, Status.FAIL, internal(e));
    }
  }

  private static List<Path> numbered(Path set, String prefix) throws IOException {
    List<Path> r = new ArrayList<>();
    for (int i = 0; Files.exists(set.resolve(prefix + i + ".pb")); i++) r.add(set.resolve(prefix + i + ".pb"));
    return r;
  }

  /** A test set loaded: the model imported with the test's inputs (shape inputs frozen), its inputs by name, the expected outputs. */
  record Loaded(Graph graph, Map<String, Tensor> feed, List<Tensor> expected) {}

  static Loaded load(Path model, Path set) throws IOException {
    OnnxImporter.unsupportedIn(model);
    List<Tensor> inputs = new ArrayList<>();
    for (Path p : numbered(set, "input_")) inputs.add(OnnxTensors.read(p));
    List<Tensor> expected = new ArrayList<>();
    for (Path p : numbered(set, "output_")) expected.add(OnnxTensors.read(p));
    List<String> names = ModelInputs.names(model);
    if (names.size() < inputs.size()) return null;
    Map<String, int[]> shapes = new LinkedHashMap<>();
    Map<String, Tensor> feed = new LinkedHashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      shapes.put(names.get(i), inputs.get(i).shape());
      feed.put(names.get(i), inputs.get(i));
    }
    // Inputs that define shapes (Reshape's shape, Slice's starts...) are frozen to the test's values:
    // Quench compiles static shapes.
    Graph g = new OnnxImporter(shapes, feed).overridingStaticShapes().importFile(model);
    for (Value v : g.dataInputs()) {
      // The ONNX test data stores bfloat16 as its uint16 bit patterns (numpy has no bfloat16).
      Tensor t = feed.get(v.name);
      if (t != null && v.type().dtype() == DType.BFLOAT16 && t.dtype == DType.UINT16) feed.put(v.name, Bf16Bits.fromBits(t));
    }
    return new Loaded(g, feed, expected);
  }

  private static String runSet(Path model, Path set) throws IOException {
    Loaded ld = load(model, set);
    if (ld == null) return "more input files than model inputs";
    Graph g = ld.graph();
    Map<String, Tensor> feed = ld.feed();
    List<Tensor> expected = ld.expected();
    Map<String, Tensor> got = new Interpreter(g).run(feed);
    List<Value> outs = g.outputs();
    if (outs.size() != expected.size()) return "model has " + outs.size() + " outputs, test has " + expected.size();
    for (int k = 0; k < outs.size(); k++) {
      Tensor actual = got.get(outs.get(k).name);
      if (actual.dtype == DType.BFLOAT16 && expected.get(k).dtype == DType.UINT16) actual = Bf16Bits.toBits(actual);
      String why = compare(actual, expected.get(k));
      if (why != null) return "output " + outs.get(k).name + ": " + why;
    }
    return null;
  }

  /** Null when equal within tolerance, else the reason. */
  public static String compare(Tensor actual, Tensor expected) {
    if (!Arrays.equals(actual.shape(), expected.shape())) {
      return "shape " + Arrays.toString(actual.shape()) + ", expected " + Arrays.toString(expected.shape());
    }
    for (int i = 0; i < expected.numel(); i++) {
      double a = actual.getDouble(i), e = expected.getDouble(i);
      if (Double.isNaN(a) && Double.isNaN(e)) continue;
      if (a == e) continue;
      if (!(Math.abs(a - e) <= ATOL + RTOL * Math.abs(e))) return "element " + i + " is " + a + ", expected " + e;
    }
    return null;
  }

  /** An internal error as one line, with where it was thrown (what a bug report needs). */
  static String internal(Throwable e) {
    StackTraceElement[] at = e.getStackTrace();
    return "internal error: " + e + (at.length > 0 ? " (at " + at[0].getClassName() + "." + at[0].getMethodName() + ":" + at[0].getLineNumber() + ")" : "");
  }
}
