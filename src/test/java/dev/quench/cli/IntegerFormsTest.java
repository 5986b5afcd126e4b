package dev.quench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.quench.frontend.OnnxBuilder;
import dev.quench.ir.DType;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.mw.MiddlewareParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Integer forms of the ops between the convolutions: comparisons, Where, the reductions, Div by a
 * constant, unary functions as tables, Gather, TopK, PRelu, ConvTranspose, Softmax and LayerNormalization. No float
 * island between the first convolution and the outputs; bit-exact with the Java integer
 * interpreter on the host under ASan + UBSan (and on Cortex-M4 under QEMU).
 */
class IntegerFormsTest {
  @TempDir
  Path tmp;

  /**
   * a = Conv(x); m = mean of a per channel; where a > m: a, else a / 4; where a <= 0.3: that, else
   * the channel's maximum; y = |that| - (max - min) per channel; z = the sum over channels.
   */
  static byte[] model() {
    int f = TensorProto.DataType.FLOAT_VALUE;
    Random r = new Random(17);
    float[] w = SdkChecks.gaussian(r, 4 * 3 * 3 * 3, 0.3);
    return new OnnxBuilder(13).input("x", f, 1, 3, 8, 8).output("y", f, 1, 4, 6, 6).output("z", f, 1, 1, 6, 6)
        .initializer("w", new long[] {4, 3, 3, 3}, w).initializer(OnnxBuilder.floatTensor("four", new long[] {}, 4f))
        .initializer(OnnxBuilder.floatTensor("t", new long[] {}, 0.3f)).initializer(OnnxBuilder.int64Tensor("ch", 1))
        .node("conv", "Conv", List.of("x", "w"), List.of("a"), OnnxBuilder.ints("kernel_shape", 3, 3))
        .node("mean", "ReduceMean", List.of("a"), List.of("m"), OnnxBuilder.ints("axes", 2, 3))
        .node("max", "ReduceMax", List.of("a"), List.of("mx"), OnnxBuilder.ints("axes", 2, 3))
        .node("min", "ReduceMin", List.of("a"), List.of("mn"), OnnxBuilder.ints("axes", 2, 3))
        .node("gt", "Greater", List.of("a", "m"), List.of("g"))
        .node("quarter", "Div", List.of("a", "four"), List.of("d"))
        .node("where", "Where", List.of("g", "a", "d"), List.of("w1"))
        .node("le", "LessOrEqual", List.of("w1", "t"), List.of("l"))
        .node("where2", "Where", List.of("l", "w1", "mx"), List.of("w2"))
        .node("abs", "Abs", List.of("w2"), List.of("ab"))
        .node("range", "Sub", List.of("mx", "mn"), List.of("rg"))
        .node("neg", "Neg", List.of("rg"), List.of("nr"))
        .node("add", "Add", List.of("ab", "nr"), List.of("y"))
        .node("sum", "ReduceSum", List.of("a", "ch"), List.of("z")).bytes();
  }

  @Test
  void comparisonsWhereReductionsAndTablesAreIntegerAndBitExact() throws Exception {
    SdkChecks.Compiled c = SdkChecks.compile(tmp, model(), "cmp", new Random(19), 8, 3, 8, 8);
    Graph q = MiddlewareParser.read(c.sdk().resolve("middleware/cmp.qir"));
    for (String name : List.of("mean", "max", "min", "where", "where2", "sum", "range", "add")) {
      Node n = q.nodes().stream().filter(k -> k.name.equals(name)).findFirst().orElseThrow(() -> new AssertionError(name));
      assertFalse(n.output(0).type().dtype().isFloating(), name + " is integer");
    }
    for (String name : List.of("gt", "le")) {
      Node n = q.nodes().stream().filter(k -> k.name.equals(name)).findFirst().orElseThrow();
      assertEquals(DType.BOOL, n.output(0).type().dtype());
      assertFalse(n.input(0).type().dtype().isFloating() || n.input(1).type().dtype().isFloating(), name + " compares integers");
    }
    Node max = q.nodes().stream().filter(k -> k.name.equals("max")).findFirst().orElseThrow();
    assertEquals(max.input(0).qparams().frac0(), max.output(0).qparams().frac0(), "ReduceMax keeps the scale");
    assertTrue(q.nodes().stream().anyMatch(k -> k.name.equals("quarter") && k.opType.equals("Mul")), "Div by a constant is a Mul");
    for (String t : List.of("abs", "neg")) assertTrue(q.nodes().stream().anyMatch(k -> k.name.equals(t) && k.opType.equals("Lut")), t + " of an 8-bit tensor is a table");
    // only the outputs are dequantized: no float island inside
    assertEquals(2, q.nodes().stream().filter(k -> k.opType.equals("DequantizeLinear")).count(), "float islands: " + q.nodes().stream()
        .filter(k -> k.opType.equals("DequantizeLinear")).map(k -> k.name).toList());
    String cpp = Files.readString(c.sdk().resolve("src/cmp.cpp"));
    for (String k : List.of("compare_int(", "where_int(", "reduce_int(")) assertTrue(cpp.contains("quench::" + k), k);
    SdkChecks.bitExact(c.sdk());
    SdkChecks.bitExactOn(tmp, c, "cortex-m4");
  }

