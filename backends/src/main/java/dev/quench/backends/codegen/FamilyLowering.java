package dev.quench.backends.codegen;

import dev.quench.ir.Node;

/**
 * The lowering of one op family (one op spec class of ir/op): its template
 * ({@code sdk/ops/<template>.ftl}), its kernel when the kernel choice did not name one, and the
 * typed record the template reads as {@code s.op} (beside the fields every {@link Lowering.Step}
 * has). One file per family; {@link Lowering#family} maps the op spec classes to them.
 */
public interface FamilyLowering {
  /** A family's part of a step. */
  public record Lowered(String template, String kernel, Object op) {}

  /**
   * @param kernel the kernel chosen for the target (null for NPU nodes, and for kernels without scratch: the family names them)
   * @param npu the NPU runs the node: its arrays in the NPU's forms (Conv weights OIHW, tables as int8 bytes)
   */
  Lowered lower(Node n, Lowering l, KernelChoice kernel, boolean npu);

  /**
   * Whether this family lowers op type {@code opType} (one of its spec class's) in the integer form
   * (a quantized node) or the float form (float32 in and out): the op completeness report asks.
   * By default every op of the family, in both forms.
   */
  default boolean lowers(String opType, boolean floatForm) {
    return true;
  }
}
