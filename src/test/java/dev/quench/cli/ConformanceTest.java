package dev.quench.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The ONNX backend node tests (Debian libonnx-testdata, installed by scripts/test). */
class ConformanceTest {
  static final Path NODE_TESTS = Path.of("/usr/share/libonnx-testdata/data/node");

  @Test
  void nodeSuitePassRate() {
    assertTrue(Files.isDirectory(NODE_TESTS), NODE_TESTS + " missing: run scripts/test, which installs libonnx-testdata");
    List<ConformanceRunner.CaseResult> results = ConformanceRunner.runAll(NODE_TESTS);
    long pass = results.stream().filter(r -> r.status() == ConformanceRunner.Status.PASS).count();
    long fail = results.stream().filter(r -> r.status() == ConformanceRunner.Status.FAIL).count();
    String failures = results.stream().filter(r -> r.status() == ConformanceRunner.Status.FAIL)
        .map(r -> r.name() + ": " + r.reason()).collect(Collectors.joining("\n"));
    System.out.println("conformance: " + pass + " passed, " + fail + " failed");
    assertTrue(pass >= 670, "at least 670 cases pass (665 before the recurrent layers), got " + pass);
    assertTrue(pass >= 0.97 * (pass + fail), "97 % of supported cases pass: " + pass + "/" + (pass + fail) + "\n" + failures);
  }

  @Test
  void cliSummaryLineAndJson() {
    Path one = NODE_TESTS.resolve("test_relu");
    assertTrue(Files.isDirectory(one), one + " missing");
    TestData.Run r = TestData.cli("conformance", NODE_TESTS.toString(), "--json");
    assertTrue(r.out().startsWith("{\"passed\":"), r.out().substring(0, Math.min(200, r.out().length())));
    assertTrue(r.out().contains("{\"name\":\"test_relu\",\"status\":\"pass\"}"));
    TestData.Run text = TestData.cli("conformance", NODE_TESTS.toString());
    String last = text.out().strip().lines().reduce((a, b) -> b).orElse("");
    assertTrue(last.matches("conformance: \\d+ passed, \\d+ failed, \\d+ unsupported"), last);
  }
}
