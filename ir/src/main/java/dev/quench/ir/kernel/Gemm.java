package dev.quench.ir.kernel;

import java.util.stream.IntStream;

/**
 * Float32 matrix product C = A * B on row-major slices, the work-horse of Conv, Gemm and MatMul.
 *
 * <p>Its result is defined exactly, not just within a tolerance: every element is the chain
 * {@code c = fma(a[i][k], b[k][j], c)} for k = 0, 1, ..., K-1 starting from c = 0. The SIMD
 * kernel ({@link VectorGemm}, used when the JDK's {@code jdk.incubator.vector} module is
 * loaded) keeps each lane on that chain, and the scalar kernel here follows it with
 * {@link Math#fma}, so results are bit-identical whatever the vector width, the thread count,
 * or the kernel used. Calibration statistics therefore do not depend on the machine.
 */
public final class Gemm {
  private Gemm() {}

  private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
      && !Boolean.getBoolean("quench.scalarGemm");

  /** True when the SIMD kernel is in use. */
  public static boolean vectorized() {
    return VECTOR;
  }

  /** C[i*ldc + j] = sum_k A[i*lda + k] * B[k*ldb + j] (fma chain over k), for i &lt; m, j &lt; n (offsets added). */
  public static void mul(int m, int n, int kk, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    int blocks = (m + 3) / 4;
    long work = (long) m * n * kk;
    if (work < 4_000_000 || blocks < 2) {
      for (int t = 0; t < blocks; t++) block(t, m, n, kk, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    } else {
      IntStream.range(0, blocks).parallel().forEach(t -> block(t, m, n, kk, a, aOff, lda, b, bOff, ldb, c, cOff, ldc));
    }
  }

  private static void block(int t, int m, int n, int kk, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    int i0 = t * 4, rows = Math.min(4, m - i0);
    if (VECTOR) VectorGemm.rows(i0, rows, n, kk, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    else scalarRows(i0, rows, 0, n, kk, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
  }

  /** Rows i0..i0+rows-1, columns j0..j1-1, on the scalar fma chain. */
  static void scalarRows(int i0, int rows, int j0, int j1, int kk, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    float[] acc = new float[j1 - j0];
    for (int r = 0; r < rows; r++) {
      java.util.Arrays.fill(acc, 0f);
      int ai = aOff + (i0 + r) * lda;
      for (int k = 0; k < kk; k++) {
        float v = a[ai + k];
        int br = bOff + k * ldb + j0;
        for (int j = 0; j < acc.length; j++) acc[j] = Math.fma(v, b[br + j], acc[j]);
      }
      System.arraycopy(acc, 0, c, cOff + (i0 + r) * ldc + j0, acc.length);
    }
  }

  /** Row-major transpose of an r x c matrix. */
  public static float[] transpose(float[] src, int off, int r, int c) {
    float[] t = new float[r * c];
    for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) t[j * r + i] = src[off + i * c + j];
    return t;
  }
}
