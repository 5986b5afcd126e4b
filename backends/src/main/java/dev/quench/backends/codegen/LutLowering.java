package dev.quench.backends.codegen;

import dev.quench.ir.DType;
import dev.quench.ir.DTypes;
import dev.quench.ir.Node;
import dev.quench.ir.Value;
import java.util.Map;

/** Integer lookup tables (kernels/elementwise.h); for the NPU the table as int8 bit patterns. */
final class LutLowering implements FamilyLowering {
  @Override
  public void lower(Node n, Lowering l, KernelChoice kernel, boolean npu, Map<String, Object> m) {
    Value x = n.inputs().isEmpty() ? null : n.input(0), y = n.output(0);
    Lowering.requireInt(n);
    Lowering.template(m, "lut", "lut_int");
    long[] table = n.attrs.getInts("table").clone();
    if (npu) for (int i = 0; i < table.length; i++) table[i] = (byte) table[i];  // uint8 entries as int8 bit patterns
    m.put("table", l.consts.addInts(n.name + "_table", npu ? DType.INT8 : y.type().dtype(), table));
    m.put("first", DTypes.isUnsigned(x.type().dtype()) ? "0" : "-128");
  }
}
