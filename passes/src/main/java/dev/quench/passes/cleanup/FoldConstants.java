package dev.quench.passes.cleanup;

import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import dev.quench.ir.op.InferContext;
import dev.quench.ir.op.Op;
import dev.quench.ir.op.OpRegistry;
import dev.quench.passes.Pass;
import dev.quench.passes.PassContext;
import java.util.Iterator;

/**
 * Evaluates every node whose inputs are all compile-time constants — and Shape/Size, whose
 * values follow from static types — and replaces it by the constants it computes. This removes
 * the exporters' shape glue (Shape → Gather → Unsqueeze → Concat → Reshape …) once input
 * shapes are fixed. Bails out on outputs over 2^24 elements (a constant that large is better
 * computed at run time than stored in flash).
 *
 * <pre>
 * before: %s = Shape(%x); %d = Gather(%s, [0]); %t = Concat(%d, [-1]); %y = Reshape(%x, %t)
 * after:  const %t : i64[2] = [1, -1];           %y = Reshape(%x, %t)
 * </pre>
 */
public final class FoldConstants implements Pass {
  static final long LIMIT = 1 << 24;

  @Override
  public String name() {
    return "fold-constants";
  }

  @Override
  public boolean run(Graph g, PassContext ctx) {
    boolean changed = false;
    for (Iterator<Node> it = g.nodes().iterator(); it.hasNext(); ) {
      Node n = it.next();
      Op op = OpRegistry.get(n.opType);
      Tensor[] out = op.valueFromTypes(n, new InferContext(n));
      if (out == null && allKnown(n) && small(n)) {
        Tensor[] in = new Tensor[n.inputs().size()];
        for (int i = 0; i < in.length; i++) in[i] = n.input(i) == null ? null : n.input(i).data();
        out = op.eval(n, in);
      }
      if (out == null && !outputsKnown(n)) continue;
      for (int i = 0; i < n.outputs().size(); i++) {
        Value o = n.output(i);
        if (o != null && !o.isConstant()) o.setData(out[i]);
        if (o != null) o.setProducer(null);
      }
      it.remove();
      changed = true;
    }
    if (changed) g.pruneValues();
    return changed;
  }

  private static boolean allKnown(Node n) {
    for (Value v : n.inputs()) if (v != null && !v.isConstant()) return false;
    return true;
  }

  private static boolean outputsKnown(Node n) {
    for (Value v : n.outputs()) if (v != null && !v.isConstant()) return false;
    return !n.outputs().isEmpty();
  }

  private static boolean small(Node n) {
    long total = 0;
    for (Value v : n.outputs()) if (v != null) total += v.type().numel();
    return total <= LIMIT;
  }
}
