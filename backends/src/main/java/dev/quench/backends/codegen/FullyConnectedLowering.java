package dev.quench.backends.codegen;

import dev.quench.ir.Node;

/** Integer fully connected layers (kernels/fully_connected.h). */
public final class FullyConnectedLowering implements FamilyLowering {
  public record Args(String targs, String rows, String k, String nOut, Lowering.WeightArgs weights) {}

  @Override
  public Lowered lower(Node n, Lowering l, KernelChoice kernel, boolean npu) {
    Lowering.requireInt(n);
    int k = n.input(1).type().dim(1), nOut = n.input(1).type().dim(0);
    String targs = kernel != null && kernel.kernel().equals("fully_connected_int_gemm") ? "" : "<" + Lowering.acc(n) + ">";
    Lowering.WeightArgs w = l.weightsAndRequant(n, null);
    return new Lowered("fully_connected", "fully_connected_int", new Args(targs, Long.toString(n.input(0).type().numel() / k), Integer.toString(k),
        Integer.toString(nOut), w));
  }
}
