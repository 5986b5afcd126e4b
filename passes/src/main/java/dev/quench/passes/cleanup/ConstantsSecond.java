package dev.quench.passes.cleanup;

import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.Value;
import dev.quench.ir.op.OpRegistry;
import dev.quench.passes.Pass;
import dev.quench.passes.PassContext;
import java.util.ArrayList;
import java.util.List;

/**
 * A commutative op with a constant first and an activation second gets them the other way round:
 * the form the folds and the quantizer look for (PP-LCNetV3's learnable affine blocks write
 * {@code w0 * x + w1}).
 *
 * <pre>
 * before: %y = Mul(%w0, %x)
 * after:  %y = Mul(%x, %w0)
 * </pre>
 */
public final class ConstantsSecond implements Pass {
  @Override
  public String name() {
    return "constants-second";
  }

  @Override
  public boolean run(Graph g, PassContext ctx) {
    boolean changed = false;
    for (Node n : new ArrayList<>(g.nodes())) {
      if (!OpRegistry.get(n.opType).commutative(n)) continue;
      Value a = n.input(0), b = n.input(1);
      if (a == null || b == null || !a.isConstant() || b.isConstant()) continue;
      g.nodes().set(g.nodes().indexOf(n), n.with(n.opType, List.of(b, a), n.attrs));
      changed = true;
    }
    return changed;
  }
}
