package dev.quench.passes.quant.rules;

import dev.quench.ir.Attributes;
import dev.quench.ir.DType;
import dev.quench.ir.FixedPoint;
import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import java.util.ArrayList;
import java.util.List;

/** Concat: every input requantized to the output frac (one shift per input). */
public final class ConcatRule implements QuantRule {
  @Override
  public boolean quantize(Node n, Value x, Value y, QuantContext q) {
    String op = n.opType;
    List<Value> ins = new ArrayList<>();
    for (Value v : n.inputs()) {
      if (v.isConstant() || !q.activation(v)) return false;
      ins.add(q.intIn(v));
    }
    int bits = q.bitsOf(y), fy = q.statFrac(y, bits);
    boolean uns = q.unsigned(y, bits);
    long[] shifts = new long[ins.size()];
    for (int i = 0; i < shifts.length; i++) shifts[i] = q.frac(ins.get(i)) - fy;
    Attributes ca = dev.quench.ir.Requant.of(shifts, bits, uns).put(n.attrs.copy());
    q.emit(n, ins, ca, y, fy, bits, uns);
    return true;
  }
}
