package dev.quench.passes.quant.rules;

import dev.quench.ir.Node;
import dev.quench.ir.Requant;
import dev.quench.ir.Value;
import java.util.List;

/**
 * Where(cond, x, y) of activations (or an activation and a constant): the condition as it is,
 * whichever of x and y is chosen requantized to the output's frac (shift_right[0] for x, [1] for
 * y, as Concat's per-input shifts).
 */
public final class WhereRule implements QuantRule {
  @Override
  public boolean quantize(Node n, Value x, Value y, QuantContext q) {
    Value c = n.input(0), z = n.input(2);
    if (c.type().dtype() != dev.quench.ir.DType.BOOL || (!z.isConstant() && !q.activation(z)) || (z.isConstant() && !z.type().dtype().isFloating())) return false;
    Value xq = q.intIn(x), zq = z.isConstant() ? q.constantActivation(n.name + ".y", z) : q.intIn(z);
    int bits = q.bitsOf(y), fy = q.statFrac(y, bits);
    boolean uns = q.unsigned(y, bits);
    q.emit(n, List.of(c, xq, zq), Requant.of(new long[] {q.frac(xq) - fy, q.frac(zq) - fy}, bits, uns).put(n.attrs.copy()), y, fy, bits, uns);
    return true;
  }
}
