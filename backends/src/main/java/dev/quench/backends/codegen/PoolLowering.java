package dev.quench.backends.codegen;

import dev.quench.ir.DTypes;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.op.Pool;

/** Integer average, global average and max pooling (kernels/pool.h). */
public final class PoolLowering implements FamilyLowering {
  /** geom: the PoolGeom initializer (windowed pools); nc, inner: planes and their size (global pooling). */
  public record Args(String geom, String nc, String inner, String shiftLeft, String lo, String hi) {}

  /** The float forms (kernels/pool.h pool_f32, global_pool_f32): max 1 for max pooling. */
  public record FloatArgs(String geom, String nc, String inner, String max) {}

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
