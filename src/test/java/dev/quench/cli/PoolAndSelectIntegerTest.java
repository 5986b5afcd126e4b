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
 * GlobalMaxPool, Max, Min and ArgMax in integer form: the quantizer keeps GlobalMaxPool at its input's
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
    SdkChecks.Compiled c = compile(model, "gmp", r, 8, 3, 9, 11);
    Path sdk = c.sdk();
    Graph q = MiddlewareParser.read(sdk.resolve("middleware/gmp.qir"));
    Node gmp = q.nodes().stream().filter(n -> n.opType.equals("GlobalMaxPool")).findFirst().orElseThrow();
    assertFalse(gmp.output(0).type().dtype().isFloating(), "GlobalMaxPool stays integer");
    assertEquals(gmp.input(0).qparams().frac0(), gmp.output(0).qparams().frac0(), "at its input's scale");
    assertTrue(Files.readString(sdk.resolve("src/gmp.cpp")).contains("quench::global_max_pool_int("));
    bitExact(sdk);
    bitExactOn(c, "cortex-m4");
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
        .initializer(OnnxBuilder.int64Tensor("starts", 1, 1)).initializer(OnnxBuilder.int64Tensor("ends", 7, 7)).initializer(OnnxBuilder.int64Tensor("axes", 2, 3))
        .node("max", "Max", List.of("a", "b"), List.of("c"))
        .node("min", "Min", List.of("c", "cap"), List.of("y")).bytes();
    SdkChecks.Compiled c = compile(model, "maxmin", r, 8, 3, 8, 8);
    Path sdk = c.sdk();
    Graph q = MiddlewareParser.read(sdk.resolve("middleware/maxmin.qir"));
    for (String op : List.of("Max", "Min")) {
      Node n = q.nodes().stream().filter(k -> k.opType.equals(op)).findFirst().orElseThrow();
      assertFalse(n.output(0).type().dtype().isFloating(), op + " is integer");
    }
    bitExact(sdk);
    bitExactOn(c, "cortex-m55");
  }

  /** ArgMax of a quantized tensor reads its integers (their order is the values'): no float island before it. */
  @Test
  void argMaxReadsIntegersAndIsBitExact() throws Exception {
    int f = TensorProto.DataType.FLOAT_VALUE;
    Random r = new Random(13);
    float[] w = new float[10 * 3 * 8 * 8];
    for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian() * 0.1f;
    byte[] model = new OnnxBuilder(13).input("x", f, 1, 3, 8, 8).output("y", TensorProto.DataType.INT64_VALUE, 1, 1)
        .initializer("w", new long[] {10, 3, 8, 8}, w)
        .node("conv", "Conv", List.of("x", "w"), List.of("a"), OnnxBuilder.ints("kernel_shape", 8, 8))
        .node("flat", "Flatten", List.of("a"), List.of("b"))
        .node("arg", "ArgMax", List.of("b"), List.of("y"), OnnxBuilder.intAttr("axis", 1)).bytes();
    SdkChecks.Compiled c = compile(model, "argmax", r, 8, 3, 8, 8);
    Path sdk = c.sdk();
    Graph q = MiddlewareParser.read(sdk.resolve("middleware/argmax.qir"));
    Node arg = q.nodes().stream().filter(k -> k.opType.equals("ArgMax")).findFirst().orElseThrow();
    assertFalse(arg.input(0).type().dtype().isFloating(), "ArgMax reads the integers");
    assertTrue(q.nodes().stream().noneMatch(k -> k.opType.equals("DequantizeLinear")), "no float island");
    bitExact(sdk);
  }

  private SdkChecks.Compiled compile(byte[] model, String stem, Random r, int... shape) throws Exception {
    return SdkChecks.compile(tmp, model, stem, r, shape);
  }

  private static void bitExact(Path sdk) {
    SdkChecks.bitExact(sdk);
  }

  private void bitExactOn(SdkChecks.Compiled c, String target) {
    SdkChecks.bitExactOn(tmp, c, target);
  }
}
