package dev.quench.passes.quant.rules;

import dev.quench.ir.FixedPoint;
import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import dev.quench.ir.op.Recurrent;
import java.util.ArrayList;
import java.util.List;

/**
 * Weight-only 8 bits for a float island with large weight matrices (the recurrent layers): W and R
 * become int8 with a power-of-two scale per row (gate unit), a quarter of the flash; the layer
 * keeps its float arithmetic on the rounded weights, which the C++ widens exactly.
 */
public final class WeightOnlyRule {
  /** n with W and R stored in 8 bits (constant W and R only; otherwise n unchanged). */
  public Node rewrite(Node n, QuantContext q) {
    if (n.inputs().size() < 3 || !n.input(1).isConstant() || !n.input(2).isConstant() || !n.input(1).data().isFloat()) return n;
    List<Value> ins = new ArrayList<>(n.inputs());
    dev.quench.ir.Attributes a = n.attrs.copy();
    ins.set(1, int8(n, n.input(1), Recurrent.W_FRAC, a, q));
    ins.set(2, int8(n, n.input(2), Recurrent.R_FRAC, a, q));
    return n.with(n.opType, ins, a);
  }

  private static Value int8(Node n, Value w, String attr, dev.quench.ir.Attributes a, QuantContext q) {
    Tensor t = w.data();
    int rows = t.dim(0) * t.dim(1), per = t.numel() / rows;
    int[] f = new int[rows];
    long[] fl = new long[rows];
    for (int r = 0; r < rows; r++) {
      double m = 0;
      for (int i = 0; i < per; i++) m = Math.max(m, Math.abs(t.f[r * per + i]));
      f[r] = FixedPoint.fracFor(m, 8);
      fl[r] = f[r];
    }
    a.put(attr, fl);
    Tensor q8 = TensorQuantizer.weights(t, f, rows);  // rows along the two leading axes
    Value v = q.constant(n.name + "." + attr.charAt(0) + "q", q8, f, 0, 8);
    v.setQParams(null);  // read through the node's own fracs, not as an activation
    return v;
  }
}
