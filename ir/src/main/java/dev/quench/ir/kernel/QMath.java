package dev.quench.ir.kernel;

/**
 * Quench's own float32 transcendental functions, defined once here and mirrored operation for
 * operation in the C++ runtime, so that float islands (Softmax, Sigmoid, Tanh, Exp, Gelu) give
 * the same bits in Java and on the device: only IEEE float +, -, *, / (Java never fuses them into
 * FMAs; the C++ side is built with {@code -ffp-contract=off}), floor and exponent-bit assembly —
 * no libm. Accuracy: exp within 2 ulp of the correctly rounded result on [-87, 88].
 */
public final class QMath {
  private QMath() {}

  private static final float LOG2E = 1.44269504f;
  // ln 2 split so that n * LN2_HI is exact for |n| < 2^9 (Cody-Waite reduction)
  private static final float LN2_HI = 0.693145752f, LN2_LO = 1.42860677e-6f;

  /**
   * e^x: n = floor(x log2 e + 1/2), r = x - n ln 2 (|r| <= 0.35), e^r by its Taylor polynomial to
   * degree 7 (truncation below 2^-30) in Horner form, scaled by 2^n assembled from exponent bits
   * (two steps at the ends of the exponent range; below 2^-126 the last step rounds once).
   */
  public static float exp(float x) {
    if (x != x) return x;
    if (x > 88.72283f) return Float.POSITIVE_INFINITY;
    if (x < -103.97208f) return 0f;
    float fn = (float) Math.floor(x * LOG2E + 0.5f);
    int n = (int) fn;
    float r = (x - fn * LN2_HI) - fn * LN2_LO;
    float p = 1f / 5040f;
    p = p * r + 1f / 720f;
    p = p * r + 1f / 120f;
    p = p * r + 1f / 24f;
    p = p * r + 1f / 6f;
    p = p * r + 0.5f;
    p = p * r + 1f;
    p = p * r + 1f;
    if (n > 127) return p * 2f * pow2(n - 1);
    if (n >= -126) return p * pow2(n);
    return p * pow2(n + 64) * pow2(-64);
  }

  /** 2^n for -126 <= n <= 127, exactly. */
  static float pow2(int n) {
    return Float.intBitsToFloat((n + 127) << 23);
  }

  /** 1 / (1 + e^-x), from the side where e^(-|x|) cannot overflow. */
  public static float sigmoid(float x) {
    if (x >= 0) return 1f / (1f + exp(-x));
    float e = exp(x);
    return e / (1f + e);
  }

  /**
   * tanh: odd Taylor polynomial to x^9 for |x| < 1/4 (truncation below 1e-9, no cancellation),
   * else (1 - t) / (1 + t) with t = e^(-2|x|), sign restored.
   */
  public static float tanh(float x) {
    if (x != x) return x;
    float ax = Math.abs(x);
    if (ax < 0.25f) {
      float x2 = x * x;
      float p = 62f / 2835f;
      p = p * x2 - 17f / 315f;
      p = p * x2 + 2f / 15f;
      p = p * x2 - 1f / 3f;
      return x + x * x2 * p;
    }
    if (ax > 9.1f) return Math.copySign(1f, x);
    float t = exp(-2f * ax);
    return Math.copySign((1f - t) / (1f + t), x);
  }
}
