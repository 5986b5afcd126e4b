package dev.quench.ir;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A dataflow graph: inputs, outputs and nodes in topological order. */
public final class Graph {
  public final String name;
  /** The default-domain opset of the model the graph came from. */
  private int opset = 13;
  private final List<Value> inputs = new ArrayList<>();
  private final List<Value> outputs = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();
  private final Map<String, Value> values = new LinkedHashMap<>();
  private final Map<String, String> dynamicInputs = new LinkedHashMap<>();

  public Graph(String name) {
    this.name = name;
  }

  public int opset() {
    return opset;
  }

  public void setOpset(int opset) {
    this.opset = opset;
  }

  public List<Value> inputs() {
    return inputs;
  }

  public List<Value> outputs() {
    return outputs;
  }

  public List<Node> nodes() {
    return nodes;
  }

  public Map<String, Value> values() {
    return values;
  }

  public Value value(String name) {
    return values.get(name);
  }

  /** The value of that name, created when new. */
  public Value valueFor(String name) {
    return values.computeIfAbsent(name, Value::new);
  }

  public void addValue(Value v) {
    values.put(v.name, v);
  }

  /** Nodes that read {@code v}, in graph order (a node reading it twice appears once). */
  public List<Node> users(Value v) {
    List<Node> r = new ArrayList<>();
    for (Node n : nodes) if (n.inputs().contains(v)) r.add(n);
    return r;
  }

  public boolean isOutput(Value v) {
    return outputs.contains(v);
  }

  /** Every read of {@code old} (node inputs and graph outputs) now reads {@code repl}. */
  public void replaceAllUses(Value old, Value repl) {
    for (Node n : nodes) for (int i = 0; i < n.inputs().size(); i++) if (n.input(i) == old) n.setInput(i, repl);
    for (int i = 0; i < outputs.size(); i++) if (outputs.get(i) == old) outputs.set(i, repl);
  }

  /** Drops values no node, input or output refers to any more. */
  public void pruneValues() {
    java.util.Set<Value> live = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    live.addAll(inputs);
    live.addAll(outputs);
    for (Node n : nodes) {
      for (Value v : n.inputs()) if (v != null) live.add(v);
      for (Value v : n.outputs()) if (v != null) live.add(v);
    }
    values.values().removeIf(v -> !live.contains(v));
  }

  /** Inputs whose declared shape had symbolic dims, with that declared shape (e.g. {@code [batch, 3, H, W]}). */
  public Map<String, String> dynamicInputs() {
    return dynamicInputs;
  }

  /** Graph inputs that are not constants (the data the user feeds). */
  public List<Value> dataInputs() {
    List<Value> r = new ArrayList<>();
    for (Value v : inputs) if (!v.isConstant()) r.add(v);
    return r;
  }
}
