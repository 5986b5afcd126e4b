package dev.quench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quench.ir.Tensor;
import dev.quench.ir.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** quench quantize / eval on the shared models: accuracy after power-of-two int8 quantization. */
class QuantizeTest {
  @TempDir
  Path tmp;

  private static String eval(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "eval";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--json";
    TestData.Run r = TestData.cli(all);
    assertEquals(0, r.code(), r.err());
    return r.out();
  }

  @Test
  void digitsModelsLoseAtMostOnePoint() {
    Path s = TestData.shared();
    assumeTrue(s != null, "needs ../shared/models");
    Path d = s.resolve("models/digits");
    for (String m : new String[] {"digits_cnn", "digits_repvgg", "digits_qarepvgg", "digits_mlp", "digits_vit"}) {
      String j = eval(d.resolve(m + ".onnx").toString(), "--calib", d.resolve("digits_calib_x.npy").toString(), "--data",
          d.resolve("digits_test_x.npy").toString(), "--labels", d.resolve("digits_test_y.npy").toString());
      double f = TestData.number(j, "float_top1"), q = TestData.number(j, "quant_top1");
      System.out.printf("%s: float %.4f quant %.4f%n", m, f, q);
      assertTrue(q >= f - 0.01 + 1e-9, m + ": float " + f + " quant " + q);
    }
  }

  @Test
  void mnistAndSqueezenet() {
    Path s = TestData.shared();
    assumeTrue(s != null, "needs ../shared/models");
    Path mn = s.resolve("models/real/mnist_cntk");
    String j = eval(mn.resolve("model.onnx").toString(), "--calib", mn.resolve("in_Input3.npy").toString(), "--data", mn.resolve("in_Input3.npy").toString(),
        "--labels", mn.resolve("labels_int64.npy").toString());
    assertTrue(TestData.number(j, "quant_top1") >= TestData.number(j, "float_top1") - 0.005 + 1e-9, j.substring(0, 300));
    Path sq = s.resolve("models/real/squeezenet1.1");
    j = eval(sq.resolve("model.onnx").toString(), "--calib", "data_0=" + sq.resolve("in_data_0.npy"), "--data", "data_0=" + sq.resolve("in_data_0.npy"));
    assertEquals(1.0, TestData.number(j, "top1_agreement"), "squeezenet: top-1 equal to float on all 8 photos");
    Path uf = s.resolve("models/real/ultraface_slim320");
    j = eval(uf.resolve("model.onnx").toString(), "--calib", "input=" + uf.resolve("in_input.npy"), "--data", "input=" + uf.resolve("in_input.npy"));
    assertTrue(TestData.number(j, "scores") >= 20 && TestData.number(j, "boxes") >= 20, j.substring(0, 400));
  }

  /** The bundled example: quantize to middleware, run the integer network with `quench run`, compare with the labels. */
  @Test
  void quantizedMiddlewareRunsWithQuenchRun() throws Exception {
    Path ex = TestData.example();
    Path qir = tmp.resolve("fm_int8.qir"), report = tmp.resolve("report.json");
    TestData.Run q = TestData.cli("quantize", ex.resolve("fashion_mobilenet.onnx").toString(), "--calib", ex.resolve("calib_x.npy").toString(),
        "-o", qir.toString(), "--report-json", report.toString());
    assertEquals(0, q.code(), q.err());
    assertTrue(q.out().contains("SQNR dB") && Files.readString(report).contains("\"sqnr_db\""), q.out());
    String text = Files.readString(qir);
    assertTrue(text.contains("q(bits=8, frac=[") && text.contains("shift_right=["), "middleware carries bits, fracs and shifts");
    TestData.Run r = TestData.cli("run", qir.toString(), "--input", ex.resolve("test_x.npy").toString(), "--labels", ex.resolve("test_y.npy").toString(),
        "--out-dir", tmp.resolve("o").toString(), "--json");
    assertEquals(0, r.code(), r.err());
    double top1 = TestData.number(r.out(), "top1");
    System.out.println("fashion example, int8 middleware: top-1 " + top1);
    assertTrue(top1 >= 0.92, "int8 top-1 on the 500 bundled images (float: 0.94): " + top1);
    Tensor logits = Npy.read(tmp.resolve("o/logits.npy"));
    assertEquals(500, logits.dim(0));
    // --raw: the int16 tensor before the final DequantizeLinear, q * 2^-frac == the float output
    TestData.Run raw = TestData.cli("run", qir.toString(), "--input", ex.resolve("test_x.npy").toString(), "--out-dir", tmp.resolve("r").toString(), "--raw");
    assertEquals(0, raw.code(), raw.err());
    Tensor ints = Npy.read(tmp.resolve("r/logits_q.npy"));
    assertEquals(dev.quench.ir.DType.INT16, ints.dtype);
    Matcher fm = Pattern.compile("%logits/q : i16\\[1,10\\] q\\(bits=16, frac=\\[(\\d+)\\]").matcher(text);
    assertTrue(fm.find(), "frac of logits/q in the middleware");
    int frac = Integer.parseInt(fm.group(1));
    for (int i = 0; i < logits.numel(); i++) assertEquals(logits.f[i], Math.scalb((float) ints.l[i], -frac), 0f);
  }

  @Test
  void detectorAndClassifierOutputsKeepTwentyDb() {
    Path s = TestData.shared();
    assumeTrue(s != null, "needs ../shared/models");
    Path y = s.resolve("models/real/yunet_n_320");
    String j = eval(y.resolve("model.onnx").toString(), "--calib", "input=" + y.resolve("in_input.npy"), "--data", "input=" + y.resolve("in_input.npy"));
    for (String o : new String[] {"cls_8", "cls_16", "cls_32", "obj_8", "obj_16", "obj_32", "bbox_8", "bbox_16", "bbox_32", "kps_8", "kps_16", "kps_32"}) {
      assertTrue(TestData.number(j, o) >= 20, "yunet " + o + ": " + TestData.number(j, o) + " dB");
    }
    Path p = s.resolve("models/real/ppocr_mobile_v2_cls");
    j = eval(p.resolve("model.onnx").toString(), "--calib", "x=" + p.resolve("in_x.npy"), "--data", "x=" + p.resolve("in_x.npy"));
    assertTrue(TestData.number(j, "softmax_0.tmp_0") >= 20, j.substring(0, 300));
  }

  @Test
  void mixedPrecisionReportsItsPromotions() {
    Path s = TestData.shared();
    assumeTrue(s != null, "needs ../shared/models");
    Path d = s.resolve("models/digits");
    String j = eval(d.resolve("digits_cnn.onnx").toString(), "--calib", d.resolve("digits_calib_x.npy").toString(), "--data",
        d.resolve("digits_test_x.npy").toString(), "--labels", d.resolve("digits_test_y.npy").toString(), "--mixed", "--budget", "2K", "--quiet");
    Matcher m = Pattern.compile("\\{\"tensor\":\"[^\"]+\",\"op\":\"[A-Za-z]+\",\"extra_bytes\":(\\d+),\"measure\":\"sqnr\",\"why\":\"alone at 8 bits[^\"]+dB").matcher(j);
    long total = 0;
    int count = 0;
    while (m.find()) {
      total += Long.parseLong(m.group(1));
      count++;
    }
    assertTrue(count > 0 && total <= 2048, count + " promotions, " + total + " bytes: " + j.substring(0, Math.min(600, j.length())));
    assertTrue(TestData.number(j, "quant_top1") >= TestData.number(j, "float_top1") - 0.01, j.substring(0, 300));
  }
}
