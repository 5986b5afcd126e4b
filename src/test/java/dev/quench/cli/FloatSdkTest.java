package dev.quench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The float SDK ({@code compile --precision float}, or codegen of a float .qir): every node runs
 * its float C++ kernel, the twin of the interpreter's float kernel, so the selftest's outputs and
 * per-node hashes match the Java float interpreter bit for bit, on the host and under QEMU.
 */
class FloatSdkTest {
  @TempDir
  Path tmp;

  @Test
  void floatSdksAreBitExactWithTheFloatInterpreter() {
    Path ex = TestData.example();
    List<String[]> models = new ArrayList<>();  // name, model, calib, cross targets
    models.add(new String[] {"fashion", ex.resolve("fashion_mobilenet.onnx").toString(), ex.resolve("calib_x.npy").toString(), "cortex-m4"});
    Path s = TestData.shared();
    if (s != null) {
      for (String m : new String[] {"kws_dscnn", "ic_resnet8", "vww_mobilenet", "ad_autoencoder"}) {
        Path d = s.resolve("models/mlperf_tiny/" + m);
        // vww and ad need more than 512 KiB of flash with float weights
        models.add(new String[] {m, d.resolve("model.onnx").toString(), d.resolve("in_input.npy").toString(), m.equals("kws_dscnn") ? "cortex-m55" : ""});
      }
    }
    for (String[] m : models) {
      for (String target : ("host " + m[3]).trim().split(" ")) {
        Path out = tmp.resolve(m[0] + "-" + target);
        TestData.Run c = TestData.cli("compile", m[1], "--precision", "float", "--target", target, "--calib", m[2], "--out", out.toString(), "--quiet");
        assertEquals(0, c.code(), m[0] + " " + target + ": " + c.err());
        TestData.Run v = verify(out, target);
        assertEquals(0, v.code(), m[0] + " " + target + ": " + v.out() + v.err());
        assertTrue(v.out().contains("\"bit_exact\":true"), m[0] + " " + target + ": " + v.out());
        System.out.println("float " + m[0] + " " + target + ": bit-exact");
      }
    }
  }

  @Test
  void everyFloatFormOfTheCnnFamiliesMatchesTheInterpreter() throws Exception {
    Path qir = TestData.root().resolve("src/test/resources/float/cnn_ops.qir");
    float[] x = new float[4 * 2 * 6 * 6];
    java.util.Random r = new java.util.Random(3);
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    Path calib = tmp.resolve("cx.npy");
    dev.quench.ir.io.Npy.write(calib, dev.quench.ir.Tensor.ofFloat(dev.quench.ir.DType.FLOAT32, new int[] {4, 2, 6, 6}, x));
    for (String target : new String[] {"host", "cortex-m4", "cortex-m55"}) {
      Path out = tmp.resolve("ops-" + target);
      // through the float pipeline: Sum and Mean become chains of two-input ops
      TestData.Run c = TestData.cli("compile", qir.toString(), "--precision", "float", "--target", target, "--calib", calib.toString(), "--out", out.toString(), "--quiet");
      assertEquals(0, c.code(), c.err());
      String cpp = Files.readString(out.resolve("src/cnn_ops.cpp"));
      for (String k : new String[] {"conv2d_f32", "pool_f32", "global_pool_f32", "binary_f32", "fully_connected_f32", "clip_f32", "activation_f32(3", "activation_f32(5", "activation_f32(4", "binary_f32(7", "binary_f32(3", "binary_f32(5", "channel_affine_f32"}) {
        assertTrue(cpp.contains(k), "the step calls " + k);
      }
      TestData.Run v = verify(out, target);
      assertEquals(0, v.code(), target + ": " + v.out() + v.err());
      assertTrue(v.out().contains("\"bit_exact\":true"), v.out());
    }
  }

