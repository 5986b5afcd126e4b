package dev.quench.ir.op;

import dev.quench.ir.Node;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import dev.quench.ir.kernel.Broadcast;
import java.util.List;

/** Where(cond, x, y) with three-way broadcasting. */
public final class Where implements Op {
  @Override
  public List<String> onnxNames() {
    return List.of("Where");
  }

  /** Integer form: x and y quantized, each requantized to the output's frac (shift_right[0] for x, [1] for y). */
  @Override
  public java.util.Set<Trait> traits(String opType) {
    return Trait.of(Trait.ELEMENTWISE, Trait.INTEGER);
  }

  @Override
  public int activationInput(Node n) {
    return 1;
  }

  @Override
  public java.util.Set<Integer> shiftCounts(Node n) {
    return java.util.Set.of(2);
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    int[] s = Shapes.broadcast(Shapes.broadcast(c.shape(0), c.shape(1)), c.shape(2));
    return List.of(new TensorType(dev.quench.ir.DTypes.outType(n.attrs, c.dtype(1)), s));
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    Tensor c = in[0], x = in[1], y = in[2];
    int[] s = Shapes.broadcast(Shapes.broadcast(c.shape(), x.shape()), y.shape());
    int[] mc = Broadcast.map(s, c.shape()), mx = Broadcast.map(s, x.shape()), my = Broadcast.map(s, y.shape());
    dev.quench.ir.Requant rq = dev.quench.ir.Requant.present(n.attrs) ? dev.quench.ir.Requant.of(n.attrs) : null;
    Tensor out = Tensor.zeros(rq != null ? rq.outType() : x.dtype, s);
    int len = out.numel();
    for (int i = 0; i < len; i++) {
      boolean t = c.getDouble(Broadcast.at(mc, i)) != 0;
      if (rq != null) {
        long v = t ? x.l[Broadcast.at(mx, i)] : y.l[Broadcast.at(my, i)];
        out.l[i] = rq.apply(v, t ? 0 : 1, n.describe());
      } else if (out.isFloat()) {
        out.f[i] = t ? x.f[Broadcast.at(mx, i)] : y.f[Broadcast.at(my, i)];
      } else {
        out.l[i] = t ? x.l[Broadcast.at(mx, i)] : y.l[Broadcast.at(my, i)];
      }
    }
    return new Tensor[] {out};
  }
}
