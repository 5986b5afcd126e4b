package dev.quench.passes.quant.rules;

import dev.quench.ir.Attributes;
import dev.quench.ir.FixedPoint;
import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * ConvTranspose: int8 weights at one frac f_w (the weight tensor's output channels lie across
 * groups, so one frac for all), int32 bias at f_in + f_w, one shift f_in + f_w - f_out; the
 * accumulator width from the worst sum an output can collect (every input channel of its group
 * times every tap).
 */
public final class ConvTransposeRule implements QuantRule {
  @Override
  public boolean quantize(Node n, Value x, Value y, QuantContext q) {
    if (!n.input(1).isConstant() || (n.input(2) != null && !n.input(2).isConstant())) return false;
    Value xq = q.intIn(x);
    int fx = q.frac(xq), bits = q.bitsOf(y), fy = q.statFrac(y, bits);
    Tensor w = n.input(1).data();
    float[] bias = n.input(2) == null ? null : n.input(2).data().toFloats();
    int[] fw = q.weightFracs(n.name, w, 1, fx, null);
    double maxBias = 0;
    for (int i = 0; bias != null && i < bias.length; i++) maxBias = Math.max(maxBias, Math.abs(bias[i]));
    while (Math.scalb(maxBias, fx + fw[0]) > FixedPoint.ACC_MAX / 2.0) fw[0]--;
    Value wq = q.constant(n.name + ".wq", TensorQuantizer.weights(w, fw, 1), fw, 0, 8);
    List<Value> ins = new ArrayList<>(List.of(xq, wq));
    long maxB = 0;
    if (bias != null) {
      int[] fb = new int[bias.length];
      java.util.Arrays.fill(fb, fw[0]);
      Value bq = q.constant(n.name + ".bq", TensorQuantizer.bias(bias, fx, fb), new int[] {fx + fw[0]}, 0, 32);
      ins.add(bq);
      for (long v : bq.data().l) maxB = Math.max(maxB, Math.abs(v));
    }
    boolean uns = q.unsigned(y, bits);
    Attributes ra = q.requantAttrs(n, new long[] {fx + fw[0] - fy}, bits, fy, uns);
    long maxW = 0;
    for (long v : wq.data().l) maxW = Math.max(maxW, Math.abs(v));
    dev.quench.ir.op.ConvTranspose.Geo g = dev.quench.ir.op.ConvTranspose.geometry(n, x.type().shape(), w.shape());
    long terms = (long) g.c() / g.group() * java.util.Arrays.stream(g.k()).asLongStream().reduce(1, (a, b) -> a * b), bound = maxB + terms * maxW * q.maxAbs(xq);
    q.accumulator(ra, c -> bound, 1);
    q.emit(n, ins, ra, y, fy, bits, uns);
    return true;
  }
}
