package dev.quench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.quench.frontend.OnnxBuilder;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.mw.MiddlewareParser;
import java.nio.file.Files;
import java.util.List;
import java.util.Random;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MatMul of two activations (attention's scores Q·Kᵀ and their product with V) in integer form,
 * bit-exact with the Java integer interpreter on the host under ASan + UBSan and on Cortex-M55.
 */
class MatMulIntegerTest {
  @TempDir
  Path tmp;

  /**
   * x [1,8,16]: q, k, v = x W; y = LogSoftmax(q kᵀ) v [1,8,16]. The scores are an int16 tensor in
   * the arena (they enter the float LogSoftmax) made from two int8 ones there: the shape in which
   * GCC 12 at -O2 once dropped matmul_int's stores (see the kernel).
   */
  static byte[] attentionModel() {
    int f = TensorProto.DataType.FLOAT_VALUE;
    Random r = new Random(31);
    OnnxBuilder b = new OnnxBuilder(13).input("x", f, 1, 8, 16).output("y", f, 1, 8, 16);
    for (String w : List.of("wq", "wk", "wv")) {
      b.initializer(w, new long[] {16, 16}, SdkChecks.gaussian(r, 16 * 16, 0.25));
    }
    return b.node("q", "MatMul", List.of("x", "wq"), List.of("q")).node("k", "MatMul", List.of("x", "wk"), List.of("k"))
        .node("v", "MatMul", List.of("x", "wv"), List.of("v")).node("kt", "Transpose", List.of("k"), List.of("kt"), OnnxBuilder.ints("perm", 0, 2, 1))
        .node("scores", "MatMul", List.of("q", "kt"), List.of("s")).node("softmax", "LogSoftmax", List.of("s"), List.of("p"), OnnxBuilder.intAttr("axis", -1))
        .node("mix", "MatMul", List.of("p", "v"), List.of("y")).bytes();
  }

  @Test
  void attentionProductsAreIntegerAndBitExact() throws Exception {
    Random r = new Random(33);
    byte[] model = attentionModel();
    SdkChecks.Compiled c = SdkChecks.compile(tmp, model, "attn", r, 8, 8, 16);
    Graph q = MiddlewareParser.read(c.sdk().resolve("middleware/attn.qir"));
    for (String name : List.of("scores", "mix")) {
      Node n = q.nodes().stream().filter(k -> k.name.equals(name)).findFirst().orElseThrow(() -> new AssertionError(name));
      assertEquals("MatMul", n.opType);
      assertFalse(n.input(0).type().dtype().isFloating() || n.input(1).type().dtype().isFloating() || n.output(0).type().dtype().isFloating(), name + " is integer");
    }
    // the scores enter the float LogSoftmax at 16 bits: the only float island
    assertEquals(2, q.nodes().stream().filter(k -> k.opType.equals("DequantizeLinear")).count(), "one float island, the LogSoftmax");
    assertTrue(Files.readString(c.sdk().resolve("src/attn.cpp")).contains("quench::matmul_int<"));
    SdkChecks.bitExact(c.sdk());  // (as shipped too: the sanitizers hid GCC 12's dropped stores)
    SdkChecks.bitExactOn(tmp, c, "cortex-m55");
  }
}
