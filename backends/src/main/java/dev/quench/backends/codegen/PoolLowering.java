package dev.quench.backends.codegen;

import dev.quench.ir.DTypes;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.kernel.Window;
import dev.quench.ir.op.Pool;

/** Integer average, global average and max pooling (kernels/pool.h). */
public final class PoolLowering implements FamilyLowering {
  /** geom: the PoolGeom initializer (windowed pools); nc, inner: planes and their size (global pooling). */
  public record Args(String geom, String nc, String inner, String shiftLeft, String lo, String hi) {}

  /** The float forms (kernels/pool.h pool_f32, global_pool_f32): max 1 for max pooling. */
  public record FloatArgs(String geom, String nc, String inner, String max) {}

  /** Pooling over up to three axes, or with Indices: the PoolNGeom initializer, the Indices output (a typed null pointer when absent). */
  public record NdArgs(String geom, String indices) {}

  /** The PoolNGeom of n (input shape xs), leading axes of size 1 when it has fewer than three. */
  private static String poolNd(Node n, int[] xs) {
    int r = xs.length - 2, lead = 3 - r;
    int[] spatial = java.util.Arrays.copyOfRange(xs, 2, xs.length);
    Window w = Window.of(n.attrs, spatial, n.attrs.getIntArray("kernel_shape", null), n.attrs.getInt("ceil_mode", 0) != 0, n.describe());
    int[] istr = Shapes.strides(spatial);
    if (n.attrs.getInt("storage_order", 0) != 0) {
      // column-major Indices over the spatial dims
      int acc = 1;
      for (int d = 0; d < r; d++) {
        istr[d] = acc;
        acc *= spatial[d];
      }
    }
    int[][] axes = {spatial, w.out(), w.kernel(), w.strides(), w.dilations(), w.padBegin(), w.padEnd(), istr};
    int[] fill = {1, 1, 1, 1, 1, 0, 0, 0};
    StringBuilder b = new StringBuilder("{").append(xs[0] * xs[1]);
    for (int a = 0; a < axes.length; a++) {
      b.append(", {");
      for (int i = 0; i < 3; i++) b.append(i == 0 ? "" : ", ").append(i < lead ? fill[a] : axes[a][i - lead]);
      b.append("}");
    }
    return b.append(", ").append(n.opType.contains("Max") ? 1 : 0).append(", ").append(n.attrs.getInt("count_include_pad", 0)).append("}").toString();
  }

  @Override
  public boolean lowers(String opType, boolean floatForm) {
    return true;
  }

  @Override
  public Lowered lower(Node n, Lowering l, KernelChoice kernel, boolean npu) {
    if (Lowering.isFloat(n)) {
      String max = n.opType.contains("Max") ? "1" : "0";
      if (n.opType.startsWith("Global")) {
        int[] xs = n.input(0).type().shape();
        return new Lowered("global_pool_f32", "global_pool_f32", new FloatArgs(null, Integer.toString(xs[0] * xs[1]), Integer.toString(Shapes.product(xs, 2, xs.length)), max));
      }
      int[] xs = n.input(0).type().shape();
      boolean indices = n.outputs().size() > 1 && n.output(1) != null;
      if (xs.length > 4 || indices) {
        QuenchException.check(xs.length <= 5, "codegen: %s: pooling over %d spatial axes (at most 3)", n.describe(), xs.length - 2);
        return new Lowered("pool_nd_f32", "pool_nd_f32", new NdArgs(poolNd(n, xs), indices ? l.ptr(n.output(1)) : "static_cast<int64_t*>(nullptr)"));
      }
      return new Lowered("pool_f32", "pool_f32", new FloatArgs(Lowering.join(Lowering.poolGeom(n)), null, null, max));
    }
    Lowering.requireInt(n);
    if (n.opType.equals("GlobalMaxPool")) {
      // the largest integer of each plane, at the input's scale
      int[] xs = n.input(0).type().shape();
      return new Lowered("global_max_pool", "global_max_pool_int", new Args(null, Integer.toString(xs[0] * xs[1]), Integer.toString(Shapes.product(xs, 2, xs.length)), "0", "0", "0"));
    }
    String shift = Long.toString(n.attrs.getInt("shift_left", 0)), lo = Long.toString(DTypes.lo(n.output(0).type().dtype())), hi = Long.toString(DTypes.hi(n.output(0).type().dtype()));
    if (n.opType.equals("GlobalAveragePool")) {
      int[] xs = n.input(0).type().shape();
      return new Lowered("global_average_pool", "global_avg_pool_int", new Args(null, Integer.toString(xs[0] * xs[1]), Integer.toString(Shapes.product(xs, 2, xs.length)), shift, lo, hi));
    }
    boolean max = n.opType.equals(Pool.MAX_POOL);
    return new Lowered(max ? "max_pool" : "average_pool", max ? "max_pool_int" : "avg_pool_int", new Args(Lowering.join(Lowering.poolGeom(n)), null, null, shift, lo, hi));
  }
}
