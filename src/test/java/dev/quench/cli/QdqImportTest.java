package dev.quench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import dev.quench.frontend.OnnxBuilder;
import dev.quench.ir.Tensor;
import dev.quench.ir.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model as a QAT tool exports it: QuantizeLinear/DequantizeLinear pairs on activations (one scale
 * a power of two, one not) and int8 weights behind DequantizeLinear with per-channel power-of-two
 * scales. Quench keeps the scales (rounded to powers of two, the error reported), and the weights
 * come through exactly.
 */
class QdqImportTest {
  @TempDir
  Path tmp;

  private static TensorProto int8(String name, long[] dims, byte[] v) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT8_VALUE).setRawData(ByteString.copyFrom(v));
    for (long d : dims) t.addDims(d);
    return t.build();
  }

  private Path model() throws Exception {
    Random r = new Random(11);
    byte[] w = new byte[8 * 4 * 3 * 3];
    for (int i = 0; i < w.length; i++) w[i] = (byte) (r.nextInt(200) - 100);
    float[] ws = new float[8];
    java.util.Arrays.fill(ws, 1f / 128);
    float[] w2 = new float[8 * 8];
    for (int i = 0; i < w2.length; i++) w2[i] = (float) (0.2 * r.nextGaussian());
    OnnxBuilder b = new OnnxBuilder(13).input("x", TensorProto.DataType.FLOAT_VALUE, 1, 4, 6, 6).output("y", TensorProto.DataType.FLOAT_VALUE, 1, 8, 6, 6)
        .initializer("s_x", new long[0], 0.05f).initializer(int8("z", new long[0], new byte[] {0}))
        .initializer("s_r", new long[0], 0.0625f)
        .initializer(int8("w_q", new long[] {8, 4, 3, 3}, w)).initializer("w_s", new long[] {8}, ws)
        .initializer("w2", new long[] {8, 8, 1, 1}, w2)
        .node("qx", "QuantizeLinear", List.of("x", "s_x", "z"), List.of("x_q"))
        .node("dqx", "DequantizeLinear", List.of("x_q", "s_x", "z"), List.of("x_dq"))
        .node("dqw", "DequantizeLinear", List.of("w_q", "w_s"), List.of("w"), OnnxBuilder.intAttr("axis", 0))
        .node("conv", "Conv", List.of("x_dq", "w"), List.of("c"), OnnxBuilder.ints("pads", 1, 1, 1, 1))
        .node("relu", "Relu", List.of("c"), List.of("r"))
        .node("qr", "QuantizeLinear", List.of("r", "s_r", "z"), List.of("r_q"))
        .node("dqr", "DequantizeLinear", List.of("r_q", "s_r", "z"), List.of("r_dq"))
        .node("conv2", "Conv", List.of("r_dq", "w2"), List.of("y"));
    Path m = tmp.resolve("qat.onnx");
    Files.write(m, b.bytes());
    float[] x = new float[16 * 4 * 6 * 6];
    for (int i = 0; i < x.length; i++) x[i] = (float) Math.max(-3, Math.min(3, r.nextGaussian()));
    Npy.write(tmp.resolve("x.npy"), Tensor.ofFloat(new int[] {16, 4, 6, 6}, x));
    return m;
  }

  @Test
  void scalesAreKeptRoundedAndReported() throws Exception {
    Path m = model();
    Path qir = tmp.resolve("q.qir");
    TestData.Run q = TestData.cli("quantize", m.toString(), "--calib", tmp.resolve("x.npy").toString(), "-o", qir.toString(), "--json", "--quiet");
    assertEquals(0, q.code(), q.err());
    String j = q.out();
    assertTrue(j.contains("{\"tensor\":\"x\",\"scale\":0.05") && j.contains("\"frac\":4,\"relative_scale_error\":0.25"), j);
    assertTrue(j.contains("{\"tensor\":\"r\",\"scale\":0.0625,\"zero_point\":0,\"frac\":4,\"relative_scale_error\":0.0"), j);
    String text = Files.readString(qir);
    assertTrue(text.contains("%x/q : i8[1,4,6,6] q(bits=8, frac=[4])"), "the input keeps the tool's (rounded) scale");
    assertTrue(text.contains("%r : u8[1,8,6,6] q(bits=8, frac=[4], unsigned=1)"), "the ReLU output keeps the tool's scale");
    assertTrue(!text.contains("QuantizeLinear\" \"qx\"") && !text.contains("\"dqr\""), "the tool's pairs are gone");
    // the tool's int8 weights with scales 2^-7 come through exactly: no weight error
    assertTrue(j.contains("\"name\":\"c\"") || j.contains("\"name\":\"r\""), j);
    assertTrue(j.matches("(?s).*\"op\":\"Conv\".*\"weight_sqnr_db\":null.*"), "exact weights: infinite weight SQNR (null): " + j);
    TestData.Run e = TestData.cli("eval", m.toString(), "--calib", tmp.resolve("x.npy").toString(), "--data", tmp.resolve("x.npy").toString(), "--json", "--quiet");
    assertEquals(0, e.code(), e.err());
    java.util.regex.Matcher s = java.util.regex.Pattern.compile("\"sqnr_db\":\\{\"y\":([0-9.]+)").matcher(e.out());
    assertTrue(s.find(), e.out());
    assertTrue(Double.parseDouble(s.group(1)) > 20, e.out());
  }
}
