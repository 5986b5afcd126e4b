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
 * GlobalMaxPool in integer form: the quantizer keeps it at its input's scale (a data move), the
 * C++ takes each plane's largest integer, bit-exact with the Java integer interpreter on the host
 * under ASan + UBSan and on Cortex-M4 under QEMU.
 */
class GlobalMaxPoolIntegerTest {
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
}
