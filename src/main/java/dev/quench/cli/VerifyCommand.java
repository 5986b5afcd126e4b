package dev.quench.cli;

import dev.quench.ir.QuenchException;
import dev.quench.ir.io.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code quench verify DIR}: configures and builds a generated SDK with CMake (Ninja when
 * present) in a temporary build directory, runs its selftest through ctest and reports
 * {@code bit-exact: K/K samples} or the mismatches. Exit 0 only when every sample matches; 1 when
 * the build or the comparison fails; 2 when DIR is not an SDK or CMake is missing.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, description = "Build a generated SDK and check it bit for bit against the Java interpreter.")
final class VerifyCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "An SDK directory from quench compile / codegen.")
  Path dir;

  @Option(names = "--toolchain", paramLabel = "FILE", description = "A CMake toolchain file (cross compilation; ctest runs through its emulator).")
  Path toolchain;

  @Option(names = "--sanitize", description = "Build with AddressSanitizer and UndefinedBehaviorSanitizer.")
  boolean sanitize;

  @Option(names = "--cxx", paramLabel = "COMPILER", description = "The C++ compiler (e.g. clang++); default: CMake's choice.")
  String cxx;

  @Option(names = "--profile", description = "On an emulated target: instructions per inference and per node (and per MAC), counted by Quench's QEMU plugin in a QUENCH_PROFILE build (kernels inlined into the per-node functions).")
  boolean profile;

  @picocli.CommandLine.Mixin
  OutputOptions flags;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  /**
   * @param stackBytes the deepest stack of one inference in this build (-1: not measured)
   * @param deepestStep the step (one node's kernel and its helpers) with the deepest stack (null: not measured)
   */
  record Outcome(boolean built, int exact, int samples, List<String> mismatches, String log, String firstDivergent, long stackBytes, StackUsage.StepStack deepestStep) {}

  @Override
  public Integer call() {
    QuenchException.check(Files.isRegularFile(dir.resolve("CMakeLists.txt")) && Files.isDirectory(dir.resolve("test")), "%s: not a Quench SDK directory", dir);
    if (toolchain != null) QuenchException.check(Files.isRegularFile(toolchain), "%s: no such toolchain file", toolchain);
    else needsNoToolchain(dir);
    List<Profiler.Layer> prof = new ArrayList<>();
    Outcome o = build(dir, toolchain, sanitize, cxx, false, profile, profile ? (b, log) -> {
      Matcher k = Pattern.compile("bit-exact: \\d+/(\\d+) samples").matcher(log);
      prof.addAll(Profiler.profile(dir, b, log, k.find() ? Integer.parseInt(k.group(1)) : 0));
    } : null);
    if (o.built() && o.exact() < o.samples()) {
      // rebuild with the trace hook: the selftest compares every node's output hash with the Java interpreter's
      Outcome t = build(dir, toolchain, sanitize, cxx, true, false, null);
      o = new Outcome(o.built(), o.exact(), o.samples(), o.mismatches(), o.log(), t.firstDivergent(), o.stackBytes(), o.deepestStep());
    }
    PrintWriter out = spec.commandLine().getOut();
    boolean ok = o.built() && o.samples() > 0 && o.exact() == o.samples();
    if (o.stackBytes() >= 0) recordStack(dir, o.stackBytes());
    if (flags.json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("dir", dir.toString());
      m.put("built", o.built());
      m.put("bit_exact", ok);
      m.put("samples", o.samples());
      m.put("exact_samples", o.exact());
      m.put("mismatches", o.mismatches());
      m.put("first_divergent_node", o.firstDivergent());
      m.put("stack_bytes", o.stackBytes() >= 0 ? o.stackBytes() : null);
      if (o.deepestStep() != null) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("step", o.deepestStep().step());
        d.put("stack_bytes", o.deepestStep().bytes());
        m.put("deepest_step", d);
      }
      if (profile) {
        m.put("instructions_per_inference", Math.round(prof.stream().mapToDouble(Profiler.Layer::instructions).sum()));
        m.put("profile", prof.stream().map(Profiler.Layer::json).toList());
      }
      out.println(Json.write(m));
    } else if (!o.built()) {
      out.println("build failed:");
      out.println(o.log());
    } else {
      for (String s : o.mismatches()) out.println(s);
      if (o.firstDivergent() != null) out.println("first divergent node: " + o.firstDivergent());
      if (profile) {
        out.printf("%-44s %-18s %14s %12s %9s%n", "node", "op", "instructions", "MACs", "instr/MAC");
        for (Profiler.Layer l : prof) {
          out.printf("%-44s %-18s %,14d %,12d %9s%n", l.node().length() > 44 ? "…" + l.node().substring(l.node().length() - 43) : l.node(), l.op(),
              Math.round(l.instructions()), l.macs(), l.macs() == 0 ? "-" : String.format("%.2f", l.instructions() / l.macs()));
        }
        out.printf("instructions per inference: %,d%n", Math.round(prof.stream().mapToDouble(Profiler.Layer::instructions).sum()));
      }
      sizes(out, o.stackBytes());
      if (o.deepestStep() != null) out.printf("deepest kernel stack: %,d bytes (%s)%n", o.deepestStep().bytes(), o.deepestStep().step());
      out.printf("bit-exact: %d/%d samples%n", o.exact(), o.samples());
    }
    return ok ? 0 : 1;
  }

  /** An SDK whose kernels use a target's ISA (summary.json's target) does not build for the host: one line naming the toolchain file to give. */
  private static void needsNoToolchain(Path dir) {
    String summary;
    try {
      summary = Files.readString(dir.resolve("summary.json"));
    } catch (IOException e) {
      return;
    }
    Matcher t = Pattern.compile("\"target\":\"([^\"]+)\"").matcher(summary);
    if (!t.find()) return;
    dev.quench.ir.target.Target p;
    try {
      p = dev.quench.ir.target.Target.named(t.group(1));
    } catch (QuenchException e) {
      return;
    }
    QuenchException.check(p.toolchain() == null || p.kernelMacro().isEmpty(), "%s: an SDK for %s (%s kernels) builds with its cross toolchain: give --toolchain %s", dir, p.name(),
        p.kernels(), p.toolchain());
  }

  /** Flash (constants) and RAM (arena, and the stack this build measured) from summary.json. */
  private void sizes(PrintWriter out, long stack) {
    try {
      String j = Files.readString(dir.resolve("summary.json"));
      Matcher w = Pattern.compile("\"weights_bytes\":(\\d+)").matcher(j), a = Pattern.compile("\"arena_bytes\":(\\d+)").matcher(j);
      if (w.find() && a.find()) {
        out.printf("flash (constants): %,d bytes; RAM (arena): %,d bytes%s%n", Long.parseLong(w.group(1)), Long.parseLong(a.group(1)),
            stack >= 0 ? String.format("; stack: %,d bytes (deepest call path of one inference)", stack) : "");
      }
    } catch (IOException e) {
      // sizes are informative only
    }
  }

  private static final Pattern STACK_FIELD = Pattern.compile("\"stack_bytes\":(null|\\d+)"), RAM_FIELD = Pattern.compile("\"ram_bytes\":(\\d+)"),
      ARENA_IO = Pattern.compile("\"arena_bytes\":(\\d+),\"io_bytes\":(\\d+)");

  /**
   * Writes the measured stack into the SDK's summary.json: stack_bytes, and ram_bytes = arena +
   * I/O + stack (the memory block the generator wrote). A summary without those fields is left alone.
   */
  static void recordStack(Path sdk, long stack) {
    Path summary = sdk.resolve("summary.json");
    try {
      String j = Files.readString(summary);
      Matcher m = ARENA_IO.matcher(j);
      if (!m.find() || !STACK_FIELD.matcher(j).find()) return;
      long ram = Long.parseLong(m.group(1)) + Long.parseLong(m.group(2)) + stack;
      String updated = RAM_FIELD.matcher(STACK_FIELD.matcher(j).replaceAll("\"stack_bytes\":" + stack)).replaceFirst("\"ram_bytes\":" + ram);
      if (!updated.equals(j)) AtomicFiles.write(summary, updated.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new QuenchException("cannot update " + summary + ": " + e.getMessage(), e);
    }
  }

  static Outcome build(Path sdk, Path toolchain, boolean sanitize, String cxx, boolean trace, boolean profile,
      java.util.function.BiConsumer<Path, String> inBuild) {
    Path build;
    try {
      build = Files.createTempDirectory("quench-verify-");
    } catch (IOException e) {
      throw new QuenchException("cannot create a build directory: " + e.getMessage(), e);
    }
    StringBuilder log = new StringBuilder();
    try {
      List<String> configure = new ArrayList<>(List.of("cmake", "-S", sdk.toAbsolutePath().toString(), "-B", build.toString()));
      if (Processes.onPath("ninja")) configure.addAll(List.of("-G", "Ninja"));
      if (toolchain != null) configure.add("-DCMAKE_TOOLCHAIN_FILE=" + toolchain.toAbsolutePath());
      if (sanitize) configure.add("-DQUENCH_SANITIZE=ON");
      if (cxx != null) configure.add("-DCMAKE_CXX_COMPILER=" + cxx);
      if (trace) configure.add("-DQUENCH_TRACE=ON");
      if (profile) configure.add("-DQUENCH_PROFILE=ON");
      boolean measureStack = !sanitize && !trace && !profile;  // the stack of the plain build, as shipped
      if (measureStack) configure.add("-DQUENCH_STACK_USAGE=ON");
      if (Processes.run(configure, log) != 0 || Processes.run(List.of("cmake", "--build", build.toString(), "-j", "2"), log) != 0) {
        if (sanitize) missingSanitizerRuntime(log, cxx);
        return new Outcome(false, 0, 0, List.of(), tail(log), null, -1, null);
      }
      long stack = measureStack ? StackUsage.deepest(build).orElse(-1) : -1;
      StackUsage.StepStack step = measureStack ? StackUsage.deepestStep(build).orElse(null) : null;
      StringBuilder test = new StringBuilder();
      Processes.run(List.of("ctest", "--test-dir", build.toString(), "--output-on-failure", "-V"), test);
      Matcher m = Pattern.compile("bit-exact: (\\d+)/(\\d+) samples").matcher(test);
      java.util.Set<String> found = new java.util.LinkedHashSet<>();
      Matcher mm = Pattern.compile("mismatch: [^\\n]*").matcher(test);
      while (mm.find()) found.add(mm.group());
      List<String> mismatches = new ArrayList<>(found);
      Matcher fd = Pattern.compile("first divergent node: ([^\\n]*) \\(sample").matcher(test);
      String first = fd.find() ? fd.group(1) : null;
      if (inBuild != null) inBuild.accept(build, test.toString());
      if (!m.find()) return new Outcome(true, 0, 0, mismatches.isEmpty() ? List.of("selftest did not finish: " + tail(test)) : mismatches, tail(test), first, stack, step);
      return new Outcome(true, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), mismatches, tail(test), first, stack, step);
    } finally {
      dev.quench.ir.io.Dirs.deleteTree(build);
    }
  }

  private static final Pattern MISSING_RUNTIME = Pattern.compile(
      "cannot find (-l(?:asan|ubsan)\\b|\\S*?(?:libclang_rt\\.[\\w.-]+|lib(?:asan|ubsan)[\\w.-]*))"),
      LLVM_VERSION = Pattern.compile("/llvm-(\\d+)/"), CXX_USED = Pattern.compile("Check for working CXX compiler: (\\S+)");

  /**
   * A sanitizer build whose link failed for want of the compiler's sanitizer runtime (clang without
   * libclang_rt.asan, g++ without libasan / libubsan) is a missing package, not a failed build:
   * one line naming the compiler and the library (exit 2).
   */
  static void missingSanitizerRuntime(CharSequence log, String cxx) {
    Matcher m = MISSING_RUNTIME.matcher(log);
    if (!m.find()) return;
    String lib = m.group(1).startsWith("-l") ? "lib" + m.group(1).substring(2) : Path.of(m.group(1)).getFileName().toString();
    Matcher used = CXX_USED.matcher(log);
    String compiler = cxx != null ? cxx : used.find() ? Path.of(used.group(1)).getFileName().toString() : "the C++ compiler";
    Matcher llvm = LLVM_VERSION.matcher(m.group(1));
    String pkg = lib.startsWith("libclang_rt") && llvm.find() ? "; on Debian: apt-get install libclang-rt-" + llvm.group(1) + "-dev"
        : lib.startsWith("libclang_rt") ? "" : "; on Debian: apt-get install the libasan / libubsan of your g++";
    throw new QuenchException(String.format("%s cannot link -fsanitize=address,undefined builds: its sanitizer runtime %s is missing%s", compiler, lib, pkg));
  }

  private static String tail(CharSequence s) {
    String t = s.toString().strip();
    return t.length() > 4000 ? "..." + t.substring(t.length() - 4000) : t;
  }
}
