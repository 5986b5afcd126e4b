package dev.quench.ir.op;

import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import java.util.List;

/**
 * The spec and float reference semantics of one ONNX operator (or a small family sharing one
 * kernel). {@link #infer} derives output types from input types and whatever input values are
 * known at compile time; {@link #eval} computes the outputs in float32 with ONNX semantics.
 */
public interface Op {
  /** ONNX op types this spec implements. */
  List<String> onnxNames();

  /** Output types, one per declared node output. Throws QuenchException on invalid inputs or attributes. */
  List<TensorType> infer(Node n, InferContext c);

  /** Output values that follow from the input types alone (Shape, Size), or null. */
  default Tensor[] valueFromTypes(Node n, InferContext c) {
    return null;
  }

  /** What {@code opType} (one of {@link #onnxNames}) is: the questions passes ask of an op. */
  default java.util.Set<Trait> traits(String opType) {
    return java.util.Set.of();
  }

  /**
   * Whether this node, with its attributes, has the integer form its op type's traits promise
   * (Pad before opset 11 keeps a float fill attribute: it has none unless the fill is 0).
   */
  default boolean hasIntegerForm(Node n) {
    return true;
  }

  /**
   * Whether input i (i > 0) carries tensor data of the same scale as input 0 (Pad's fill value),
   * rather than shape, index or parameter arguments: the quantizer quantizes it with input 0.
   */
  default boolean dataInput(Node n, int i) {
    return false;
  }

  /**
   * Whether the node's integer form keeps all its outputs (Split: every piece; TopK: the values and
   * their indices); a node with several outputs otherwise stays float.
   */
  default boolean integerKeepsOutputs(Node n) {
    return n.outputs().size() == 1;
  }

  /** Whether the node's two inputs may be swapped (Add, Mul, Max, Min, Equal, And, Or, Xor): the same result, bit for bit. */
  default boolean commutative(Node n) {
    return false;
  }

  /** The input the node's integer form starts from, its x (input 0; Where's x comes after the condition). */
  default int activationInput(Node n) {
    return 0;
  }

  /**
   * How many requantization shifts ({@link dev.quench.ir.Requant}) the integer form of this node
   * takes: one per tensor unless the op says otherwise (per output channel, per input).
   */
  default java.util.Set<Integer> shiftCounts(Node n) {
    return java.util.Set.of(1);
  }

  /**
   * Whether this node passes input 0 through unchanged to output 0, type and values (Identity, a
   * Reshape to the same shape, an all-zero Pad, a Cast to the same type): the clean-up removes it.
   * Other outputs, if any, are the caller's question (whether anybody reads them).
   */
  default boolean passesThrough(Node n) {
    return false;
  }

  /** Both ends of the node have the same type (the shape ops' and Cast's pass-through test). */
  static boolean sameType(Node n) {
    return n.inputs().size() > 0 && n.input(0) != null && n.input(0).type() != null && n.input(0).type().equals(n.output(0).type());
  }

  /** One shift, or one per channel. */
  static java.util.Set<Integer> oneOr(int channels) {
    return channels == 1 ? java.util.Set.of(1) : java.util.Set.of(1, channels);
  }

  /** Output tensors, one per declared node output (null for an optional output not computed). */
  Tensor[] eval(Node n, Tensor[] in);
}
