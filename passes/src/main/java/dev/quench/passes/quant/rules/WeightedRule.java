package dev.quench.passes.quant.rules;

import dev.quench.ir.op.Conv;
import dev.quench.ir.Attributes;
import dev.quench.ir.DType;
import dev.quench.ir.FixedPoint;
import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import java.util.ArrayList;
import java.util.List;

/** Conv and FullyConnected: int8 weights per output channel, int32 bias at f_in + fw[c], shift_right[c] = f_in + fw[c] - f_out, the accumulator width proven from the actual weights. */
public final class WeightedRule implements QuantRule {
  @Override
  public boolean quantize(Node n, Value x, Value y, QuantContext q) {
    String op = n.opType;
    if (!n.input(1).isConstant() || (n.input(2) != null && !n.input(2).isConstant())) return false;
    if (op.equals(Conv.CONV) && (n.input(0).type().rank() < 3 || n.input(0).type().rank() > 4 || dev.quench.ir.kernel.Layouts.nhwc(n.attrs))) return false;  // 1-D runs as 2-D of height 1
    Value xq = q.intIn(x);
    int fx = q.frac(xq), bits = q.bitsOf(y), fy = q.statFrac(y, bits);
    int channels = n.input(1).type().dim(0);
    Tensor w = n.input(1).data();
    float[] bias = n.input(2) == null ? null : n.input(2).data().toFloats();
    int[] fw = q.weightFracs(n.name, w, channels, fx, bias);
    Value wq = q.constant(n.name + ".wq", TensorQuantizer.weights(w, fw, channels), fw, 0, 8);
    List<Value> ins = new ArrayList<>(List.of(xq, wq));
    if (bias != null) ins.add(q.constant(n.name + ".bq", TensorQuantizer.bias(bias, fx, fw), TensorQuantizer.plus(fw, fx), 0, 32));
    long[] shifts = new long[channels];
    for (int c = 0; c < channels; c++) shifts[c] = fx + fw[c] - fy;
    boolean uns = q.unsigned(y, bits);
    Attributes ra = q.requantAttrs(n, shifts, bits, fy, uns);
    Tensor wqt = wq.data();
    long[] bl = bias == null ? new long[channels] : ins.get(2).data().l;
    q.accumulator(ra, c -> {
      long sum = Math.abs(bl[c]);
      int per = wqt.numel() / channels;
      for (int k = 0; k < per; k++) sum += Math.abs(wqt.l[c * per + k]) * q.maxAbs(xq);
      return sum;
    }, channels);
    q.emit(n, ins, ra, y, fy, bits, uns);
    return true;
  }
}