  /**
   * unary_f32 against MathKernels: the elementwise ops in double with Quench's own functions, on
   * inputs with NaN, infinities, signed zeros, subnormals and values past every function's
   * reduction ranges, on every CPU target (Cortex-M4 and M7 compute doubles in software).
   */
  @Test
  void everyFloatElementwiseOpMatchesTheInterpreterOnEveryTarget() throws Exception {
    Path qir = TestData.root().resolve("src/test/resources/float/unary_ops.qir");
    float[] x = new float[4 * 64];
    float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1f, -1f, 0.5f, -0.5f,
        1e-8f, -1e-8f, 3.4e38f, -3.4e38f, 30f, -30f, 88.7f, -103f, 710f, -745f, 1.5707964f, 3.1415927f, 1e6f, -1e6f, 0.999999f, -0.999999f, 1.000001f, 2.5f, -2.5f, 6f};
    java.util.Random r = new java.util.Random(7);
    for (int i = 0; i < x.length; i++) {
      x[i] = i < special.length ? special[i] : (float) (r.nextGaussian() * (i % 3 == 0 ? 0.3 : i % 3 == 1 ? 3 : 30));
    }
    Path golden = tmp.resolve("x.npy");
    dev.quench.ir.io.Npy.write(golden, dev.quench.ir.Tensor.ofFloat(dev.quench.ir.DType.FLOAT32, new int[] {4, 64}, x));
    String[][] targets = {{"host", null}, {"cortex-a", "aarch64-linux-gnu"}, {"riscv64", "riscv64-linux-gnu"}, {"cortex-m4", "cortex-m4"}, {"cortex-m55", "cortex-m55"}};
    for (String[] t : targets) {
      Path out = tmp.resolve("unary-" + t[0]);
      TestData.Run c = TestData.cli("codegen", qir.toString(), "--target", t[0], "--golden", golden.toString(), "--out", out.toString(), "--quiet");
      assertEquals(0, c.code(), c.err());
      TestData.Run v = t[1] == null ? TestData.cli("verify", out.toString(), "--json")
          : TestData.cli("verify", out.toString(), "--toolchain", TestData.root().resolve("toolchains/" + t[1] + ".cmake").toString(), "--json");
      assertEquals(0, v.code(), t[0] + ": " + v.out() + v.err());
      assertTrue(v.out().contains("\"bit_exact\":true") && v.out().contains("\"exact_samples\":4"), t[0] + ": " + v.out());
      System.out.println("float unary ops " + t[0] + ": bit-exact");
    }
  }

  /**
   * The other float families (src/test/resources/float/*.qir): reductions, the softmax forms,
   * recurrent layers, comparisons / Where / Cast / ArgMax, normalizations, Gemm, Trilu / CumSum /
   * LRN; on the host (also under ASan + UBSan) and on a Cortex-M4 (software doubles).
   */
  @Test
  void everyOtherFloatFamilyMatchesTheInterpreter() {
    for (String name : new String[] {"reductions", "softmax", "recurrent", "select", "normalization", "gemm", "scan"}) {
      for (String target : new String[] {"host", "cortex-m4"}) {
        Path qir = TestData.root().resolve("src/test/resources/float/" + name + ".qir");
        Path out = tmp.resolve(name + "-" + target);
        TestData.Run c = TestData.cli("codegen", qir.toString(), "--target", target, "--out", out.toString(), "--quiet");
        assertEquals(0, c.code(), c.err());
        TestData.Run v = verify(out, target);
        assertEquals(0, v.code(), name + " " + target + ": " + v.out() + v.err());
        assertTrue(v.out().contains("\"bit_exact\":true"), name + " " + target + ": " + v.out());
        if (target.equals("host")) {
          TestData.Run san = TestData.cli("verify", out.toString(), "--sanitize", "--json");
          assertEquals(0, san.code(), name + " under sanitizers: " + san.out() + san.err());
        }
      }
    }
  }

  @Test
  void floatIsForCpuTargetsAndPrecisionIsIntOrFloat() {
    Path ex = TestData.example();
    String model = ex.resolve("fashion_mobilenet.onnx").toString(), calib = ex.resolve("calib_x.npy").toString();
    TestData.Run npu = TestData.cli("compile", model, "--precision", "float", "--target", "npu", "--calib", calib, "--out", tmp.resolve("n").toString());
    assertEquals(2, npu.code(), npu.err());
    assertEquals("quench: error: --precision float: npu runs integers only (compile for its CPU target instead)", npu.err().strip());
    TestData.Run bad = TestData.cli("compile", model, "--precision", "double", "--calib", calib, "--out", tmp.resolve("d").toString());
    assertEquals(2, bad.code(), bad.err());
    assertEquals("quench: error: --precision must be int or float, got 'double'", bad.err().strip());
    assertTrue(!Files.exists(tmp.resolve("n")) && !Files.exists(tmp.resolve("d")), "nothing written");
  }

  private static TestData.Run verify(Path sdk, String target) {
    return target.equals("host") ? TestData.cli("verify", sdk.toString(), "--json")
        : TestData.cli("verify", sdk.toString(), "--toolchain", TestData.root().resolve("toolchains/" + target + ".cmake").toString(), "--json");
  }
}
