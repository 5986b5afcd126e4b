package dev.quench.ir;

import dev.quench.ir.op.Branch;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Which branch of a data-dependent If each node runs on, read from the dataflow (see
 * {@link Branch}): a Guard runs on the arm it opens and its output is on it, any other node is on
 * the innermost arm among its inputs' (they must nest: no node reads both sides of one If), and a
 * Merge leaves the arm its then / else inputs entered. Nodes on no arm (null) always run.
 */
public final class Branches {
  private Branches() {}

  /** One side of an If: {@code cond} selects it ({@code then}: non-zero), inside {@code parent} (null: the top level). */
  public static final class Arm {
    public final Value cond;
    public final boolean then;
    public final Arm parent;

    private Arm(Value cond, boolean then, Arm parent) {
      this.cond = cond;
      this.then = then;
      this.parent = parent;
    }

    /** How the arm is named to users: {@code then branch of the If on 'c'}. */
    public String describe() {
      return (then ? "then" : "else") + " branch of the If on '" + cond.name + "'";
    }

    /** Whether this arm is {@code a} or inside it (every arm is inside null, the top level). */
    public boolean within(Arm a) {
      for (Arm x = this; x != null; x = x.parent) if (x == a) return true;
      return a == null;
    }
  }

  /** The arm of every node (absent: the top level); empty for a graph without Guards. */
  public static Map<Node, Arm> of(Graph g) {
    Map<Node, Arm> nodes = new IdentityHashMap<>();
    Map<Value, Arm> values = new IdentityHashMap<>();
    Map<java.util.List<Object>, Arm> interned = new HashMap<>();
    for (Node n : g.nodes()) {
      boolean merge = n.opType.equals(Branch.MERGE);
      Arm a = null;
      for (int i = 0; i < n.inputs().size(); i++) {
        Value v = n.input(i);
        if (v == null || v.isConstant()) continue;
        Arm b = values.get(v);
        // a Merge's then / else inputs leave their arm
        if (merge && i < 2 && b != null && b.cond == n.input(2) && b.then == (i == 0)) b = b.parent;
        a = inner(a, b, n);
      }
      Arm out = a;
      if (n.opType.equals(Branch.GUARD)) {
        // (a Guard runs on the arm it opens: it passes only when its condition selects it)
        Arm parent = a;
        boolean then = n.attrs.getInt(Branch.BRANCH, 1) != 0;
        out = interned.computeIfAbsent(java.util.Arrays.asList(n.input(1), then, parent), k -> new Arm(n.input(1), then, parent));
      }
      if (out != null) nodes.put(n, out);
      for (Value o : n.outputs()) if (o != null && out != null) values.put(o, out);
    }
    return nodes;
  }

  private static Arm inner(Arm a, Arm b, Node n) {
    if (a == null || (b != null && b.within(a))) return b == null ? a : b;
    if (b == null || a.within(b)) return a;
    throw new QuenchException(n.describe() + ": reads values of both sides of one If");
  }
}
