package dev.quench.passes;

import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.Value;

/** Matching helpers for the recognition passes. */
public final class Patterns {
  private Patterns() {}

  /** The scalar value of a one-element float constant, or NaN. */
  public static double scalar(Value v) {
    if (v == null || !v.isConstant() || v.data().numel() != 1) return Double.NaN;
    return v.data().getDouble(0);
  }

  public static boolean near(double a, double b, double tol) {
    return Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
  }

  /** For a binary node reading {@code known} on one side, the value on the other side (or null). */
  public static Value other(Node n, Value known) {
    if (n.inputs().size() != 2) return null;
    if (n.input(0) == known) return n.input(1);
    if (n.input(1) == known) return n.input(0);
    return null;
  }

  /** The sole reader of v if it has op type {@code op}, else null. */
  public static Node soleUser(Graph g, Value v, String op) {
    Node n = Rewrites.soleUser(g, v);
    return n != null && n.opType.equals(op) && !n.attrs.has("activation") ? n : null;
  }
}
