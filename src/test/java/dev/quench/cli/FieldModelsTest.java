package dev.quench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quench.ir.Tensor;
import dev.quench.ir.io.Npy;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models from the field (../shared/models/field): Silero VAD v5 (an If on its sample-rate input,
 * nested shape-driven Ifs, an STFT as a 1-D Conv, an LSTM) with --constant-input sr=16000, and the
 * PP-OCRv4 text recognizer.
 */
class FieldModelsTest {
  @TempDir
  Path tmp;

  private static Path field(String m) {
    Path s = TestData.shared();
    Assumptions.assumeTrue(s != null, "the field models are in ../shared/models");
    return s.resolve("models/field/" + m);
  }

  @Test
  void sileroVadFoldsItsControlFlowAndRunsLikeOnnxRuntimeInFloatAndInt8() throws Exception {
    Path d = field("silero_vad_v5"), model = d.resolve("model.onnx");
    String in = "input=" + d.resolve("in_input.npy"), state = "state=" + d.resolve("in_state.npy");
    // the float interpreter on the 290 recorded chunks (each with the state ONNX Runtime carried into it)
    Path f = tmp.resolve("float");
    TestData.Run r = TestData.cli("run", model.toString(), "--constant-input", "sr=16000", "--input", in, "--input", state, "--out-dir", f.toString(), "--quiet");
    assertEquals(0, r.code(), r.err());
    Tensor p = Npy.read(f.resolve("output.npy")), want = Npy.read(d.resolve("out_output.npy"));
    Tensor s = Npy.read(f.resolve("stateN.npy")), wantS = Npy.read(d.resolve("out_stateN.npy"));
    assertEquals(290, want.numel());
    assertTrue(maxDiff(p, want) < 1e-4, "output within 1e-4 of ONNX Runtime: " + maxDiff(p, want));
    assertTrue(maxDiff(s, wantS) < 1e-3, "stateN within 1e-3 of ONNX Runtime: " + maxDiff(s, wantS));
    // int8 (the LSTM keeps float arithmetic on 8-bit weights): speech / non-speech as ONNX Runtime decides
    Path qir = tmp.resolve("vad.qir"), q = tmp.resolve("int8");
    TestData.Run qz = TestData.cli("quantize", model.toString(), "--constant-input", "sr=16000", "--calib", in, "--calib", state, "-o", qir.toString(), "--quiet");
    assertEquals(0, qz.code(), qz.err());
    TestData.Run qr = TestData.cli("run", qir.toString(), "--input", in, "--input", state, "--out-dir", q.toString(), "--quiet");
    assertEquals(0, qr.code(), qr.err());
    Tensor pq = Npy.read(q.resolve("output.npy"));
    int agree = 0;
    for (int i = 0; i < want.numel(); i++) if ((pq.getDouble(i) > 0.5) == (want.getDouble(i) > 0.5)) agree++;
    System.out.println("silero_vad_v5 int8: " + agree + "/290 speech decisions as ONNX Runtime's");
    assertTrue(agree >= 0.97 * 290, agree + "/290 decisions agree");
    // the SDK on the host and on a Cortex-M4 (8-bit LSTM weights fit its flash)
    for (String[] t : new String[][] {{"host", null}, {"cortex-m4", "cortex-m4.cmake"}}) {
      Path out = tmp.resolve("sdk-" + t[0]);
      TestData.Run c = TestData.cli("compile", model.toString(), "--target", t[0], "--constant-input", "sr=16000", "--calib", in, "--calib", state, "--out", out.toString(),
          "--quiet");
      assertEquals(0, c.code(), t[0] + ": " + c.err());
      TestData.Run v = t[1] == null ? TestData.cli("verify", out.toString(), "--json")
          : TestData.cli("verify", out.toString(), "--toolchain", TestData.root().resolve("toolchains/" + t[1]).toString(), "--json");
      assertEquals(0, v.code(), t[0] + ": " + v.out() + v.err());
      assertTrue(v.out().contains("\"bit_exact\":true"), t[0] + ": " + v.out());
      // a streaming model: the header says which output feeds which input, the selftest runs one chain of calls
      String header = java.nio.file.Files.readString(out.resolve("include/model.h"));
      assertTrue(header.contains("//   output 1 \"stateN\" -> input 1 \"state\"") && header.contains("constexpr int kStateOutput[] = {1};"), header);
      assertTrue(java.nio.file.Files.readString(out.resolve("test/selftest.cpp")).contains("if (s > 0) std::memcpy(g_in1, g_out1, sizeof g_in1);"));
    }
    // a constant for an input the model does not have: one line, exit 2
    TestData.Run bad = TestData.cli("inspect", model.toString(), "--constant-input", "rate=16000", "--input-shape", "input=1x512", "--input-shape", "state=2x1x128");
    assertEquals(2, bad.code(), bad.err());
    assertTrue(bad.err().strip().endsWith("--constant-input rate: the model has no input 'rate'"), bad.err());
  }

  @Test
  void ppOcrV4CompilesForTheHostAndVerifiesBitExact() throws Exception {
    Path d = field("ppocrv4_rec");
    Path out = tmp.resolve("ppocr");
    TestData.Run c = TestData.cli("compile", d.resolve("model.onnx").toString(), "--calib", d.resolve("in_x.npy").toString(), "--out", out.toString(), "--quiet");
    assertEquals(0, c.code(), c.err());
    // integer throughout: the attention's MatMuls, Softmax and LayerNorms, the learnable affine blocks
    assertTrue(java.nio.file.Files.readString(out.resolve("summary.json")).contains("\"float_nodes\":[]"), "float nodes left");
    TestData.Run v = TestData.cli("verify", out.toString(), "--json");
    assertEquals(0, v.code(), v.out() + v.err());
    assertTrue(v.out().contains("\"bit_exact\":true"), v.out());
  }

  private static double maxDiff(Tensor a, Tensor b) {
    assertEquals(a.numel(), b.numel());
    double m = 0;
    for (int i = 0; i < a.numel(); i++) m = Math.max(m, Math.abs(a.getDouble(i) - b.getDouble(i)));
    return m;
  }
}
