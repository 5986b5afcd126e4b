package dev.quench.passes;

import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;

/** Small graph edits shared by the passes. */
public final class Rewrites {
  private Rewrites() {}

  /** The single node reading v, or null when v has several readers or is a graph output. */
  public static Node soleUser(Graph g, Value v) {
    if (g.isOutput(v)) return null;
    Node user = null;
    for (Node n : g.nodes()) {
      int reads = 0;
      for (Value in : n.inputs()) if (in == v) reads++;
      if (reads == 0) continue;
      if (user != null || reads > 1) return null;
      user = n;
    }
    return user;
  }

  /** The node producing v if it is of the given op type (and still in the graph), else null. */
  public static Node producer(Graph g, Value v, String opType) {
    if (v == null) return null;
    Node p = v.producer();
    return p != null && p.opType.equals(opType) && g.nodes().contains(p) ? p : null;
  }

  /**
   * Removes a node that passes its input {@code in} through unchanged to its output {@code out}.
   * Readers of out read in; when out is a graph output its name is kept by making in's producer
   * produce out instead. Returns false when neither is possible.
   */
  public static boolean bypass(Graph g, Node node, Value in, Value out) {
    if (!g.isOutput(out)) {
      g.nodes().remove(node);
      g.replaceAllUses(out, in);
      return true;
    }
    Node p = in.producer();
    if (p == null || !g.nodes().contains(p) || g.isOutput(in) || soleUser(g, in) != node) return false;
    p.setOutput(p.outputs().indexOf(in), out);
    g.nodes().remove(node);
    return true;
  }

  /**
   * Replaces {@code last}, the end of a fused chain, by {@code fused}: fused takes last's place in
   * the schedule and produces last's output value, so names of graph outputs survive.
   */
  public static void replaceChain(Graph g, Node first, Node last, Node fused) {
    int at = g.nodes().indexOf(first);
    g.nodes().remove(last);
    g.nodes().set(at, fused);
    fused.setOutput(0, last.output(0));
  }

  /** A new constant value named after the node that uses it. */
  public static Value constant(Graph g, String base, Tensor data) {
    String name = base;
    for (int i = 1; g.value(name) != null; i++) name = base + "." + i;
    Value v = g.valueFor(name);
    v.setData(data);
    v.setParameter(true);
    return v;
  }
}
