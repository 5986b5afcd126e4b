package dev.quench.passes.quant.rules;

import dev.quench.ir.DType;
import dev.quench.ir.FixedPoint;
import dev.quench.ir.Tensor;

/** Tensor quantization: float weights and biases to integers at given fracs (round half to even, saturated). */
public final class TensorQuantizer {
  private TensorQuantizer() {}

  /** int8 weights, frac f[c] for output channel c (the leading axis). */
  public static Tensor weights(Tensor w, int[] f, int channels) {
    int per = w.numel() / channels;
    long[] q = new long[w.numel()];
    for (int c = 0; c < channels; c++) for (int i = 0; i < per; i++) q[c * per + i] = FixedPoint.quantize(w.f[c * per + i], f[c], 8);
    return Tensor.ofLong(DType.INT8, w.shape(), q);
  }

  /** int32 bias at the accumulator's frac fx + fw[c]. */
  public static Tensor bias(float[] b, int fx, int[] fw) {
    long[] q = new long[b.length];
    for (int c = 0; c < b.length; c++) q[c] = FixedPoint.quantize(b[c], fx + fw[c], 32);
    return Tensor.ofLong(DType.INT32, new int[] {b.length}, q);
  }

  public static int[] plus(int[] f, int d) {
    int[] r = new int[f.length];
    for (int i = 0; i < f.length; i++) r[i] = f[i] + d;
    return r;
  }
}
