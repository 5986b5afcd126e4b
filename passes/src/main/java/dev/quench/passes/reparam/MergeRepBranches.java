package dev.quench.passes.reparam;

import dev.quench.ir.op.Binary;
import dev.quench.ir.op.Conv;
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
 * RepVGG re-parameterisation: a sum (a tree of Adds) of branches that all read the same x —
 * one KxK conv, any number of 1x1 convs with the same stride and width, and the identity (x
 * itself, or a ChannelAffine of x, which is what an identity-branch BN becomes) — is replaced by
 * one KxK conv with bias. Runs after fold-batch-norm, so every branch's BN is already inside
 * its conv (RepVGG); in QARepVGG the 1x1 and identity branches are plain and the BN after the
 * sum folds into the merged conv on the next fold-batch-norm.
 *
 * <p>Derivation. Convolution is linear in its weights, so sum_i (W_i * x + b_i) = (sum_i W_i) * x
 * + sum_i b_i whenever all W_i are the same size and sample x at the same positions. A 1x1 conv
 * with pad 0 samples exactly the centre tap of a KxK conv with pad K/2 (same stride), so it is
 * the KxK kernel that is zero except W1[o, c] at (K/2, K/2). The identity (stride 1, C == M) is
 * the KxK kernel with 1 at [c, c, K/2, K/2]; a ChannelAffine s*x + t puts s[c] there and adds t
 * to the bias.
 *
 * <pre>
 * before: %a = Conv3x3(%x); %b = Conv1x1(%x); %s = Add(%a, %b); %i = ChannelAffine(%x, %g, %t); %y = Add(%s, %i)
 * after:  %y = Conv3x3(%x, %w', %b')
 * </pre>
 */
public final class MergeRepBranches implements Pass {
  @Override
  public String name() {
    return "merge-rep-branches";
  }

  @Override
  public boolean run(Graph g, PassContext ctx) {
    boolean changed = false;
    List<Node> nodes = new ArrayList<>(g.nodes());
    for (int i = nodes.size() - 1; i >= 0; i--) {
      Node top = nodes.get(i);
      if (!top.opType.equals(Binary.ADD) || !g.nodes().contains(top) || top.attrs.has("activation")) continue;
      List<Node> adds = new ArrayList<>();
      List<Value> leaves = new ArrayList<>();
      flatten(g, top, adds, leaves);
      Node merged = merge(g, top, leaves);
      if (merged == null) continue;
      Value x = merged.input(0);
      for (Value leaf : leaves) {
        // a branch node reads x; a leaf that is x itself keeps its producer
        Node p = leaf.producer();
        if (leaf != x && p != null && p.input(0) == x) g.nodes().remove(p);
      }
      for (Node a : adds) if (a != top) g.nodes().remove(a);
      g.nodes().set(g.nodes().indexOf(top), merged);
      merged.setOutput(0, top.output(0));
      ctx.report(name(), leaves.size() + " branches merged into " + merged.name);
      changed = true;
    }
    if (changed) g.pruneValues();
    return changed;
  }

  /** The leaves of the Add tree under {@code add} (inner Adds must have no other readers). */
  private static void flatten(Graph g, Node add, List<Node> adds, List<Value> leaves) {
    adds.add(add);
    for (Value in : add.inputs()) {
      Node p = Rewrites.producer(g, in, Binary.ADD);
      if (p != null && !p.attrs.has("activation") && Rewrites.soleUser(g, in) == add && in.type().equals(add.output(0).type())) flatten(g, p, adds, leaves);
      else leaves.add(in);
    }
  }