  /** Gather with constant indices moves integers at their scale. */
  @Test
  void gatherMovesIntegers() throws Exception {
    int f = TensorProto.DataType.FLOAT_VALUE;
    Random r = new Random(29);
    float[] w = SdkChecks.gaussian(r, 4 * 3 * 3 * 3, 0.3), w2 = SdkChecks.gaussian(r, 3 * 2, 0.5);
    byte[] model = new OnnxBuilder(13).input("x", f, 1, 3, 8, 8).output("y", f, 1, 3, 6, 6)
        .initializer("w", new long[] {4, 3, 3, 3}, w).initializer("w2", new long[] {3, 2, 1, 1}, w2).initializer(OnnxBuilder.int64Tensor("pick", 2, 0))
        .node("conv", "Conv", List.of("x", "w"), List.of("a"), OnnxBuilder.ints("kernel_shape", 3, 3))
        .node("pick", "Gather", List.of("a", "pick"), List.of("c"), OnnxBuilder.intAttr("axis", 1))
        .node("head", "Conv", List.of("c", "w2"), List.of("y"), OnnxBuilder.ints("kernel_shape", 1, 1)).bytes();
    SdkChecks.Compiled c = SdkChecks.compile(tmp, model, "moves", r, 8, 3, 8, 8);
    Graph q = MiddlewareParser.read(c.sdk().resolve("middleware/moves.qir"));
    Node n = q.nodes().stream().filter(k -> k.name.equals("pick")).findFirst().orElseThrow();
    assertFalse(n.output(0).type().dtype().isFloating(), "Gather is integer");
    assertEquals(n.input(0).qparams().frac0(), n.output(0).qparams().frac0(), "Gather keeps the scale");
    assertEquals(1, q.nodes().stream().filter(k -> k.opType.equals("DequantizeLinear")).count(), "no float island");
    SdkChecks.bitExact(c.sdk());
  }

  /** x [1,3,8,8] -> Conv -> PRelu (slope per channel) -> Conv 1x1: y [1,2,6,6]. */
  static byte[] preluModel() {
    int f = TensorProto.DataType.FLOAT_VALUE;
    Random r = new Random(37);
    float[] w = SdkChecks.gaussian(r, 4 * 3 * 3 * 3, 0.3), w2 = SdkChecks.gaussian(r, 2 * 4, 0.5);
    return new OnnxBuilder(13).input("x", f, 1, 3, 8, 8).output("y", f, 1, 2, 6, 6)
        .initializer("w", new long[] {4, 3, 3, 3}, w).initializer("w2", new long[] {2, 4, 1, 1}, w2)
        .initializer("slope", new long[] {4, 1, 1}, 0.25f, 0.1f, -0.3f, 0.02f)
        .node("conv", "Conv", List.of("x", "w"), List.of("a"), OnnxBuilder.ints("kernel_shape", 3, 3))
        .node("prelu", "PRelu", List.of("a", "slope"), List.of("b"))
        .node("head", "Conv", List.of("b", "w2"), List.of("y"), OnnxBuilder.ints("kernel_shape", 1, 1)).bytes();
  }

  /** PRelu with a per-channel slope: x where x >= 0, slope * x below, in integers. */
  @Test
  void preluIsIntegerAndBitExact() throws Exception {
    Random r = new Random(39);
    byte[] model = preluModel();
    SdkChecks.Compiled c = SdkChecks.compile(tmp, model, "prelu", r, 8, 3, 8, 8);
    Graph q = MiddlewareParser.read(c.sdk().resolve("middleware/prelu.qir"));
    Node p = q.nodes().stream().filter(k -> k.name.equals("prelu")).findFirst().orElseThrow();
    assertFalse(p.output(0).type().dtype().isFloating() || p.input(0).type().dtype().isFloating(), "PRelu is integer");
    assertEquals(1, q.nodes().stream().filter(k -> k.opType.equals("DequantizeLinear")).count(), "no float island");
    SdkChecks.bitExact(c.sdk());
  }

