package dev.quench.cli;

import dev.quench.ir.Tensor;
import java.util.Arrays;
import java.util.List;

/** Slicing inputs into samples along the first axis and stacking outputs back. */
final class Samples {
  private Samples() {}

  /** Sample i of t: t[i] (SampleData gives every input tensor a sample axis before the input's own shape). */
  static Tensor slice(Tensor t, int i) {
    int per = t.numel() / t.dim(0);
    int[] s = Arrays.copyOfRange(t.shape(), 1, t.rank());
    if (t.isFloat()) return Tensor.ofFloat(t.dtype, s, Arrays.copyOfRange(t.f, i * per, (i + 1) * per));
    return Tensor.ofLong(t.dtype, s, Arrays.copyOfRange(t.l, i * per, (i + 1) * per));
  }

  /** Stacks per-sample outputs: a leading batch axis of 1 becomes the sample axis, otherwise one is added. */
  static Tensor stack(List<Tensor> parts) {
    Tensor first = parts.get(0);
    int[] s = first.shape();
    int[] out;
    if (s.length > 0 && s[0] == 1) {
      out = s.clone();
      out[0] = parts.size();
    } else {
      out = new int[s.length + 1];
      out[0] = parts.size();
      System.arraycopy(s, 0, out, 1, s.length);
    }
    Tensor r = Tensor.zeros(first.dtype, out);
    int per = first.numel();
    for (int i = 0; i < parts.size(); i++) {
      Tensor p = parts.get(i);
      if (r.isFloat()) System.arraycopy(p.f, 0, r.f, i * per, per);
      else System.arraycopy(p.l, 0, r.l, i * per, per);
    }
    return r;
  }

  /** Index of the largest element. */
  static int argmax(Tensor t) {
    int best = 0;
    for (int i = 1; i < t.numel(); i++) if (t.getDouble(i) > t.getDouble(best)) best = i;
    return best;
  }

  /** A file-system-safe stem for an output name. */
  static String fileName(String name) {
    String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
    return s.isEmpty() || s.startsWith(".") ? "_" + s : s;
  }
}
