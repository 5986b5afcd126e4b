package dev.quench.ir.op;

import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import java.util.List;

/** Concat along {@code axis}; all other dims must agree. */
public final class Concat implements Op {
  /** The op type this spec names (referenced by the passes and back ends instead of string literals). */
  public static final String CONCAT = "Concat";

  @Override
  public List<String> onnxNames() {
    return List.of(CONCAT);
  }

  @Override
  public java.util.Set<Trait> traits(String opType) {
    return Trait.of(Trait.INTEGER);
  }

  static int[] outShape(Node n, List<int[]> shapes) {
    QuenchException.check(!shapes.isEmpty(), "%s: no inputs", n.describe());
    int[] first = shapes.get(0);
    int axis = Shapes.axis(n.attrs.getInt("axis", 0), first.length);
    int[] out = first.clone();
    out[axis] = 0;
    for (int[] s : shapes) {
      QuenchException.check(s.length == first.length, "%s: inputs have different ranks", n.describe());
      for (int d = 0; d < s.length; d++) {
        QuenchException.check(d == axis || s[d] == first[d], "%s: input shapes %s and %s differ off the axis", n.describe(), Shapes.str(first), Shapes.str(s));
      }
      out[axis] += s[axis];
    }
    return out;
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    java.util.ArrayList<int[]> shapes = new java.util.ArrayList<>();
    for (int i = 0; i < c.count(); i++) shapes.add(c.shape(i));
    return List.of(new TensorType(dev.quench.ir.DTypes.outType(n.attrs, c.dtype(0)), outShape(n, shapes)));
  }

  @Override
  public java.util.Set<Integer> shiftCounts(Node n) {
    return java.util.Set.of(n.inputs().size());
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    java.util.ArrayList<int[]> shapes = new java.util.ArrayList<>();
    for (Tensor t : in) shapes.add(t.shape());
    int[] out = outShape(n, shapes);
    int axis = Shapes.axis(n.attrs.getInt("axis", 0), out.length);
    int outer = Shapes.product(out, 0, axis), inner = Shapes.product(out, axis + 1, out.length);
    if (dev.quench.ir.Requant.present(n.attrs)) {
      // quantized: every input requantized to the output's frac (one shift per input)
      dev.quench.ir.Requant rq = dev.quench.ir.Requant.of(n.attrs);
      Tensor[] r = new Tensor[in.length];
      for (int k = 0; k < in.length; k++) {
        long[] v = new long[in[k].numel()];
        for (int i = 0; i < v.length; i++) v[i] = rq.apply(in[k].l[i], k, n.describe());
        r[k] = Tensor.ofLong(rq.outType(), in[k].shape(), v);
      }
      in = r;
    }
    Tensor y = Tensor.zeros(in[0].dtype, out);
    int rowOut = out[axis] * inner, off = 0;
    for (Tensor t : in) {
      int row = t.dim(axis) * inner;
      for (int o = 0; o < outer; o++) {
        if (y.isFloat()) System.arraycopy(t.toFloats(), o * row, y.f, o * rowOut + off, row);
        else System.arraycopy(t.l, o * row, y.l, o * rowOut + off, row);
      }
      off += row;
    }
    return new Tensor[] {y};
  }
}
