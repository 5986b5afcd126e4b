package dev.quench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.quench.ir.Tensor;
import dev.quench.ir.io.Npy;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * export-qdq: the quantized example written as standard ONNX QuantizeLinear / DequantizeLinear
 * runs in ONNX Runtime and agrees with Quench's integer interpreter on 200 test images: the same
 * class for every image and SQNR of the logits at least 30 dB (they differ only by rounding).
 */
class QdqExportTest {
  @TempDir
  Path tmp;

  @Test
  void onnxRuntimeAgreesWithTheIntegerInterpreter() throws Exception {
    Path ex = TestData.example(), qir = tmp.resolve("q.qir"), onnx = tmp.resolve("q_qdq.onnx");
    assertEquals(0, TestData.cli("quantize", ex.resolve("fashion_mobilenet.onnx").toString(), "--calib", ex.resolve("calib_x.npy").toString(), "-o", qir.toString(),
        "--quiet").code());
    TestData.Run e = TestData.cli("export-qdq", qir.toString(), "-o", onnx.toString(), "--json");
    assertEquals(0, e.code(), e.err());
    assertTrue(e.out().contains("\"QuantizeLinear\"") && e.out().contains("\"DequantizeLinear\""), e.out());
    // 200 images through the integer interpreter
    Tensor all = Npy.read(ex.resolve("test_x.npy"));
    int n = 200, per = 28 * 28;
    float[] sub = java.util.Arrays.copyOf(all.f, n * per);
    Path x = tmp.resolve("x.npy");
    Npy.write(x, Tensor.ofFloat(new int[] {n, 1, 28, 28}, sub));
    Path runOut = tmp.resolve("run");
    assertEquals(0, TestData.cli("run", qir.toString(), "--input", x.toString(), "--out-dir", runOut.toString()).code());
    Tensor quench;
    try (var files = Files.list(runOut)) {
      quench = Npy.read(files.findFirst().orElseThrow());
    }
    // the same images through ONNX Runtime
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    double signal = 0, noise = 0;
    int agree = 0;
    try (OrtSession s = env.createSession(onnx.toString(), new OrtSession.SessionOptions())) {
      String input = s.getInputNames().iterator().next();
      for (int i = 0; i < n; i++) {
        float[] img = java.util.Arrays.copyOfRange(sub, i * per, (i + 1) * per);
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(img), new long[] {1, 1, 28, 28}); OrtSession.Result r = s.run(Map.of(input, t))) {
          float[] ort = ((float[][]) r.get(0).getValue())[0];
          int bo = 0, bq = 0;
          for (int k = 0; k < ort.length; k++) {
            float q = quench.f[i * ort.length + k];
            signal += (double) q * q;
            noise += (double) (q - ort[k]) * (q - ort[k]);
            if (ort[k] > ort[bo]) bo = k;
            if (q > quench.f[i * ort.length + bq]) bq = k;
          }
          if (bo == bq) agree++;
        }
      }
    }
    double sqnr = 10 * Math.log10(signal / Math.max(noise, 1e-30));
    System.out.printf("export-qdq: ONNX Runtime vs integer interpreter on %d images: argmax agreement %d/%d, SQNR %.1f dB%n", n, agree, n, sqnr);
    assertEquals(n, agree, "the same class for every image");
    assertTrue(sqnr >= 30, "SQNR " + sqnr);
  }

  @Test
  void onlyQuantizedMiddlewareIsExported() {
    TestData.Run r = TestData.cli("export-qdq", TestData.example().resolve("fashion_mobilenet.onnx").toString(), "-o", tmp.resolve("x.onnx").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("export-qdq reads a quantized .qir"), r.err());
    assertTrue(!Files.exists(tmp.resolve("x.onnx")));
  }
}
