package dev.quench.ir.op;

import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import java.util.ArrayList;
import java.util.List;

/**
 * Split along {@code axis}: sizes from the {@code split} attribute (before opset 13), the split
 * input (13 on), or equal parts (the last smaller, as num_outputs in opset 18 allows).
 */
public final class Split implements Op {
  /** The op type this spec names (referenced by the passes and back ends instead of string literals). */
  public static final String SPLIT = "Split";

  @Override
  public List<String> onnxNames() {
    return List.of(SPLIT);
  }

  @Override
  public java.util.Set<Trait> traits(String opType) {
    return Trait.of(Trait.MOVES_DATA, Trait.KEEPS_SCALE, Trait.INTEGER);
  }

  @Override
  public boolean integerKeepsOutputs(Node n) {
    return true;
  }

  static int[] sizes(Node n, int[] s, Tensor splitInput) {
    int axis = Shapes.axis(n.attrs.getInt("axis", 0), s.length);
    int parts = n.outputs().size();
    long[] split = n.opset < 13 ? n.attrs.getInts("split") : (splitInput == null ? null : splitInput.toLongs());
    int[] r = new int[parts];
    if (split != null) {
      QuenchException.check(split.length == parts, "%s: %d split sizes for %d outputs", n.describe(), split.length, parts);
      long sum = 0;
      for (int i = 0; i < parts; i++) {
        QuenchException.check(split[i] >= 0, "%s: negative split", n.describe());
        r[i] = (int) split[i];
        sum += split[i];
      }
      QuenchException.check(sum == s[axis], "%s: split sizes sum to %d, axis has %d", n.describe(), sum, s[axis]);
    } else {
      int chunk = (s[axis] + parts - 1) / parts;
      int left = s[axis];
      for (int i = 0; i < parts; i++) {
        r[i] = Math.min(chunk, left);
        left -= r[i];
      }
    }
    return r;
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    int[] s = c.shape(0);
    Tensor split = c.has(1) ? c.need(1, "split") : null;
    int[] sz = sizes(n, s, split);
    int axis = Shapes.axis(n.attrs.getInt("axis", 0), s.length);
    List<TensorType> out = new ArrayList<>();
    for (int v : sz) {
      int[] o = s.clone();
      o[axis] = v;
      out.add(new TensorType(c.dtype(0), o));
    }
    return out;
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    Tensor x = in[0];
    int[] s = x.shape();
    int[] sz = sizes(n, s, in.length > 1 ? in[1] : null);
    int axis = Shapes.axis(n.attrs.getInt("axis", 0), s.length);
    int outer = Shapes.product(s, 0, axis), inner = Shapes.product(s, axis + 1, s.length), rowIn = s[axis] * inner;
    Tensor[] out = new Tensor[sz.length];
    int off = 0;
    for (int p = 0; p < sz.length; p++) {
      int[] o = s.clone();
      o[axis] = sz[p];
      Tensor y = Tensor.zeros(x.dtype, o);
      int row = sz[p] * inner;
      for (int i = 0; i < outer; i++) {
        if (x.isFloat()) System.arraycopy(x.f, i * rowIn + off, y.f, i * row, row);
        else System.arraycopy(x.l, i * rowIn + off, y.l, i * row, row);
      }
      off += row;
      out[p] = y;
    }
    return out;
  }
}
