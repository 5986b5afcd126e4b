package dev.quench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto;
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
 * Node and tensor names that are hostile to generated C++ (quotes, backslashes, newlines, comment
 * terminators, C++ keywords and macros, unicode, a 10,000-character name, duplicated node names)
 * give an SDK that compiles with -Wall -Wextra -Werror and is bit-exact, under ASan and UBSan.
 */
class HostileNamesTest {
  @TempDir
  Path tmp;

  @Test
  void hostileNamesCompileAndStayBitExact() throws Exception {
    int f = TensorProto.DataType.FLOAT_VALUE;
    Random r = new Random(3);
    float[] w = new float[4 * 2 * 3 * 3], w2 = new float[4 * 4];
    for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian() * 0.3f;
    for (int i = 0; i < w2.length; i++) w2[i] = (float) r.nextGaussian() * 0.3f;
    String in = "in\"put\\n */ /* \n", out = "o".repeat(10_000), mid = "class", mid2 = "名前 ünï", mid3 = "#define x 1", mid4 = "??=??/ trigraph";
    byte[] model = new OnnxBuilder(13).input(in, f, 1, 2, 6, 6).output(out, f, 1, 4, 6, 6)
        .initializer("int", new long[] {4, 2, 3, 3}, w).initializer("main", new long[] {4, 4, 1, 1}, w2)
        .node("*/", "Conv", List.of(in, "int"), List.of(mid), OnnxBuilder.ints("pads", 1, 1, 1, 1), OnnxBuilder.ints("kernel_shape", 3, 3))
        .node("*/", "Relu", List.of(mid), List.of(mid2))
        .node("return 0;", "Conv", List.of(mid2, "main"), List.of(mid3), OnnxBuilder.ints("kernel_shape", 1, 1))
        .node("\\", "Add", List.of(mid3, mid2), List.of(mid4))
        .node("", "Relu", List.of(mid4), List.of(out)).bytes();
    Path m = tmp.resolve("hostile.onnx"), calib = tmp.resolve("calib.npy");
    Files.write(m, model);
    float[] x = new float[8 * 2 * 36];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    Npy.write(calib, Tensor.ofFloat(new int[] {8, 1 * 2, 6, 6}, x));
    Path sdk = tmp.resolve("sdk");
    TestData.Run c = TestData.cli("compile", m.toString(), "--calib", calib.toString(), "--out", sdk.toString(), "--quiet");
    assertEquals(0, c.code(), c.err());
    TestData.Run v = TestData.cli("verify", sdk.toString(), "--sanitize", "--json");
    assertEquals(0, v.code(), v.out() + v.err());
    assertTrue(v.out().contains("\"bit_exact\":true"), v.out());
  }
}
