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

  /**
   * The newer integer forms (comparisons, Where, reductions, PRelu, MatMul of two activations,
   * ConvTranspose) export as their float ops between Q/DQ pairs; ONNX Runtime computes what the
   * integer interpreter does, up to rounding.
   */
  @Test
  void theIntegerFormsExport() throws Exception {
    // (attn: ONNX Runtime 1.20's QDQ fusions compute another result on it, unfused it agrees: the
    // exported graph is right, the fused kernels differ; compared unfused)
    Object[][] models = {{"cmp", IntegerFormsTest.model(), new int[] {1, 3, 8, 8}, false}, {"prelu", IntegerFormsTest.preluModel(), new int[] {1, 3, 8, 8}, false},
        {"convt", IntegerFormsTest.convTransposeModel(), new int[] {1, 3, 8, 8}, false}, {"attn", MatMulIntegerTest.attentionModel(), new int[] {1, 8, 16}, true}};
    for (Object[] mo : models) {
      String name = (String) mo[0];
      int[] shape = (int[]) mo[2];
      int per = java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
      Path m = tmp.resolve(name + ".onnx"), calib = tmp.resolve(name + "_calib.npy"), qir = tmp.resolve(name + ".qir"), onnx = tmp.resolve(name + "_qdq.onnx");
      Files.write(m, (byte[]) mo[1]);
      java.util.Random r = new java.util.Random(23);
      float[] x = new float[8 * per];
      for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
      int[] all = new int[shape.length];
      System.arraycopy(shape, 1, all, 1, shape.length - 1);
      all[0] = 8;
      Npy.write(calib, Tensor.ofFloat(all, x));
      assertEquals(0, TestData.cli("quantize", m.toString(), "--calib", calib.toString(), "-o", qir.toString(), "--quiet").code(), name);
      TestData.Run e = TestData.cli("export-qdq", qir.toString(), "-o", onnx.toString(), "--json");
      assertEquals(0, e.code(), name + ": " + e.err());
      dev.quench.ir.Interpreter qi = new dev.quench.ir.Interpreter(dev.quench.ir.mw.MiddlewareParser.read(qir));
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      double signal = 0, noise = 0;
      long[] dims = java.util.Arrays.stream(shape).asLongStream().toArray();
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      if ((Boolean) mo[3]) options.addConfigEntry("session.disable_quant_qdq", "1");
      try (OrtSession s = env.createSession(onnx.toString(), options)) {
        for (int i = 0; i < 8; i++) {
          float[] one = java.util.Arrays.copyOfRange(x, i * per, (i + 1) * per);
          Tensor want = qi.run(Map.of("x", Tensor.ofFloat(shape, one))).get("y");
          try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(one), dims); OrtSession.Result res = s.run(Map.of("x", t))) {
            float[] got = ((OnnxTensor) res.get("y").get()).getFloatBuffer().array();
            for (int k = 0; k < got.length; k++) {
              signal += (double) want.f[k] * want.f[k];
              noise += (double) (want.f[k] - got[k]) * (want.f[k] - got[k]);
            }
          }
        }
      }
      double sqnr = 10 * Math.log10(signal / Math.max(noise, 1e-30));
      System.out.printf("export-qdq %s: ONNX Runtime vs integer interpreter SQNR %.1f dB%n", name, sqnr);
      assertTrue(sqnr >= 25, name + ": SQNR " + sqnr);
    }
  }

  @Test
  void onlyQuantizedMiddlewareIsExported() {
    TestData.Run r = TestData.cli("export-qdq", TestData.example().resolve("fashion_mobilenet.onnx").toString(), "-o", tmp.resolve("x.onnx").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("export-qdq reads a quantized .qir"), r.err());
    assertTrue(!Files.exists(tmp.resolve("x.onnx")));
  }
}
