package dev.quench.cli;

import dev.quench.ir.DType;
import dev.quench.ir.Tensor;

/** bfloat16 values to and from their 16-bit patterns (the upper half of a float32). */
final class Bf16Bits {
  private Bf16Bits() {}

  static Tensor fromBits(Tensor bits) {
    float[] f = new float[bits.numel()];
    for (int i = 0; i < f.length; i++) f[i] = Float.intBitsToFloat((int) (bits.l[i] & 0xFFFF) << 16);
    return Tensor.ofFloat(DType.BFLOAT16, bits.shape(), f);
  }

  static Tensor toBits(Tensor bf16) {
    long[] l = new long[bf16.numel()];
    for (int i = 0; i < l.length; i++) l[i] = (Float.floatToRawIntBits(bf16.f[i]) >>> 16) & 0xFFFF;
    return Tensor.ofLong(DType.UINT16, bf16.shape(), l);
  }
}
