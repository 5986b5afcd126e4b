package dev.quench.ir;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A dataflow graph: inputs, outputs and nodes in topological order. */
public final class Graph {
  public final String name;
  private final List<Value> inputs = new ArrayList<>();
  private final List<Value> outputs = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();
  private final Map<String, Value> values = new LinkedHashMap<>();
  private final Map<String, String> dynamicInputs = new LinkedHashMap<>();

  public Graph(String name) {
    this.name = name;
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
