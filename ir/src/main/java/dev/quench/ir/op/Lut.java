package dev.quench.ir.op;

import dev.quench.ir.DTypes;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import java.util.List;

/**
 * Quench's own table lookup: an int8 input q selects {@code table[q + 128]}, a uint8 input
 * {@code table[q]}. The quantizer
 * fills the 256 entries at compile time from the float function (sigmoid, tanh, hard-swish,
 * GELU, ...) and the input/output fractional bits, so the device evaluates no transcendental.
 */
public final class Lut implements Op {
  /** The op type this spec names (referenced by the passes and back ends instead of string literals). */
  public static final String LUT = "Lut";

  @Override
  public List<String> onnxNames() {
    return List.of(LUT);
  }

  @Override
  public java.util.Set<Trait> traits(String opType) {
    return Trait.of(Trait.ELEMENTWISE, Trait.INTEGER, Trait.INTERNAL);
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    QuenchException.check(c.dtype(0) == dev.quench.ir.DType.INT8 || c.dtype(0) == dev.quench.ir.DType.UINT8, "%s: table lookup needs an 8-bit input", n.describe());
    long[] t = n.attrs.getInts("table");
    QuenchException.check(t != null && t.length == 256, "%s: table must have 256 entries", n.describe());
    return List.of(new TensorType(DTypes.quantizedOut(n.attrs), c.shape(0)));
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    long[] t = n.attrs.getInts("table"), y = new long[in[0].numel()];
    int offset = in[0].dtype == dev.quench.ir.DType.UINT8 ? 0 : 128;
    for (int i = 0; i < y.length; i++) y[i] = t[(int) in[0].l[i] + offset];
    return new Tensor[] {Tensor.ofLong(DTypes.quantizedOut(n.attrs), in[0].shape(), y)};
  }
}
