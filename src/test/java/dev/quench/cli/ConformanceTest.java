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

  /**
   * The C++ path (conformance --sdk: each case the interpreter passes through a generated float
   * host SDK, bit-exact with the interpreter) on every 5th case; the whole suite's figure is in the
   * notes (about two minutes: every SDK is built).
   */
  @Test
  void sdkPathPassesOnASampleOfTheCases(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    assertTrue(Files.isDirectory(NODE_TESTS), NODE_TESTS + " missing");
    List<Path> all;
    try (var s = Files.list(NODE_TESTS)) {
      all = s.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).sorted().toList();
    }
    for (int i = 0; i < all.size(); i += 5) Files.createSymbolicLink(tmp.resolve(all.get(i).getFileName()), all.get(i));
    TestData.Run r = TestData.cli("conformance", tmp.toString(), "--sdk", "--json");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"sdk\":\\{\"passed\":(\\d+),\"failed\":(\\d+)").matcher(r.out());
    assertTrue(m.find(), r.out().substring(0, Math.min(400, r.out().length())) + r.err());
    int p = Integer.parseInt(m.group(1)), f = Integer.parseInt(m.group(2));
    System.out.println("conformance --sdk sample: " + p + " of " + (p + f) + " bit-exact");
    assertTrue(p + f >= 100, "cases the interpreter passes in the sample: " + (p + f));
    // (the whole suite: 661 of 677 today; the target is 97 %, this floor keeps what the C++ path has)
    assertTrue(p >= 0.95 * (p + f), "the C++ path passes 95 % of them: " + p + "/" + (p + f) + " " + r.out().substring(r.out().indexOf("\"sdk\"")));
  }

  /**
   * Forms of the C++ path by name, whichever the sample above takes: QDQ with per-axis and run-time
   * scales, GatherElements with run-time indices, DepthToSpace / SpaceToDepth (affine on refined
   * dims), one- and two-input variadic ops, integer and mixed Pow, TopK, ConvTranspose (3-D, auto
   * pad), linear and cubic Resize, float16 / bfloat16 / float64 at the edges, uint64, Dropout's
   * mask, MeanVarianceNormalization.
   */
  @Test
  void sdkPathRunsTheseFormsBitExact(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    List<String> cases = List.of("test_quantizelinear_axis", "test_dequantizelinear", "test_dynamicquantizelinear_expanded", "test_gather_elements_1",
        "test_gather_elements_negative_indices", "test_depthtospace_crd_mode", "test_depthtospace_example", "test_spacetodepth", "test_max_one_input",
        "test_sum_two_inputs", "test_pow_types_int32_int32", "test_pow_types_float32_int64", "test_top_k_smallest", "test_convtranspose_3d",
        "test_convtranspose_autopad_same", "test_resize_upsample_scales_linear", "test_resize_downsample_scales_cubic_A_n0p5_exclude_outside",
        "test_cast_FLOAT_to_FLOAT16", "test_cast_BFLOAT16_to_FLOAT", "test_castlike_FLOAT16_to_DOUBLE", "test_cumsum_2d_axis_1", "test_max_uint64",
        "test_dropout_default_mask", "test_mvn");
    for (String c : cases) Files.createSymbolicLink(tmp.resolve(c), NODE_TESTS.resolve(c));
    TestData.Run r = TestData.cli("conformance", tmp.toString(), "--sdk", "--json");
    assertTrue(r.out().contains("\"sdk\":{\"passed\":" + cases.size() + ",\"failed\":0"), r.out() + r.err());
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