  private static Node merge(Graph g, Node top, List<Value> leaves) {
    Value x = null;
    Node main = null;
    for (Value leaf : leaves) {
      Node p = leaf.producer();
      Node reader = Rewrites.soleUser(g, leaf);
      boolean branch = p != null && g.nodes().contains(p) && (p.opType.equals(Conv.CONV) || p.opType.equals("ChannelAffine"))
          && reader != null && reader.opType.equals(Binary.ADD) && !p.attrs.has("activation") && p.attrs.getInt("axis", 1) == 1;
      Value src = branch ? p.input(0) : leaf;
      if (x == null) x = src;
      if (src != x) return null;
      if (branch && p.opType.equals(Conv.CONV)) {
        if (!convOk(p)) return null;
        int k = p.input(1).type().dim(2);
        if (main == null || k > main.input(1).type().dim(2)) main = p;
      }
    }
    if (main == null || x.type().rank() != 4) return null;
    int[] ws = main.input(1).type().shape();
    int m = ws[0], c = ws[1], k = ws[2];
    long[] strides = main.attrs.getInts("strides");
    float[] w = new float[m * c * k * k], b = new float[m];
    int centre = k / 2;
    for (Value leaf : leaves) {
      Node p = leaf.producer();
      boolean isConv = p != null && g.nodes().contains(p) && p.opType.equals(Conv.CONV) && p.input(0) == x;
      boolean isAffine = p != null && g.nodes().contains(p) && p.opType.equals("ChannelAffine") && p.input(0) == x;
      if (isConv) {
        int[] s = p.input(1).type().shape();
        if (s[0] != m || s[1] != c || !java.util.Arrays.equals(strides, p.attrs.getInts("strides"))) return null;
        int kk = s[2], off = (k - kk) / 2;
        float[] pw = p.input(1).data().f;
        for (int o = 0; o < m; o++) for (int ci = 0; ci < c; ci++) for (int i = 0; i < kk; i++) for (int j = 0; j < kk; j++) {
          w[((o * c + ci) * k + i + off) * k + j + off] += pw[((o * c + ci) * kk + i) * kk + j];
        }
        if (p.input(2) != null) for (int o = 0; o < m; o++) b[o] += p.input(2).data().f[o];
      } else {
        // identity branch: needs stride 1 and as many outputs as inputs
        if (m != c || (strides != null && (strides[0] != 1 || strides[1] != 1))) return null;
        float[] s = new float[c], t = new float[c];
        java.util.Arrays.fill(s, 1f);
        if (isAffine) {
          if (!p.input(1).isConstant() || !p.input(2).isConstant()) return null;
          s = p.input(1).data().toFloats();
          t = p.input(2).data().toFloats();
        }
        for (int ci = 0; ci < c; ci++) {
          w[((ci * c + ci) * k + centre) * k + centre] += s[ci];
          b[ci] += t[ci];
        }
      }
    }
    Value wv = Rewrites.constant(g, main.name + ".rep.weight", Tensor.ofFloat(main.input(1).type().dtype(), ws, w));
    Value bv = Rewrites.constant(g, main.name + ".rep.bias", Tensor.ofFloat(new int[] {m}, b));
    Attributes a = main.attrs.copy();
    return new Node(main.name, Conv.CONV, main.opset, List.of(x, wv, bv), List.of(top.output(0)), a);
  }

  /** A conv that can join: constant weights, group 1, dilation 1, square odd kernel with "same" padding. */
  private static boolean convOk(Node p) {
    if (!p.input(1).isConstant() || (p.input(2) != null && !p.input(2).isConstant())) return false;
    int[] s = p.input(1).type().shape();
    if (s.length != 4 || s[2] != s[3] || s[2] % 2 == 0) return false;
    if (p.attrs.getInt("group", 1) != 1 || !p.attrs.getString("auto_pad", "NOTSET").equals("NOTSET")) return false;
    long[] d = p.attrs.getInts("dilations");
    if (d != null) for (long v : d) if (v != 1) return false;
    long[] pads = p.attrs.getInts("pads");
    long half = s[2] / 2;
    if (pads == null) return half == 0;
    for (long v : pads) if (v != half) return false;
    return true;
  }
}
