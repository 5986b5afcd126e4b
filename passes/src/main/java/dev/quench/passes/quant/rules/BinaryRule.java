package dev.quench.passes.quant.rules;

import dev.quench.ir.op.Binary;
import dev.quench.ir.Attributes;
import dev.quench.ir.DType;
import dev.quench.ir.FixedPoint;
import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * Add, Sub, Max and Min align both inputs to the larger frac by left shifts (at most 16), then
 * shift right to f_out (Max / Min: the larger / smaller aligned value); Mul shifts the product
 * right by f_a + f_b - f_out; Div by a constant is the Mul by its reciprocal (Div of two
 * activations stays float); the comparisons align both sides and compare.
 */
public final class BinaryRule implements QuantRule {
  @Override
  public boolean quantize(Node n, Value x, Value y, QuantContext q) {
    String op = n.opType;
    if (n.inputs().size() != 2) return false;
    Value b = n.input(1);
    if (!b.isConstant() && !q.activation(b)) return false;
    if (b.isConstant() && !b.type().dtype().isFloating()) return false;
    if (Binary.ORDER.contains(op)) return compare(n, x, b, q);
    if (op.equals("Div") && !b.isConstant()) return false;
    if (op.equals("Div")) b = reciprocal(n, b, q);
    if (op.equals("PRelu")) return prelu(n, x, b, y, q);
    boolean product = op.equals(Binary.MUL) || op.equals("Div");
    Value aq = q.intIn(x);
    // (a constant added to it at most 16 fractional bits finer than the activation: below its
    // resolution a constant is all but nothing, as PP-LCNetV3's affine biases of 2.7e-6)
    Value bq = !b.isConstant() ? q.intIn(b) : product ? q.constantActivation(n.name + ".bq", b)
        : q.constantAt(n.name + ".bq", b, q.options().activationBits(), q.frac(aq) + 16);
    int fa = q.frac(aq), fb = q.frac(bq), bits = q.bitsOf(y), fy = q.statFrac(y, bits);
    Attributes a;
    boolean uns = q.unsigned(y, bits);
    if (product) {
      a = q.requantAttrs(n, new long[] {fa + fb - fy}, bits, fy, uns);
    } else {
      int f = Math.max(fa, fb);
      if (f - Math.min(fa, fb) > 16) return false;
      a = q.requantAttrs(n, new long[] {f - fy}, bits, fy, uns).put("shift_a", (long) (f - fa)).put("shift_b", (long) (f - fb));
    }
    Attributes ba = a;
    long ma = q.maxAbs(aq), mb = q.maxAbs(bq);
    q.accumulator(ba, c -> product ? ma * mb : (ma << ba.getInt("shift_a", 0)) + (mb << ba.getInt("shift_b", 0)), 1);
    // (x / c is x * (1/c): a Mul by the reciprocal constant)
    Node m = new Node(n.name, product ? Binary.MUL : op, n.opset, List.of(aq, bq), List.of(y), a);
    q.markInt(y, fy, bits, uns, m);
    q.add(m);
    return true;
  }

  /**
   * PRelu with a constant slope (per channel, broadcast): the slope quantized at 8 bits, frac f_s;
   * where x >= 0 the product's frac is reached by shifting x left by f_s, below by multiplying by
   * the slope; one shift right by f_x + f_s - f_out.
   */
  private static boolean prelu(Node n, Value x, Value b, Value y, QuantContext q) {
    if (!b.isConstant()) return false;
    Value aq = q.intIn(x), bq = q.constantActivation(n.name + ".slope", b);
    int fa = q.frac(aq), fs = q.frac(bq), bits = q.bitsOf(y), fy = q.statFrac(y, bits);
    if (fs < 0) return false;
    boolean uns = q.unsigned(y, bits);
    Attributes a = q.requantAttrs(n, new long[] {fa + fs - fy}, bits, fy, uns).put("shift_a", (long) fs);
    long ma = q.maxAbs(aq), mb = q.maxAbs(bq);
    q.accumulator(a, c -> ma * Math.max(mb, 1L << fs), 1);
    q.emit(n, List.of(aq, bq), a, y, fy, bits, uns);
    return true;
  }

  /** x / c as x * (1/c): the constant's reciprocal, computed in double and rounded once to float. */
  private static Value reciprocal(Node n, Value b, QuantContext q) {
    Tensor t = b.data();
    float[] r = new float[t.numel()];
    for (int i = 0; i < r.length; i++) r[i] = (float) (1.0 / t.getDouble(i));
    Value v = q.graph().valueFor(q.fresh(n.name + ".reciprocal"));
    v.setData(Tensor.ofFloat(t.shape(), r));
    return v;
  }

  /**
   * Equal, Greater, GreaterOrEqual, Less, LessOrEqual of an activation and an activation or a
   * constant: both sides' integers shifted left to the larger frac (shift_a, shift_b: at most 16)
   * and compared; the bool output is no quantized tensor. A constant (a threshold) is quantized at
   * 16 bits and at most 16 fractional bits finer than the activation, so it compares almost as in
   * float.
   */
  private static boolean compare(Node n, Value x, Value b, QuantContext q) {
    Value aq = q.intIn(x);
    int fa = q.frac(aq);
    Value bq = b.isConstant() ? q.constantAt(n.name + ".bq", b, 16, fa + 16) : q.intIn(b);
    int fb = q.frac(bq), f = Math.max(fa, fb);
    if (f - Math.min(fa, fb) > 16) return false;
    Attributes a = n.attrs.copy().put("shift_a", (long) (f - fa)).put("shift_b", (long) (f - fb));
    q.emitKeepingOutputs(n, List.of(aq, bq), a);
    return true;
  }
}
