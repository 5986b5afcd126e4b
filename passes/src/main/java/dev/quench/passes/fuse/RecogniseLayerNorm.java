package dev.quench.passes.fuse;

import dev.quench.ir.op.Binary;
import dev.quench.ir.Attributes;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.Value;
import dev.quench.passes.Pass;
import dev.quench.passes.PassContext;
import dev.quench.passes.Patterns;
import dev.quench.passes.Rewrites;
import java.util.ArrayList;
import java.util.List;

/**
 * Recognises layer normalisation written out op by op, over the last axis:
 * m = ReduceMean(x); d = Sub(x, m); v = ReduceMean(Pow(d, 2)); n = Div(d, Sqrt(Add(v, eps)));
 * y = Add(Mul(n, gamma), beta) — and makes it one LayerNormalization(x, gamma, beta; axis=-1,
 * epsilon). The Sub output is read twice (by Pow and Div); every other intermediate once.
 *
 * <pre>
 * before: ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add   (9 nodes)
 * after:  %y = LayerNormalization(%x, %gamma, %beta) {axis=-1, epsilon=1e-5}
 * </pre>
 */
public final class RecogniseLayerNorm implements Pass {
  @Override
  public String name() {
    return "recognise-layer-norm";
  }

  @Override
  public boolean run(Graph g, PassContext ctx) {
    boolean changed = false;
    for (Node mean : new ArrayList<>(g.nodes())) {
      if (!mean.opType.equals("ReduceMean") || !g.nodes().contains(mean) || !lastAxis(mean)) continue;
      Value x = mean.input(0);
      Node sub = Patterns.soleUser(g, mean.output(0), "Sub");
      if (sub == null || sub.input(0) != x || sub.input(1) != mean.output(0)) continue;
      Node pow = null, div = null;
      List<dev.quench.ir.Node> readers = g.users(sub.output(0));
      if (readers.size() != 2 || g.isOutput(sub.output(0))) continue;
      for (Node r : readers) {
        if (r.opType.equals("Pow")) pow = r;
        if (r.opType.equals("Div")) div = r;
      }
      if (pow == null || div == null || pow.input(0) != sub.output(0) || Patterns.scalar(pow.input(1)) != 2.0 || div.input(0) != sub.output(0)) continue;
      Node var = Patterns.soleUser(g, pow.output(0), "ReduceMean");
      if (var == null || !lastAxis(var)) continue;
      Node addEps = Patterns.soleUser(g, var.output(0), Binary.ADD);
      if (addEps == null) continue;
      double eps = Patterns.scalar(Patterns.other(addEps, var.output(0)));
      if (Double.isNaN(eps)) continue;
      Node sqrt = Patterns.soleUser(g, addEps.output(0), "Sqrt");
      if (sqrt == null || Rewrites.soleUser(g, sqrt.output(0)) != div || div.input(1) != sqrt.output(0)) continue;
      Node mul = Patterns.soleUser(g, div.output(0), Binary.MUL);
      if (mul == null) continue;
      Value gamma = Patterns.other(mul, div.output(0));
      Node addBeta = Patterns.soleUser(g, mul.output(0), Binary.ADD);
      if (addBeta == null || gamma == null || !gamma.isConstant()) continue;
      Value beta = Patterns.other(addBeta, mul.output(0));
      int c = x.type().dim(x.type().rank() - 1);
      if (beta == null || !beta.isConstant() || gamma.data().numel() != c || beta.data().numel() != c) continue;
      Node ln = new Node(addBeta.name, "LayerNormalization", Math.max(17, addBeta.opset), List.of(x, gamma, beta), List.of(addBeta.output(0)),
          new Attributes().put("axis", -1L).put("epsilon", (float) eps));
      g.nodes().set(g.nodes().indexOf(addBeta), ln);
      addBeta.output(0).setProducer(ln);
      g.nodes().removeAll(List.of(mean, sub, pow, var, addEps, sqrt, div, mul));
      ctx.report(name(), "LayerNorm at " + addBeta.name);
      changed = true;
    }
    if (changed) g.pruneValues();
    return changed;
  }

  /** A ReduceMean over the last axis only, keeping dims. */
  private static boolean lastAxis(Node n) {
    if (n.attrs.getInt("keepdims", 1) != 1) return false;
    long[] axes = n.opset < 18 ? n.attrs.getInts("axes") : (n.input(1) != null && n.input(1).isConstant() ? n.input(1).data().toLongs() : null);
    int r = n.input(0).type().rank();
    return axes != null && axes.length == 1 && (axes[0] == -1 || axes[0] == r - 1);
  }
}
