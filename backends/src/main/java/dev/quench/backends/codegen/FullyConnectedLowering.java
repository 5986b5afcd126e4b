package dev.quench.backends.codegen;

import dev.quench.ir.Node;
import dev.quench.ir.Value;
import java.util.Map;

/** Integer fully connected layers (kernels/fully_connected.h). */
final class FullyConnectedLowering implements FamilyLowering {
  @Override
  public void lower(Node n, Lowering l, KernelChoice kernel, boolean npu, Map<String, Object> m) {
    Value x = n.inputs().isEmpty() ? null : n.input(0);
    Lowering.requireInt(n);
    int k = n.input(1).type().dim(1), nOut = n.input(1).type().dim(0);
    Lowering.template(m, "fully_connected", "fully_connected_int");
    m.put("targs", kernel != null && kernel.kernel().equals("fully_connected_int_gemm") ? "" : "<" + m.get("acc") + ">");
    m.put("rows", Long.toString(x.type().numel() / k));
    m.put("k", Integer.toString(k));
    m.put("n_out", Integer.toString(nOut));
    l.weightsAndRequant(n, m, null);
  }
}
