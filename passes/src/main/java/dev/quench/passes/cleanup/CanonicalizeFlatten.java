package dev.quench.passes.cleanup;

import dev.quench.ir.op.Reshape;
import dev.quench.ir.Attributes;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.Shapes;
import dev.quench.passes.Pass;
import dev.quench.passes.PassContext;
import java.util.ArrayList;
import java.util.List;

/**
 * A Reshape to two dims that splits its input at an axis boundary — [d0..d(a-1)] x [da..] —
 * is Flatten(axis = a); the canonical form FC matching and layout mapping look for.
 *
 * <pre>
 * before: %y = Reshape(%x[1,64,1,1], [1, -1]) -> f32[1,64]
 * after:  %y = Flatten(%x) {axis=1}
 * </pre>
 */
public final class CanonicalizeFlatten implements Pass {
  @Override
  public String name() {
    return "canonicalize-flatten";
  }

  @Override
  public boolean run(Graph g, PassContext ctx) {
    boolean changed = false;
    for (Node n : new ArrayList<>(g.nodes())) {
      if (!n.opType.equals(Reshape.RESHAPE)) continue;
      int[] in = n.input(0).type().shape(), out = n.output(0).type().shape();
      if (out.length != 2 || in.length < 2) continue;
      // axis 1 first (the batch stays the rows), then the others in order
      for (int i = 0; i <= in.length; i++) {
        int a = i == 0 ? 1 : (i == 1 ? 0 : i);
        if (Shapes.product(in, 0, a) == out[0] && Shapes.product(in, a, in.length) == out[1]) {
          g.nodes().set(g.nodes().indexOf(n), n.with("Flatten", List.of(n.input(0)), new Attributes().put("axis", (long) a)));
          changed = true;
          break;
        }
      }
    }
    if (changed) g.pruneValues();
    return changed;
  }
}
