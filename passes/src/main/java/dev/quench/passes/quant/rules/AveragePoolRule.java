package dev.quench.passes.quant.rules;

import dev.quench.ir.Attributes;
import dev.quench.ir.DType;
import dev.quench.ir.FixedPoint;
import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import java.util.ArrayList;
import java.util.List;

/** AveragePool and GlobalAveragePool: the exact sum, one rounding division landing on the output frac (shift_left = f_out - f_in). */
public final class AveragePoolRule implements QuantRule {
  @Override
  public boolean quantize(Node n, Value x, Value y, QuantContext q) {
    String op = n.opType;
    if (x.type().rank() != 4 || dev.quench.ir.kernel.Layouts.nhwc(n.attrs)) return false;
    Value xq = q.intIn(x);
    int bits = q.bitsOf(y), fy = q.statFrac(y, bits);
    boolean uns = q.unsigned(y, bits);
    Attributes pa = dev.quench.ir.Requant.putOutput(n.attrs.copy().put("shift_left", (long) (fy - q.frac(xq))), bits, uns);
    q.emit(n, List.of(xq), pa, y, fy, bits, uns);
    return true;
  }
}
