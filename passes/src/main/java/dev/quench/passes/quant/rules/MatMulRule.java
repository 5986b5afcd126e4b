package dev.quench.passes.quant.rules;

import dev.quench.ir.Attributes;
import dev.quench.ir.Node;
import dev.quench.ir.Value;
import java.util.List;

/**
 * MatMul of two activations (attention's Q·Kᵀ and A·V): both quantized, the products summed in
 * the accumulator (int64 when k · max|a| · max|b| could leave int32), shifted right by
 * f_a + f_b - f_out; a fused Relu / Clip is the output clamp. A constant operand is a weight: the
 * passes made it a FullyConnected, or the node stays float.
 */
public final class MatMulRule implements QuantRule {
  @Override
  public boolean quantize(Node n, Value x, Value y, QuantContext q) {
    Value b = n.input(1);
    if (b == null || b.isConstant() || !q.activation(b)) return false;
    Value aq = q.intIn(x), bq = q.intIn(b);
    int bits = q.bitsOf(y), fy = q.statFrac(y, bits);
    boolean uns = q.unsigned(y, bits);
    Attributes a = q.requantAttrs(n, new long[] {q.frac(aq) + q.frac(bq) - fy}, bits, fy, uns);
    int[] as = x.type().shape();
    long k = as[as.length - 1], ma = q.maxAbs(aq), mb = q.maxAbs(bq);
    q.accumulator(a, c -> k * ma * mb, 1);
    q.emit(n, List.of(aq, bq), a, y, fy, bits, uns);
    return true;
  }
}
