package dev.quench.ir;

import java.util.Arrays;

/** Element type plus static shape. Shapes are fully concrete in the IR (symbolic dims are fixed at import). */
public record TensorType(DType dtype, int[] shape) {
  public TensorType {
    shape = shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public int dim(int i) {
    return shape[i];
  }

  public long numel() {
    return Shapes.numelLong(shape);
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorType t && t.dtype == dtype && Arrays.equals(t.shape, shape);
  }

  @Override
  public int hashCode() {
    return dtype.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return dtype.shortName + "[" + Shapes.str(shape) + "]";
  }
}
