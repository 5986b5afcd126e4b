package dev.quench.passes.quant.rules;

import dev.quench.ir.op.Lut;
import dev.quench.ir.Attributes;
import dev.quench.ir.FixedPoint;
import dev.quench.ir.Node;
import dev.quench.ir.Value;
import dev.quench.ir.kernel.MathKernels;
import java.util.List;

/** A unary nonlinearity on int8 (the TABLE trait): the 256 outputs computed now from the float function, a Lut node. */
public final class TableRule implements QuantRule {
  @Override
  public boolean quantize(Node n, Value x, Value y, QuantContext q) {
    if (q.graph().isOutput(y) || (q.quantized(x) ? q.intBits(x) : q.bitsOf(x)) != 8) return false;
    Value xq = q.intIn(x);
    int fx = q.frac(xq), bits = q.bitsOf(y), fy = q.statFrac(y, bits);
    boolean uns = q.unsigned(y, bits);
    MathKernels.FloatFn fn = MathKernels.unary(n.opType, n.attrs);
    long[] table = new long[256];
    int first = q.isUnsigned(xq) ? 0 : -128;
    for (int v = first; v < first + 256; v++) {
      table[v - first] = FixedPoint.quantize(fn.apply(FixedPoint.dequantize(v, fx)), fy, FixedPoint.lo(bits, uns), FixedPoint.hi(bits, uns));
    }
    Attributes la = dev.quench.ir.Requant.putOutput(new Attributes().put("table", table), bits, uns);
    Node m = new Node(n.name, Lut.LUT, n.opset, List.of(xq), List.of(y), la);
    q.markInt(y, fy, bits, uns, m);
    q.add(m);
    return true;
  }
}
