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
    if (flags.json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("passed", pass);
      m.put("failed", fail);
      m.put("unsupported", unsup);
      m.put("cases", cases);
      out.println(Json.write(m));
    } else {
      out.println("conformance: " + pass + " passed, " + fail + " failed, " + unsup + " unsupported");
    }
    return fail == 0 ? 0 : Main.EXIT_FAILURES;
  }
}
