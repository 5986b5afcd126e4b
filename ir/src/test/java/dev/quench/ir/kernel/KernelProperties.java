package dev.quench.ir.kernel;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.quench.ir.Attributes;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast kernels (blocked GEMM, im2col conv, depthwise conv) agree with naive loops. */
class KernelProperties {
  private static float[] random(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
    return a;
  }

  private static void close(float[] want, float[] got, double tol) {
    if (want.length != got.length) throw new AssertionError("length " + got.length + " != " + want.length);
    for (int i = 0; i < want.length; i++) {
      if (Math.abs(want[i] - got[i]) > tol * (1 + Math.abs(want[i]))) throw new AssertionError("element " + i + ": " + got[i] + " != " + want[i]);
    }
  }

  @Test
  void vectorKernelIsLoadedInTests() {
    org.junit.jupiter.api.Assertions.assertTrue(Gemm.vectorized(), "surefire runs with --add-modules jdk.incubator.vector");
  }

  @Test
  void gemmMatchesNaive() {
    qt().withExamples(60).forAll(integers().between(1, 70), integers().between(1, 300), integers().between(1, 200), integers().all())
        .checkAssert((m, n, k, seed) -> {
          Random r = new Random(seed);
          float[] a = random(r, m * k), b = random(r, k * n), c = new float[m * n];
          Gemm.mul(m, n, k, a, 0, k, b, 0, n, c, 0, n);
          float[] want = new float[m * n];
          for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
            float s = 0;
            for (int t = 0; t < k; t++) s = Math.fma(a[i * k + t], b[t * n + j], s);
            want[i * n + j] = s;
          }
          // bit-exact: the product is defined as the in-order fma chain, whatever the kernel
          org.junit.jupiter.api.Assertions.assertArrayEquals(want, c);
          float[] scalar = new float[m * n];
          Gemm.scalarRows(0, m, 0, n, k, a, 0, k, b, 0, n, scalar, 0, n);
          org.junit.jupiter.api.Assertions.assertArrayEquals(want, scalar);
        });
  }

  @Test
  void convMatchesNaive() {
    qt().withExamples(80).forAll(integers().between(1, 4), integers().between(1, 3), integers().between(1, 3), integers().all())
        .checkAssert((groupSel, stride, dil, seed) -> {
          Random r = new Random(seed);
          int cg = 1 + r.nextInt(3), mg = 1 + r.nextInt(3), group = groupSel;
          if (r.nextInt(4) == 0) {
            cg = 1;
            mg = 1;
            group = 1 + r.nextInt(6);
          }
          int c = cg * group, m = mg * group, h = 3 + r.nextInt(9), w = 3 + r.nextInt(9);
          int kh = 1 + r.nextInt(3), kw = 1 + r.nextInt(3);
          int[] pads = {r.nextInt(3), r.nextInt(3), r.nextInt(3), r.nextInt(3)};
          Attributes at = new Attributes().put("strides", new long[] {stride, stride}).put("dilations", new long[] {dil, dil})
              .put("pads", new long[] {pads[0], pads[1], pads[2], pads[3]});
          if ((long) (kh - 1) * dil + 1 > h + pads[0] + pads[2] || (long) (kw - 1) * dil + 1 > w + pads[1] + pads[3]) return;
          Window win = Window.of(at, new int[] {h, w}, new int[] {kh, kw}, false, "conv");
          int n = 1 + r.nextInt(2);
          float[] x = random(r, n * c * h * w), wt = random(r, m * cg * kh * kw), bias = random(r, m);
          float[] got = ConvKernels.f32(x, n, c, h, w, wt, m, bias, win, group);
          int oh = win.out()[0], ow = win.out()[1];
          float[] want = new float[n * m * oh * ow];
          for (int b = 0; b < n; b++) for (int o = 0; o < m; o++) for (int y = 0; y < oh; y++) for (int xx = 0; xx < ow; xx++) {
            int g = o / mg;
            double s = bias[o];
            for (int ci = 0; ci < cg; ci++) for (int i = 0; i < kh; i++) for (int j = 0; j < kw; j++) {
              int iy = y * stride - pads[0] + i * dil, ix = xx * stride - pads[1] + j * dil;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              s += (double) x[((b * c + g * cg + ci) * h + iy) * w + ix] * wt[((o * cg + ci) * kh + i) * kw + j];
            }
            want[((b * m + o) * oh + y) * ow + xx] = (float) s;
          }
          close(want, got, 1e-4);
        });
  }

  @Test
  void broadcastIndexMatchesCoordinates() {
    int[] out = {2, 3, 4};
    int[] in = {3, 1};
    int[] map = Broadcast.map(out, in);
    for (int a = 0; a < 2; a++) for (int b = 0; b < 3; b++) for (int c = 0; c < 4; c++) {
      int k = (a * 3 + b) * 4 + c;
      if (map[k] != b) throw new AssertionError("at " + k + ": " + map[k]);
    }
    if (Broadcast.map(out, out) != null) throw new AssertionError("identity map must be null");
  }

  @Test
  void erfAgainstKnownValues() {
    double[][] table = {{0, 0}, {0.1, 0.1124629160182849}, {0.5, 0.5204998778130465}, {1, 0.8427007929497149}, {2, 0.9953222650189527},
        {-1.5, -0.9661051464753108}, {3.5, 0.9999992569016276}};
    for (double[] t : table) {
      double got = MathKernels.erf(t[0]);
      if (Math.abs(got - t[1]) > 2e-7) throw new AssertionError("erf(" + t[0] + ") = " + got + ", want " + t[1]);
    }
  }
}
