package dev.quench.passes.fold;

import dev.quench.ir.op.Conv;
import dev.quench.ir.op.FullyConnected;
import dev.quench.ir.op.GemmOp;
import dev.quench.ir.Attributes;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import dev.quench.passes.Pass;
import dev.quench.passes.PassContext;
import dev.quench.passes.Rewrites;
import java.util.ArrayList;
import java.util.List;

/**
 * Folds inference-mode BatchNormalization into the Conv, ConvTranspose, Gemm or 2-D MatMul that
 * feeds it; a BN with nothing to fold into becomes a ChannelAffine.
 *
 * <p>Derivation. BN computes y = gamma * (z - mean) / sqrt(var + eps) + beta per channel c.
 * With k[c] = gamma[c] / sqrt(var[c] + eps) that is y = k * z + (beta - k * mean). If
 * z = W * x + b (channel c owns the weights W[c]), then
 * y = (k[c] * W[c]) * x + (k[c] * (b[c] - mean[c]) + beta[c]): scale each output channel's
 * weights by k and replace the bias by k * (b - mean) + beta. For Gemm, z = alpha*A*B + beta_g*C:
 * the channel is a column of B (a row when transB), and the new C is k * beta_g * C + beta - k * mean
 * with beta_g set to 1.
 *
 * <p>Bails out when the producer has other readers, non-constant weights, or a fused activation.
 *
 * <pre>
 * before: %z = Conv(%x, %w, %b); %y = BatchNormalization(%z, %g, %beta, %m, %v)
 * after:  %y = Conv(%x, %w', %b')
 * </pre>
 */
public final class FoldBatchNorm implements Pass {
  @Override
  public String name() {
    return "fold-batch-norm";
  }

  @Override
  public boolean run(Graph g, PassContext ctx) {
    boolean changed = false;
    for (Node bn : new ArrayList<>(g.nodes())) {
      if (!bn.opType.equals("BatchNormalization") || !g.nodes().contains(bn) || bn.outputs().size() > 1) continue;
      if (bn.attrs.getInt("training_mode", 0) != 0) continue;
      float[] k = new float[0], shift = new float[0];
      boolean constant = true;
      for (int i = 1; i <= 4; i++) constant &= bn.input(i) != null && bn.input(i).isConstant();
      if (!constant) continue;
      float[] gamma = bn.input(1).data().toFloats(), beta = bn.input(2).data().toFloats(), mean = bn.input(3).data().toFloats(),
          var = bn.input(4).data().toFloats();
      double eps = bn.attrs.getFloat("epsilon", 1e-5f);
      int c = gamma.length;
      k = new float[c];
      shift = new float[c];
      for (int i = 0; i < c; i++) {
        double kd = gamma[i] / Math.sqrt(var[i] + eps);
        k[i] = (float) kd;
        shift[i] = (float) (beta[i] - kd * mean[i]);
      }
      Node p = bn.input(0).producer();
      // BN's channel axis is 1: for FC/Gemm outputs that is the output-feature axis only at rank 2
      boolean fcLike = p != null && (p.opType.equals(FullyConnected.FULLY_CONNECTED) || p.opType.equals(GemmOp.GEMM));
      boolean folded = p != null && g.nodes().contains(p) && Rewrites.soleUser(g, bn.input(0)) == bn && !p.attrs.has("activation")
          && !(fcLike && bn.input(0).type().rank() != 2) && fold(g, p, bn, k, shift);
      if (!folded) {
        Value scale = Rewrites.constant(g, bn.name + ".scale", Tensor.ofFloat(new int[] {c}, k));
        Value bias = Rewrites.constant(g, bn.name + ".bias", Tensor.ofFloat(new int[] {c}, shift));
        g.nodes().set(g.nodes().indexOf(bn), bn.with("ChannelAffine", List.of(bn.input(0), scale, bias), new Attributes()));
        ctx.report(name(), bn.name + " -> ChannelAffine");
      } else {
        ctx.report(name(), bn.name + " folded into " + p.name);
      }
      changed = true;
    }
    if (changed) g.pruneValues();
    return changed;
  }

  /** Folds y = k * z + shift into the producer of z; false when it cannot. */
  static boolean fold(Graph g, Node p, Node last, float[] k, float[] shift) {
    Node fused = switch (p.opType) {
      case Conv.CONV -> conv(g, p, k, shift, false);
      case "ConvTranspose" -> conv(g, p, k, shift, true);
      case GemmOp.GEMM -> gemm(g, p, k, shift);
      case FullyConnected.FULLY_CONNECTED -> fullyConnected(g, p, k, shift);
      default -> null;
    };
    if (fused == null) return false;
    Rewrites.replaceChain(g, p, last, fused);
    return true;
  }

