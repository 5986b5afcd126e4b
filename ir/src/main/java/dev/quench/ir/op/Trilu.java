package dev.quench.ir.op;

import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import java.util.List;

/** Trilu: keeps the upper (default) or lower triangle of the last two dims, shifted by the optional k input. */
public final class Trilu implements Op {
  @Override
  public List<String> onnxNames() {
    return List.of("Trilu");
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    QuenchException.check(c.type(0).rank() >= 2, "%s: input rank must be at least 2", n.describe());
    return List.of(c.type(0));
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    Tensor x = in[0];
    int[] s = x.shape();
    long k = in.length > 1 && in[1] != null ? in[1].getLong(0) : 0;
    boolean upper = n.attrs.getInt("upper", 1) != 0;
    int rows = s[s.length - 2], cols = s[s.length - 1];
    Tensor y = Tensor.zeros(x.dtype, s);
    for (int i = 0; i < x.numel(); i++) {
      long r = (i / cols) % rows, c = i % cols;
      boolean keep = upper ? c - r >= k : c - r <= k;
      if (!keep) continue;
      if (y.isFloat()) y.f[i] = x.f[i];
      else y.l[i] = x.l[i];
    }
    return new Tensor[] {y};
  }
}
