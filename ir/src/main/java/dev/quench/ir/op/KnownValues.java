package dev.quench.ir.op;

import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;

/**
 * Compile-time values of a node's outputs: those that follow from input types (Shape, Size) and
 * those of nodes whose inputs are all known (evaluated when small). Shape inference of later
 * nodes reads them (a Reshape's target shape computed by the exporter's glue).
 */
public final class KnownValues {
  private KnownValues() {}

  /** Nodes are evaluated at compile time only up to this many input plus output elements. */
  public static final long LIMIT = 1 << 24;

  /** Sets the data of n's outputs when it can be known; returns whether it did. */
  public static boolean propagate(Node n) {
    Op op = OpRegistry.get(n.opType);
    Tensor[] out = op.valueFromTypes(n, new InferContext(n));
    if (out == null) {
      long elems = 0;
      for (Value v : n.inputs()) {
        if (v == null) continue;
        if (!v.isConstant()) return false;
        elems += v.data().numel();
      }
      for (Value v : n.outputs()) if (v != null && v.type() != null) elems += Math.max(0, v.type().numel());
      if (elems > LIMIT) return false;
      Tensor[] in = new Tensor[n.inputs().size()];
      for (int i = 0; i < in.length; i++) in[i] = n.input(i) == null ? null : n.input(i).data();
      out = op.eval(n, in);
    }
    for (int i = 0; i < n.outputs().size() && i < out.length; i++) if (n.output(i) != null && out[i] != null) n.output(i).setData(out[i]);
    return true;
  }
}
