package dev.quench.passes.fold;

import dev.quench.ir.op.Binary;
import dev.quench.ir.op.FullyConnected;
import dev.quench.ir.op.GemmOp;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.Value;
import dev.quench.passes.Pass;
import dev.quench.passes.PassContext;
import dev.quench.passes.Rewrites;
import java.util.ArrayList;

/**
 * Folds a per-output-channel affine step into the Conv / ConvTranspose / FullyConnected / Gemm
 * before it: ChannelAffine (y = s*z + t), Mul by a per-channel constant (t = 0) and Add or Sub of
 * one (s = 1). Exact: conv is linear in its weights and bias, so s*(W x + b) + t = (s W) x + (s b + t).
 * Bails out when the producer has other readers or a fused activation.
 *
 * <pre>
 * before: %z = Conv(%x, %w, %b); %y = Mul(%z, %s[C,1,1])
 * after:  %y = Conv(%x, %w', %b')
 * </pre>
 */
public final class FoldAffine implements Pass {
  @Override
  public String name() {
    return "fold-affine";
  }

  @Override
  public boolean run(Graph g, PassContext ctx) {
    boolean changed = false;
    for (Node n : new ArrayList<>(g.nodes())) {
      if (!g.nodes().contains(n) || n.attrs.has("activation")) continue;
      if (!n.opType.equals("ChannelAffine") && !n.opType.equals(Binary.MUL) && !n.opType.equals(Binary.ADD) && !n.opType.equals("Sub")) continue;
      for (int side = 0; side < (n.opType.equals("ChannelAffine") ? 1 : 2); side++) {
        Value z = n.input(side);
        if (z == null || n.input(1 - side) == null) continue;
        Node p = z.producer();
        if (p == null || !g.nodes().contains(p) || p.attrs.has("activation") || Rewrites.soleUser(g, z) != n) continue;
        if (!n.output(0).type().equals(z.type())) continue;
        int rank = z.type().rank(), axis = p.opType.equals(FullyConnected.FULLY_CONNECTED) || p.opType.equals(GemmOp.GEMM) ? rank - 1 : 1;
        if (rank < 2) continue;
        int c = z.type().dim(axis);
        float[] s = new float[c], t = new float[c];
        java.util.Arrays.fill(s, 1f);
        if (n.opType.equals("ChannelAffine")) {
          if (axis != 1 || n.attrs.getInt("axis", 1) != 1) continue;
          s = PerChannel.of(n.input(1), c, 0, 1);
          t = PerChannel.of(n.input(2), c, 0, 1);
          if (s == null || t == null) continue;
        } else {
          float[] v = PerChannel.of(n.input(1 - side), c, axis, rank);
          if (v == null) continue;
          if (n.opType.equals(Binary.MUL)) s = v;
          else if (n.opType.equals(Binary.ADD)) t = v;
          else if (side == 0) for (int i = 0; i < c; i++) t[i] = -v[i];
          else continue; // constant - z flips the sign of the conv: not a bias
        }
        if (FoldBatchNorm.fold(g, p, n, s, t)) {
          ctx.report(name(), n.name + " folded into " + p.name);
          changed = true;
          break;
        }
      }
    }
    if (changed) g.pruneValues();
    return changed;
  }
}