  /** x [1,3,8,8] -> Conv -> ConvTranspose (stride 2, two groups, bias) -> Relu: y [1,6,13,13]. */
  static byte[] convTransposeModel() {
    int f = TensorProto.DataType.FLOAT_VALUE;
    Random r = new Random(41);
    float[] w = SdkChecks.gaussian(r, 4 * 3 * 3 * 3, 0.3), wt = SdkChecks.gaussian(r, 4 * 3 * 3 * 3, 0.3), bias = {0.1f, -0.2f, 0.05f, 0.3f, -0.1f, 0.2f};
    return new OnnxBuilder(13).input("x", f, 1, 3, 8, 8).output("y", f, 1, 6, 13, 13)
        .initializer("w", new long[] {4, 3, 3, 3}, w).initializer("wt", new long[] {4, 3, 3, 3}, wt).initializer("b", new long[] {6}, bias)
        .node("conv", "Conv", List.of("x", "w"), List.of("a"), OnnxBuilder.ints("kernel_shape", 3, 3))
        .node("up", "ConvTranspose", List.of("a", "wt", "b"), List.of("t"), OnnxBuilder.ints("strides", 2, 2), OnnxBuilder.intAttr("group", 2))
        .node("relu", "Relu", List.of("t"), List.of("y")).bytes();
  }

  /** ConvTranspose (stride 2, two groups, bias, a fused Relu): int8 weights, exact scattered sums, one shift. */
  @Test
  void convTransposeIsIntegerAndBitExact() throws Exception {
    Random r = new Random(43);
    byte[] model = convTransposeModel();
    SdkChecks.Compiled c = SdkChecks.compile(tmp, model, "convt", r, 8, 3, 8, 8);
    Graph q = MiddlewareParser.read(c.sdk().resolve("middleware/convt.qir"));
    Node up = q.nodes().stream().filter(k -> k.opType.equals("ConvTranspose")).findFirst().orElseThrow();
    assertFalse(up.input(0).type().dtype().isFloating() || up.output(0).type().dtype().isFloating(), "ConvTranspose is integer");
    assertTrue(Files.readString(c.sdk().resolve("src/convt.cpp")).contains("quench::conv_transpose_int<"));
    SdkChecks.bitExact(c.sdk());
    SdkChecks.bitExactOn(tmp, c, "cortex-m4");
  }

  /** TopK of a quantized tensor: the values at its scale, the indices the float graph's. */
  @Test
  void topKReadsIntegers() throws Exception {
    int f = TensorProto.DataType.FLOAT_VALUE;
    Random r = new Random(47);
    float[] w = SdkChecks.gaussian(r, 10 * 3 * 8 * 8, 0.1);
    byte[] model = new OnnxBuilder(13).input("x", f, 1, 3, 8, 8).output("v", f, 1, 3).output("i", TensorProto.DataType.INT64_VALUE, 1, 3)
        .initializer("w", new long[] {10, 3, 8, 8}, w).initializer(OnnxBuilder.int64Tensor("k", 3))
        .node("conv", "Conv", List.of("x", "w"), List.of("a"), OnnxBuilder.ints("kernel_shape", 8, 8))
        .node("flat", "Flatten", List.of("a"), List.of("b"))
        .node("top", "TopK", List.of("b", "k"), List.of("v", "i"), OnnxBuilder.intAttr("axis", 1)).bytes();
    SdkChecks.Compiled c = SdkChecks.compile(tmp, model, "topk", r, 8, 3, 8, 8);
    Graph q = MiddlewareParser.read(c.sdk().resolve("middleware/topk.qir"));
    Node top = q.nodes().stream().filter(k -> k.opType.equals("TopK")).findFirst().orElseThrow();
    assertFalse(top.input(0).type().dtype().isFloating() || top.output(0).type().dtype().isFloating(), "TopK reads and keeps the integers");
    assertEquals(top.input(0).qparams().frac0(), top.output(0).qparams().frac0(), "at its input's scale");
    assertEquals(DType.INT64, top.output(1).type().dtype());
    SdkChecks.bitExact(c.sdk());
  }

