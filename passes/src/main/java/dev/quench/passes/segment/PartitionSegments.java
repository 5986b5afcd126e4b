package dev.quench.passes.segment;

import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.Value;
import dev.quench.ir.target.Accelerator;
import dev.quench.passes.Pass;
import dev.quench.passes.PassContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the schedule into maximal segments each run by one executor: a node goes to the
 * target's accelerator when the accelerator takes it ({@link Accelerator#refusal}, the same
 * answer the code generator gets), else to the CPU fallback. Marks each node with {@code executor} and {@code segment}
 * attributes. Does nothing for targets without an accelerator (host).
 *
 * <pre>
 * before: conv, relu-fused conv, softmax
 * after:  conv {executor="npu", segment=0}, conv {executor="npu", segment=0}, softmax {executor="cpu", segment=1}
 * </pre>
 */
public final class PartitionSegments implements Pass {
  /** A run of consecutive nodes on one executor. */
  public record Segment(int index, String executor, List<String> nodes, List<String> inputs, List<String> outputs) {}

  @Override
  public String name() {
    return "partition-segments";
  }

  @Override
  public boolean run(Graph g, PassContext ctx) {
    Accelerator acc = ctx.target().accelerator();
    if (!acc.present()) return false;
    // before quantization (no quantized tensor yet) the answer is a preview: float types are not held against the accelerator
    boolean preview = g.values().values().stream().noneMatch(v -> v.qparams() != null);
    boolean changed = false;
    String prev = null;
    long segment = -1;
    for (Node n : g.nodes()) {
      String ex = acc.refusal(n, preview) == null ? acc.name() : "cpu";
      if (!ex.equals(prev)) segment++;
      prev = ex;
      if (!ex.equals(n.attrs.getString("executor", null)) || n.attrs.getInt("segment", -1) != segment) {
        n.attrs.put("executor", ex).put("segment", segment);
        changed = true;
      }
    }
    for (Segment s : segments(g)) ctx.report(name(), "segment " + s.index() + " on " + s.executor() + ": " + s.nodes().size() + " nodes");
    return changed;
  }

  /** The segments of a partitioned graph, with the values that cross their boundaries. */
  public static List<Segment> segments(Graph g) {
    List<Segment> r = new ArrayList<>();
    List<Node> cur = new ArrayList<>();
    long idx = -2;
    for (Node n : g.nodes()) {
      long s = n.attrs.getInt("segment", -1);
      if (s != idx && !cur.isEmpty()) {
        r.add(describe(g, r.size(), cur));
        cur = new ArrayList<>();
      }
      idx = s;
      cur.add(n);
    }
    if (!cur.isEmpty()) r.add(describe(g, r.size(), cur));
    return r;
  }

  private static Segment describe(Graph g, int index, List<Node> nodes) {
    List<String> names = new ArrayList<>(), ins = new ArrayList<>(), outs = new ArrayList<>();
    java.util.Set<Value> produced = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (Node n : nodes) {
      names.add(n.name);
      for (Value v : n.inputs()) if (v != null && !v.isConstant() && !produced.contains(v) && !ins.contains(v.name)) ins.add(v.name);
      for (Value v : n.outputs()) if (v != null) produced.add(v);
    }
    for (Value v : produced) {
      boolean external = g.isOutput(v);
      for (Node u : g.users(v)) external |= !nodes.contains(u);
      if (external) outs.add(v.name);
    }
    java.util.Collections.sort(outs);
    return new Segment(index, nodes.get(0).attrs.getString("executor", "cpu"), names, ins, outs);
  }
}
