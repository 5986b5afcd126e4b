package dev.quench.passes.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Eigenvalues of symmetric matrices: known spectra, and trace / Frobenius invariants on random Gram matrices. */
class SymmetricEigenProperties {
  @Test
  void knownSpectra() {
    double[] v = SymmetricEigen.values(new double[][] {{2, 1}, {1, 2}});
    Arrays.sort(v);
    assertArrayEquals(new double[] {1, 3}, v, 1e-12);
    double[] d = SymmetricEigen.values(new double[][] {{4, 0, 0}, {0, -1, 0}, {0, 0, 7}});
    Arrays.sort(d);
    assertArrayEquals(new double[] {-1, 4, 7}, d, 1e-12);
    // rotation of diag(1, 2, 3, 10) by a Householder reflection keeps the spectrum
    double[] u = {0.5, -0.5, 0.5, 0.5};
    double[] diag = {1, 2, 3, 10};
    double[][] a = new double[4][4];
    for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) {
      double s = 0;
      for (int k = 0; k < 4; k++) s += h(u, i, k) * diag[k] * h(u, j, k);
      a[i][j] = s;
    }
    double[] r = SymmetricEigen.values(a);
    Arrays.sort(r);
    assertArrayEquals(diag, r, 1e-10);
  }

  private static double h(double[] u, int i, int j) {
    return (i == j ? 1 : 0) - 2 * u[i] * u[j];
  }

  @Test
  void gramMatricesKeepTraceAndFrobeniusNorm() {
    qt().withExamples(60).forAll(longs().all()).checkAssert(seed -> {
      Random r = new Random(seed);
      int n = 1 + r.nextInt(40), m = 1 + r.nextInt(50);
      double[][] b = new double[n][m];
      for (double[] row : b) for (int j = 0; j < m; j++) row[j] = r.nextGaussian() * (1 + r.nextInt(3));
      double[][] g = new double[n][n];
      double trace = 0, frob = 0;
      for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
        for (int k = 0; k < m; k++) g[i][j] += b[i][k] * b[j][k];
        frob += g[i][j] * g[i][j];
        if (i == j) trace += g[i][j];
      }
      double[] ev = SymmetricEigen.values(g);
      double sum = 0, sq = 0;
      for (double l : ev) {
        assertTrue(l > -1e-8 * trace, "Gram matrices are positive semidefinite: " + l);
        sum += l;
        sq += l * l;
      }
      assertEquals(trace, sum, 1e-9 * trace, "seed " + seed);
      assertEquals(frob, sq, 1e-9 * frob, "seed " + seed);
    });
  }
}
