package dev.quench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quench.ir.Tensor;
import dev.quench.ir.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** A small model compiled to an SDK from random calibration inputs, and checked bit for bit against the Java interpreter. */
final class SdkChecks {
  private SdkChecks() {}

  record Compiled(Path model, Path calib, Path sdk) {}

  /** n Gaussian weights of standard deviation scale. */
  static float[] gaussian(Random r, int n, double scale) {
    float[] w = new float[n];
    for (int i = 0; i < n; i++) w[i] = (float) (r.nextGaussian() * scale);
    return w;
  }

  /** The model written under dir, random Gaussian calibration inputs of the given shape, the host SDK compiled. */
  static Compiled compile(Path dir, byte[] model, String stem, Random r, int... shape) throws Exception {
    Path m = dir.resolve(stem + ".onnx"), calib = dir.resolve("calib.npy"), sdk = dir.resolve("sdk");
    Files.write(m, model);
    float[] x = new float[java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    Npy.write(calib, Tensor.ofFloat(shape, x));
    TestData.Run c = TestData.cli("compile", m.toString(), "--calib", calib.toString(), "--out", sdk.toString(), "--quiet");
    assertEquals(0, c.code(), c.err());
    return new Compiled(m, calib, sdk);
  }

  /** The SDK bit-exact with the interpreter on the host under ASan + UBSan, and as shipped (optimised, no sanitizers: they change the code the compiler makes). */
  static void bitExact(Path sdk) {
    for (String[] args : new String[][] {{"verify", sdk.toString(), "--sanitize", "--json"}, {"verify", sdk.toString(), "--json"}}) {
      TestData.Run v = TestData.cli(args);
      assertEquals(0, v.code(), String.join(" ", args) + ": " + v.out() + v.err());
      assertTrue(v.out().contains("\"bit_exact\":true"), v.out());
    }
  }

  /** The model compiled for a Cortex-M target, bit-exact under QEMU. */
  static void bitExactOn(Path dir, Compiled c, String target) {
    Path out = dir.resolve(target);
    assertEquals(0, TestData.cli("compile", c.model().toString(), "--target", target, "--calib", c.calib().toString(), "--out", out.toString(), "--quiet").code());
    TestData.Run v = TestData.cli("verify", out.toString(), "--toolchain", TestData.root().resolve("toolchains/" + target + ".cmake").toString(), "--json");
    assertEquals(0, v.code(), v.out() + v.err());
    assertTrue(v.out().contains("\"bit_exact\":true"), v.out());
  }
}
