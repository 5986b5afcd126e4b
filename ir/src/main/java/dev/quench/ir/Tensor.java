package dev.quench.ir;

import java.util.Arrays;

/**
 * A dense, C-ordered tensor value. Floating dtypes keep their elements in {@link #f} (float32),
 * integer and bool dtypes in {@link #l} (int64); exactly one of the two is non-null.
 */
public final class Tensor {
  public final DType dtype;
  private final int[] shape;
  public final float[] f;
  public final long[] l;

  private Tensor(DType dtype, int[] shape, float[] f, long[] l) {
    this.dtype = dtype;
    this.shape = shape.clone();
    this.f = f;
    this.l = l;
    int n = Shapes.numel(shape);
    int len = f != null ? f.length : l.length;
    if (len != n) throw new IllegalArgumentException("data length " + len + " != numel " + n + " of " + Shapes.str(shape));
  }

  public static Tensor ofFloat(int[] shape, float[] data) {
    return new Tensor(DType.FLOAT32, shape, data, null);
  }

  public static Tensor ofFloat(DType dtype, int[] shape, float[] data) {
    return new Tensor(dtype, shape, data, null);
  }

  public static Tensor ofLong(DType dtype, int[] shape, long[] data) {
    if (dtype.isFloating()) throw new IllegalArgumentException("integer storage for " + dtype);
    return new Tensor(dtype, shape, null, data);
  }

  public static Tensor ofLong(int[] shape, long[] data) {
    return ofLong(DType.INT64, shape, data);
  }

  /** A zero-filled tensor of the given type. */
  public static Tensor zeros(DType dtype, int[] shape) {
    int n = Shapes.numel(shape);
    return dtype.isFloating() ? new Tensor(dtype, shape, new float[n], null) : new Tensor(dtype, shape, null, new long[n]);
  }

  public static Tensor scalarLong(long v) {
    return ofLong(new int[0], new long[] {v});
  }

  public static Tensor vector(long... v) {
    return ofLong(new int[] {v.length}, v);
  }

  public int[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public int dim(int i) {
    return shape[i];
  }

  public int numel() {
    return f != null ? f.length : l.length;
  }

  public boolean isFloat() {
    return f != null;
  }

  public TensorType type() {
    return new TensorType(dtype, shape);
  }

  public double getDouble(int i) {
    return f != null ? f[i] : l[i];
  }

  public long getLong(int i) {
    return f != null ? (long) f[i] : l[i];
  }

  /** All elements as int64 (for shape, axes and index inputs). */
  public long[] toLongs() {
    if (l != null) return l.clone();
    long[] r = new long[f.length];
    for (int i = 0; i < r.length; i++) r[i] = (long) f[i];
    return r;
  }

  /** All elements as float32. */
  public float[] toFloats() {
    if (f != null) return f;
    float[] r = new float[l.length];
    for (int i = 0; i < r.length; i++) r[i] = l[i];
    return r;
  }

  /** Same data, new shape (numel must match). */
  public Tensor reshape(int[] newShape) {
    return new Tensor(dtype, newShape, f, l);
  }

  /** Stores a double into an element, respecting the integer dtype's wrap-around. */
  public void set(int i, double v) {
    if (f != null) f[i] = (float) v;
    else l[i] = DTypes.wrap(dtype, (long) v);
  }

  @Override
  public String toString() {
    String data = f != null ? Arrays.toString(Arrays.copyOf(f, Math.min(8, f.length))) : Arrays.toString(Arrays.copyOf(l, Math.min(8, l.length)));
    return type() + (numel() > 8 ? data.replace("]", ", ...]") : data);
  }
}
