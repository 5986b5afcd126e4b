package dev.quench.ir.kernel;

import java.util.stream.IntStream;

/**
 * Float32 matrix multiply C += A * B on row-major slices, the work-horse of Conv, Gemm and MatMul.
 * Four rows of A are processed together so that each loaded row of B feeds four accumulators,
 * and the k dimension is blocked to keep B's rows in cache. Rows are split across cores.
 */
public final class Gemm {
  private Gemm() {}

  private static final int KB = 128;
  private static final int NB = 2048;

  /** C[i*ldc + j] += sum_k A[i*lda + k] * B[k*ldb + j], for i &lt; m, j &lt; n, k &lt; kk (offsets added). */
  public static void mul(int m, int n, int kk, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    int tasks = (m + 3) / 4;
    long work = (long) m * n * kk;
    if (work < 200_000 || tasks < 2) {
      for (int t = 0; t < tasks; t++) rows(t * 4, Math.min(m, t * 4 + 4), n, kk, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    } else {
      IntStream.range(0, tasks).parallel().forEach(t -> rows(t * 4, Math.min(m, t * 4 + 4), n, kk, a, aOff, lda, b, bOff, ldb, c, cOff, ldc));
    }
  }

  private static void rows(int i0, int i1, int n, int kk, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    for (int j0 = 0; j0 < n; j0 += NB) {
      int j1 = Math.min(n, j0 + NB);
      for (int k0 = 0; k0 < kk; k0 += KB) {
        int k1 = Math.min(kk, k0 + KB);
        if (i1 - i0 == 4) {
          int c0 = cOff + i0 * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
          int a0 = aOff + i0 * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
          for (int k = k0; k < k1; k++) {
            float v0 = a[a0 + k], v1 = a[a1 + k], v2 = a[a2 + k], v3 = a[a3 + k];
            int br = bOff + k * ldb;
            for (int j = j0; j < j1; j++) {
              float bv = b[br + j];
              c[c0 + j] += v0 * bv;
              c[c1 + j] += v1 * bv;
              c[c2 + j] += v2 * bv;
              c[c3 + j] += v3 * bv;
            }
          }
        } else {
          for (int i = i0; i < i1; i++) {
            int ci = cOff + i * ldc, ai = aOff + i * lda;
            for (int k = k0; k < k1; k++) {
              float v = a[ai + k];
              int br = bOff + k * ldb;
              for (int j = j0; j < j1; j++) c[ci + j] += v * b[br + j];
            }
          }
        }
      }
    }
  }

  /** Row-major transpose of an r x c matrix. */
  public static float[] transpose(float[] src, int off, int r, int c) {
    float[] t = new float[r * c];
    for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) t[j * r + i] = src[off + i * c + j];
    return t;
  }
}
