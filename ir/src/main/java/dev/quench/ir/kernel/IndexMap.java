package dev.quench.ir.kernel;

import dev.quench.ir.Tensor;

/** Data movement by an explicit index map: out[i] = src[map[i]], or {@code fill} where map[i] &lt; 0. */
public final class IndexMap {
  private IndexMap() {}

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
