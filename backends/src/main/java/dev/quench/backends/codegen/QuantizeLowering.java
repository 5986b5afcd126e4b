package dev.quench.backends.codegen;

import dev.quench.ir.DType;
import dev.quench.ir.DTypes;
import dev.quench.ir.Node;
import dev.quench.ir.Value;
import java.util.Map;

/** QuantizeLinear and DequantizeLinear: the float boundary of an integer graph (kernels/elementwise.h). */
final class QuantizeLowering implements FamilyLowering {
  @Override
  public void lower(Node n, Lowering l, KernelChoice kernel, boolean npu, Map<String, Object> m) {
    String op = n.opType;
    Value y = n.output(0);
    if (op.equals("QuantizeLinear")) {
      DType t = y.type().dtype();
      Lowering.template(m, "quantize_linear", "quantize_f32_int");
      m.put("scale", Lowering.floatLiteral((float) n.input(1).data().getDouble(0)));
      m.put("zero_point", Long.toString(n.input(2) == null ? 0 : (long) n.input(2).data().getDouble(0)));
      m.put("lo", Long.toString(DTypes.lo(t)));
      m.put("hi", Long.toString(DTypes.hi(t)));
    } else {
      Lowering.template(m, "dequantize_linear", "dequantize_int_f32");
      m.put("scale", Lowering.doubleLiteral(n.input(1).data().getDouble(0)));
      m.put("zero_point", Long.toString(n.input(2) == null ? 0 : (long) n.input(2).data().getDouble(0)));
    }
  }
}
