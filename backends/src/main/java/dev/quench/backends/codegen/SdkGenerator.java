package dev.quench.backends.codegen;

import dev.quench.backends.ArenaPlanner;
import dev.quench.ir.DType;
import dev.quench.ir.Graph;
import dev.quench.ir.Interpreter;
import dev.quench.ir.ModelStats;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import dev.quench.ir.target.Target;
import dev.quench.ir.io.Dirs;
import dev.quench.ir.mw.MiddlewareParser;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a C++ SDK for a quantized middleware file (.qir + .qir.bin — never in-memory objects):
 * {@code include/<model>.h}, {@code src/<model>.cpp}, the fixed runtime, {@code CMakeLists.txt},
 * golden samples from the Java integer interpreter with a selftest, a README,
 * {@code summary.json} and a copy of the middleware under {@code middleware/}. Templates live in {@code templates/sdk} (one per op under {@code ops/}).
 * The same inputs give a byte-identical directory: no dates, no absolute paths, fixed orders. The
 * directory is written next to the destination and renamed into place.
 */
public final class SdkGenerator {
  public static final String VERSION = "0.1.0";
  /** The runtime files copied into every SDK. */
  static final List<String> RUNTIME = List.of("quench/common.h", "quench/fixed_point.h", "quench/f64.h", "quench/qmath.h", "quench/dmath.h", "quench/requant.h", "quench/geometry.h", "quench/isa.h",
      "quench/isa/portable.h", "quench/isa/arm_dsp.h", "quench/isa/arm_mve.h", "quench/isa/neon_dot.h", "quench/kernels.h", "quench/kernels/conv.h",
      "quench/kernels/conv_isa.h", "quench/kernels/fully_connected.h", "quench/kernels/elementwise.h", "quench/kernels/pool.h", "quench/kernels/recurrent.h", "quench/kernels/select.h", "quench/kernels/movement.h",
      "quench/kernels/float.h");
  /** The NPU command-stream format and its reference HAL, for NPU targets. */
  static final List<String> NPU_RUNTIME = List.of("quench/npu.h", "quench/npu_reference.cpp");

  private SdkGenerator() {}

  /** What was generated. */
  /** @param untakenBranches the branches of data-dependent Ifs no golden sample takes (the selftest does not check them) */
  public record Summary(String model, int steps, long weightsBytes, long arenaBytes, long arenaLowerBoundBytes, int goldenSamples, Map<String, Object> json,
      List<String> untakenBranches) {}

  /** Whether the C++ back end lowers the op type (a template and kernels) in the integer or the float form: the op completeness report asks. */
  public static boolean lowers(String opType, boolean floatForm) {
    return Lowering.lowers(opType, floatForm);
  }

  /**
   * @param golden inputs (by graph input name) of the golden samples; their outputs come from the
   *     Java integer interpreter on the graph read from {@code qir}
   * @param fitGolden keep only as many golden samples as fit the target's flash (at least one);
   *     false: all of them, or an error when they do not fit
   */
  public static Summary generate(Path qir, String target, Path out, List<Map<String, Tensor>> golden, boolean fitGolden) {
    Target platform = Target.named(target);
    Graph g = MiddlewareParser.read(qir);
    FloatTypes.rewrite(g);  // float64 / float16 / bfloat16 at the edges only
    String source = qir.getFileName().toString();
    String model = modelName(source);
    // float32 inputs and outputs (the float API), or any element type the C++ has (the typed API: void pointers)
    boolean typed = false;
    for (Value v : g.dataInputs()) typed |= ioType(v, "input") != DType.FLOAT32;
    for (Value v : g.outputs()) typed |= ioType(v, "output") != DType.FLOAT32;
    SdkPlan plan = new SdkPlan(g, platform);
    Constants consts = plan.consts;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", VERSION);
    m.put("model", model);
    m.put("guard", model.toUpperCase(java.util.Locale.ROOT));
    m.put("target", target);
    m.put("target_description", platform.description());
    m.put("toolchain", platform.toolchain() == null ? "" : platform.toolchain());
    m.put("kernels", platform.kernels());
    m.put("isa_macro", platform.kernelMacro());
    m.put("source_comment", CppNames.comment(source));
    m.put("arena_bytes", Long.toString(plan.arena.arenaBytes()));
    m.put("weights_bytes", Long.toString(consts.bytes()));
    m.put("steps", plan.steps);
    m.put("calls", plan.calls);
    m.put("npu", platform.accelerator().present());
    // outputs known at compile time (folded: Shape, Size, constant subgraphs) are copied from flash
    List<Map<String, String>> constOutputs = new ArrayList<>();
    for (int i = 0; i < g.outputs().size(); i++) {
      Value v = g.outputs().get(i);
      if (!v.isConstant()) continue;
      ioType(v, "output");
      constOutputs.add(Map.of("index", Integer.toString(i), "array", consts.add("output" + i, v), "bytes", Long.toString(v.type().numel() * v.type().dtype().bytes)));
    }
    m.put("const_outputs", constOutputs);
    m.put("arrays", consts.arrays().stream().map(SdkGenerator::view).toList());
    m.put("typed", typed);
    m.put("in_t", typed ? "void" : "float");
    m.put("out_t", typed ? "void" : "float");
    m.put("inputs", ports(g, g.dataInputs(), true));
    m.put("outputs", ports(g, g.outputs(), false));
    List<Map<String, String>> states = new ArrayList<>();
    for (StatePairs.Pair p : StatePairs.of(g)) {
      states.add(Map.of("input", Integer.toString(p.input()), "output", Integer.toString(p.output()), "input_name", CppNames.comment(g.dataInputs().get(p.input()).name),
          "output_name", CppNames.comment(g.outputs().get(p.output()).name)));
    }
    m.put("states", states);
    long ioBytes = 0;
    for (Value v : g.dataInputs()) ioBytes += (long) v.type().dtype().bytes * v.type().numel();
    for (Value v : g.outputs()) ioBytes += (long) v.type().dtype().bytes * v.type().numel();
    // a golden sample: its float inputs and outputs, one 64-bit trace hash per node and where they start
    // (a graph that branches: each entry also names its step)
    boolean branches = !plan.arms.isEmpty();
    long sampleBytes = ioBytes + (branches ? 12L : 8L) * g.nodes().size() + 4;
    m.put("branches", branches);
    if (fitGolden) golden = golden.subList(0, platform.goldenSamplesThatFit(consts.bytes(), sampleBytes, golden.size()));
    platform.checkFits(plan.arena.arenaBytes() + ioBytes, consts.bytes(), sampleBytes * golden.size(), golden.size());
    java.util.Set<String> taken = new java.util.HashSet<>(), arms = new java.util.TreeSet<>();
    List<Constants.Array> goldenArrays = GoldenSamples.arrays(g, golden, taken);
    for (dev.quench.ir.Branches.Arm a : plan.arms.values()) arms.add(a.describe());
    List<String> untaken = new ArrayList<>(arms);
    untaken.removeAll(taken);
    m.put("golden", goldenArrays.stream().map(SdkGenerator::view).toList());
    m.put("golden_samples", Integer.toString(golden.size()));

    Map<String, Object> summary = SdkSummary.of(g, model, platform, plan, ioBytes);
    if (!arms.isEmpty()) summary.put("golden_untaken_branches", untaken);
    SdkWriter.write(out, model, m, summary, platform.accelerator().present(), qir);
    return new Summary(model, plan.steps.size(), consts.bytes(), plan.arena.arenaBytes(), plan.arena.lowerBoundBytes(), golden.size(), summary, untaken);
  }

