package dev.quench.ir.op;

import dev.quench.ir.DType;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import java.util.List;

/**
 * QuantizeLinear (y = saturate(round_half_even(x / scale) + zero_point)) and DequantizeLinear
 * (y = (x - zero_point) * scale), per tensor or per {@code axis} when scale is 1-D; the integer
 * type is the zero point's (uint8 by default). These are the QDQ pairs of already-quantized models.
 */
public final class Quantize implements Op {
  @Override
  public List<String> onnxNames() {
    return List.of("QuantizeLinear", "DequantizeLinear");
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    DType out;
    if (n.opType.equals("DequantizeLinear")) {
      out = c.dtype(1);
    } else {
      out = c.has(2) ? c.dtype(2) : DType.UINT8;
      QuenchException.check(out == DType.UINT8 || out == DType.INT8 || out == DType.UINT16 || out == DType.INT16 || out == DType.INT32,
          "%s: unsupported quantized type %s", n.describe(), out);
    }
    return List.of(new TensorType(out, c.shape(0)));
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    Tensor x = in[0], scale = in[1], zp = in.length > 2 ? in[2] : null;
    int[] s = x.shape();
    int axis = scale.numel() > 1 ? Shapes.axis(n.attrs.getInt("axis", 1), s.length) : -1;
    QuenchException.check(axis < 0 || scale.numel() == s[axis], "%s: %d scales for axis of size %d", n.describe(), scale.numel(), axis < 0 ? 1 : s[axis]);
    int inner = axis < 0 ? 1 : Shapes.product(s, axis + 1, s.length), ch = axis < 0 ? 1 : s[axis];
    if (n.opType.equals("DequantizeLinear")) {
      float[] y = new float[x.numel()];
      for (int i = 0; i < y.length; i++) {
        int k = (i / inner) % ch;
        double z = zp == null ? 0 : zp.getDouble(axis < 0 ? 0 : k);
        y[i] = (float) ((x.getDouble(i) - z) * scale.getDouble(axis < 0 ? 0 : k));
      }
      return new Tensor[] {Tensor.ofFloat(scale.dtype, s, y)};
    }
    DType t = zp == null ? DType.UINT8 : zp.dtype;
    long lo = dev.quench.ir.DTypes.lo(t), hi = dev.quench.ir.DTypes.hi(t);
    long[] y = new long[x.numel()];
    for (int i = 0; i < y.length; i++) {
      int k = axis < 0 ? 0 : (i / inner) % ch;
      // x / scale in float32 as the ONNX reference does, then round half to even
      double q = Math.rint((float) x.getDouble(i) / (float) scale.getDouble(k)) + (zp == null ? 0 : zp.getDouble(k));
      y[i] = (long) Math.max(lo, Math.min(hi, q));
    }
    return new Tensor[] {Tensor.ofLong(t, s, y)};
  }
}
