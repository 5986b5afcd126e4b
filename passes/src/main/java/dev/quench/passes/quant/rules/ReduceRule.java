package dev.quench.passes.quant.rules;

import dev.quench.ir.Attributes;
import dev.quench.ir.Node;
import dev.quench.ir.Requant;
import dev.quench.ir.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * The reductions of an activation (ir/op/Reduce.java):
 *
 * <ul>
 *   <li>ArgMax and ArgMin read its integers. A power-of-two scale is positive, so the integers are
 *       in the order of the values they stand for (ties included), and the indices are the float
 *       graph's; the int64 output is no quantized tensor.
 *   <li>ReduceMax and ReduceMin pick one of its integers: the output keeps the input's scale.
 *   <li>ReduceSum and ReduceMean add its integers exactly (int64) and land on the output's frac
 *       (shift_left = f_out - f_in), the mean by one rounding division, as average pooling.
 * </ul>
 * Axes computed at run time keep the node float.
 */
public final class ReduceRule implements QuantRule {
  @Override
  public boolean quantize(Node n, Value x, Value y, QuantContext q) {
    if (!q.activation(x)) return false;
    if (n.opType.startsWith("Arg")) {
      if (n.inputs().size() != 1) return false;
      q.emitKeepingOutputs(n, List.of(q.intIn(x)), n.attrs.copy());
      return true;
    }
    if (n.inputs().size() > 1 && n.input(1) != null && !n.input(1).isConstant()) return false;
    Value xq = q.intIn(x);
    int fx = q.frac(xq);
    boolean pick = n.opType.equals("ReduceMax") || n.opType.equals("ReduceMin");
    int bits = pick ? q.intBits(xq) : q.bitsOf(y), fy = pick ? fx : q.statFrac(y, bits);
    boolean uns = pick ? q.isUnsigned(xq) : q.unsigned(y, bits);
    Attributes a = Requant.putOutput(n.attrs.copy().put("shift_left", (long) (fy - fx)), bits, uns);
    List<Value> ins = new ArrayList<>(n.inputs());
    ins.set(0, xq);
    q.emit(n, ins, a, y, fy, bits, uns);
    return true;
  }
}
