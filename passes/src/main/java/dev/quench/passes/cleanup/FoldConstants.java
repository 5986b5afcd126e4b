package dev.quench.passes.cleanup;

import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.Value;
import dev.quench.ir.op.KnownValues;
import dev.quench.passes.Pass;
import dev.quench.passes.PassContext;
import java.util.Iterator;

/**
 * Evaluates every node whose inputs are all compile-time constants — and Shape/Size, whose
 * values follow from static types — and replaces it by the constants it computes. This removes
 * the exporters' shape glue (Shape → Gather → Unsqueeze → Concat → Reshape …) once input
 * shapes are fixed. Bails out over {@link KnownValues#LIMIT} elements (a constant that large
 * is better computed at run time than stored in flash).
 *
 * <pre>
 * before: %s = Shape(%x); %d = Gather(%s, [0]); %t = Concat(%d, [-1]); %y = Reshape(%x, %t)
 * after:  const %t : i64[2] = [1, -1];           %y = Reshape(%x, %t)
 * </pre>
 */
public final class FoldConstants implements Pass {
  @Override
  public String name() {
    return "fold-constants";
  }

  @Override
  public boolean run(Graph g, PassContext ctx) {
    boolean changed = false;
    for (Iterator<Node> it = g.nodes().iterator(); it.hasNext(); ) {
      Node n = it.next();
      if (!outputsKnown(n) && !KnownValues.propagate(n)) continue;
      for (Value o : n.outputs()) if (o != null) o.setProducer(null);
      it.remove();
      changed = true;
    }
    if (changed) g.pruneValues();
    return changed;
  }

  private static boolean outputsKnown(Node n) {
    for (Value v : n.outputs()) if (v != null && !v.isConstant()) return false;
    return !n.outputs().isEmpty();
  }
}
