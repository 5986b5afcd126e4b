package dev.quench.ir.kernel;

/**
 * Quench's own double-precision elementary functions, for the float kernels that compute in
 * double (the elementwise math of {@link MathKernels}, Pow, Erf, Gelu). Defined once here and
 * mirrored operation for operation by the C++ runtime ({@code quench/dmath.h}), so a float SDK
 * gives the interpreter's bits: only IEEE double +, -, *, / and comparisons (never fused into
 * FMAs), {@link Math#sqrt} (correctly rounded on both sides) and exponent-bit assembly — no libm.
 * Accuracy: a few ulp of double on the ranges models use, far below the float32 results' ulp.
 *
 * <p>Each function reduces its argument exactly or nearly so (Cody-Waite constants split so that
 * the product with the reduction integer is exact), then sums a Taylor series in Horner form whose
 * truncation is below 2^-56 on the reduced range.
 */
public final class DMath {
  private DMath() {}

  static final double LN2_HI = 6.93147180369123816490e-01, LN2_LO = 1.90821492927058770002e-10;
  static final double LOG2E = 1.44269504088896338700e+00;
  static final double PI = 3.14159265358979311600e+00, PI_2 = 1.57079632679489655800e+00, PI_4 = 7.85398163397448278999e-01;
  // pi/2 in three parts of 33, 33 and 53 bits: k * PIO2_1 and k * PIO2_2 are exact for |k| < 2^20
  static final double PIO2_1 = 1.57079632673412561417e+00, PIO2_2 = 6.07710050630396597660e-11, PIO2_3 = 2.02226624879595063154e-21;
  static final double TWO_OVER_PI = 6.36619772367581382433e-01;
  static final double SQRT2 = 1.41421356237309514547e+00;

  /** Round to the nearest integer, ties to even (Math.rint): 2^52 added and taken away below 2^52. */
  public static double rint(double x) {
    if (!(Math.abs(x) < 4503599627370496.0)) return x;  // NaN, infinities and integers already
    double r = x >= 0 ? (x + 4503599627370496.0) - 4503599627370496.0 : (x - 4503599627370496.0) + 4503599627370496.0;
    return r == 0 ? Math.copySign(0.0, x) : r;
  }

  /** The largest integer not above x (Math.floor). */
  public static double floor(double x) {
    double r = rint(x);
    return r > x ? r - 1 : r;
  }

  /** The smallest integer not below x (Math.ceil); -0 for x in (-1, 0). */
  public static double ceil(double x) {
    double r = rint(x);
    r = r < x ? r + 1 : r;
    return r == 0 && x < 0 ? -0.0 : r;
  }

  /** 2^n for -1022 <= n <= 1023, exactly. */
  static double pow2(int n) {
    return Double.longBitsToDouble((long) (n + 1023) << 52);
  }

  /** x * 2^n for any n, in at most three exact or once-rounded steps. */
  static double scale(double x, int n) {
    if (n > 1023) {
      x *= pow2(1023);
      n -= 1023;
      if (n > 1023) n = 1023;
    } else if (n < -1022) {
      x *= pow2(-1022 + 53);
      n += 1022 - 53;
      if (n < -1022) {
        x *= pow2(-1022 + 53);
        n += 1022 - 53;
        if (n < -1022) n = -1022;
      }
    }
    return x * pow2(n);
  }

  /** 1/2! + r/3! + ... + r^11/13!, in Horner form: the common part of e^r and e^r - 1. */
  private static double expTail(double r) {
    double p = 1.0 / 6227020800.0;
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    return p * r + 0.5;
  }

  /** e^r for |r| <= 0.35: the Taylor polynomial to degree 13. */
  private static double expPoly(double r) {
    return (expTail(r) * r + 1.0) * r + 1.0;
  }

  /** e^x: n = rint(x log2 e), r = x - n ln 2 in two parts, e^r scaled by 2^n. */
  public static double exp(double x) {
    if (x != x) return x;
    if (x > 709.782712893384) return Double.POSITIVE_INFINITY;
    if (x < -745.2) return 0.0;
    double k = rint(x * LOG2E);
    double r = (x - k * LN2_HI) - k * LN2_LO;
    return scale(expPoly(r), (int) k);
  }

  /** e^x - 1, without cancellation near 0 (the Taylor series for |x| < 0.35). */
  public static double expm1(double x) {
    if (x != x) return x;
    if (Math.abs(x) < 0.35) return seriesExpm1(x);
    return exp(x) - 1;
  }

  private static double seriesExpm1(double x) {
    return (expTail(x) * x) * x + x;
  }

