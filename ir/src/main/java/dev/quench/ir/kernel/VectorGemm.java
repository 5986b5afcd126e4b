package dev.quench.ir.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD kernel of {@link Gemm}: a 4-row x 2-vector block of C held in registers while k runs,
 * each lane on the same fma chain as the scalar kernel. Loaded only when the
 * {@code jdk.incubator.vector} module is present.
 */
final class VectorGemm {
  private VectorGemm() {}

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  static void rows(int i0, int rows, int n, int kk, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    if (rows < 4) {
      for (int r = 0; r < rows; r++) oneRow(i0 + r, n, kk, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
      return;
    }
    int a0 = aOff + i0 * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    int c0 = cOff + i0 * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
    int j = 0;
    for (; j + 2 * L <= n; j += 2 * L) {
      FloatVector x00 = FloatVector.zero(S), x01 = x00, x10 = x00, x11 = x00, x20 = x00, x21 = x00, x30 = x00, x31 = x00;
      for (int k = 0; k < kk; k++) {
        int br = bOff + k * ldb + j;
        FloatVector b0 = FloatVector.fromArray(S, b, br), b1 = FloatVector.fromArray(S, b, br + L);
        FloatVector v = FloatVector.broadcast(S, a[a0 + k]);
        x00 = v.fma(b0, x00);
        x01 = v.fma(b1, x01);
        v = FloatVector.broadcast(S, a[a1 + k]);
        x10 = v.fma(b0, x10);
        x11 = v.fma(b1, x11);
        v = FloatVector.broadcast(S, a[a2 + k]);
        x20 = v.fma(b0, x20);
        x21 = v.fma(b1, x21);
        v = FloatVector.broadcast(S, a[a3 + k]);
        x30 = v.fma(b0, x30);
        x31 = v.fma(b1, x31);
      }
      x00.intoArray(c, c0 + j);
      x01.intoArray(c, c0 + j + L);
      x10.intoArray(c, c1 + j);
      x11.intoArray(c, c1 + j + L);
      x20.intoArray(c, c2 + j);
      x21.intoArray(c, c2 + j + L);
      x30.intoArray(c, c3 + j);
      x31.intoArray(c, c3 + j + L);
    }
    for (; j + L <= n; j += L) {
      FloatVector x0 = FloatVector.zero(S), x1 = x0, x2 = x0, x3 = x0;
      for (int k = 0; k < kk; k++) {
        FloatVector bv = FloatVector.fromArray(S, b, bOff + k * ldb + j);
        x0 = FloatVector.broadcast(S, a[a0 + k]).fma(bv, x0);
        x1 = FloatVector.broadcast(S, a[a1 + k]).fma(bv, x1);
        x2 = FloatVector.broadcast(S, a[a2 + k]).fma(bv, x2);
        x3 = FloatVector.broadcast(S, a[a3 + k]).fma(bv, x3);
      }
      x0.intoArray(c, c0 + j);
      x1.intoArray(c, c1 + j);
      x2.intoArray(c, c2 + j);
      x3.intoArray(c, c3 + j);
    }
    // the last n % L columns: masked vector ops are slow on JDK 17, the scalar chain is the same arithmetic
    if (j < n) Gemm.scalarRows(i0, 4, j, n, kk, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
  }

  private static void oneRow(int i, int n, int kk, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    int ai = aOff + i * lda, ci = cOff + i * ldc;
    int j = 0;
    for (; j + L <= n; j += L) {
      FloatVector x = FloatVector.zero(S);
      for (int k = 0; k < kk; k++) x = FloatVector.broadcast(S, a[ai + k]).fma(FloatVector.fromArray(S, b, bOff + k * ldb + j), x);
      x.intoArray(c, ci + j);
    }
    if (j < n) Gemm.scalarRows(i, 1, j, n, kk, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
  }
}
