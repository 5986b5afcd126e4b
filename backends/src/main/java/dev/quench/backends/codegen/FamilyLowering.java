package dev.quench.backends.codegen;

import dev.quench.ir.Node;
import java.util.Map;

/**
 * The lowering of one op family (one op spec class of ir/op): the data its template
 * ({@code sdk/ops/<template>.ftl}) needs, put into m beside the fields every step has (x, y, their
 * C types, size, bytes, acc, and the kernel choice). One file per family; {@link Lowering#family}
 * maps the op spec classes to them.
 */
interface FamilyLowering {
  /**
   * @param kernel the kernel chosen for the target (null for NPU nodes, and for kernels without scratch: the family names them)
   * @param npu the NPU runs the node: its arrays in the NPU's forms (Conv weights OIHW, tables as int8 bytes)
   */
  void lower(Node n, Lowering l, KernelChoice kernel, boolean npu, Map<String, Object> m);
}