  /** A template's view of an array (FreeMarker reads maps, not record accessors). */
  private static Map<String, String> view(Constants.Array a) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("name", a.name());
    v.put("ctype", a.ctype());
    v.put("count", Long.toString(a.count()));
    v.put("body", a.body());
    return v;
  }

  /** The C++ name of the model: the middleware file's stem, sanitised. */
  static String modelName(String file) {
    String stem = file.endsWith(".qir") ? file.substring(0, file.length() - 4) : file;
    return CppNames.sanitize(stem).toLowerCase(java.util.Locale.ROOT);
  }

  /** An input's or output's element type, one the C++ has (a one-line error otherwise). */
  private static DType ioType(Value v, String what) {
    DType t = v.type().dtype();
    QuenchException.check(t != DType.STRING, "codegen: %s '%s' is %s (a number or bool type)", what, v.name, t);
    return t;
  }

  private static List<Map<String, Object>> ports(Graph g, List<Value> vs, boolean input) {
    List<Map<String, Object>> r = new ArrayList<>();
    for (Value v : vs) {
      Map<String, Object> p = new LinkedHashMap<>();
      boolean f = v.type().dtype() == DType.FLOAT32;
      p.put("float", f);
      p.put("ctype", Lowering.ctype(v.type().dtype()));
      p.put("f64", v.type().dtype() == DType.FLOAT64);
      boolean bits = v.type().dtype() == DType.FLOAT16 || v.type().dtype() == DType.BFLOAT16;
      p.put("type_text", f ? "float32" : v.type().dtype().toString().toLowerCase(java.util.Locale.ROOT) + " (" + Lowering.ctype(v.type().dtype()) + (bits ? " bits" : "") + ")");
      p.put("comment", CppNames.comment(v.name));
      p.put("c_string_name", cString(v.name).replace("%", "%%").replace("\"", ""));
      p.put("size", Long.toString(v.type().numel()));
      p.put("alloc", Long.toString(Math.max(1, v.type().numel())));  // (C++ has no zero-length arrays)
      p.put("shape_text", java.util.Arrays.toString(v.type().shape()).replace(" ", ""));
      Value q = quantizedSide(g, v, input);
      p.put("qtype", q == null ? "float32" : q.type().dtype().toString().toLowerCase(java.util.Locale.ROOT));
      boolean quantized = q != null && q.qparams() != null;
      p.put("frac", quantized ? Long.toString(q.qparams().frac0()) : "no");
      p.put("frac_num", quantized ? Long.toString(q.qparams().frac0()) : "0");
      p.put("bits", quantized ? Long.toString(q.qparams().bits()) : "32");
      p.put("unsigned", quantized && q.qparams().unsigned() ? "true" : "false");
      StringBuilder dims = new StringBuilder();
      for (int d : v.type().shape()) dims.append(dims.length() == 0 ? "" : ", ").append(d);
      p.put("shape_list", dims.length() == 0 ? "1" : dims.toString());
      r.add(p);
    }
    return r;
  }

  /** The integer tensor a float input is quantized to (its QuantizeLinear reader) or an output dequantized from. */
  private static Value quantizedSide(Graph g, Value v, boolean input) {
    if (input) {
      for (Node n : g.users(v)) if (n.opType.equals("QuantizeLinear")) return n.output(0);
      return null;
    }
    Node p = v.producer();
    return p != null && p.opType.equals("DequantizeLinear") ? p.input(0) : null;
  }

  /** A C string literal: printable ASCII kept, everything else as three-digit octal escapes. */
  static String cString(String s) {
    StringBuilder sb = new StringBuilder("\"");
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < b.length && i < 200; i++) {
      int c = b[i] & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '?') sb.append((char) c);
      else sb.append(String.format("\\%03o", c));
    }
    return sb.append('"').toString();
  }

}
