package dev.quench.ir.op;

import dev.quench.ir.DType;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import dev.quench.ir.Value;

/** What shape inference sees of a node's inputs: their types and, when known, their values. */
public final class InferContext {
  private final Node node;
  private final java.util.function.Function<Value, Tensor> freezer;

  public InferContext(Node node) {
    this(node, v -> null);
  }

  /**
   * @param freezer gives a value for a graph input that shape inference needs as a constant (a
   *     dynamic shape, axes or scales input), or null; the input is then frozen to that value
   */
  public InferContext(Node node, java.util.function.Function<Value, Tensor> freezer) {
    this.node = node;
    this.freezer = freezer;
  }

  public int count() {
    return node.inputs().size();
  }

  public boolean has(int i) {
    return node.input(i) != null;
  }

  public TensorType type(int i) {
    Value v = node.input(i);
    QuenchException.check(v != null, "%s: input %d is required", node.describe(), i);
    return v.type();
  }

  public int[] shape(int i) {
    return type(i).shape();
  }

  public DType dtype(int i) {
    return type(i).dtype();
  }

  /** The input's value if known at compile time, else null. */
  public Tensor known(int i) {
    Value v = node.input(i);
    return v == null ? null : v.data();
  }

  /** The input's value, which must be known at compile time (shape-defining inputs). */
  public Tensor need(int i, String what) {
    Tensor t = known(i);
    if (t == null && node.input(i) != null) {
      t = freezer.apply(node.input(i));
      if (t != null) node.input(i).setData(t);
    }
    if (t == null) {
      throw new QuenchException(node.describe() + ": " + what + " (input " + i + ") must be a compile-time constant");
    }
    return t;
  }
}
