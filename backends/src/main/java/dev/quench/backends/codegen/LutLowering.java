package dev.quench.backends.codegen;

import dev.quench.ir.DType;
import dev.quench.ir.DTypes;
import dev.quench.ir.Node;

/** Integer lookup tables (kernels/elementwise.h); for the NPU the table as int8 bit patterns. */
public final class LutLowering implements FamilyLowering {
  /** table: the constant array; first: the input value of entry 0. */
  public record Args(String table, String first) {}

  @Override
  public boolean lowers(String opType, boolean floatForm) {
    return !floatForm;  // the quantizer's tables
  }

  @Override
  public Lowered lower(Node n, Lowering l, KernelChoice kernel, boolean npu) {
    Lowering.requireInt(n);
    long[] table = n.attrs.getInts("table").clone();
    if (npu) for (int i = 0; i < table.length; i++) table[i] = (byte) table[i];  // uint8 entries as int8 bit patterns
    String t = l.consts.addInts(n.name + "_table", npu ? DType.INT8 : n.output(0).type().dtype(), table);
    return new Lowered("lut", "lut_int", new Args(t, DTypes.isUnsigned(n.input(0).type().dtype()) ? "0" : "-128"));
  }
}
