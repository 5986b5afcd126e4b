package dev.quench.passes.quant;

/**
 * Eigenvalues of a real symmetric matrix: Householder reduction to tridiagonal form, then the
 * implicit QL iteration with Wilkinson shifts. O(n^3), no eigenvectors.
 */
final class SymmetricEigen {
  private SymmetricEigen() {}

  /** The eigenvalues of symmetric {@code a} (destroyed), in no particular order. */
  static double[] values(double[][] a) {
    int n = a.length;
    double[] d = new double[n], e = new double[n];
    tridiagonalize(a, d, e);
    ql(d, e);
    return d;
  }

  /**
   * A' = H A H with H = I - 2 v v^T zeroing column k below the subdiagonal. With p = A v and
   * K = v^T p: H A H = A - 2 v q^T - 2 q v^T where q = p - K v (expand and regroup).
   * On return d holds the diagonal, e[i] the element between i and i+1 (e[n-1] = 0).
   */
  private static void tridiagonalize(double[][] a, double[] d, double[] e) {
    int n = a.length;
    double[] v = new double[n], p = new double[n];
    for (int k = 0; k < n - 2; k++) {
      double norm = 0;
      for (int i = k + 1; i < n; i++) norm += a[i][k] * a[i][k];
      norm = Math.sqrt(norm);
      if (norm == 0) continue;
      double alpha = a[k + 1][k] > 0 ? -norm : norm;
      double vn = 0;
      for (int i = k + 1; i < n; i++) {
        v[i] = a[i][k] - (i == k + 1 ? alpha : 0);
        vn += v[i] * v[i];
      }
      vn = Math.sqrt(vn);
      if (vn == 0) continue;
      for (int i = k + 1; i < n; i++) v[i] /= vn;
      double kk = 0;
      for (int i = k + 1; i < n; i++) {
        double s = 0;
        for (int j = k + 1; j < n; j++) s += a[i][j] * v[j];
        p[i] = s;
        kk += v[i] * s;
      }
      for (int i = k + 1; i < n; i++) p[i] -= kk * v[i];
      for (int i = k + 1; i < n; i++) for (int j = k + 1; j < n; j++) a[i][j] -= 2 * (v[i] * p[j] + p[i] * v[j]);
      a[k + 1][k] = a[k][k + 1] = alpha;
      for (int i = k + 2; i < n; i++) a[i][k] = a[k][i] = 0;
    }
    for (int i = 0; i < n; i++) {
      d[i] = a[i][i];
      e[i] = i + 1 < n ? a[i + 1][i] : 0;
    }
  }

  private static void ql(double[] d, double[] e) {
    int n = d.length;
    for (int l = 0; l < n; l++) {
      for (int iter = 0; iter < 60; iter++) {
        int m = l;
        while (m < n - 1) {
          double dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
          if (Math.abs(e[m]) <= 1e-15 * dd) break;
          m++;
        }
        if (m == l) break;
        double g = (d[l + 1] - d[l]) / (2 * e[l]);
        double r = Math.hypot(g, 1);
        g = d[m] - d[l] + e[l] / (g + Math.copySign(r, g));
        double s = 1, c = 1, p = 0;
        int i;
        boolean underflow = false;
        for (i = m - 1; i >= l; i--) {
          double f = s * e[i], b = c * e[i];
          r = Math.hypot(f, g);
          e[i + 1] = r;
          if (r == 0) {
            d[i + 1] -= p;
            e[m] = 0;
            underflow = true;
            break;
          }
          s = f / r;
          c = g / r;
          g = d[i + 1] - p;
          r = (d[i] - g) * s + 2 * c * b;
          p = s * r;
          d[i + 1] = g + p;
          g = c * r - b;
        }
        if (underflow) continue;
        d[l] -= p;
        e[l] = g;
        e[m] = 0;
      }
    }
  }
}