  private static boolean constants(Node p, int... inputs) {
    for (int i : inputs) if (p.input(i) != null && !p.input(i).isConstant()) return false;
    return p.input(inputs[0]) != null;
  }

  private static Node conv(Graph g, Node p, float[] k, float[] shift, boolean transposed) {
    if (!constants(p, 1, 2)) return null;
    Tensor w = p.input(1).data();
    int[] ws = w.shape();
    int group = (int) p.attrs.getInt("group", 1);
    int m = transposed ? ws[1] * group : ws[0];
    if (m != k.length) return null;
    float[] nw = w.f.clone();
    int per = transposed ? dev.quench.ir.Shapes.product(ws, 2, ws.length) : w.numel() / m;
    if (transposed) {
      // weights [C, M/group, k...]: output channel o = grp * M/group + j with grp = c / (C/group)
      int cg = ws[0] / group, mg = ws[1];
      for (int ci = 0; ci < ws[0]; ci++) for (int j = 0; j < mg; j++) {
        int o = (ci / cg) * mg + j, base = (ci * mg + j) * per;
        for (int i = 0; i < per; i++) nw[base + i] *= k[o];
      }
    } else {
      for (int o = 0; o < m; o++) for (int i = 0; i < per; i++) nw[o * per + i] *= k[o];
    }
    float[] b = PerChannel.biasOrZero(p.input(2), m);
    for (int o = 0; o < m; o++) b[o] = b[o] * k[o] + shift[o];
    Value nwv = Rewrites.constant(g, p.name + ".weight", Tensor.ofFloat(w.dtype, ws, nw));
    Value nbv = Rewrites.constant(g, p.name + ".bias", Tensor.ofFloat(new int[] {m}, b));
    return p.with(p.opType, List.of(p.input(0), nwv, nbv), p.attrs.copy());
  }

  private static Node gemm(Graph g, Node p, float[] k, float[] shift) {
    if (!constants(p, 1, 2)) return null;
    Tensor w = p.input(1).data();
    boolean tb = p.attrs.getInt("transB", 0) != 0;
    int n = tb ? w.dim(0) : w.dim(1), kk = tb ? w.dim(1) : w.dim(0);
    if (n != k.length) return null;
    float alpha = p.attrs.getFloat("alpha", 1f), betaG = p.attrs.getFloat("beta", 1f);
    float[] nw = w.f.clone();
    for (int i = 0; i < n; i++) for (int j = 0; j < kk; j++) nw[tb ? i * kk + j : j * n + i] *= k[i] * alpha;
    float[] c = new float[n];
    if (p.input(2) != null) {
      float[] cv = PerChannel.of(p.input(2), n, 1, 2);
      if (cv == null) return null;
      for (int i = 0; i < n; i++) c[i] = cv[i] * betaG;
    }
    for (int i = 0; i < n; i++) c[i] = c[i] * k[i] + shift[i];
    Attributes a = p.attrs.copy().remove("alpha").remove("beta");
    Value nwv = Rewrites.constant(g, p.name + ".weight", Tensor.ofFloat(w.dtype, w.shape(), nw));
    Value ncv = Rewrites.constant(g, p.name + ".bias", Tensor.ofFloat(new int[] {n}, c));
    return p.with(GemmOp.GEMM, List.of(p.input(0), nwv, ncv), a);
  }

  private static Node fullyConnected(Graph g, Node p, float[] k, float[] shift) {
    if (!constants(p, 1, 2)) return null;
    Tensor w = p.input(1).data();
    int n = w.dim(0), kk = w.dim(1);
    if (n != k.length) return null;
    float[] nw = w.f.clone();
    for (int i = 0; i < n; i++) for (int j = 0; j < kk; j++) nw[i * kk + j] *= k[i];
    float[] b = PerChannel.biasOrZero(p.input(2), n);
    for (int i = 0; i < n; i++) b[i] = b[i] * k[i] + shift[i];
    Value nwv = Rewrites.constant(g, p.name + ".weight", Tensor.ofFloat(w.dtype, w.shape(), nw));
    Value nbv = Rewrites.constant(g, p.name + ".bias", Tensor.ofFloat(new int[] {n}, b));
    return p.with(FullyConnected.FULLY_CONNECTED, List.of(p.input(0), nwv, nbv), p.attrs.copy());
  }
}
