package dev.quench.backends.codegen;

import dev.quench.ir.Node;
import dev.quench.ir.Shapes;

/** Per-channel scale and bias, integer (requantized) or float with its fused activation (kernels/elementwise.h). */
public final class ChannelAffineLowering implements FamilyLowering {
  public record Args(String n, String c, String inner, Lowering.WeightArgs weights) {}

  /** The float form: outer x c channels x inner, scale and bias arrays, the activation after. */
  public record FloatArgs(String outer, String c, String inner, String scale, String bias, String activation) {}

  @Override
  public Lowered lower(Node n, Lowering l, KernelChoice kernel, boolean npu) {
    if (Lowering.isFloat(n)) {
      int[] s = n.input(0).type().shape();
      int axis = dev.quench.ir.Shapes.axis((int) n.attrs.getInt("axis", 1), s.length);
      return new Lowered("channel_affine_f32", "channel_affine_f32", new FloatArgs(Integer.toString(Shapes.product(s, 0, axis)), Integer.toString(s[axis]),
          Integer.toString(Shapes.product(s, axis + 1, s.length)), l.consts.add(n.name + "_scale", n.input(1)), l.consts.add(n.name + "_bias", n.input(2)),
          Lowering.activationF32(n)));
    }
    Lowering.requireInt(n);
    int[] xs = n.input(0).type().shape();
    Lowering.WeightArgs w = l.weightsAndRequant(n, null);
    return new Lowered("channel_affine", "channel_affine_int", new Args(Integer.toString(xs[0]), Integer.toString(xs[1]),
        Integer.toString(Shapes.product(xs, 2, xs.length)), w));
  }
}
