package dev.quench.backends.codegen;

import dev.quench.ir.Node;
import dev.quench.ir.Value;

/** Integer fully connected layers (kernels/fully_connected.h). */
public final class FullyConnectedLowering implements FamilyLowering {
  public record Args(String targs, String rows, String k, String nOut, Lowering.WeightArgs weights) {}

  /** The float form (kernels/fully_connected.h fully_connected_f32), the fused activation after. */
  public record FloatArgs(String rows, String k, String nOut, String w, String bias, String activation) {}

  @Override
  public Lowered lower(Node n, Lowering l, KernelChoice kernel, boolean npu) {
    int k = n.input(1).type().dim(1), nOut = n.input(1).type().dim(0);
    if (Lowering.isFloat(n)) {
      Value b = n.inputs().size() > 2 ? n.input(2) : null;
      return new Lowered("fully_connected_f32", "fully_connected_f32", new FloatArgs(Long.toString(n.input(0).type().numel() / k), Integer.toString(k),
          Integer.toString(nOut), l.consts.add(n.name + "_w", n.input(1)), b == null ? "nullptr" : l.consts.add(n.name + "_b", b), Lowering.activationF32(n)));
    }
    Lowering.requireInt(n);
    String targs = kernel != null && kernel.kernel().equals("fully_connected_int_gemm") ? "" : "<" + Lowering.acc(n) + ">";
    Lowering.WeightArgs w = l.weightsAndRequant(n, null);
    return new Lowered("fully_connected", "fully_connected_int", new Args(targs, Long.toString(n.input(0).type().numel() / k), Integer.toString(k),
        Integer.toString(nOut), w));
  }
}
