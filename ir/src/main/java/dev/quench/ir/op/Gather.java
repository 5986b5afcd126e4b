package dev.quench.ir.op;

import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import dev.quench.ir.kernel.IndexMap;
import java.util.List;

/** Gather (indices replace {@code axis}) and GatherElements (indices shape = output shape). Negative indices count from the end. */
public final class Gather implements Op {
  /** The op type this spec names (referenced by the passes and back ends instead of string literals). */
  public static final String GATHER = "Gather";
  public static final String GATHER_ELEMENTS = "GatherElements";

  @Override
  public List<String> onnxNames() {
    return List.of(GATHER, GATHER_ELEMENTS);
  }

  @Override
  public java.util.Set<Trait> traits(String opType) {
    // (integer form: indices known at compile time; run-time indices keep the node float)
    return Trait.of(Trait.MOVES_DATA, Trait.KEEPS_SCALE, Trait.INTEGER);
  }

  private static int[] outShape(Node n, int[] data, int[] idx) {
    int axis = Shapes.axis(n.attrs.getInt("axis", 0), data.length);
    if (n.opType.equals(GATHER_ELEMENTS)) {
      QuenchException.check(idx.length == data.length, "%s: indices rank must equal data rank", n.describe());
      return idx;
    }
    int[] out = new int[data.length - 1 + idx.length];
    int k = 0;
    for (int i = 0; i < axis; i++) out[k++] = data[i];
    for (int d : idx) out[k++] = d;
    for (int i = axis + 1; i < data.length; i++) out[k++] = data[i];
    return out;
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    QuenchException.check(!c.dtype(1).isFloating(), "%s: indices must be integers", n.describe());
    QuenchException.check(c.shape(0).length >= 1, "%s: data must have rank >= 1", n.describe());
    return List.of(new TensorType(c.dtype(0), outShape(n, c.shape(0), c.shape(1))));
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    Tensor x = in[0], ind = in[1];
    int[] s = x.shape();
    int axis = Shapes.axis(n.attrs.getInt("axis", 0), s.length);
    int[] out = outShape(n, s, ind.shape());
    int dim = s[axis];
    long[] iv = ind.toLongs();
    int[] map = new int[Shapes.numel(out)];
    if (n.opType.equals(GATHER_ELEMENTS)) {
      int[] st = Shapes.strides(s), pos = new int[out.length];
      for (int k = 0; k < map.length; k++) {
        int idx = 0;
        for (int d = 0; d < out.length; d++) idx += (d == axis ? index(n, iv[k], dim) : pos[d]) * st[d];
        map[k] = idx;
        for (int d = out.length - 1; d >= 0; d--) {
          if (++pos[d] < out[d]) break;
          pos[d] = 0;
        }
      }
    } else {
      int outer = Shapes.product(s, 0, axis), inner = Shapes.product(s, axis + 1, s.length);
      int k = 0;
      for (int o = 0; o < outer; o++) {
        for (long raw : iv) {
          int src = (o * dim + index(n, raw, dim)) * inner;
          for (int i = 0; i < inner; i++) map[k++] = src + i;
        }
      }
    }
    return new Tensor[] {IndexMap.take(x, map, out, 0)};
  }

  private static int index(Node n, long raw, int dim) {
    long i = raw < 0 ? raw + dim : raw;
    QuenchException.check(i >= 0 && i < dim, "%s: index %d out of range for dim %d", n.describe(), raw, dim);
    return (int) i;
  }
}
