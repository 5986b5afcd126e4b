package dev.quench.ir.op;

import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import java.util.Arrays;
import java.util.List;

/** Shape (with start/end from opset 15) and Size: always known at compile time since shapes are static. */
public final class Shape implements Op {
  @Override
  public List<String> onnxNames() {
    return List.of("Shape", "Size");
  }

  static Tensor value(Node n, int[] s) {
    if (n.opType.equals("Size")) {
      long p = 1;
      for (int d : s) p *= d;
      return Tensor.scalarLong(p);
    }
    int r = s.length;
    long st = n.attrs.getInt("start", 0), en = n.attrs.getInt("end", r);
    if (st < 0) st += r;
    if (en < 0) en += r;
    int a = (int) Math.max(0, Math.min(r, st)), b = (int) Math.max(a, Math.min(r, en));
    int[] part = Arrays.copyOfRange(s, a, b);
    long[] v = new long[part.length];
    for (int i = 0; i < v.length; i++) v[i] = part[i];
    return Tensor.vector(v);
  }

  /** Folded at compile time (shapes are static): no C++ kernel. */
  @Override
  public java.util.Set<Trait> traits(String opType) {
    return Trait.of(Trait.COMPILE_TIME);
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    return List.of(value(n, c.shape(0)).type());
  }

  @Override
  public Tensor[] valueFromTypes(Node n, InferContext c) {
    return new Tensor[] {value(n, c.shape(0))};
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    return new Tensor[] {value(n, in[0].shape())};
  }
}
