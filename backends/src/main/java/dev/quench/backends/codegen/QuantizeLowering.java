package dev.quench.backends.codegen;

import dev.quench.ir.Node;
import dev.quench.ir.Value;
import dev.quench.ir.Shapes;

/**
 * QuantizeLinear and DequantizeLinear: the float boundary of an integer graph, and the QDQ pairs of
 * already-quantized models (kernels/elementwise.h). Scale and zero point per tensor or per channel
 * of an axis, constant or computed at run time.
 */
public final class QuantizeLowering implements FamilyLowering {
  /**
   * @param scale the float scales (a constant array or a tensor)
   * @param zeroPoint the zero points, typed as the integer side, or a typed null pointer
   * @param channels 1 (per tensor) or the size of the quantization axis
   * @param inner elements after the axis (element i is in channel i / inner % channels)
   */
  public record Args(String scale, String zeroPoint, int channels, long inner) {}

  @Override
  public Lowered lower(Node n, Lowering l, KernelChoice kernel, boolean npu) {
    boolean quantize = n.opType.equals("QuantizeLinear");
    Value integer = quantize ? n.output(0) : n.input(0);
    Value scale = n.input(1), zp = n.input(2);
    String zeroPoint = zp == null ? "static_cast<const " + Lowering.ctype(integer.type().dtype()) + "*>(nullptr)" : l.operand(zp, "zero_point");
    int[] shape = n.input(0).type().shape();
    int channels = 1;
    long inner = 1;
    if (scale.type().numel() > 1) {
      int axis = Shapes.axis(n.attrs.getInt("axis", 1), shape.length);
      channels = shape[axis];
      inner = Shapes.product(shape, axis + 1, shape.length);
    }
    Args a = new Args(l.operand(scale, "scale"), zeroPoint, channels, inner);
    return quantize ? new Lowered("quantize_linear", "quantize_f32_int", a) : new Lowered("dequantize_linear", "dequantize_int_f32", a);
  }
}
