package dev.quench.passes.quant.rules;

import dev.quench.ir.Node;
import dev.quench.ir.Requant;
import dev.quench.ir.Value;
import dev.quench.ir.op.Branch;
import java.util.List;

/**
 * A data-dependent If's Guard and Merge (ir/op/Branch.java): a Guard passes its input's integers
 * through at their scale; a Merge requantizes whichever input is taken to the output's frac
 * (shift_right[0] for then, [1] for else, as Concat's per-input shifts).
 */
public final class BranchRule implements QuantRule {
  @Override
  public boolean quantize(Node n, Value x, Value y, QuantContext q) {
    if (n.opType.equals(Branch.GUARD)) {
      Value xq = q.intIn(x);
      q.emit(n, List.of(xq, n.input(1)), n.attrs.copy(), y, q.frac(xq), q.intBits(xq), q.isUnsigned(xq));
      return true;
    }
    Value e = n.input(1);
    if (!e.isConstant() && !q.activation(e)) return false;
    Value tq = q.intIn(x), eq = e.isConstant() ? q.constantActivation(n.name + ".else", e) : q.intIn(e);
    int bits = q.bitsOf(y), fy = q.statFrac(y, bits);
    boolean uns = q.unsigned(y, bits);
    q.emit(n, List.of(tq, eq, n.input(2)), Requant.of(new long[] {q.frac(tq) - fy, q.frac(eq) - fy}, bits, uns).put(n.attrs.copy()), y, fy, bits, uns);
    return true;
  }
}
