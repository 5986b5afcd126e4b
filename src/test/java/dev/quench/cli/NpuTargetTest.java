package dev.quench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The virtual NPU target: segments of NPU nodes emitted as command streams, run through the
 * reference HAL bit-exactly (whole segments, and one command at a time in trace builds); a
 * corrupted command is reported by the HAL, not silently skipped. The bundled example always;
 * with ../shared, digits_cnn and squeezenet1.1 (nine segments with CPU fallback between) too.
 */
class NpuTargetTest {
  @TempDir
  Path tmp;

  @Test
  void npuSegmentsAreBitExactThroughTheReferenceHal() throws Exception {
    Path ex = TestData.example();
    List<String[]> models = new ArrayList<>();
    models.add(new String[] {"fashion_mobilenet", ex.resolve("fashion_mobilenet.onnx").toString(), ex.resolve("calib_x.npy").toString(), "1"});
    Path s = TestData.shared();
    if (s != null) {
      Path d = s.resolve("models/digits"), sq = s.resolve("models/real/squeezenet1.1");
      models.add(new String[] {"digits_cnn", d.resolve("digits_cnn.onnx").toString(), d.resolve("digits_calib_x.npy").toString(), "1"});
      models.add(new String[] {"squeezenet", sq.resolve("model.onnx").toString(), "data_0=" + sq.resolve("in_data_0.npy"), "9"});
    }
    for (String[] m : models) {
      Path out = tmp.resolve(m[0]);
      TestData.Run c = TestData.cli("compile", m[1], "--target", "npu", "--calib", m[2], "--out", out.toString(), "--name", m[0], "--quiet", "--json");
      assertEquals(0, c.code(), c.err());
      String summary = Files.readString(out.resolve("summary.json"));
      assertEquals(Integer.parseInt(m[3]), (int) TestData.number(summary, "segments"), m[0] + ": " + summary);
      // the quantize / dequantize edges stay on the CPU, with their reason
      assertTrue(summary.contains("\"reason\":\"QuantizeLinear is not an NPU op\""), summary);
      String cpp = Files.readString(out.resolve("src/" + m[0] + ".cpp"));
      assertTrue(cpp.contains("const quench_npu_command k_npu_segment_0["), m[0]);
      assertTrue(Files.exists(out.resolve("runtime/quench/npu_reference.cpp")) && Files.readString(out.resolve("README.md")).contains("quench_npu_submit"));
      TestData.Run v = TestData.cli("verify", out.toString(), "--sanitize", "--json");
      assertEquals(0, v.code(), m[0] + ": " + v.out() + v.err());
      assertTrue(v.out().contains("\"bit_exact\":true") && v.out().contains("\"exact_samples\":4"), v.out());
    }

    // trace build: one command per submit, every node's hash compared with the Java interpreter's
    Path sdk = tmp.resolve("fashion_mobilenet"), build = tmp.resolve("trace-build");
    StringBuilder log = new StringBuilder();
    assertEquals(0, Processes.run(List.of("cmake", "-S", sdk.toString(), "-B", build.toString(), "-DQUENCH_TRACE=ON"), log), log.toString());
    assertEquals(0, Processes.run(List.of("cmake", "--build", build.toString()), log), log.toString());
    String traced = Processes.output(List.of(build.resolve("fashion_mobilenet_selftest").toString()));
    assertTrue(traced.contains("bit-exact: 4/4 samples") && !traced.contains("first divergent"), traced);

    // a command the HAL does not know: run() fails with 2 and the selftest says so
    Path cpp = sdk.resolve("src/fashion_mobilenet.cpp");
    Files.writeString(cpp, Files.readString(cpp).replaceFirst("\\{QUENCH_NPU_CONV,", "{77,"));
    TestData.Run bad = TestData.cli("verify", sdk.toString());
    assertFalse(bad.code() == 0, bad.out());
    assertTrue(bad.out().contains("run failed on sample 0"), bad.out() + bad.err());
  }
}
