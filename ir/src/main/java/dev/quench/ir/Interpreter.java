package dev.quench.ir;

import dev.quench.ir.op.Op;
import dev.quench.ir.op.OpRegistry;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The float reference interpreter: runs a graph node by node with ONNX semantics. Values known at
 * compile time are used as they are; every other tensor is freed after its last use. A
 * data-dependent If ({@link dev.quench.ir.op.Branch}) runs the taken branch only: a node is
 * skipped when a value it reads was not computed (a Guard that did not pass, or a skipped node).
 */
public final class Interpreter {
  private final Graph graph;
  private final Map<Value, Integer> lastUse = new IdentityHashMap<>();
  private final boolean everyBranch;

  public Interpreter(Graph graph) {
    this(graph, false);
  }

  /**
   * An interpreter that runs both branches of every If (the outputs are the same: a Merge takes
   * the taken one), so that an observer sees every node on every sample: calibration and the
   * per-node comparisons of float and integer graphs.
   */
  public static Interpreter everyBranch(Graph graph) {
    return new Interpreter(graph, true);
  }

  private Interpreter(Graph graph, boolean everyBranch) {
    this.graph = graph;
    this.everyBranch = everyBranch;
    List<Node> nodes = graph.nodes();
    for (int i = 0; i < nodes.size(); i++) for (Value v : nodes.get(i).inputs()) if (v != null) lastUse.put(v, i);
    for (Value v : graph.outputs()) lastUse.put(v, Integer.MAX_VALUE);
  }

  /** Runs one inference; inputs by graph input name. Returns the graph outputs by name, in order. */
  public Map<String, Tensor> run(Map<String, Tensor> inputs) {
    return run(inputs, null);
  }

  /** As {@link #run(Map)}, calling {@code observer} with every node's outputs (for per-layer dumps). */
  public Map<String, Tensor> run(Map<String, Tensor> inputs, NodeObserver observer) {
    Map<Value, Tensor> env = new IdentityHashMap<>();
    for (Value v : graph.dataInputs()) {
      Tensor t = inputs.get(v.name);
      if (t == null) throw new QuenchException("missing input '" + v.name + "'");
      if (!java.util.Arrays.equals(t.shape(), v.type().shape())) {
        throw new QuenchException("input '" + v.name + "' has shape " + Shapes.str(t.shape()) + ", the model expects " + v.type());
      }
      if (t.dtype != v.type().dtype()) t = DTypes.cast(t, v.type().dtype());
      env.put(v, t);
    }
    List<Node> nodes = graph.nodes();
    java.util.Set<Value> skipped = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      boolean allKnown = true;
      for (Value o : n.outputs()) if (o != null && !o.isConstant() && lastUse.containsKey(o)) allKnown = false;
      if (allKnown) continue;
      boolean merge = n.opType.equals(dev.quench.ir.op.Branch.MERGE), skip = false;
      Tensor[] in = new Tensor[n.inputs().size()];
      for (int k = 0; k < in.length; k++) {
        Value v = n.input(k);
        if (v == null) continue;
        in[k] = v.isConstant() ? v.data() : env.get(v);
        if (in[k] == null && skipped.contains(v)) skip |= !(merge && k < 2);
        else if (in[k] == null) throw new IllegalStateException(n.describe() + ": input '" + v.name + "' not computed");
      }
      if (!skip && !everyBranch && n.opType.equals(dev.quench.ir.op.Branch.GUARD)) skip = !dev.quench.ir.op.Branch.passes(n, in[1]);
      if (skip) {
        if (observer != null) observer.skipped(n);
        for (Value o : n.outputs()) if (o != null) skipped.add(o);
        for (Value v : n.inputs()) if (v != null && lastUse.getOrDefault(v, -1) == i) env.remove(v);
        continue;
      }
      Op op = OpRegistry.get(n.opType);
      if (op == null) throw new QuenchException(n.describe() + ": unsupported op");
      Tensor[] out;
      try {
        out = op.eval(n, in);
      } catch (QuenchException e) {
        throw new QuenchException(e.getMessage().startsWith("node ") ? e.getMessage() : n.describe() + ": " + e.getMessage(), e);
      }
      for (int k = 0; k < n.outputs().size() && k < out.length; k++) {
        Value v = n.output(k);
        if (v != null && out[k] != null && !v.isConstant() && lastUse.containsKey(v)) env.put(v, out[k]);
      }
      if (observer != null) observer.after(n, out);
      for (Value v : n.inputs()) if (v != null && lastUse.getOrDefault(v, -1) == i) env.remove(v);
    }
    Map<String, Tensor> result = new LinkedHashMap<>();
    for (Value v : graph.outputs()) result.put(v.name, v.isConstant() ? v.data() : env.get(v));
    return result;
  }

  /** Sees each node's outputs as the interpreter produces them. */
  @FunctionalInterface
  public interface NodeObserver {
    void after(Node node, Tensor[] outputs);

    /** A node of a branch not taken (a Guard that did not pass, or a node behind one): it runs not. */
    default void skipped(Node node) {}
  }
}
