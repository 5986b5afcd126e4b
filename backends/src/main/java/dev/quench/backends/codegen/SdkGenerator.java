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
  static final List<String> RUNTIME = List.of("quench/common.h", "quench/fixed_point.h", "quench/qmath.h", "quench/requant.h", "quench/geometry.h", "quench/isa.h",
      "quench/isa/portable.h", "quench/isa/arm_dsp.h", "quench/isa/arm_mve.h", "quench/isa/neon_dot.h", "quench/kernels.h", "quench/kernels/conv.h",
      "quench/kernels/conv_isa.h", "quench/kernels/fully_connected.h", "quench/kernels/elementwise.h", "quench/kernels/pool.h", "quench/kernels/movement.h",
      "quench/kernels/float.h");
  /** The NPU command-stream format and its reference HAL, for NPU targets. */
  static final List<String> NPU_RUNTIME = List.of("quench/npu.h", "quench/npu_reference.cpp");

  private SdkGenerator() {}

  /** What was generated. */
  public record Summary(String model, int steps, long weightsBytes, long arenaBytes, long arenaLowerBoundBytes, int goldenSamples, Map<String, Object> json) {}

  /**
   * @param golden inputs (by graph input name) of the golden samples; their outputs come from the
   *     Java integer interpreter on the graph read from {@code qir}
   * @param fitGolden keep only as many golden samples as fit the target's flash (at least one);
   *     false: all of them, or an error when they do not fit
   */
  /** Whether the C++ back end has a lowering (a template and kernels) for the op type: the op completeness report asks. */
  public static boolean lowers(String opType) {
    return Lowering.hasFamily(opType);
  }

  public static Summary generate(Path qir, String target, Path out, List<Map<String, Tensor>> golden, boolean fitGolden) {
    Target platform = Target.named(target);
    Graph g = MiddlewareParser.read(qir);
    String source = qir.getFileName().toString();
    String model = modelName(source);
    for (Value v : g.dataInputs()) QuenchException.check(v.type().dtype() == DType.FLOAT32, "codegen: input '%s' must be float32", v.name);
    for (Value v : g.outputs()) QuenchException.check(v.type().dtype() == DType.FLOAT32, "codegen: output '%s' must be float32", v.name);
    // the kernel of every CPU node, chosen for the target, and its scratch, planned into the arena
    Map<Node, String> refusals = new java.util.IdentityHashMap<>();
    Map<Node, KernelChoice> kernels = new java.util.IdentityHashMap<>();
    for (Node n : g.nodes()) {
      String refusal = platform.accelerator().present() ? platform.accelerator().refusal(n, false) : "";
      refusals.put(n, refusal);
      if (refusal != null) kernels.put(n, KernelChoice.of(n, platform));
    }
    ArenaPlanner.Plan plan = ArenaPlanner.plan(g, true, n -> kernels.get(n) == null ? 0 : kernels.get(n).scratchBytes());
    CppNames names = new CppNames();
    Constants consts = new Constants(names);
    Lowering lowering = new Lowering(g, consts);
    List<Map<String, Object>> steps = new ArrayList<>();
    // what run() does in order: CPU steps, and NPU segments (consecutive nodes the NPU runs)
    List<Map<String, Object>> calls = new ArrayList<>();
    List<Map<String, Object>> fallback = new ArrayList<>();
    int npuNodes = 0, segments = 0;
    long npuMacs = 0;
    for (Node n : g.nodes()) {
      String refusal = refusals.get(n);
      Map<String, Object> s = lowering.lower(n, refusal == null, kernels.get(n), plan.scratchOffset(n));
      s.put("index", Integer.toString(steps.size()));
      s.put("trace_name", cString(n.name));
      steps.add(s);
      Map<String, Object> last = calls.isEmpty() ? null : calls.get(calls.size() - 1);
      if (refusal == null) {
        s.put("command", NpuLowering.command(n, s));
        npuNodes++;
        npuMacs += ModelStats.macs(n);
        if (last == null || !last.containsKey("segment")) {
          last = new LinkedHashMap<>();
          last.put("segment", Integer.toString(segments++));
          last.put("steps", new ArrayList<Map<String, Object>>());
          calls.add(last);
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> in = (List<Map<String, Object>>) last.get("steps");
        in.add(s);
      } else {
        calls.add(Map.of("step", s));
        if (platform.accelerator().present()) fallback.add(Map.of("node", n.name, "op", n.opType, "reason", refusal));
      }
    }
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
    m.put("arena_bytes", Long.toString(plan.arenaBytes()));
    m.put("weights_bytes", Long.toString(consts.bytes()));
    m.put("steps", steps);
    m.put("calls", calls);
    m.put("npu", platform.accelerator().present());
    m.put("arrays", consts.arrays().stream().map(SdkGenerator::view).toList());
    m.put("inputs", ports(g, g.dataInputs(), true));
    m.put("outputs", ports(g, g.outputs(), false));
    long ioBytes = 0;
    for (Value v : g.dataInputs()) ioBytes += 4L * v.type().numel();
    for (Value v : g.outputs()) ioBytes += 4L * v.type().numel();
    // a golden sample: its float inputs and outputs, and one 64-bit trace hash per node
    long sampleBytes = ioBytes + 8L * g.nodes().size();
    if (fitGolden) golden = golden.subList(0, platform.goldenSamplesThatFit(consts.bytes(), sampleBytes, golden.size()));
    platform.checkFits(plan.arenaBytes() + ioBytes, consts.bytes(), sampleBytes * golden.size(), golden.size());
    List<Constants.Array> goldenArrays = golden(g, golden);
    m.put("golden", goldenArrays.stream().map(SdkGenerator::view).toList());
    m.put("golden_samples", Integer.toString(golden.size()));

    Map<String, Object> summary = summary(g, model, target, plan, consts.bytes());
    summary.put("isa", platform.isa());
    summary.put("kernels", platform.kernels());
    // what the model needs of the device (checked above against the target's memories, 0 = no limit)
    // the stack of one inference is measured by quench verify (its build's call graph), which then
    // fills in stack_bytes and adds it to ram_bytes
    Map<String, Object> memory = new LinkedHashMap<>();
    memory.put("arena_bytes", plan.arenaBytes());
    memory.put("io_bytes", ioBytes);
    memory.put("stack_bytes", null);
    memory.put("ram_bytes", plan.arenaBytes() + ioBytes);
    memory.put("flash_constants_bytes", consts.bytes());
    memory.put("target_ram_bytes", platform.ramBytes());
    memory.put("target_flash_bytes", platform.flashBytes());
    summary.put("memory", memory);
    if (platform.accelerator().present()) {
      Map<String, Object> npu = new LinkedHashMap<>();
      npu.put("segments", segments);
      npu.put("nodes", npuNodes);
      npu.put("cpu_nodes", g.nodes().size() - npuNodes);
      npu.put("macs", npuMacs);
      npu.put("cpu_fallback", fallback);
      summary.put("npu", npu);
    }
    Path parent = out.toAbsolutePath().getParent();
    Path tmp;
    try {
      Files.createDirectories(parent);
      tmp = Files.createTempDirectory(parent, ".quench-sdk-");
    } catch (IOException e) {
      throw new QuenchException("cannot write " + out + ": " + e.getMessage(), e);
    }
    try {
      Configuration cfg = config();
      write(tmp.resolve("include/" + model + ".h"), render(cfg, "model.h.ftl", m));
      write(tmp.resolve("src/" + model + ".cpp"), render(cfg, "model.cpp.ftl", m));
      write(tmp.resolve("test/golden.h"), render(cfg, "golden.h.ftl", m));
      write(tmp.resolve("test/selftest.cpp"), render(cfg, "selftest.cpp.ftl", m));
      write(tmp.resolve("test/bench.cpp"), render(cfg, "bench.cpp.ftl", m));
      write(tmp.resolve("CMakeLists.txt"), render(cfg, "CMakeLists.txt.ftl", m));
      write(tmp.resolve("README.md"), render(cfg, "README.md.ftl", m));
      write(tmp.resolve("summary.json"), dev.quench.ir.io.Json.write(summary) + "\n");
      for (String r : RUNTIME) write(tmp.resolve("runtime/" + r), resource("runtime/" + r));
      if (platform.accelerator().present()) for (String r : NPU_RUNTIME) write(tmp.resolve("runtime/" + r), resource("runtime/" + r));
      // the middleware the SDK was generated from, for provenance and for quench run
      Files.createDirectories(tmp.resolve("middleware"));
      Files.copy(qir, tmp.resolve("middleware/" + source));
      Path bin = qir.resolveSibling(source + ".bin");
      if (Files.exists(bin)) Files.copy(bin, tmp.resolve("middleware/" + source + ".bin"));
      replace(tmp, out);
    } catch (IOException e) {
      throw new QuenchException("cannot write " + out + ": " + e.getMessage(), e);
    } finally {
      Dirs.deleteTree(tmp);
    }
    return new Summary(model, steps.size(), consts.bytes(), plan.arenaBytes(), plan.lowerBoundBytes(), golden.size(), summary);
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

  private static List<Map<String, Object>> ports(Graph g, List<Value> vs, boolean input) {
    List<Map<String, Object>> r = new ArrayList<>();
    for (Value v : vs) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("comment", CppNames.comment(v.name));
      p.put("c_string_name", cString(v.name).replace("%", "%%").replace("\"", ""));
      p.put("size", Long.toString(v.type().numel()));
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

  /**
   * Golden inputs and outputs (float32 bit patterns) and, per sample and step, the FNV-1a 64 hash
   * of the step's first output in its C++ representation (little-endian), which the selftest built
   * with QUENCH_TRACE compares to name the first diverging node.
   */
  private static List<Constants.Array> golden(Graph g, List<Map<String, Tensor>> samples) {
    Interpreter interp = new Interpreter(g);
    List<Constants.Array> r = new ArrayList<>();
    List<StringBuilder> ins = new ArrayList<>(), outs = new ArrayList<>();
    StringBuilder trace = new StringBuilder();
    for (int i = 0; i < g.dataInputs().size(); i++) ins.add(new StringBuilder());
    for (int i = 0; i < g.outputs().size(); i++) outs.add(new StringBuilder());
    for (Map<String, Tensor> s : samples) {
      Map<Node, Long> hashes = new java.util.IdentityHashMap<>();
      Map<String, Tensor> res = interp.run(s, (node, o) -> hashes.put(node, o.length == 0 || o[0] == null ? 0L : fnv(o[0], node.output(0).type().dtype())));
      for (Node n : g.nodes()) {
        trace.append(trace.length() % 120 < 24 ? "\n    " : " ").append(String.format("0x%016xull,", hashes.getOrDefault(n, 0L)));
      }
      for (int i = 0; i < g.dataInputs().size(); i++) bits(ins.get(i), s.get(g.dataInputs().get(i).name));
      int k = 0;
      for (Tensor t : res.values()) bits(outs.get(k++), t);
    }
    for (int i = 0; i < ins.size(); i++) r.add(new Constants.Array("golden_in" + i, "uint32_t", samples.size() * g.dataInputs().get(i).type().numel(), ins.get(i).toString(), 0));
    for (int i = 0; i < outs.size(); i++) r.add(new Constants.Array("golden_out" + i, "uint32_t", samples.size() * g.outputs().get(i).type().numel(), outs.get(i).toString(), 0));
    r.add(new Constants.Array("golden_trace", "uint64_t", (long) samples.size() * g.nodes().size(), trace.toString(), 0));
    return r;
  }

  /** FNV-1a 64 over a tensor's bytes as the C++ stores it (little-endian, the node's element type). */
  static long fnv(Tensor t, DType type) {
    long h = 0xcbf29ce484222325L;
    int bytes = type.bytes;
    for (int i = 0; i < t.numel(); i++) {
      long v = t.isFloat() ? Float.floatToRawIntBits(t.f[i]) & 0xffffffffL : t.l[i];
      for (int b = 0; b < bytes; b++) {
        h ^= (v >>> (8 * b)) & 0xff;
        h *= 0x100000001b3L;
      }
    }
    return h;
  }

  private static void bits(StringBuilder sb, Tensor t) {
    QuenchException.check(t != null && t.isFloat(), "codegen: golden tensors must be float32");
    for (int i = 0; i < t.numel(); i++) {
      sb.append(sb.length() % 100 < 11 ? "\n    " : " ");
      sb.append(String.format("0x%08xu,", Float.floatToRawIntBits(t.f[i])));
    }
  }

  private static Map<String, Object> summary(Graph g, String model, String target, ArenaPlanner.Plan plan, long weights) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("generator", "quench " + VERSION);
    s.put("target", target);
    s.put("model", model);
    Map<String, Integer> ops = new TreeMap<>();
    for (Node n : g.nodes()) ops.merge(n.opType, 1, Integer::sum);
    s.put("ops", ops);
    s.put("macs", ModelStats.of(g).macs());
    s.put("weights_bytes", weights);
    s.put("arena_bytes", plan.arenaBytes());
    s.put("arena_lower_bound_bytes", plan.lowerBoundBytes());
    List<Map<String, Object>> layers = new ArrayList<>();
    for (Node n : g.nodes()) {
      Value y = n.output(0);
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("node", n.name);
      l.put("op", n.opType);
      l.put("bits", y.qparams() == null ? 32 : y.qparams().bits());
      l.put("float", y.type().dtype().isFloating());
      l.put("macs", ModelStats.macs(n));
      layers.add(l);
    }
    s.put("layers", layers);
    return s;
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

  private static Configuration config() {
    Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
    cfg.setClassForTemplateLoading(SdkGenerator.class, "/quench-templates/sdk");
    cfg.setDefaultEncoding("UTF-8");
    cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
    cfg.setLogTemplateExceptions(false);
    cfg.setNumberFormat("computer");
    cfg.setLocale(java.util.Locale.ROOT);
    cfg.setAPIBuiltinEnabled(false);
    return cfg;
  }

  private static String render(Configuration cfg, String name, Map<String, Object> model) throws IOException {
    try {
      Template t = cfg.getTemplate(name);
      StringWriter w = new StringWriter();
      t.process(model, w);
      return w.toString();
    } catch (TemplateException e) {
      throw new IllegalStateException("template " + name + ": " + e.getMessage(), e);
    }
  }

  static String resource(String path) throws IOException {
    try (InputStream in = SdkGenerator.class.getResourceAsStream("/quench-templates/" + path)) {
      if (in == null) throw new IllegalStateException("missing template resource " + path);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void write(Path p, String text) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
  }

  /** Swaps the finished directory into place (the old one, if any, is removed first). */
  private static void replace(Path tmp, Path out) throws IOException {
    if (Files.exists(out)) {
      QuenchException.check(Files.isDirectory(out), "codegen: %s exists and is not a directory", out);
      Dirs.deleteTree(out);
    }
    Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
  }
}
