package dev.quench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four MLPerf Tiny architectures (../shared/models/mlperf_tiny) as PyTorch exports them,
 * explicit Pad nodes included: they compile with defaults for host, cortex-m4 and cortex-m55 and
 * verify bit-exact, with every Pad folded into its conv or removed (zero) before codegen; KWS
 * int8 agrees with float on the top-1 class.
 */
class MlperfTinyTest {
  @TempDir
  Path tmp;

  @Test
  void asExportedTheyCompileForHostAndCortexMAndVerifyBitExact() throws Exception {
    Path s = TestData.shared();
    Assumptions.assumeTrue(s != null, "the MLPerf Tiny models are in ../shared/models");
    String[][] targets = {{"host", null}, {"cortex-m4", "cortex-m4.cmake"}, {"cortex-m55", "cortex-m55.cmake"}};
    for (String m : new String[] {"kws_dscnn", "ic_resnet8", "vww_mobilenet", "ad_autoencoder"}) {
      Path d = s.resolve("models/mlperf_tiny/" + m);
      for (String[] t : targets) {
        Path out = tmp.resolve(m + "-" + t[0]);
        TestData.Run c = TestData.cli("compile", d.resolve("model.onnx").toString(), "--target", t[0], "--calib", d.resolve("in_input.npy").toString(), "--out",
            out.toString(), "--quiet");
        assertEquals(0, c.code(), m + " " + t[0] + ": " + c.err());
        String summary = Files.readString(out.resolve("summary.json"));
        assertTrue(!summary.contains("\"Pad\""), m + ": the exporter's Pads are folded or removed: " + summary);
        TestData.Run v = t[1] == null ? TestData.cli("verify", out.toString(), "--json")
            : TestData.cli("verify", out.toString(), "--toolchain", TestData.root().resolve("toolchains/" + t[1]).toString(), "--json");
        assertEquals(0, v.code(), m + " " + t[0] + ": " + v.out() + v.err());
        assertTrue(v.out().contains("\"bit_exact\":true"), m + " " + t[0] + ": " + v.out());
        System.out.println(m + " " + t[0] + ": bit-exact");
      }
    }
    Path kws = s.resolve("models/mlperf_tiny/kws_dscnn");
    TestData.Run e = TestData.cli("eval", kws.resolve("model.onnx").toString(), "--calib", kws.resolve("in_input.npy").toString(), "--data",
        kws.resolve("in_input.npy").toString(), "--json", "--quiet");
    assertEquals(0, e.code(), e.err());
    java.util.regex.Matcher top1 = java.util.regex.Pattern.compile("\"top1_agreement\":([0-9.]+)").matcher(e.out());
    assertTrue(top1.find(), e.out());
    double agree = Double.parseDouble(top1.group(1));
    System.out.println("kws_dscnn int8 top-1 agreement with float: " + agree);
    assertTrue(agree >= 0.98, "kws_dscnn int8 top-1 agreement " + agree);
  }
}