  /**
   * ln x: x = m 2^e with m in [sqrt(1/2), sqrt(2)), f = (m - 1) / (m + 1), ln m = 2 atanh f by its
   * series in f^2 (|f| <= 0.1716: eleven terms), plus e ln 2 in two parts.
   */
  public static double log(double x) {
    if (x != x || x < 0) return Double.NaN;
    if (x == 0) return Double.NEGATIVE_INFINITY;
    if (x == Double.POSITIVE_INFINITY) return x;
    int e = 0;
    if (x < Double.MIN_NORMAL) {
      x *= pow2(54);
      e = -54;
    }
    long bits = Double.doubleToRawLongBits(x);
    e += (int) ((bits >>> 52) & 0x7ff) - 1023;
    double m = Double.longBitsToDouble((bits & 0x000fffffffffffffL) | 0x3ff0000000000000L);
    if (m > SQRT2) {
      m *= 0.5;
      e += 1;
    }
    double f = (m - 1) / (m + 1), s = f * f;
    double p = 1.0 / 23.0;
    p = p * s + 1.0 / 21.0;
    p = p * s + 1.0 / 19.0;
    p = p * s + 1.0 / 17.0;
    p = p * s + 1.0 / 15.0;
    p = p * s + 1.0 / 13.0;
    p = p * s + 1.0 / 11.0;
    p = p * s + 1.0 / 9.0;
    p = p * s + 1.0 / 7.0;
    p = p * s + 1.0 / 5.0;
    p = p * s + 1.0 / 3.0;
    double lm = 2 * f + 2 * f * s * p;
    return e * LN2_HI + (e * LN2_LO + lm);
  }

  /** ln(1 + x), without cancellation near 0: ln u corrected by (x - (u - 1)) / u, u = 1 + x. */
  public static double log1p(double x) {
    if (x != x || x < -1) return Double.NaN;
    double u = 1 + x;
    if (u == 1) return x;
    if (u == 0) return Double.NEGATIVE_INFINITY;
    if (u == Double.POSITIVE_INFINITY) return u;
    return log(u) + (x - (u - 1)) / u;
  }

  /** sin(r), cos(r) for |r| <= pi/4 (Taylor to r^17 and r^18). */
  private static double sinPoly(double r) {
    double s = r * r;
    double p = -1.0 / 355687428096000.0;
    p = p * s + 1.0 / 1307674368000.0;
    p = p * s - 1.0 / 6227020800.0;
    p = p * s + 1.0 / 39916800.0;
    p = p * s - 1.0 / 362880.0;
    p = p * s + 1.0 / 5040.0;
    p = p * s - 1.0 / 120.0;
    p = p * s + 1.0 / 6.0;
    return r - r * s * p;
  }

  private static double cosPoly(double r) {
    double s = r * r;
    double p = 1.0 / 6402373705728000.0;
    p = p * s - 1.0 / 20922789888000.0;
    p = p * s + 1.0 / 87178291200.0;
    p = p * s - 1.0 / 479001600.0;
    p = p * s + 1.0 / 3628800.0;
    p = p * s - 1.0 / 40320.0;
    p = p * s + 1.0 / 720.0;
    p = p * s - 1.0 / 24.0;
    p = p * s + 0.5;
    return 1 - s * p;
  }

  /** x = k pi/2 + r, |r| <= pi/4 (about): returns r and k mod 4 in q[0]. */
  private static double reduce(double x, int[] q) {
    double k = rint(x * TWO_OVER_PI);
    q[0] = (int) ((long) k & 3);
    return ((x - k * PIO2_1) - k * PIO2_2) - k * PIO2_3;
  }

  public static double sin(double x) {
    if (x != x || Double.isInfinite(x)) return Double.NaN;
    if (Math.abs(x) < PI_4) return sinPoly(x);
    int[] q = new int[1];
    double r = reduce(x, q);
    return switch (q[0]) {
      case 0 -> sinPoly(r);
      case 1 -> cosPoly(r);
      case 2 -> -sinPoly(r);
      default -> -cosPoly(r);
    };
  }

  public static double cos(double x) {
    if (x != x || Double.isInfinite(x)) return Double.NaN;
    if (Math.abs(x) < PI_4) return cosPoly(x);
    int[] q = new int[1];
    double r = reduce(x, q);
    return switch (q[0]) {
      case 0 -> cosPoly(r);
      case 1 -> -sinPoly(r);
      case 2 -> -cosPoly(r);
      default -> sinPoly(r);
    };
  }

  public static double tan(double x) {
    if (x != x || Double.isInfinite(x)) return Double.NaN;
    int[] q = new int[1];
    double r = Math.abs(x) < PI_4 ? x : reduce(x, q);
    double s = sinPoly(r), c = cosPoly(r);
    return (q[0] & 1) == 0 ? s / c : -c / s;
  }

