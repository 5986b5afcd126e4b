package dev.quench.passes.fuse;

import dev.quench.ir.op.Binary;
import dev.quench.ir.Attributes;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.Value;
import dev.quench.passes.Pass;
import dev.quench.passes.PassContext;
import dev.quench.passes.Patterns;
import java.util.ArrayList;
import java.util.List;

/**
 * Recognises the exporters' Erf form of GELU, 0.5 * x * (1 + erf(x / sqrt(2))), as one Gelu op.
 * Accepted shapes: Div(x, sqrt 2) or Mul(x, 1/sqrt 2) into Erf; Add 1; then Mul by x and Mul by
 * 0.5 in either order. Every intermediate must have exactly one reader.
 *
 * <pre>
 * before: %d = Div(%x, 1.4142); %e = Erf(%d); %a = Add(%e, 1.0); %m = Mul(%x, %a); %y = Mul(%m, 0.5)
 * after:  %y = Gelu(%x)
 * </pre>
 */
public final class RecogniseGelu implements Pass {
  private static final double SQRT2 = Math.sqrt(2);

  @Override
  public String name() {
    return "recognise-gelu";
  }

  @Override
  public boolean run(Graph g, PassContext ctx) {
    boolean changed = false;
    for (Node erf : new ArrayList<>(g.nodes())) {
      if (!erf.opType.equals("Erf") || !g.nodes().contains(erf)) continue;
      Node scale = erf.input(0).producer();
      if (scale == null || !g.nodes().contains(scale) || Patterns.soleUser(g, erf.input(0), "Erf") != erf) continue;
      Value x = scale.input(0);
      boolean ok = scale.opType.equals("Div") && Patterns.near(Patterns.scalar(scale.input(1)), SQRT2, 1e-4)
          || scale.opType.equals(Binary.MUL) && Patterns.near(Patterns.scalar(scale.input(1)), 1 / SQRT2, 1e-4);
      if (!ok) continue;
      Node add = Patterns.soleUser(g, erf.output(0), Binary.ADD);
      if (add == null || !Patterns.near(Patterns.scalar(Patterns.other(add, erf.output(0))), 1, 1e-6)) continue;
      Node m1 = Patterns.soleUser(g, add.output(0), Binary.MUL);
      if (m1 == null) continue;
      Value side = Patterns.other(m1, add.output(0));
      List<Node> remove = new ArrayList<>(List.of(scale, erf, add, m1));
      Node last;
      if (side == x) {
        last = Patterns.soleUser(g, m1.output(0), Binary.MUL);
        if (last == null || !Patterns.near(Patterns.scalar(Patterns.other(last, m1.output(0))), 0.5, 1e-6)) continue;
        remove.add(last);
      } else {
        Node half = side == null ? null : side.producer();
        if (half == null || !half.opType.equals(Binary.MUL) || Patterns.other(half, x) == null || !Patterns.near(Patterns.scalar(Patterns.other(half, x)), 0.5, 1e-6)
            || Patterns.soleUser(g, side, Binary.MUL) != m1) continue;
        remove.add(half);
        last = m1;
      }
      Node gelu = new Node(last.name, "Gelu", Math.max(20, last.opset), List.of(x), List.of(last.output(0)), new Attributes());
      int at = g.nodes().indexOf(last);
      g.nodes().set(at, gelu);
      last.output(0).setProducer(gelu);
      remove.remove(last);
      g.nodes().removeAll(remove);
      ctx.report(name(), "GELU at " + last.name);
      changed = true;
    }
    if (changed) g.pruneValues();
    return changed;
  }
}
