package dev.quench.cli;

import dev.quench.driver.SdkCompiler;
import dev.quench.ir.Graph;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import dev.quench.ir.io.Dirs;
import dev.quench.ir.target.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code conformance DIR --sdk}: every case the interpreter passes also runs through a generated
 * float host SDK (the float pipeline, then codegen; the golden sample is the test's first input
 * set, its outputs the interpreter's), all SDKs built in one CMake project and each selftest run.
 * A case passes when its selftest is bit-exact.
 */
final class ConformanceSdk {
  private ConformanceSdk() {}

  record Failure(String name, String reason) {}

  record Result(int passed, List<Failure> failures) {}

  static Result run(Path dir, List<ConformanceRunner.CaseResult> interpreted) {
    Path work;
    try {
      work = Files.createTempDirectory("quench-conformance-sdk-");
    } catch (IOException e) {
      throw new QuenchException("cannot create a build directory: " + e.getMessage(), e);
    }
    try {
      List<Failure> failures = new ArrayList<>();
      List<String> built = new ArrayList<>();
      for (ConformanceRunner.CaseResult c : interpreted) {
        if (c.status() != ConformanceRunner.Status.PASS) continue;
        String reason = generate(dir.resolve(c.name()), work.resolve(c.name()), c.name());
        if (reason == null) built.add(c.name());
        else failures.add(new Failure(c.name(), reason));
      }
      StringBuilder top = new StringBuilder("cmake_minimum_required(VERSION 3.16)\nproject(quench_conformance CXX)\n");
      for (String b : built) top.append("add_subdirectory(").append(b).append(")\n");
      Files.writeString(work.resolve("CMakeLists.txt"), top.toString());
      Path build = work.resolve("build");
      StringBuilder log = new StringBuilder();
      List<String> configure = new ArrayList<>(List.of("cmake", "-S", work.toString(), "-B", build.toString(), "-DCMAKE_BUILD_TYPE=Debug"));
      if (Processes.onPath("ninja")) configure.addAll(List.of("-G", "Ninja"));
      if (Processes.run(configure, log) != 0) throw new QuenchException("conformance --sdk: cmake configure failed: " + tail(log));
      int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
      Processes.run(List.of("cmake", "--build", build.toString(), "-j", Integer.toString(cores), "--", Processes.onPath("ninja") ? "-k0" : "-k"), log);
      int passed = 0;
      for (String b : built) {
        Path exe = null;  // (the SDK's model name is the case's, made a C++ identifier)
        if (Files.isDirectory(build.resolve(b))) {
          try (Stream<Path> s = Files.list(build.resolve(b))) {
            exe = s.filter(p -> p.getFileName().toString().endsWith("_selftest") && Files.isRegularFile(p)).findFirst().orElse(null);
          }
        }
        if (exe == null) {
          failures.add(new Failure(b, "the SDK does not build" + firstError(log.toString(), b)));
          continue;
        }
        StringBuilder out = new StringBuilder();
        Processes.run(List.of(exe.toString()), out);
        if (out.toString().contains("bit-exact: 1/1 samples")) passed++;
        else failures.add(new Failure(b, tail(out)));
      }
      failures.sort(java.util.Comparator.comparing(Failure::name));
      return new Result(passed, failures);
    } catch (IOException e) {
      throw new QuenchException("conformance --sdk: " + e.getMessage(), e);
    } finally {
      // (-Dquench.conformance.keep=true keeps the SDKs and their build for a look)
      if (!Boolean.getBoolean("quench.conformance.keep")) Dirs.deleteTree(work);
      else System.err.println("quench: conformance SDKs kept in " + work);
    }
  }

  /** The SDK of one case under out, or why there is none (null: generated). */
  private static String generate(Path caseDir, Path out, String name) {
    try {
      Path set;
      try (Stream<Path> s = Files.list(caseDir)) {
        set = s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().findFirst().orElse(null);
      }
      if (set == null) return "no test_data_set_*";
      ConformanceRunner.Loaded ld = ConformanceRunner.load(caseDir.resolve("model.onnx"), set);
      if (ld == null) return "more input files than model inputs";
      Graph g = SdkCompiler.optimizeFloat(ld.graph(), Target.HOST);
      Map<String, Tensor> golden = new LinkedHashMap<>();
      for (Value v : g.dataInputs()) golden.put(v.name, ld.feed().get(v.name));
      SdkCompiler.compile(g, name, "host", out, List.of(golden), false);
      return null;
    } catch (QuenchException e) {
      return firstLine(e.getMessage());
    } catch (IOException | RuntimeException e) {
      return ConformanceRunner.internal(e);
    }
  }

  /** The compiler's first error in case b's sources, as ": file:line: message" (empty when the log has none). */
  private static String firstError(String log, String b) {
    for (String line : log.split("\n")) {
      int at = line.indexOf("/" + b + "/");
      if (at >= 0 && line.contains("error:")) return ": " + line.substring(at + 1).strip();
    }
    return "";
  }

  private static String firstLine(String s) {
    if (s == null) return "error";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static String tail(CharSequence s) {
    String t = s.toString().strip();
    int nl = t.lastIndexOf('\n');
    return nl < 0 ? t : t.substring(nl + 1);
  }
}
