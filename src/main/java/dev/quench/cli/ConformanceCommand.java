package dev.quench.cli;

import dev.quench.ir.io.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code quench conformance DIR}: runs every ONNX backend test case under DIR. Exit 1 when any case fails. */
@Command(name = "conformance", mixinStandardHelpOptions = true, description = "Run ONNX backend node tests (model.onnx + test_data_set_*) through the interpreter.")
final class ConformanceCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "Folder of test cases, e.g. /usr/share/libonnx-testdata/data/node.")
  Path dir;

  @picocli.CommandLine.Option(names = "--sdk", description = "Also run every case the interpreter passes through a generated float host SDK (built in one CMake project) and count the bit-exact ones.")
  boolean sdk;

  @picocli.CommandLine.Mixin
  OutputOptions flags;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<ConformanceRunner.CaseResult> results = ConformanceRunner.runAll(dir);
    int pass = 0, fail = 0, unsup = 0;
    List<Object> cases = new ArrayList<>();
    for (var r : results) {
      switch (r.status()) {
        case PASS -> pass++;
        case FAIL -> fail++;
        default -> unsup++;
      }
      String status = r.status().name().toLowerCase(java.util.Locale.ROOT);
      if (flags.json) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", r.name());
        c.put("status", status);
        if (!r.reason().isEmpty()) c.put("reason", r.reason());
        cases.add(c);
      } else {
        out.println(status + " " + r.name() + (r.reason().isEmpty() ? "" : "  " + r.reason()));
      }
    }
    ConformanceSdk.Result sdkResult = sdk ? ConformanceSdk.run(dir, results) : null;
    if (flags.json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("passed", pass);
      m.put("failed", fail);
      m.put("unsupported", unsup);
      if (sdkResult != null) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("passed", sdkResult.passed());
        s.put("failed", sdkResult.failures().size());
        List<Object> fs = new ArrayList<>();
        for (var f : sdkResult.failures()) fs.add(new LinkedHashMap<>(Map.of("name", f.name(), "reason", f.reason())));
        s.put("failures", fs);
        m.put("sdk", s);
      }
      m.put("cases", cases);
      out.println(Json.write(m));
    } else {
      if (sdkResult != null) for (var f : sdkResult.failures()) out.println("sdk-fail " + f.name() + "  " + f.reason());
      out.println("conformance: " + pass + " passed, " + fail + " failed, " + unsup + " unsupported");
      if (sdkResult != null) out.println("sdk: " + sdkResult.passed() + " passed, " + sdkResult.failures().size() + " failed (of the " + pass + " the interpreter passes)");
    }
    return fail == 0 && (sdkResult == null || sdkResult.failures().isEmpty()) ? 0 : Main.EXIT_FAILURES;
  }
}
