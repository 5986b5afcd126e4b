package dev.quench.ir.op;

import java.util.EnumSet;
import java.util.Set;

/**
 * What an op is, declared by the op itself ({@link Op#traits}) so that the passes, the
 * quantizer, the arena planner and the code generator ask the op instead of keeping lists of
 * op names (as MLIR's op traits and TVM's per-op registry attributes do).
 */
public enum Trait {
  /**
   * Every output element is a copy of an input element (reshapes, transposes, slices, gathers,
   * max pooling): integers move through at the input's scale, with no arithmetic (MLIR's
   * {@code SameOperandsAndResultsScale}).
   */
  MOVES_DATA,
  /**
   * In integer form the output keeps the input's scale, with no requantization (every
   * {@link #MOVES_DATA} op, and the clamps Relu and Clip): such a node adds no rounding error.
   */
  KEEPS_SCALE,
  /** The output is the input's bytes under another shape: it may share the input's storage. */
  VIEW,
  /** Output element i depends on the inputs' element i only (after broadcasting). */
  ELEMENTWISE,
  /**
   * The output is the input (input 0) itself, for the whole of the output's life: it shares the
   * input's storage and the C++ copies nothing ({@code Guard}: a value entering a branch).
   */
  ALIAS,
  /** The C++ kernel may write its output over its first input (element i read before it is written). */
  IN_PLACE,
  /** A function of one value, so an 8-bit input can be replaced by a 256-entry table ({@code Lut}). */
  TABLE,
  /** Can carry a fused activation on its output (the {@code activation} attributes). */
  FUSES_ACTIVATION,
  /** Has a channels-last form ({@code layout = "NHWC"}). */
  LAYOUT_AWARE,
  /**
   * Has an integer form end to end: a quantization rule, the integer reference kernel and the
   * C++ lowering (the completeness test holds every op with this trait to all three).
   */
  INTEGER,
  /** Quench's own op, made by the passes or the quantizer; no ONNX model may use it. */
  INTERNAL,
  /**
   * Its outputs follow from input shapes and constants alone in any graph with static shapes
   * (Shape, Size, Constant, ConstantOfShape, Range): constant folding removes every one before
   * code generation, so it needs no C++ kernel.
   */
  COMPILE_TIME;

  /** Shorthand for an op's trait set. */
  public static Set<Trait> of(Trait first, Trait... rest) {
    return java.util.Collections.unmodifiableSet(EnumSet.of(first, rest));
  }
}
