package dev.quench.passes.quant.rules;

import dev.quench.ir.op.Binary;
import dev.quench.ir.Attributes;
import dev.quench.ir.DType;
import dev.quench.ir.FixedPoint;
import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import java.util.ArrayList;
import java.util.List;

/** Add, Sub, Max and Min align both inputs to the larger frac by left shifts (at most 16), then shift right to f_out (Max / Min: the larger / smaller aligned value); Mul shifts the product right by f_a + f_b - f_out. Div stays float. */
public final class BinaryRule implements QuantRule {
  @Override
  public boolean quantize(Node n, Value x, Value y, QuantContext q) {
    String op = n.opType;
    if (n.inputs().size() != 2) return false;
    Value b = n.input(1);
    if (!b.isConstant() && !q.activation(b)) return false;
    if (b.isConstant() && !b.type().dtype().isFloating()) return false;
    Value aq = q.intIn(x), bq = b.isConstant() ? q.constantActivation(n.name + ".bq", b) : q.intIn(b);
    int fa = q.frac(aq), fb = q.frac(bq), bits = q.bitsOf(y), fy = q.statFrac(y, bits);
    Attributes a;
    boolean uns = q.unsigned(y, bits);
    if (op.equals(Binary.MUL)) {
      a = q.requantAttrs(n, new long[] {fa + fb - fy}, bits, fy, uns);
    } else {
      int f = Math.max(fa, fb);
      if (f - Math.min(fa, fb) > 16) return false;
      a = q.requantAttrs(n, new long[] {f - fy}, bits, fy, uns).put("shift_a", (long) (f - fa)).put("shift_b", (long) (f - fb));
    }
    Attributes ba = a;
    long ma = q.maxAbs(aq), mb = q.maxAbs(bq);
    q.accumulator(ba, c -> op.equals(Binary.MUL) ? ma * mb : (ma << ba.getInt("shift_a", 0)) + (mb << ba.getInt("shift_b", 0)), 1);
    q.emit(n, List.of(aq, bq), a, y, fy, bits, uns);
    return true;
  }
}
