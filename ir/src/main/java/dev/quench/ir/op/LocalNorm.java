package dev.quench.ir.op;

import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import java.util.List;

/**
 * LRN (across channels: y = x / (bias + alpha/size * sum of x^2 over the window)^beta) and
 * MeanVarianceNormalization (zero mean, unit variance over {@code axes}, default N, H, W).
 */
public final class LocalNorm implements Op {
  @Override
  public List<String> onnxNames() {
    return List.of("LRN", "MeanVarianceNormalization");
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    QuenchException.check(c.type(0).rank() >= 2 || n.opType.equals("MeanVarianceNormalization"), "%s: input rank must be at least 2", n.describe());
    return List.of(c.type(0));
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    Tensor x = in[0];
    int[] s = x.shape();
    float[] y = new float[x.numel()];
    if (n.opType.equals("LRN")) {
      long size = n.attrs.getInt("size", 0);
      QuenchException.check(size > 0, "%s: size must be positive", n.describe());
      double alpha = n.attrs.getFloat("alpha", 1e-4f), beta = n.attrs.getFloat("beta", 0.75f), bias = n.attrs.getFloat("bias", 1f);
      int c = s[1], inner = Shapes.product(s, 2, s.length);
      int lo = (int) ((size - 1) / 2), hi = (int) (size - 1 - lo);
      for (int b = 0; b < s[0]; b++) for (int ch = 0; ch < c; ch++) for (int i = 0; i < inner; i++) {
        double sq = 0;
        for (int k = Math.max(0, ch - lo); k <= Math.min(c - 1, ch + hi); k++) {
          double v = x.f[(b * c + k) * inner + i];
          sq += v * v;
        }
        int at = (b * c + ch) * inner + i;
        y[at] = (float) (x.f[at] / dev.quench.ir.kernel.DMath.pow(bias + alpha / size * sq, beta));
      }
      return new Tensor[] {Tensor.ofFloat(x.dtype, s, y)};
    }
    boolean[] red = mvnReduced(n, s.length);
    // group elements by their coordinates on the kept axes
    int[] st = Shapes.strides(s);
    int len = x.numel();
    int[] group = new int[len];
    int groups = 1;
    for (int d = 0; d < s.length; d++) if (!red[d]) groups *= s[d];
    for (int i = 0; i < len; i++) {
      int g = 0;
      for (int d = 0; d < s.length; d++) if (!red[d]) g = g * s[d] + (i / st[d]) % s[d];
      group[i] = g;
    }
    double[] sum = new double[groups], sq = new double[groups];
    int[] cnt = new int[groups];
    for (int i = 0; i < len; i++) {
      sum[group[i]] += x.f[i];
      cnt[group[i]]++;
    }
    for (int i = 0; i < len; i++) {
      double d = x.f[i] - sum[group[i]] / cnt[group[i]];
      sq[group[i]] += d * d;
    }
    for (int i = 0; i < len; i++) {
      int g = group[i];
      y[i] = (float) ((x.f[i] - sum[g] / cnt[g]) / (Math.sqrt(sq[g] / cnt[g]) + 1e-9));
    }
    return new Tensor[] {Tensor.ofFloat(x.dtype, s, y)};
  }

  /** The axes a MeanVarianceNormalization of a rank-r input normalizes over (axes, default N, H, W); the C++ lowering asks too. */
  public static boolean[] mvnReduced(Node n, int r) {
    long[] axes = n.attrs.getInts("axes");
    if (axes == null) axes = new long[] {0, 2, 3};
    boolean[] red = new boolean[r];
    for (long a : axes) red[Shapes.axis(a, r)] = true;
    return red;
  }
}
