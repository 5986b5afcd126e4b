package dev.quench.passes.cleanup;

import dev.quench.ir.op.Reshape;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.Value;
import dev.quench.passes.Pass;
import dev.quench.passes.PassContext;
import dev.quench.passes.Rewrites;
import java.util.ArrayList;

/**
 * Removes nodes that pass data through unchanged: Identity, inference-mode Dropout (when its
 * mask is unused), Cast to the same type, and Reshape/Flatten/Squeeze/Unsqueeze/Expand whose
 * output type equals the input's. Bails out when both ends are graph inputs/outputs.
 *
 * <pre>
 * before: %a = Relu(%x); %b = Identity(%a); %y = Conv(%b, %w)
 * after:  %a = Relu(%x);                    %y = Conv(%a, %w)
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
    for (Node n : new ArrayList<>(g.nodes())) {
      if (!passThrough(g, n)) continue;
      changed |= Rewrites.bypass(g, n, n.input(0), n.output(0));
    }
    if (changed) g.pruneValues();
    return changed;
  }

  private static boolean passThrough(Graph g, Node n) {
    if (n.inputs().isEmpty() || n.input(0) == null || n.outputs().isEmpty()) return false;
    Value in = n.input(0), out = n.output(0);
    switch (n.opType) {
      case "Identity":
        return true;
      case "Dropout":
        if (n.opset >= 12 && n.input(2) != null && (!n.input(2).isConstant() || n.input(2).data().getDouble(0) != 0)) return false;
        if (n.attrs.getInt("training_mode", 0) != 0) return false;
        for (int i = 1; i < n.outputs().size(); i++) {
          Value mask = n.output(i);
          if (mask != null && (g.isOutput(mask) || !g.users(mask).isEmpty())) return false;
        }
        return true;
      case "Cast": case Reshape.RESHAPE: case "Flatten": case "Squeeze": case "Unsqueeze": case "Expand":
        return in.type().equals(out.type());
      default:
        return false;
    }
  }
}
