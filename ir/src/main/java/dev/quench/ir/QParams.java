package dev.quench.ir;

import java.util.Arrays;

/**
 * Quantization parameters of a value: {@code bits}-bit integers (signed unless {@code unsigned})
 * standing for q * 2^-frac, with one frac per tensor or, for per-channel constants, one per index
 * of {@code axis}. Printed and parsed by the middleware as {@code q(bits=8, frac=[5])} (fields in
 * that order: bits, frac, unsigned, axis); {@link #parse} and {@link #check} are the only readers
 * of that form.
 */
public record QParams(int bits, boolean unsigned, long[] frac, int axis) {
  public QParams {
    QuenchException.check(bits >= 1 && bits <= 32, "q(): bits=%d is not 1..32", bits);
    QuenchException.check(frac != null && frac.length >= 1, "q(): frac needs at least one value");
    for (long f : frac) QuenchException.check(f >= -64 && f <= 64, "q(): frac %d is not -64..64", f);
    QuenchException.check(frac.length == 1 || axis >= 0, "q(): %d fracs need an axis", frac.length);
    frac = frac.clone();
  }

  /** One frac for the whole tensor. */
  public static QParams of(int bits, boolean unsigned, long frac) {
    return new QParams(bits, unsigned, new long[] {frac}, -1);
  }

  /** One frac per index of axis (a single frac is per tensor). */
  public static QParams perChannel(int bits, boolean unsigned, long[] frac, int axis) {
    return new QParams(bits, unsigned, frac, frac.length > 1 ? axis : -1);
  }

  /** The frac of a per-tensor value (the first channel's of a per-channel one). */
  public long frac0() {
    return frac[0];
  }

  @Override
  public long[] frac() {
    return frac.clone();
  }

  /** The printed fields, in their canonical order. */
  public Attributes fields() {
    Attributes a = new Attributes().put("bits", (long) bits).put("frac", frac.clone());
    if (unsigned) a.put("unsigned", 1L);
    if (frac.length > 1) a.put("axis", (long) axis);
    return a;
  }

  /** From the printed fields; unknown fields and out-of-range values are errors. */
  public static QParams parse(Attributes a) {
    for (String k : a.asMap().keySet()) {
      QuenchException.check(k.equals("bits") || k.equals("frac") || k.equals("unsigned") || k.equals("axis"), "q(): unknown field '%s'", k);
    }
    QuenchException.check(a.has("bits") && a.has("frac"), "q(): bits and frac are required");
    long bits = a.getInt("bits", 8);
    QuenchException.check(bits >= 1 && bits <= 32, "q(): bits=%d is not 1..32", bits);
    long uns = a.getInt("unsigned", 0);
    QuenchException.check(uns == 0 || uns == 1, "q(): unsigned=%d is not 0 or 1", uns);
    long[] f = a.getInts("frac");
    QuenchException.check(f != null, "q(): frac must be a list");
    long axis = a.getInt("axis", -1);
    QuenchException.check(f.length == 1 || axis >= 0, "q(): %d fracs need an axis", f.length);
    return new QParams((int) bits, uns != 0, f, f.length > 1 ? (int) axis : -1);
  }

  /** The parameters fit a value of type t: one frac, or one per index of a valid axis; an integer type of these bits. */
  public void check(TensorType t) {
    if (frac.length > 1) {
      QuenchException.check(axis < t.rank(), "q(): axis %d of a rank-%d tensor", axis, t.rank());
      QuenchException.check(frac.length == t.dim(axis), "q(): %d fracs for %d channels on axis %d", frac.length, t.dim(axis), axis);
    }
    QuenchException.check(t.dtype().isFloating() || t.dtype().bytes * 8 >= bits, "q(): %d bits do not fit %s", bits, t.dtype().shortName);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QParams q && q.bits == bits && q.unsigned == unsigned && Arrays.equals(q.frac, frac) && q.axis == axis;
  }

  @Override
  public int hashCode() {
    return (31 * (31 * bits + (unsigned ? 1 : 0)) + Arrays.hashCode(frac)) * 31 + axis;
  }

  @Override
  public String toString() {
    return "q(" + fields() + ")";
  }
}
