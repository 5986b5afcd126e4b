package dev.quench.backends.codegen;

import dev.quench.ir.Node;
import dev.quench.ir.Shapes;

/** Integer per-channel scale and bias (kernels/elementwise.h). */
public final class ChannelAffineLowering implements FamilyLowering {
  public record Args(String n, String c, String inner, Lowering.WeightArgs weights) {}

  @Override
  public Lowered lower(Node n, Lowering l, KernelChoice kernel, boolean npu) {
    Lowering.requireInt(n);
    int[] xs = n.input(0).type().shape();
    Lowering.WeightArgs w = l.weightsAndRequant(n, null);
    return new Lowered("channel_affine", "channel_affine_int", new Args(Integer.toString(xs[0]), Integer.toString(xs[1]),
        Integer.toString(Shapes.product(xs, 2, xs.length)), w));
  }
}
