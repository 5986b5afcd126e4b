package dev.quench.passes.quant.rules;

import dev.quench.ir.Attributes;
import dev.quench.ir.DType;
import dev.quench.ir.FixedPoint;
import dev.quench.ir.Node;
import dev.quench.ir.Requant;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import dev.quench.ir.op.Normalization;
import java.util.ArrayList;
import java.util.List;

/**
 * LayerNormalization of an activation in integers (ir/op/Normalization.java): the mean, variance
 * and square root exact on the input's integers, the normalised values at 14 fractional bits, the
 * scale at 16 bits (frac f_g), the bias at f_g + 14 in int32, one shift to the output's frac; the
 * accumulator is int64. The centred squares must fit int64: rows of 16-bit inputs up to 1023
 * elements (8-bit: any practical length).
 */
public final class LayerNormRule implements QuantRule {
  @Override
  public boolean quantize(Node n, Value x, Value y, QuantContext q) {
    if (!n.opType.equals("LayerNormalization")) return false;
    Value gv = n.input(1), bv = n.input(2);
    if (gv == null || !gv.isConstant() || (bv != null && !bv.isConstant())) return false;
    int[] xs = x.type().shape();
    int len = Normalization.layerNormRows(n, xs)[1];
    Value xq = q.intIn(x);
    if (q.intBits(xq) > 16 || len >= (q.intBits(xq) > 8 ? 1024 : 40000)) return false;
    int fx = q.frac(xq);
    float[] g = Normalization.layerNormParam(n, gv.data(), xs), b = bv == null ? null : Normalization.layerNormParam(n, bv.data(), xs);
    double mg = 0, mb = 0;
    for (float v : g) mg = Math.max(mg, Math.abs(v));
    for (int i = 0; b != null && i < b.length; i++) mb = Math.max(mb, Math.abs(b[i]));
    int fg = FixedPoint.fracFor(mg, 16);
    while (Math.scalb(mb, fg + Normalization.LN_FRAC) > FixedPoint.ACC_MAX) fg--;
    long[] gq = new long[g.length], bq = new long[g.length];
    for (int i = 0; i < g.length; i++) {
      gq[i] = FixedPoint.quantize(g[i], fg, 16);
      if (b != null) bq[i] = FixedPoint.quantize(b[i], fg + Normalization.LN_FRAC, 32);
    }
    List<Value> ins = new ArrayList<>(List.of(xq, q.constant(n.name + ".gq", Tensor.ofLong(DType.INT16, new int[] {len}, gq), new int[] {fg}, 0, 16)));
    if (b != null) ins.add(q.constant(n.name + ".bq", Tensor.ofLong(DType.INT32, new int[] {len}, bq), new int[] {fg + Normalization.LN_FRAC}, 0, 32));
    int bits = q.bitsOf(y), fy = q.statFrac(y, bits);
    boolean uns = q.unsigned(y, bits);
    double eps = n.attrs.getFloat("epsilon", 1e-5f);
    long epsQ = Math.round(Math.min(eps * len * (double) len * Math.scalb(1.0, 2 * fx), 1e17));
    Attributes a = Requant.of(new long[] {fg + Normalization.LN_FRAC - fy}, bits, uns).put(n.attrs.copy()).put(Normalization.LN_EPS, epsQ).put(Requant.ACC_BITS, 64L);
    q.emit(n, ins, a, y, fy, bits, uns);
    return true;
  }
}
