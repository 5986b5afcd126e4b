package dev.quench.backends.codegen;

import dev.quench.ir.op.Pool;
import dev.quench.ir.DTypes;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Value;
import java.util.Map;

/** Integer average, global average and max pooling (kernels/pool.h). */
final class PoolLowering implements FamilyLowering {
  @Override
  public void lower(Node n, Lowering l, KernelChoice kernel, boolean npu, Map<String, Object> m) {
    String op = n.opType;
    Value x = n.inputs().isEmpty() ? null : n.input(0), y = n.output(0);
    if (n.opType.equals("GlobalAveragePool")) {
      Lowering.requireInt(n);
      int[] xs = x.type().shape();
      Lowering.template(m, "global_average_pool", "global_avg_pool_int");
      m.put("nc", Integer.toString(xs[0] * xs[1]));
      m.put("inner", Integer.toString(Shapes.product(xs, 2, xs.length)));
      m.put("shift_left", Long.toString(n.attrs.getInt("shift_left", 0)));
      m.put("lo", Long.toString(DTypes.lo(y.type().dtype())));
      m.put("hi", Long.toString(DTypes.hi(y.type().dtype())));
      return;
    }
    QuenchException.check(!n.opType.equals("GlobalMaxPool"), "codegen: %s: no C++ kernel for GlobalMaxPool yet", n.describe());
    Lowering.requireInt(n);
    Lowering.template(m, op.equals(Pool.MAX_POOL) ? "max_pool" : "average_pool", op.equals(Pool.MAX_POOL) ? "max_pool_int" : "avg_pool_int");
    m.put("geom", Lowering.join(Lowering.poolGeom(n)));
    m.put("shift_left", Long.toString(n.attrs.getInt("shift_left", 0)));
    m.put("lo", Long.toString(DTypes.lo(y.type().dtype())));
    m.put("hi", Long.toString(DTypes.hi(y.type().dtype())));
  }
}
