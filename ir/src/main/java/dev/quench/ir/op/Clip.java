package dev.quench.ir.op;

import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import java.util.List;

/** Clip: min/max are attributes before opset 11, optional scalar inputs from 11 on. */
public final class Clip implements Op {
  /** The op type this spec names (referenced by the passes and back ends instead of string literals). */
  public static final String CLIP = "Clip";

  @Override
  public List<String> onnxNames() {
    return List.of(CLIP);
  }

  @Override
  public java.util.Set<Trait> traits(String opType) {
    return Trait.of(Trait.ELEMENTWISE, Trait.IN_PLACE, Trait.KEEPS_SCALE, Trait.INTEGER);
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    return List.of(c.type(0));
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    Tensor x = in[0];
    double lo, hi;
    if (n.opset < 11) {
      lo = n.attrs.getFloat("min", -Float.MAX_VALUE);
      hi = n.attrs.getFloat("max", Float.MAX_VALUE);
    } else {
      lo = in.length > 1 && in[1] != null ? in[1].getDouble(0) : Double.NEGATIVE_INFINITY;
      hi = in.length > 2 && in[2] != null ? in[2].getDouble(0) : Double.POSITIVE_INFINITY;
    }
    if (x.isFloat()) {
      float[] o = new float[x.numel()];
      float flo = (float) lo, fhi = (float) hi;
      for (int i = 0; i < o.length; i++) {
        float v = x.f[i];
        o[i] = v < flo ? flo : (v > fhi ? fhi : v);
      }
      return new Tensor[] {Tensor.ofFloat(x.dtype, x.shape(), o)};
    }
    long[] o = new long[x.numel()];
    for (int i = 0; i < o.length; i++) o[i] = (long) Math.max(lo, Math.min(hi, x.l[i]));
    return new Tensor[] {Tensor.ofLong(x.dtype, x.shape(), o)};
  }
}
