package dev.quench.ir.kernel;

import dev.quench.ir.Tensor;

/** Data movement by an explicit index map: out[i] = src[map[i]], or {@code fill} where map[i] &lt; 0. */
public final class IndexMap {
  private IndexMap() {}

  /**
   * For each element of {@code shape} in row-major order, the offset sum(pos[d] * strides[d]):
   * the flat source index of a broadcast (stride 0 on repeated axes), a transpose (permuted
   * strides) or a reduction slot (stride 0 on reduced axes).
   */
  public static int[] strided(int[] shape, int[] strides) {
    int n = 1;
    for (int d : shape) n *= d;
    int[] idx = new int[n];
    int r = shape.length;
    int[] pos = new int[r];
    int cur = 0;
    for (int k = 0; k < n; k++) {
      idx[k] = cur;
      for (int d = r - 1; d >= 0; d--) {
        pos[d]++;
        cur += strides[d];
        if (pos[d] < shape[d]) break;
        cur -= strides[d] * pos[d];
        pos[d] = 0;
      }
    }
    return idx;
  }

  public static Tensor take(Tensor src, int[] map, int[] outShape, double fill) {
    Tensor out = Tensor.zeros(src.dtype, outShape);
    if (src.isFloat()) {
      float f = (float) fill;
      for (int i = 0; i < map.length; i++) out.f[i] = map[i] < 0 ? f : src.f[map[i]];
    } else {
      long l = (long) fill;
      for (int i = 0; i < map.length; i++) out.l[i] = map[i] < 0 ? l : src.l[map[i]];
    }
    return out;
  }
}
