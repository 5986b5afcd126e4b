package dev.quench.ir;

/**
 * The integer semantics of quantized Quench, defined once here (the C++ runtime of issue 5 is to
 * mirror exactly this, once). A quantized value q with f fractional bits stands for
 * q * 2^-f.
 *
 * <ul>
 *   <li>Rounding shift: {@code shiftRound(x, s)} for s &gt; 0 is (x + 2^(s-1)) &gt;&gt; s with an
 *       arithmetic shift: round half up (towards +infinity), one add and one shift on every
 *       target. s &lt;= 0 shifts left by -s (exact).
 *   <li>Saturation: to the signed range of the given bit width.
 *   <li>Accumulators are 32-bit; sums are formed in two's complement, so only the final value has
 *       to fit (intermediate wrap-around cancels). A final value outside int32 is an error.
 *   <li>Division (average pooling): {@code divRound(a, n)} = floor((2a + n) / 2n), round half up.
 * </ul>
 */
public final class FixedPoint {
  private FixedPoint() {}

  public static final long ACC_MIN = Integer.MIN_VALUE, ACC_MAX = Integer.MAX_VALUE;

  /** x * 2^-s rounded half up (s &gt; 0), or x * 2^-s exactly (s &lt;= 0). */
  public static long shiftRound(long x, int s) {
    if (s <= 0) return x << -s;
    if (s >= 63) return x < 0 ? -1 : 0;
    return (x + (1L << (s - 1))) >> s;
  }

  public static long min(int bits) {
    return -(1L << (bits - 1));
  }

  public static long max(int bits) {
    return (1L << (bits - 1)) - 1;
  }

  /** Range of a quantized type: signed [-2^(b-1), 2^(b-1)-1] or unsigned [0, 2^b - 1]. */
  public static long lo(int bits, boolean unsigned) {
    return unsigned ? 0 : min(bits);
  }

  public static long hi(int bits, boolean unsigned) {
    return unsigned ? (1L << bits) - 1 : max(bits);
  }

  public static long clamp(long x, long lo, long hi) {
    return x < lo ? lo : (x > hi ? hi : x);
  }

  /** Float to fixed point, round half to even, clamped to [lo, hi]. */
  public static long quantize(double x, int frac, long lo, long hi) {
    return clamp((long) Math.rint(Math.scalb(x, frac)), lo, hi);
  }

  /** The largest fractional bits with maxAbs * 2^f &lt;= hi. */
  public static int fracForLimit(double maxAbs, long hi) {
    if (!(maxAbs > 0) || Double.isInfinite(maxAbs)) return 7;
    int f = (int) Math.floor(Math.log(hi / maxAbs) / Math.log(2));
    while (Math.scalb(maxAbs, f) > hi) f--;
    while (Math.scalb(maxAbs, f + 1) <= hi) f++;
    return Math.max(-31, Math.min(31, f));
  }

  public static long saturate(long x, int bits) {
    long lo = min(bits), hi = max(bits);
    return x < lo ? lo : (x > hi ? hi : x);
  }

  /** shiftRound then saturate: the requantization step of every integer op. */
  public static long requantize(long acc, int shiftRight, int bits) {
    return saturate(shiftRound(acc, shiftRight), bits);
  }

  /** a / n rounded half up, for n &gt; 0. */
  public static long divRound(long a, long n) {
    return Math.floorDiv(2 * a + n, 2 * n);
  }

  /** floor(sqrt(v)) for v >= 0, exactly: the bit-by-bit square root (C++: isqrt). */
  public static long isqrt(long v) {
    long r = 0, bit = 1L << 62;
    while (bit > v) bit >>= 2;
    while (bit != 0) {
      if (v >= r + bit) {
        v -= r + bit;
        r = (r >> 1) + bit;
      } else {
        r >>= 1;
      }
      bit >>= 2;
    }
    return r;
  }

  /** A mean: sum at the input frac, landed on the output frac by one rounding division (shift_left = f_out - f_in; C++: mean_round). */
  public static long meanRound(long sum, long count, int shiftLeft) {
    return shiftLeft >= 0 ? divRound(sum << shiftLeft, count) : divRound(sum, count << -shiftLeft);
  }

  /** Checks a finished 32-bit accumulator; overflow is an error naming where, never silent. */
  public static long checkAcc(long acc, String where) {
    if (acc < ACC_MIN || acc > ACC_MAX) throw new QuenchException(where + ": int32 accumulator overflow (" + acc + ")");
    return acc;
  }

  /** Float to fixed point with f fractional bits: round half to even (as C's nearbyint), saturated. */
  public static long quantize(double x, int frac, int bits) {
    return saturate((long) Math.rint(Math.scalb(x, frac)), bits);
  }

  public static double dequantize(long q, int frac) {
    return Math.scalb((double) q, -frac);
  }

  /** The fractional bits that fit |x| &lt;= maxAbs into the bit width: floor(log2((2^(bits-1) - 1) / maxAbs)). */
  public static int fracFor(double maxAbs, int bits) {
    if (!(maxAbs > 0) || Double.isInfinite(maxAbs)) return bits - 1;
    return fracForLimit(maxAbs, max(bits));
  }
}
