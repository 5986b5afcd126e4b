package dev.quench.backends.codegen;

import dev.quench.ir.Node;
import java.util.Map;

/** Integer convolution: the kernel KernelChoice picked for the target (kernels/conv.h, kernels/conv_isa.h), weights repacked for the output-channel-innermost one. */
final class ConvLowering implements FamilyLowering {
  @Override
  public void lower(Node n, Lowering l, KernelChoice kernel, boolean npu, Map<String, Object> m) {
    Lowering.requireInt(n);
    int[] geom = Lowering.convGeom(n), ws = n.input(1).type().shape();
    String k = kernel == null ? "conv2d_int" : kernel.kernel();
    Lowering.template(m, "conv", k);
    m.put("geom", Lowering.join(geom));
    // the portable kernels take the accumulator type; the ISA ones are int32 throughout
    m.put("targs", k.equals("conv2d_int") || k.equals("conv2d_int_oc_inner") ? "<" + m.get("acc") + ">" : "");
    l.weightsAndRequant(n, m, k.equals("conv2d_int_oc_inner") ? Lowering.packOcInner(n.input(1).data().l, ws, geom[15]) : null);
  }
}
