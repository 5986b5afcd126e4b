package dev.quench.ir;

import java.util.Arrays;
import java.util.Set;

/**
 * The requantization of an integer node, the one definition its writers (the quantizer) and
 * readers (the integer interpreter, the code generator, the QDQ exporter, the middleware parser's
 * check) share: per-channel right shifts (or one), the output type ({@code bits}, signedness),
 * a fused clamp in output units, and the accumulator width. Carried as node attributes (the
 * names below, nowhere else); {@link #of} reads and checks them.
 */
public record Requant(long[] shiftRight, int bits, boolean unsigned, long actMin, long actMax, int accBits) {
  public static final String SHIFT_RIGHT = "shift_right", OUT_BITS = "out_bits", OUT_UNSIGNED = "out_unsigned", ACT_MIN = "act_min_q", ACT_MAX = "act_max_q",
      ACC_BITS = "acc_bits";

  public Requant {
    QuenchException.check(shiftRight != null && shiftRight.length >= 1, "%s: at least one shift", SHIFT_RIGHT);
    for (long s : shiftRight) QuenchException.check(s >= -64 && s <= 63, "%s: shift %d is not -64..63", SHIFT_RIGHT, s);
    QuenchException.check(bits >= 2 && bits <= 32, "%s=%d is not 2..32", OUT_BITS, bits);
    QuenchException.check(accBits == 32 || accBits == 64, "%s=%d is not 32 or 64", ACC_BITS, accBits);
    long tlo = FixedPoint.lo(bits, unsigned), thi = FixedPoint.hi(bits, unsigned);
    QuenchException.check(actMin >= tlo && actMax <= thi, "%s..%s = %d..%d is not inside %d..%d", ACT_MIN, ACT_MAX, actMin, actMax, tlo, thi);
    shiftRight = shiftRight.clone();
  }

  /** No fused clamp: the output type's range. */
  public static Requant of(long[] shiftRight, int bits, boolean unsigned) {
    return new Requant(shiftRight, bits, unsigned, FixedPoint.lo(bits, unsigned), FixedPoint.hi(bits, unsigned), 32);
  }

  /** Whether a node carries a requantization. */
  public static boolean present(Attributes a) {
    return a.has(SHIFT_RIGHT);
  }

  /** The requantization a node's attributes carry (QuenchException when absent or out of range). */
  public static Requant of(Attributes a) {
    long[] s = a.getInts(SHIFT_RIGHT);
    QuenchException.check(s != null, "no %s (not quantized?)", SHIFT_RIGHT);
    int bits = (int) a.getInt(OUT_BITS, 8);
    boolean uns = a.getInt(OUT_UNSIGNED, 0) != 0;
    long lo = FixedPoint.lo(bits, uns), hi = FixedPoint.hi(bits, uns);
    return new Requant(s, bits, uns, a.has(ACT_MIN) ? Math.max(lo, a.getInt(ACT_MIN, lo)) : lo, a.has(ACT_MAX) ? Math.min(hi, a.getInt(ACT_MAX, hi)) : hi,
        (int) a.getInt(ACC_BITS, 32));
  }

  /** These attributes on a: the shifts, the output type, the clamp where it narrows the type. */
  public Attributes put(Attributes a) {
    return putOutput(a.put(SHIFT_RIGHT, shiftRight.clone()), bits, unsigned);
  }

  /** The output type alone (nodes that land on their frac without shifts: pools, tables). */
  public static Attributes putOutput(Attributes a, int bits, boolean unsigned) {
    a.put(OUT_BITS, (long) bits);
    if (unsigned) a.put(OUT_UNSIGNED, 1L);
    return a;
  }

  /** The same with a fused clamp [lo, hi] (output units). */
  public Requant clamped(long lo, long hi) {
    return new Requant(shiftRight, bits, unsigned, Math.max(actMin, lo), Math.min(actMax, hi), accBits);
  }

  public Requant withAccBits(int acc) {
    return new Requant(shiftRight, bits, unsigned, actMin, actMax, acc);
  }

  @Override
  public long[] shiftRight() {
    return shiftRight.clone();
  }

  public int shifts() {
    return shiftRight.length;
  }

  public long shift(int channel) {
    return shiftRight[shiftRight.length == 1 ? 0 : channel];
  }

  public long lo() {
    return actMin;
  }

  public long hi() {
    return actMax;
  }

  public DType outType() {
    return DTypes.of(bits, unsigned);
  }

  /** The shift count fits the node: one of counts (1 or the channel count, or exactly the input count). */
  public void checkCount(Set<Integer> counts) {
    QuenchException.check(counts.contains(shiftRight.length), "%d shifts in %s, expected %s", shiftRight.length, SHIFT_RIGHT,
        counts.stream().sorted().map(String::valueOf).reduce((x, y) -> x + " or " + y).orElse("none"));
  }

  /** shift_round then clamp, with the accumulator checked against int32 unless widened. */
  public long apply(long acc, int channel, String where) {
    if (accBits == 32) FixedPoint.checkAcc(acc, where);
    return FixedPoint.clamp(FixedPoint.shiftRound(acc, (int) shift(channel)), actMin, actMax);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Requant r && Arrays.equals(r.shiftRight, shiftRight) && r.bits == bits && r.unsigned == unsigned && r.actMin == actMin && r.actMax == actMax
        && r.accBits == accBits;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(shiftRight) * 31 + bits;
  }

  @Override
  public String toString() {
    return "requant(shifts=" + Arrays.toString(shiftRight) + ", bits=" + bits + (unsigned ? " unsigned" : "") + ", clamp=" + actMin + ".." + actMax + ", acc=" + accBits + ")";
  }
}
