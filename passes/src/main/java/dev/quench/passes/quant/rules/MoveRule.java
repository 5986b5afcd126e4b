package dev.quench.passes.quant.rules;

import dev.quench.ir.Attributes;
import dev.quench.ir.DType;
import dev.quench.ir.FixedPoint;
import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import java.util.ArrayList;
import java.util.List;

/** Data movement (MOVES_DATA with an integer form: reshapes, slices, max pooling, Pad, ...): integers at their scale; inputs the op calls data (Pad's fill) quantized with input 0. */
public final class MoveRule implements QuantRule {
  @Override
  public boolean quantize(Node n, Value x, Value y, QuantContext q) {
    String op = n.opType;
    if (!q.integerMove(n)) return false;
    for (int i = 1; i < n.inputs().size(); i++) if (n.input(i) != null && !n.input(i).isConstant()) return false;
    dev.quench.ir.op.Op spec = dev.quench.ir.op.OpRegistry.get(op);
    Value xq = q.intIn(x);
    List<Value> ins = new ArrayList<>(n.inputs());
    ins.set(0, xq);
    int f = q.frac(xq), bits = q.intBits(xq);
    // inputs the op says are data (Pad's fill value): quantized at the input's frac and type
    for (int i = 1; i < ins.size(); i++) {
      Value v = ins.get(i);
      if (v == null || !spec.dataInput(n, i) || !v.type().dtype().isFloating()) continue;
      Tensor t = v.data();
      long[] qs = new long[t.numel()];
      for (int k = 0; k < qs.length; k++) qs[k] = FixedPoint.quantize(t.getDouble(k), f, FixedPoint.lo(bits, q.isUnsigned(xq)), FixedPoint.hi(bits, q.isUnsigned(xq)));
      Value c = q.graph().valueFor(q.fresh(n.name + ".data" + i));
      c.setData(Tensor.ofLong(xq.type().dtype(), t.shape(), qs));
      ins.set(i, c);
    }
    Node m = new Node(n.name, op, n.opset, ins, n.outputs(), n.attrs.copy());
    for (Value v : n.outputs()) q.markInt(v, f, bits, q.isUnsigned(xq), m);
    q.add(m);
    return true;
  }
}
