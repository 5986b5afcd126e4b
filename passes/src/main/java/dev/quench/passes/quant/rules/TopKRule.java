package dev.quench.passes.quant.rules;

import dev.quench.ir.Node;
import dev.quench.ir.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * TopK of an activation: a power-of-two scale is positive, so its integers are in the order of the
 * values they stand for (ties included); the values output keeps the input's scale and the int64
 * indices are the float graph's.
 */
public final class TopKRule implements QuantRule {
  @Override
  public boolean quantize(Node n, Value x, Value y, QuantContext q) {
    Value xq = q.intIn(x);
    List<Value> ins = new ArrayList<>(n.inputs());
    ins.set(0, xq);
    Node m = q.emitKeepingOutputs(n, ins, n.attrs.copy());
    if (y != null) q.markInt(y, q.frac(xq), q.intBits(xq), q.isUnsigned(xq), m);
    return true;
  }
}
