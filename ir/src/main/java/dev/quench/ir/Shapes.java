package dev.quench.ir;

import java.util.Arrays;

/** Shape arithmetic: element counts, strides, broadcasting, axis normalisation. */
public final class Shapes {
  private Shapes() {}

  /** Largest element count a tensor may have (2^31 - 1): Java arrays are int-indexed. */
  public static final long MAX_ELEMENTS = Integer.MAX_VALUE;

  public static long numelLong(int[] shape) {
    long n = 1;
    for (int d : shape) {
      if (d < 0) return -1;
      n *= d;
      if (n > MAX_ELEMENTS) return Long.MAX_VALUE;
    }
    return n;
  }

  public static int numel(int[] shape) {
    long n = numelLong(shape);
    QuenchException.check(n >= 0 && n <= MAX_ELEMENTS, "tensor shape %s has more than 2^31 elements or a negative dim", str(shape));
    return (int) n;
  }

  public static int[] strides(int[] shape) {
    int[] s = new int[shape.length];
    int acc = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= shape[i];
    }
    return s;
  }

  /** Numpy multidirectional broadcast of two shapes. */
  public static int[] broadcast(int[] a, int[] b) {
    int r = Math.max(a.length, b.length);
    int[] out = new int[r];
    for (int i = 0; i < r; i++) {
      int da = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
      int db = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
      QuenchException.check(da == db || da == 1 || db == 1, "shapes %s and %s do not broadcast", str(a), str(b));
      out[i] = da == 1 ? db : da;
    }
    return out;
  }

  /** Normalises a possibly negative axis for a tensor of the given rank. */
  public static int axis(long axis, int rank) {
    long a = axis < 0 ? axis + rank : axis;
    QuenchException.check(a >= 0 && a < Math.max(rank, 1), "axis %d out of range for rank %d", axis, rank);
    return (int) a;
  }

  /** The row-major coordinates of a flat index into {@code dims}, written to {@code out}. */
  public static void decode(int flat, int[] dims, int[] out) {
    for (int d = dims.length - 1; d >= 0; d--) {
      out[d] = flat % dims[d];
      flat /= dims[d];
    }
  }

  public static String str(int[] shape) {
    if (shape == null) return "?";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) sb.append('x');
      sb.append(shape[i]);
    }
    return shape.length == 0 ? "scalar" : sb.toString();
  }

  public static int[] concat(int[] a, int[] b) {
    int[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  public static int product(int[] shape, int from, int to) {
    int p = 1;
    for (int i = from; i < to; i++) p *= shape[i];
    return p;
  }
}
