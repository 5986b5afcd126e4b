package dev.quench.backends.codegen;

import dev.quench.ir.DType;
import dev.quench.ir.DTypes;
import dev.quench.ir.Node;

/** QuantizeLinear and DequantizeLinear: the float boundary of an integer graph (kernels/elementwise.h). */
public final class QuantizeLowering implements FamilyLowering {
  /** scale as a C literal; lo and hi the saturation range (QuantizeLinear only). */
  public record Args(String scale, String zeroPoint, String lo, String hi) {}

  @Override
  public Lowered lower(Node n, Lowering l, KernelChoice kernel, boolean npu) {
    String zp = Long.toString(n.input(2) == null ? 0 : (long) n.input(2).data().getDouble(0));
    if (n.opType.equals("QuantizeLinear")) {
      DType t = n.output(0).type().dtype();
      return new Lowered("quantize_linear", "quantize_f32_int",
          new Args(Lowering.floatLiteral((float) n.input(1).data().getDouble(0)), zp, Long.toString(DTypes.lo(t)), Long.toString(DTypes.hi(t))));
    }
    return new Lowered("dequantize_linear", "dequantize_int_f32", new Args(Lowering.doubleLiteral(n.input(1).data().getDouble(0)), zp, null, null));
  }
}
