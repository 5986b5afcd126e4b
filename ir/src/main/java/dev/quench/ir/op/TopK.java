package dev.quench.ir.op;

import dev.quench.ir.DType;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import java.util.Arrays;
import java.util.List;

/** TopK along {@code axis}: values and int64 indices, largest (or smallest) first, ties by lower index. K is an attribute before opset 10, an input after. */
public final class TopK implements Op {
  @Override
  public List<String> onnxNames() {
    return List.of("TopK");
  }

  /** Integer form: the values are input elements (at the input's scale), the indices as they are. */
  @Override
  public java.util.Set<Trait> traits(String opType) {
    return Trait.of(Trait.KEEPS_SCALE, Trait.INTEGER);
  }

  @Override
  public boolean integerKeepsOutputs(Node n) {
    return true;
  }

  private static int k(Node n, Tensor kInput, int dim) {
    long k = n.opset < 10 ? n.attrs.getInt("k", -1) : kInput.getLong(0);
    QuenchException.check(k >= 0 && k <= dim, "%s: k=%d out of range for axis of %d", n.describe(), k, dim);
    return (int) k;
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    int[] s = c.shape(0);
    int axis = Shapes.axis(n.attrs.getInt("axis", -1), s.length);
    s[axis] = k(n, n.opset < 10 ? null : c.need(1, "K"), s[axis]);
    return List.of(new TensorType(c.dtype(0), s), new TensorType(DType.INT64, s));
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    Tensor x = in[0];
    int[] s = x.shape();
    int axis = Shapes.axis(n.attrs.getInt("axis", -1), s.length);
    int dim = s[axis], k = k(n, in.length > 1 ? in[1] : null, dim);
    boolean largest = n.attrs.getInt("largest", 1) != 0;
    int outer = Shapes.product(s, 0, axis), inner = Shapes.product(s, axis + 1, s.length);
    int[] o = s.clone();
    o[axis] = k;
    Tensor vals = Tensor.zeros(x.dtype, o);
    long[] idx = new long[Shapes.numel(o)];
    Integer[] order = new Integer[dim];
    for (int a = 0; a < outer; a++) for (int b = 0; b < inner; b++) {
      int base = a * dim * inner + b;
      for (int i = 0; i < dim; i++) order[i] = i;
      Arrays.sort(order, (p, q) -> {
        int cmp = Double.compare(x.getDouble(base + p * inner), x.getDouble(base + q * inner));
        return cmp != 0 ? (largest ? -cmp : cmp) : Integer.compare(p, q);
      });
      for (int i = 0; i < k; i++) {
        int at = (a * k + i) * inner + b;
        vals.set(at, x.getDouble(base + order[i] * inner));
        if (!vals.isFloat()) vals.l[at] = x.l[base + order[i] * inner];
        idx[at] = order[i];
      }
    }
    return new Tensor[] {vals, Tensor.ofLong(o, idx)};
  }
}
