package dev.quench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quench.frontend.OnnxBuilder;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.io.Npy;
import dev.quench.ir.mw.MiddlewareParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import ai.onnx.proto.OnnxMl.TensorProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GlobalMaxPool, Max and Min in integer form: the quantizer keeps GlobalMaxPool at its input's
 * scale (a data move) and aligns Max / Min like Add, bit-exact with the Java integer interpreter
 * on the host under ASan + UBSan and on Cortex-M4 / M55 under QEMU.
 */
class PoolAndSelectIntegerTest {
  @TempDir
  Path tmp;

  @Test
  void globalMaxPoolIsIntegerAndBitExact() throws Exception {
    int f = TensorProto.DataType.FLOAT_VALUE;
    Random r = new Random(5);
    float[] w = new float[6 * 3 * 3 * 3], w2 = new float[4 * 6];
    for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian() * 0.3f;
    for (int i = 0; i < w2.length; i++) w2[i] = (float) r.nextGaussian() * 0.3f;
    byte[] model = new OnnxBuilder(13).input("x", f, 1, 3, 9, 11).output("y", f, 1, 4, 1, 1)
        .initializer("w", new long[] {6, 3, 3, 3}, w).initializer("w2", new long[] {4, 6, 1, 1}, w2)
        .node("conv", "Conv", List.of("x", "w"), List.of("a"), OnnxBuilder.ints("kernel_shape", 3, 3))
        .node("gmp", "GlobalMaxPool", List.of("a"), List.of("b"))
        .node("head", "Conv", List.of("b", "w2"), List.of("y"), OnnxBuilder.ints("kernel_shape", 1, 1)).bytes();
    Path m = tmp.resolve("gmp.onnx"), calib = tmp.resolve("calib.npy");
    Files.write(m, model);
    float[] x = new float[8 * 3 * 99];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    Npy.write(calib, Tensor.ofFloat(new int[] {8, 3, 9, 11}, x));
    Path sdk = tmp.resolve("sdk");
    TestData.Run c = TestData.cli("compile", m.toString(), "--calib", calib.toString(), "--out", sdk.toString(), "--quiet");
    assertEquals(0, c.code(), c.err());
    Graph q = MiddlewareParser.read(sdk.resolve("middleware/gmp.qir"));
    Node gmp = q.nodes().stream().filter(n -> n.opType.equals("GlobalMaxPool")).findFirst().orElseThrow();
    assertFalse(gmp.output(0).type().dtype().isFloating(), "GlobalMaxPool stays integer");
    assertEquals(gmp.input(0).qparams().frac0(), gmp.output(0).qparams().frac0(), "at its input's scale");
    assertTrue(Files.readString(sdk.resolve("src/gmp.cpp")).contains("quench::global_max_pool_int("));
    TestData.Run v = TestData.cli("verify", sdk.toString(), "--sanitize", "--json");
    assertEquals(0, v.code(), v.out() + v.err());
    assertTrue(v.out().contains("\"bit_exact\":true"), v.out());
    Path m4 = tmp.resolve("m4");
    assertEquals(0, TestData.cli("compile", m.toString(), "--target", "cortex-m4", "--calib", calib.toString(), "--out", m4.toString(), "--quiet").code());
    TestData.Run vm = TestData.cli("verify", m4.toString(), "--toolchain", TestData.root().resolve("toolchains/cortex-m4.cmake").toString(), "--json");
    assertEquals(0, vm.code(), vm.out() + vm.err());
    assertTrue(vm.out().contains("\"bit_exact\":true"), vm.out());
  }

  /** Max and Min of two activations at different scales, and of an activation and a constant: integer, aligned to the larger frac. */
  @Test
  void maxAndMinAreIntegerAndBitExact() throws Exception {
    int f = TensorProto.DataType.FLOAT_VALUE;
    Random r = new Random(9);
    float[] w = new float[4 * 3 * 3 * 3], w2 = new float[4 * 3 * 1 * 1];
    for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian() * 0.3f;
    for (int i = 0; i < w2.length; i++) w2[i] = (float) r.nextGaussian() * 2f;
    byte[] model = new OnnxBuilder(13).input("x", f, 1, 3, 8, 8).output("y", f, 1, 4, 6, 6)
        .initializer("w", new long[] {4, 3, 3, 3}, w).initializer("w2", new long[] {4, 3, 1, 1}, w2)
        .initializer(OnnxBuilder.floatTensor("cap", new long[] {}, 0.5f))
        .node("conv", "Conv", List.of("x", "w"), List.of("a"), OnnxBuilder.ints("kernel_shape", 3, 3))
        .node("conv2", "Conv", List.of("x", "w2"), List.of("b0"), OnnxBuilder.ints("kernel_shape", 1, 1))
        .node("crop", "Slice", List.of("b0", "starts", "ends", "axes"), List.of("b"))
        .initializer(ints("starts", 1, 1)).initializer(ints("ends", 7, 7)).initializer(ints("axes", 2, 3))
        .node("max", "Max", List.of("a", "b"), List.of("c"))
        .node("min", "Min", List.of("c", "cap"), List.of("y")).bytes();
    Path m = tmp.resolve("maxmin.onnx"), calib = tmp.resolve("calib.npy");
    Files.write(m, model);
    float[] x = new float[8 * 3 * 64];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    Npy.write(calib, Tensor.ofFloat(new int[] {8, 3, 8, 8}, x));
    Path sdk = tmp.resolve("sdk");
    TestData.Run c = TestData.cli("compile", m.toString(), "--calib", calib.toString(), "--out", sdk.toString(), "--quiet");
    assertEquals(0, c.code(), c.err());
    Graph q = MiddlewareParser.read(sdk.resolve("middleware/maxmin.qir"));
    for (String op : List.of("Max", "Min")) {
      Node n = q.nodes().stream().filter(k -> k.opType.equals(op)).findFirst().orElseThrow();
      assertFalse(n.output(0).type().dtype().isFloating(), op + " is integer");
    }
    TestData.Run v = TestData.cli("verify", sdk.toString(), "--sanitize", "--json");
    assertEquals(0, v.code(), v.out() + v.err());
    assertTrue(v.out().contains("\"bit_exact\":true"), v.out());
    Path m55 = tmp.resolve("m55");
    assertEquals(0, TestData.cli("compile", m.toString(), "--target", "cortex-m55", "--calib", calib.toString(), "--out", m55.toString(), "--quiet").code());
    TestData.Run vm = TestData.cli("verify", m55.toString(), "--toolchain", TestData.root().resolve("toolchains/cortex-m55.cmake").toString(), "--json");
    assertEquals(0, vm.code(), vm.out() + vm.err());
    assertTrue(vm.out().contains("\"bit_exact\":true"), vm.out());
  }

  private static TensorProto ints(String name, long... v) {
    return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE).addDims(v.length).addAllInt64Data(
        java.util.Arrays.stream(v).boxed().toList()).build();
  }
}
