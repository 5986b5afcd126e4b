package dev.quench.backends.codegen;

import dev.quench.ir.Node;
import dev.quench.ir.Shapes;
import dev.quench.ir.Value;
import java.util.Map;

/** Integer per-channel scale and bias (kernels/elementwise.h). */
final class ChannelAffineLowering implements FamilyLowering {
  @Override
  public void lower(Node n, Lowering l, KernelChoice kernel, boolean npu, Map<String, Object> m) {
    Value x = n.inputs().isEmpty() ? null : n.input(0);
    Lowering.requireInt(n);
    int[] xs = x.type().shape();
    Lowering.template(m, "channel_affine", "channel_affine_int");
    m.put("n", Integer.toString(xs[0]));
    m.put("c", Integer.toString(xs[1]));
    m.put("inner", Integer.toString(Shapes.product(xs, 2, xs.length)));
    l.weightsAndRequant(n, m, null);
  }
}