  /**
   * atan: |x| > 1 as pi/2 - atan(1/|x|), |x| > tan(pi/8) as pi/4 + atan((|x| - 1) / (|x| + 1)),
   * the rest (|t| <= 0.4143) by the odd series to t^45.
   */
  public static double atan(double x) {
    if (x != x) return x;
    double ax = Math.abs(x), base = 0;
    boolean invert = ax > 1;
    if (invert) ax = 1 / ax;
    if (ax > 0.41421356237309503) {
      ax = (ax - 1) / (ax + 1);
      base = PI_4;
    }
    double s = ax * ax, p = 0;
    for (int k = 22; k >= 1; k--) p = p * s + ((k & 1) == 0 ? 1.0 : -1.0) / (2 * k + 1);
    double t = base + (ax + ax * s * p);
    if (invert) t = PI_2 - t;
    return x < 0 ? -t : t;
  }

  public static double asin(double x) {
    if (x != x || Math.abs(x) > 1) return Double.NaN;
    if (Math.abs(x) == 1) return Math.copySign(PI_2, x);
    return atan(x / Math.sqrt((1 - x) * (1 + x)));
  }

  public static double acos(double x) {
    if (x != x || Math.abs(x) > 1) return Double.NaN;
    if (x == -1) return PI;
    return 2 * atan(Math.sqrt((1 - x) / (1 + x)));
  }

  public static double sinh(double x) {
    if (x != x) return x;
    if (Math.abs(x) < 0.35) {
      double e = seriesExpm1(x), f = seriesExpm1(-x);
      return (e - f) * 0.5;
    }
    if (Math.abs(x) > 710) return x > 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    double e = exp(Math.abs(x) * 0.5);
    double h = (e * 0.5) * e - 0.5 / (e * e);
    return x < 0 ? -h : h;
  }

  public static double cosh(double x) {
    if (x != x) return x;
    double ax = Math.abs(x);
    if (ax > 710) return Double.POSITIVE_INFINITY;
    double e = exp(ax * 0.5);
    return (e * 0.5) * e + 0.5 / (e * e);
  }

  /** tanh = expm1(2x) / (expm1(2x) + 2), saturated beyond |x| > 20. */
  public static double tanh(double x) {
    if (x != x) return x;
    if (Math.abs(x) > 20) return x > 0 ? 1.0 : -1.0;
    double e = expm1(2 * Math.abs(x));
    double t = e / (e + 2);
    return x < 0 ? -t : t;
  }

  /** x^y with Math.pow's special cases; otherwise e^(y ln |x|), negative x for integer y only. */
  public static double pow(double x, double y) {
    if (y == 0) return 1.0;
    if (y != y) return y;
    if (x != x) return x;
    if (y == 1) return x;
    boolean yInt = rint(y) == y && !Double.isInfinite(y);
    boolean yOdd = yInt && Math.abs(y) < 9007199254740992.0 && (((long) y) & 1) != 0;
    if (Double.isInfinite(y)) {
      double ax = Math.abs(x);
      if (ax == 1) return Double.NaN;
      return (ax > 1) == (y > 0) ? Double.POSITIVE_INFINITY : 0.0;
    }
    if (x == 0) {
      boolean neg = Double.doubleToRawLongBits(x) < 0 && yOdd;
      double r = y > 0 ? 0.0 : Double.POSITIVE_INFINITY;
      return neg ? -r : r;
    }
    if (Double.isInfinite(x)) {
      double r = (x > 0) ? (y > 0 ? Double.POSITIVE_INFINITY : 0.0) : (y > 0 ? Double.POSITIVE_INFINITY : 0.0);
      return x < 0 && yOdd ? -r : r;
    }
    if (x < 0 && !yInt) return Double.NaN;
    double r = exp(y * log(Math.abs(x)));
    return x < 0 && yOdd ? -r : r;
  }

  /**
   * Error function, |error| below 1.2e-7 everywhere: erfc by the Chebyshev-fitted exponential
   * form (Numerical Recipes' erfcc), erf = 1 - erfc, with the series near zero for relative accuracy.
   */
  public static double erf(double x) {
    if (Double.isNaN(x)) return x;
    double ax = Math.abs(x);
    if (ax < 0.5) {
      // Maclaurin series: erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))
      double x2 = x * x, term = x, sum = x;
      for (int n = 1; n < 20; n++) {
        term *= -x2 / n;
        sum += term / (2 * n + 1);
      }
      return 2 / Math.sqrt(PI) * sum;
    }
    double t = 1.0 / (1.0 + 0.5 * ax);
    double erfc = t * exp(-ax * ax - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? 1 - erfc : erfc - 1;
  }
}
