package dev.quench.passes.cleanup;

import dev.quench.ir.op.Reshape;
import dev.quench.ir.op.Transpose;
import dev.quench.ir.Attributes;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.Value;
import dev.quench.passes.Pass;
import dev.quench.passes.PassContext;
import dev.quench.passes.Rewrites;
import java.util.ArrayList;
import java.util.List;

/**
 * Transpose(Transpose(x, p1), p2) is Transpose(x, q) with q[i] = p1[p2[i]]: removed when q is the
 * identity, else merged into one Transpose. The inner Transpose must have no other reader.
 * A Transpose that only moves dims of size 1 (NHWC [1,1,1,C] to NCHW, say) moves no data: it
 * becomes a Reshape, which costs nothing (in place).
 *
 * <pre>
 * before: %t = Transpose(%x) {perm=[0, 2, 3, 1]}; %y = Transpose(%t) {perm=[0, 3, 1, 2]}
 * after:  (readers of %y read %x)
 * </pre>
 */
public final class CancelTransposes implements Pass {
  @Override
  public String name() {
    return "cancel-transposes";
  }

  @Override
  public boolean run(Graph g, PassContext ctx) {
    boolean changed = cancelPairs(g);
    for (Node t : new ArrayList<>(g.nodes())) {
      if (!t.opType.equals(Transpose.TRANSPOSE) || !g.nodes().contains(t)) continue;
      int[] in = t.input(0).type().shape();
      long[] p = perm(t, in.length);
      int last = -1;
      boolean order = true;
      for (long axis : p) {
        if (in[(int) axis] == 1) continue;
        order &= axis > last;
        last = (int) axis;
      }
      if (!order) continue;
      int[] out = t.output(0).type().shape();
      long[] shape = new long[out.length];
      for (int i = 0; i < out.length; i++) shape[i] = out[i];
      Value target = Rewrites.constant(g, t.name + ".shape", dev.quench.ir.Tensor.vector(shape));
      target.setParameter(false);
      g.nodes().set(g.nodes().indexOf(t), t.with(Reshape.RESHAPE, List.of(t.input(0), target), new Attributes()));
      changed = true;
    }
    if (changed) g.pruneValues();
    return changed;
  }

  /**
   * The pair rule alone (layout mapping runs it between its sinking steps). A pair that composes
   * to the identity is bypassed even when the inner Transpose has other readers (it stays for
   * them); merging into one Transpose needs the inner one to have no other reader.
   */
  public static boolean cancelPairs(Graph g) {
    boolean changed = false;
    for (Node outer : new ArrayList<>(g.nodes())) {
      if (!outer.opType.equals(Transpose.TRANSPOSE) || !g.nodes().contains(outer)) continue;
      Node inner = Rewrites.producer(g, outer.input(0), Transpose.TRANSPOSE);
      if (inner == null) continue;
      boolean sole = Rewrites.soleUser(g, inner.output(0)) == outer;
      int r = outer.output(0).type().rank();
      long[] p1 = perm(inner, r), p2 = perm(outer, r), q = new long[r];
      boolean identity = true;
      for (int i = 0; i < r; i++) {
        q[i] = p1[(int) p2[i]];
        identity &= q[i] == i;
      }
      if (identity) {
        if (g.isOutput(outer.output(0)) && !sole) continue;
        if (sole) g.nodes().remove(inner);
        if (!Rewrites.bypass(g, outer, inner.input(0), outer.output(0))) {
          g.nodes().set(g.nodes().indexOf(outer), outer.with("Identity", List.of(inner.input(0)), new Attributes()));
        }
      } else {
        if (!sole) continue;
        g.nodes().remove(inner);
        g.nodes().set(g.nodes().indexOf(outer), outer.with(Transpose.TRANSPOSE, List.of(inner.input(0)), new Attributes().put("perm", q)));
      }
      changed = true;
    }
    return changed;
  }

  private static long[] perm(Node t, int r) {
    long[] p = t.attrs.getInts("perm");
    if (p != null) return p;
    long[] rev = new long[r];
    for (int i = 0; i < r; i++) rev[i] = r - 1 - i;
    return rev;
  }
}
