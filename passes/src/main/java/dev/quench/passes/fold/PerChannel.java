package dev.quench.passes.fold;

import dev.quench.ir.Tensor;
import dev.quench.ir.Value;

/** Reading constants as one value per output channel. */
final class PerChannel {
  private PerChannel() {}

  /**
   * The constant as c values, one per channel of axis {@code axis} of a tensor of rank
   * {@code rank}, when it broadcasts that way (a scalar, [c], or [.., c, 1, ..]); else null.
   */
  static float[] of(Value v, int c, int axis, int rank) {
    if (v == null || !v.isConstant() || !v.type().dtype().isFloating()) return null;
    Tensor t = v.data();
    float[] f = t.toFloats();
    if (t.numel() == 1) {
      float[] r = new float[c];
      java.util.Arrays.fill(r, f[0]);
      return t.rank() <= rank ? r : null;
    }
    int[] s = t.shape();
    if (s.length > rank || t.numel() != c) return null;
    int offset = rank - s.length;
    for (int i = 0; i < s.length; i++) {
      int d = i + offset;
      if (d == axis ? s[i] != c : s[i] != 1) return null;
    }
    return f.clone();
  }

  /** The values of an optional bias input, or zeros. */
  static float[] biasOrZero(Value v, int c) {
    return v == null ? new float[c] : v.data().toFloats().clone();
  }
}
