package dev.quench.passes.cleanup;

import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.Value;
import dev.quench.ir.op.Op;
import dev.quench.ir.op.OpRegistry;
import dev.quench.ir.op.Trait;
import dev.quench.passes.Pass;
import dev.quench.passes.PassContext;
import dev.quench.passes.Rewrites;
import java.util.ArrayList;

/**
 * Removes nodes that pass data through unchanged, as each op says of itself
 * ({@link Op#passesThrough}: Identity, inference Dropout, a Cast to the same type, a shape op or
 * Expand whose output type is its input's, an all-zero Pad), when nobody reads their other
 * outputs (Dropout's mask); and pairs of views (Unsqueeze then Squeeze, Reshape then Flatten, ...)
 * that together give back their input's type. Bails out when both ends are graph inputs/outputs.
 *
 * <pre>
 * before: %a = Relu(%x); %b = Identity(%a); %y = Conv(%b, %w)
 * after:  %a = Relu(%x);                    %y = Conv(%a, %w)
 * before: %u = Unsqueeze(%a, [0]); %b = Squeeze(%u, [0]); %y = Conv(%b, %w)
 * after:  %y = Conv(%a, %w)
 * </pre>
 */
public final class RemoveIdentities implements Pass {
  @Override
  public String name() {
    return "remove-identities";
  }

  @Override
  public boolean run(Graph g, PassContext ctx) {
    boolean changed = false;
    for (boolean again = true; again; ) {
      again = false;
      for (Node n : new ArrayList<>(g.nodes())) {
        if (!g.nodes().contains(n)) continue;
        if (passThrough(g, n)) {
          again |= Rewrites.bypass(g, n, n.input(0), n.output(0));
        } else if (isView(n)) {
          // a view of a view that gives back the first one's input type: both go
          Node p = n.input(0).producer();
          if (p == null || !g.nodes().contains(p) || !isView(p) || p.outputs().size() != 1 || Rewrites.soleUser(g, p.output(0)) != n) continue;
          if (p.input(0) == null || p.input(0).type() == null || !p.input(0).type().equals(n.output(0).type())) continue;
          if (Rewrites.bypass(g, n, p.input(0), n.output(0))) {
            g.nodes().remove(p);
            again = true;
          }
        }
      }
      changed |= again;
    }
    if (changed) g.pruneValues();
    return changed;
  }

  private static boolean isView(Node n) {
    return n.is(Trait.VIEW) && !n.inputs().isEmpty() && n.input(0) != null && !n.outputs().isEmpty() && n.output(0).type() != null;
  }

  private static boolean passThrough(Graph g, Node n) {
    if (n.inputs().isEmpty() || n.input(0) == null || n.outputs().isEmpty()) return false;
    Op op = OpRegistry.get(n.opType);
    if (op == null || !op.passesThrough(n)) return false;
    for (int i = 1; i < n.outputs().size(); i++) {
      Value other = n.output(i);
      if (other != null && (g.isOutput(other) || !g.users(other).isEmpty())) return false;
    }
    return true;
  }
}
