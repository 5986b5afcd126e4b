package dev.quench.passes.quant.rules;

import dev.quench.ir.op.Unary;
import dev.quench.ir.Attributes;
import dev.quench.ir.DType;
import dev.quench.ir.FixedPoint;
import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import java.util.ArrayList;
import java.util.List;

/** Relu and Clip at the input's scale: Relu keeps its type, Clip's bounds quantized at the input frac. */
public final class ClampRule implements QuantRule {
  @Override
  public boolean quantize(Node n, Value x, Value y, QuantContext q) {
    String op = n.opType;
    if (op.equals(Unary.RELU)) {
      Value xq = q.intIn(x);
      q.emit(n, List.of(xq), n.attrs.copy(), y, q.frac(xq), q.intBits(xq), q.isUnsigned(xq));
      return true;
    }
    if (n.opset < 11 || (n.input(1) != null && !n.input(1).isConstant()) || (n.input(2) != null && !n.input(2).isConstant())) return false;
    Value xq = q.intIn(x);
    int f = q.frac(xq), bits = q.intBits(xq);
    boolean uns = q.isUnsigned(xq);
    DType t = xq.type().dtype();
    List<Value> ins = new ArrayList<>(List.of(xq));
    for (int i = 1; i <= 2; i++) {
      Value bnd = n.input(i);
      ins.add(bnd == null ? null : q.constantScalar(n.name + ".bound" + i,
          FixedPoint.quantize(bnd.data().getDouble(0), f, FixedPoint.lo(bits, uns), FixedPoint.hi(bits, uns)), t));
    }
    q.emit(n, ins, n.attrs.copy(), y, f, bits, uns);
    return true;
  }
}