  /** Softmax of a quantized tensor: exp by tables of the integer distance to the maximum, an exact integer normalisation; unsigned probabilities. */
  @Test
  void softmaxIsIntegerAndBitExact() throws Exception {
    int f = TensorProto.DataType.FLOAT_VALUE;
    Random r = new Random(53);
    byte[] model = new OnnxBuilder(13).input("x", f, 1, 3, 8, 8).output("y", f, 1, 4, 36)
        .initializer("w", new long[] {4, 3, 3, 3}, SdkChecks.gaussian(r, 4 * 3 * 3 * 3, 0.6)).initializer(OnnxBuilder.int64Tensor("shape", 1, 4, 36))
        .node("conv", "Conv", List.of("x", "w"), List.of("a"), OnnxBuilder.ints("kernel_shape", 3, 3))
        .node("rows", "Reshape", List.of("a", "shape"), List.of("b"))
        .node("softmax", "Softmax", List.of("b"), List.of("p"), OnnxBuilder.intAttr("axis", -1))
        .node("scale", "Mul", List.of("p", "b"), List.of("y")).bytes();
    SdkChecks.Compiled c = SdkChecks.compile(tmp, model, "softmax", r, 8, 3, 8, 8);
    Graph q = MiddlewareParser.read(c.sdk().resolve("middleware/softmax.qir"));
    Node sm = q.nodes().stream().filter(k -> k.opType.equals("Softmax")).findFirst().orElseThrow();
    assertFalse(sm.input(0).type().dtype().isFloating() || sm.output(0).type().dtype().isFloating(), "Softmax is integer");
    assertTrue(sm.output(0).qparams().unsigned(), "probabilities are unsigned");
    assertEquals(1, q.nodes().stream().filter(k -> k.opType.equals("DequantizeLinear")).count(), "no float island");
    assertTrue(Files.readString(c.sdk().resolve("src/softmax.cpp")).contains("quench::softmax_int("));
    SdkChecks.bitExact(c.sdk());
    SdkChecks.bitExactOn(tmp, c, "cortex-m4");
  }

  /** LayerNormalization in integers: exact mean, variance and square root, the scale at 16 bits, the bias in int32. */
  @Test
  void layerNormIsIntegerAndBitExact() throws Exception {
    int f = TensorProto.DataType.FLOAT_VALUE;
    Random r = new Random(59);
    float[] gamma = SdkChecks.gaussian(r, 36, 0.5), beta = SdkChecks.gaussian(r, 36, 0.2);
    byte[] model = new OnnxBuilder(17).input("x", f, 1, 3, 8, 8).output("y", f, 1, 4, 36)
        .initializer("w", new long[] {4, 3, 3, 3}, SdkChecks.gaussian(r, 4 * 3 * 3 * 3, 0.6)).initializer(OnnxBuilder.int64Tensor("shape", 1, 4, 36))
        .initializer("gamma", new long[] {36}, gamma).initializer("beta", new long[] {36}, beta)
        .node("conv", "Conv", List.of("x", "w"), List.of("a"), OnnxBuilder.ints("kernel_shape", 3, 3))
        .node("rows", "Reshape", List.of("a", "shape"), List.of("b"))
        .node("norm", "LayerNormalization", List.of("b", "gamma", "beta"), List.of("n"), OnnxBuilder.intAttr("axis", -1))
        .node("scale", "Mul", List.of("n", "b"), List.of("y")).bytes();
    SdkChecks.Compiled c = SdkChecks.compile(tmp, model, "ln", r, 8, 3, 8, 8);
    Graph q = MiddlewareParser.read(c.sdk().resolve("middleware/ln.qir"));
    Node ln = q.nodes().stream().filter(k -> k.opType.equals("LayerNormalization")).findFirst().orElseThrow();
    assertFalse(ln.input(0).type().dtype().isFloating() || ln.output(0).type().dtype().isFloating(), "LayerNormalization is integer");
    assertTrue(Files.readString(c.sdk().resolve("summary.json")).contains("\"float_nodes\":[]"), "no float node");
    assertTrue(Files.readString(c.sdk().resolve("src/ln.cpp")).contains("quench::layer_norm_int("));
    SdkChecks.bitExact(c.sdk());
    SdkChecks.bitExactOn(tmp, c, "cortex-m4");
  }
}
