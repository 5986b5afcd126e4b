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
 * Pad in integer form, end to end: the quantizer keeps it integer (its fill value quantized with
 * the padded tensor), the C++ SDK gathers it by the op's own index rule (constant, reflect and
 * edge modes), bit-exact with the Java integer interpreter on the host under ASan + UBSan and on
 * Cortex-M4 under QEMU.
 */
class PadIntegerTest {
  @TempDir
  Path tmp;


  @Test
  void padIsIntegerAndBitExactInTheSdk() throws Exception {
    int f = TensorProto.DataType.FLOAT_VALUE;
    Random r = new Random(11);
    float[] w = new float[4 * 2 * 3 * 3], w2 = new float[3 * 4];
    for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian() * 0.3f;
    for (int i = 0; i < w2.length; i++) w2[i] = (float) r.nextGaussian() * 0.3f;
    byte[] model = new OnnxBuilder(13).input("x", f, 1, 2, 7, 7).output("y", f, 1, 3, 10, 9)
        .initializer("w", new long[] {4, 2, 3, 3}, w).initializer("w2", new long[] {3, 4, 1, 1}, w2)
        .initializer(OnnxBuilder.int64Tensor("pads_c", 0, 0, 1, 2, 0, 0, 2, 1)).initializer(OnnxBuilder.floatTensor("fill", new long[] {}, 0.75f))
        .initializer(OnnxBuilder.int64Tensor("pads_r", 0, 0, 0, 1, 0, 0, 1, 0)).initializer(OnnxBuilder.int64Tensor("pads_e", 0, 0, 1, 0, 0, 0, 0, 0))
        .node("conv", "Conv", List.of("x", "w"), List.of("a"), OnnxBuilder.ints("kernel_shape", 3, 3))
        .node("pad_constant", "Pad", List.of("a", "pads_c", "fill"), List.of("b"))
        .node("mix", "Conv", List.of("b", "w2"), List.of("c"), OnnxBuilder.ints("kernel_shape", 1, 1))
        .node("pad_reflect", "Pad", List.of("c", "pads_r"), List.of("d"), OnnxBuilder.stringAttr("mode", "reflect"))
        .node("pad_edge", "Pad", List.of("d", "pads_e"), List.of("y"), OnnxBuilder.stringAttr("mode", "edge")).bytes();
    Path m = tmp.resolve("pads.onnx"), calib = tmp.resolve("calib.npy");
    Files.write(m, model);
    float[] x = new float[8 * 2 * 49];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    Npy.write(calib, Tensor.ofFloat(new int[] {8, 2, 7, 7}, x));
    Path sdk = tmp.resolve("sdk");
    TestData.Run c = TestData.cli("compile", m.toString(), "--calib", calib.toString(), "--out", sdk.toString(), "--quiet");
    assertEquals(0, c.code(), c.err());
    // every Pad is integer: no dequantize around it, its fill the quantized 0.75
    Graph q = MiddlewareParser.read(sdk.resolve("middleware/pads.qir"));
    int pads = 0;
    for (Node n : q.nodes()) {
      if (!n.opType.equals("Pad")) continue;
      pads++;
      assertFalse(n.output(0).type().dtype().isFloating(), n.name + " stays integer");
      if (n.name.equals("pad_constant")) {
        long frac = n.input(0).qparams().frac0();
        assertEquals(Math.round(0.75 * Math.scalb(1.0, (int) frac)), n.input(2).data().l[0], "the fill value at the input's frac");
      }
    }
    assertEquals(3, pads);
    String cpp = Files.readString(sdk.resolve("src/pads.cpp"));
    assertTrue(cpp.contains("quench::gather_axes("), "Pad gathers by its per-axis tables");
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
