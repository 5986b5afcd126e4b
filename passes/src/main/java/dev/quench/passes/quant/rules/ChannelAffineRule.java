package dev.quench.passes.quant.rules;

import dev.quench.ir.Attributes;
import dev.quench.ir.DType;
import dev.quench.ir.FixedPoint;
import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import java.util.ArrayList;
import java.util.List;

/** ChannelAffine (folded normalization): int8 scale per channel, int32 bias, one shift per channel. */
public final class ChannelAffineRule implements QuantRule {
  @Override
  public boolean quantize(Node n, Value x, Value y, QuantContext q) {
    String op = n.opType;
    if (!n.input(1).isConstant() || !n.input(2).isConstant() || n.attrs.getInt("axis", 1) != 1) return false;
    Value xq = q.intIn(x);
    int fx = q.frac(xq), bits = q.bitsOf(y), fy = q.statFrac(y, bits);
    float[] s = n.input(1).data().toFloats(), t = n.input(2).data().toFloats();
    Tensor st = Tensor.ofFloat(new int[] {s.length}, s);
    int[] fs = q.weightFracs(n.name, st, s.length, fx, t);
    Value sq = q.constant(n.name + ".scale_q", TensorQuantizer.weights(st, fs, s.length), fs, 0, 8);
    Value tq = q.constant(n.name + ".bias_q", TensorQuantizer.bias(t, fx, fs), TensorQuantizer.plus(fs, fx), 0, 32);
    long[] shifts = new long[s.length];
    for (int c = 0; c < s.length; c++) shifts[c] = fx + fs[c] - fy;
    boolean uns = q.unsigned(y, bits);
    Attributes ra = q.requantAttrs(n, shifts, bits, fy, uns);
    q.accumulator(ra, c -> Math.abs(tq.data().l[c]) + Math.abs(sq.data().l[c]) * q.maxAbs(xq), s.length);
    q.emit(n, List.of(xq, sq, tq), ra, y, fy, bits, uns);
    return true;
  }
}
