package dev.quench.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** One operation. Missing optional inputs are {@code null} entries in {@link #inputs()}. */
public final class Node {
  public final String name;
  public final String opType;
  /** Opset version of the op's domain that the model imports. */
  public final int opset;
  public final Attributes attrs;
  private final List<Value> inputs;
  private final List<Value> outputs;

  public Node(String name, String opType, int opset, List<Value> inputs, List<Value> outputs, Attributes attrs) {
    this.name = name;
    this.opType = opType;
    this.opset = opset;
    this.inputs = new ArrayList<>(inputs);
    this.outputs = new ArrayList<>(outputs);
    this.attrs = attrs;
  }

  public List<Value> inputs() {
    return Collections.unmodifiableList(inputs);
  }

  public List<Value> outputs() {
    return Collections.unmodifiableList(outputs);
  }

  /** Input i, or null when absent (past the end or an empty name). */
  public Value input(int i) {
    return i < inputs.size() ? inputs.get(i) : null;
  }

  public Value output(int i) {
    return outputs.get(i);
  }

  public void setInput(int i, Value v) {
    inputs.set(i, v);
  }

  /** Replaces input i (appending null slots as needed). */
  public void putInput(int i, Value v) {
    while (inputs.size() <= i) inputs.add(null);
    inputs.set(i, v);
  }

  /** Makes this node produce {@code v} as output i (used by fusions to keep the last node's output name). */
  public void setOutput(int i, Value v) {
    outputs.set(i, v);
    if (v != null) v.setProducer(this);
  }

  /** A copy with other inputs and attributes, same name, op, opset and outputs. */
  public Node with(String newOpType, List<Value> newInputs, Attributes newAttrs) {
    Node n = new Node(name, newOpType, opset, newInputs, outputs, newAttrs);
    for (Value o : outputs) if (o != null) o.setProducer(n);
    return n;
  }

  /** Whether the node's op has the trait (asked of the op, {@link dev.quench.ir.op.Op#traits}). */
  public boolean is(dev.quench.ir.op.Trait trait) {
    return dev.quench.ir.op.OpRegistry.traits(opType).contains(trait);
  }

  /** How the node is named in errors: {@code node 'conv1' (Conv)}. */
  public String describe() {
    return "node '" + name + "' (" + opType + ")";
  }

  @Override
  public String toString() {
    return describe();
  }
}
