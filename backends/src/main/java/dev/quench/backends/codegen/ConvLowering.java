package dev.quench.backends.codegen;

import dev.quench.ir.Node;
import dev.quench.ir.Value;

/** Integer convolution: the kernel KernelChoice picked for the target (kernels/conv.h, kernels/conv_isa.h), weights repacked for the output-channel-innermost one. */
public final class ConvLowering implements FamilyLowering {
  /** geom: the ConvGeom initializer; targs: the kernel's template arguments. */
  public record Args(String geom, String targs, Lowering.WeightArgs weights) {}

  /** The float form (kernels/conv.h conv2d_f32): weights OIHW as stored, the fused activation after. */
  public record FloatArgs(String geom, String w, String bias, String activation) {}

  @Override
  public Lowered lower(Node n, Lowering l, KernelChoice kernel, boolean npu) {
    if (Lowering.isFloat(n)) {
      Value b = n.inputs().size() > 2 ? n.input(2) : null;
      return new Lowered("conv_f32", "conv2d_f32", new FloatArgs(Lowering.join(Lowering.convGeom(n)), l.operand(n.input(1), n.name + "_w"),
          b == null ? "nullptr" : l.operand(b, n.name + "_b"), Lowering.activationF32(n)));
    }
    Lowering.requireInt(n);
    int[] geom = Lowering.convGeom(n), ws = n.input(1).type().shape();
    String k = kernel == null ? "conv2d_int" : kernel.kernel();
    // the portable kernels take the accumulator type; the ISA ones are int32 throughout
    String targs = k.equals("conv2d_int") || k.equals("conv2d_int_oc_inner") ? "<" + Lowering.acc(n) + ">" : "";
    long[] stored = n.input(1).data().l;
    Lowering.WeightArgs w = l.weightsAndRequant(n, switch (kernel == null ? KernelChoice.WeightLayout.STORED : kernel.weights()) {
      case STORED -> null;
      case OC_INNER -> Lowering.packOcInner(stored, ws, geom[15]);
      case ROWS4_TAPS16 -> Lowering.packRows4(stored, ws, geom[15]);
    });
    return new Lowered("conv", k, new Args(Lowering.join(geom), targs, w));
  }
}
