package dev.quench.ir.op;

import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import dev.quench.ir.kernel.Broadcast;
import dev.quench.ir.kernel.IndexMap;
import java.util.List;

/** Expand (bidirectional broadcast to a shape) and Tile (repeat each axis). */
public final class Expand implements Op {
  @Override
  public List<String> onnxNames() {
    return List.of("Expand", "Tile");
  }

  @Override
  public java.util.Set<Trait> traits(String opType) {
    return Trait.of(Trait.MOVES_DATA, Trait.KEEPS_SCALE, Trait.INTEGER);
  }

  private static int[] outShape(Node n, int[] s, Tensor second) {
    long[] v = second.toLongs();
    if (n.opType.equals("Expand")) {
      int[] t = new int[v.length];
      for (int i = 0; i < v.length; i++) {
        QuenchException.check(v[i] >= 0 && v[i] <= Integer.MAX_VALUE, "%s: invalid dim %d", n.describe(), v[i]);
        t[i] = (int) v[i];
      }
      int[] out = Shapes.broadcast(s, t);
      Shapes.numel(out);
      return out;
    }
    QuenchException.check(v.length == s.length, "%s: repeats has %d entries for rank %d", n.describe(), v.length, s.length);
    int[] out = new int[s.length];
    for (int i = 0; i < s.length; i++) {
      QuenchException.check(v[i] >= 0, "%s: negative repeat", n.describe());
      long d = s[i] * v[i];
      QuenchException.check(d <= Integer.MAX_VALUE, "%s: too large", n.describe());
      out[i] = (int) d;
    }
    Shapes.numel(out);
    return out;
  }

  /** A shape op (or Cast) whose output type is its input's moves nothing. */
  @Override
  public boolean passesThrough(Node n) {
    return Op.sameType(n);
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    return List.of(new TensorType(c.dtype(0), outShape(n, c.shape(0), c.need(1, n.opType.equals("Expand") ? "shape" : "repeats"))));
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    Tensor x = in[0];
    int[] s = x.shape(), out = outShape(n, s, in[1]);
    if (n.opType.equals("Expand")) {
      int[] map = Broadcast.map(out, s);
      if (map == null) return new Tensor[] {x};
      return new Tensor[] {IndexMap.take(x, map, out, 0)};
    }
    int r = s.length, len = Shapes.numel(out);
    int[] st = Shapes.strides(s), pos = new int[r], map = new int[len];
    for (int k = 0; k < len; k++) {
      int idx = 0;
      for (int d = 0; d < r; d++) idx += (pos[d] % s[d]) * st[d];
      map[k] = idx;
      for (int d = r - 1; d >= 0; d--) {
        if (++pos[d] < out[d]) break;
        pos[d] = 0;
      }
    }
    return new Tensor[] {IndexMap.take(x, map, out, 0)};
  }
}
