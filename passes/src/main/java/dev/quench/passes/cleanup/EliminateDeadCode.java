package dev.quench.passes.cleanup;

import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.Value;
import dev.quench.passes.Pass;
import dev.quench.passes.PassContext;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** Removes nodes none of whose outputs reach a graph output, then values nothing refers to. */
public final class EliminateDeadCode implements Pass {
  @Override
  public String name() {
    return "eliminate-dead-code";
  }

  @Override
  public boolean run(Graph g, PassContext ctx) {
    Set<Value> needed = Collections.newSetFromMap(new IdentityHashMap<>());
    needed.addAll(g.outputs());
    boolean changed = false;
    for (int i = g.nodes().size() - 1; i >= 0; i--) {
      Node n = g.nodes().get(i);
      boolean live = false;
      for (Value o : n.outputs()) if (o != null && needed.contains(o)) live = true;
      if (!live) {
        g.nodes().remove(i);
        changed = true;
        continue;
      }
      for (Value in : n.inputs()) if (in != null) needed.add(in);
    }
    int before = g.values().size();
    g.pruneValues();
    return changed || g.values().size() != before;
  }
}
