package dev.quench.passes.quant.rules;

import dev.quench.ir.Attributes;
import dev.quench.ir.Node;
import dev.quench.ir.Requant;
import dev.quench.ir.Value;
import dev.quench.ir.op.Softmax;
import java.util.List;

/**
 * Softmax of an 8- or 16-bit activation: e^-(max - q) from two 256-entry tables made for the
 * input's frac (ir/op/Softmax.java), the sum exact, each probability one rounding division onto
 * the output's frac; the output is unsigned (probabilities are never negative).
 */
public final class SoftmaxRule implements QuantRule {
  @Override
  public boolean quantize(Node n, Value x, Value y, QuantContext q) {
    Value xq = q.intIn(x);
    if (q.intBits(xq) > 16) return false;
    int fx = q.frac(xq), bits = q.bitsOf(y), fy = q.statFrac(y, bits);
    long[][] t = Softmax.expTables(fx);
    Attributes a = Requant.putOutput(n.attrs.copy().put(Softmax.EXP_LOW, t[0]).put(Softmax.EXP_HIGH, t[1]).put(Softmax.OUT_FRAC, (long) fy), bits, true);
    q.emit(n, List.of(xq), a, y, fy, bits, true);
    return true;
  }
}
