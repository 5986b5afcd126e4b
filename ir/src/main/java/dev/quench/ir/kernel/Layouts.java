package dev.quench.ir.kernel;

import dev.quench.ir.Attributes;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;

/**
 * NHWC support for the layout-aware ops (Conv, the pools): an op carrying
 * {@code data_layout="NHWC"} reads and writes channels-last tensors (weights OHWI for Conv). The
 * reference kernels compute in NCHW between two transposes, so both layouts share one kernel
 * and one set of semantics.
 */
public final class Layouts {
  private Layouts() {}

  public static final String ATTR = "data_layout";
  public static final long[] TO_NHWC = {0, 2, 3, 1}, TO_NCHW = {0, 3, 1, 2};

  public static boolean nhwc(Attributes a) {
    return "NHWC".equals(a.getString(ATTR, "NCHW"));
  }

  public static int[] permute(int[] shape, long[] perm) {
    int[] r = new int[shape.length];
    for (int i = 0; i < r.length; i++) r[i] = shape[(int) perm[i]];
    return r;
  }

  /** y = x with its axes permuted: y's axis i is x's axis perm[i]. The Transpose op's kernel too. */
  public static Tensor transpose(Tensor t, long[] perm) {
    int[] s = t.shape(), st = Shapes.strides(s), step = new int[s.length];
    for (int i = 0; i < s.length; i++) step[i] = st[(int) perm[i]];
    return IndexMap.take(t, IndexMap.strided(permute(s, perm), step), permute(s, perm), 0);
  }
}
