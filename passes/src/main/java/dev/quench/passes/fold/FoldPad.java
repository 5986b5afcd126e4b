package dev.quench.passes.fold;

import dev.quench.ir.Attributes;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.op.Conv;
import dev.quench.ir.op.Pad;
import dev.quench.ir.op.Pool;
import dev.quench.passes.Pass;
import dev.quench.passes.PassContext;
import dev.quench.passes.Rewrites;
import java.util.ArrayList;

/**
 * Folds a constant Pad of the spatial dims of an NCHW tensor into the 2-D Conv or pool that is its
 * only reader, as exporters write explicit pads ("same" padding, asymmetric pads).
 *
 * <p>Why it is exact. A Conv's own padding reads 0 outside the input, so Conv(Pad(x, p, 0), pads = q)
 * = Conv(x, pads = p + q) for non-negative p on H and W. An AveragePool over explicitly padded zeros
 * divides by the whole window, which is count_include_pad = 1 with the pads moved in (allowed when
 * the pool has no pads of its own or already counts them). A MaxPool pads with -inf: only a Pad
 * filling -inf folds into it.
 *
 * <pre>
 * before: %p = Pad(%x, pads=[0,0,1,1,0,0,2,2], 0); %y = Conv(%p, %w) {pads=[0,0,0,0]}
 * after:  %y = Conv(%x, %w) {pads=[1,1,2,2]}
 * </pre>
 */
public final class FoldPad implements Pass {
  @Override
  public String name() {
    return "fold-pad";
  }

  @Override
  public boolean run(Graph g, PassContext ctx) {
    boolean changed = false;
    for (Node pad : new ArrayList<>(g.nodes())) {
      if (!pad.opType.equals(Pad.PAD) || !g.nodes().contains(pad) || g.isOutput(pad.output(0))) continue;
      int[] p = Pad.constantPads(pad);
      double fill = Pad.constantFill(pad);
      if (p == null || p.length != 8 || Double.isNaN(fill)) continue;
      boolean spatialOnly = p[0] == 0 && p[1] == 0 && p[4] == 0 && p[5] == 0;
      for (int v : p) spatialOnly &= v >= 0;
      if (!spatialOnly) continue;
      Node user = Rewrites.soleUser(g, pad.output(0));
      if (user == null || user.input(0) != pad.output(0) || !user.attrs.getString("auto_pad", "NOTSET").equals("NOTSET")) continue;
      boolean folds = switch (user.opType) {
        case Conv.CONV -> fill == 0;
        case "AveragePool" -> fill == 0 && (user.attrs.getInt("count_include_pad", 0) != 0 || zero(user.attrs.getIntArray("pads", new int[4])));
        case Pool.MAX_POOL -> fill == Double.NEGATIVE_INFINITY && user.outputs().size() == 1;
        default -> false;
      };
      int[] q = user.attrs.getIntArray("pads", new int[4]);
      if (!folds || q.length != 4 || user.input(0).type().shape().length != 4) continue;
      Attributes a = user.attrs.copy().put("pads", new long[] {q[0] + p[2], q[1] + p[3], q[2] + p[6], q[3] + p[7]});
      if (user.opType.equals("AveragePool")) a.put("count_include_pad", 1L);
      Node folded = user.with(user.opType, replaceFirst(user, pad.input(0)), a);
      g.nodes().set(g.nodes().indexOf(user), folded);
      g.nodes().remove(pad);
      changed = true;
    }
    if (changed) g.pruneValues();
    return changed;
  }

  private static boolean zero(int[] pads) {
    for (int v : pads) if (v != 0) return false;
    return true;
  }

  private static java.util.List<dev.quench.ir.Value> replaceFirst(Node n, dev.quench.ir.Value x) {
    java.util.List<dev.quench.ir.Value> in = new ArrayList<>(n.inputs());
    in.set(0, x);
    return in;
  }
}
