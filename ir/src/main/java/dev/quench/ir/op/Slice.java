package dev.quench.ir.op;

import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import dev.quench.ir.kernel.IndexMap;
import java.util.List;

/**
 * Slice: starts/ends/axes attributes before opset 10, inputs (with steps) from 10 on. Indices are
 * clamped as numpy does: [0, dim] for positive steps, [-1, dim-1] for negative ones.
 */
public final class Slice implements Op {
  /** The op type this spec names (referenced by the passes and back ends instead of string literals). */
  public static final String SLICE = "Slice";

  @Override
  public List<String> onnxNames() {
    return List.of(SLICE);
  }

  @Override
  public java.util.Set<Trait> traits(String opType) {
    return Trait.of(Trait.MOVES_DATA, Trait.KEEPS_SCALE, Trait.INTEGER);
  }

  /** start and step per axis, and the output shape. */
  record Plan(int[] start, int[] step, int[] out) {}

  static Plan plan(Node n, int[] s, Tensor[] in) {
    long[] starts, ends, axes, steps;
    if (n.opset < 10) {
      starts = n.attrs.getInts("starts");
      ends = n.attrs.getInts("ends");
      axes = n.attrs.getInts("axes");
      steps = null;
    } else {
      starts = in[1].toLongs();
      ends = in[2].toLongs();
      axes = in.length > 3 && in[3] != null ? in[3].toLongs() : null;
      steps = in.length > 4 && in[4] != null ? in[4].toLongs() : null;
    }
    QuenchException.check(starts != null && ends != null && starts.length == ends.length, "%s: starts and ends must have equal length", n.describe());
    int r = s.length;
    int[] start = new int[r], step = new int[r], out = s.clone();
    java.util.Arrays.fill(step, 1);
    boolean[] seen = new boolean[r];
    for (int i = 0; i < starts.length; i++) {
      int ax = Shapes.axis(axes == null ? i : axes[i], r);
      QuenchException.check(!seen[ax], "%s: repeated axis", n.describe());
      seen[ax] = true;
      long st = steps == null ? 1 : steps[i];
      QuenchException.check(st != 0, "%s: step 0", n.describe());
      long dim = s[ax];
      long b = starts[i], e = ends[i];
      if (b < 0) b += dim;
      if (e < 0) e += dim;
      if (st > 0) {
        b = Math.max(0, Math.min(dim, b));
        e = Math.max(0, Math.min(dim, e));
      } else {
        b = Math.max(-1, Math.min(dim - 1, b));
        e = Math.max(-1, Math.min(dim - 1, e));
      }
      long count = st > 0 ? Math.max(0, (e - b + st - 1) / st) : Math.max(0, (b - e + (-st) - 1) / (-st));
      start[ax] = (int) b;
      step[ax] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, st));
      out[ax] = (int) count;
    }
    return new Plan(start, step, out);
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    Tensor[] in = new Tensor[c.count()];
    if (n.opset >= 10) {
      in[1] = c.need(1, "starts");
      in[2] = c.need(2, "ends");
      if (c.has(3)) in[3] = c.need(3, "axes");
      if (c.has(4)) in[4] = c.need(4, "steps");
    }
    return List.of(new TensorType(c.dtype(0), plan(n, c.shape(0), in).out()));
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    Tensor x = in[0];
    int[] s = x.shape();
    Plan p = plan(n, s, in);
    int[] st = Shapes.strides(s);
    int len = Shapes.numel(p.out()), r = s.length;
    int[] map = new int[len], pos = new int[r];
    for (int k = 0; k < len; k++) {
      int idx = 0;
      for (int d = 0; d < r; d++) idx += (p.start()[d] + pos[d] * p.step()[d]) * st[d];
      map[k] = idx;
      for (int d = r - 1; d >= 0; d--) {
        if (++pos[d] < p.out()[d]) break;
        pos[d] = 0;
      }
    }
    return new Tensor[] {IndexMap.take(x, map, p.out(), 0)};
  }
}
