package dev.quench.passes.quant;

import dev.quench.ir.FixedPoint;
import java.util.Arrays;

/**
 * Chooses an activation's fractional bits f (scale 2^-f) from its statistics.
 * minmax: the largest f that keeps max|x| in range. percentile: the same for the p-th percentile
 * of |x|. mse: among f0..f0+4 (f0 from minmax), the f with the least mean squared error of
 * quantize-dequantize over the sample (clipping traded against resolution). kl: among the same
 * candidates, the f whose quantized histogram of |x| is closest to the float one in
 * Kullback-Leibler divergence (outliers folded into the clip bin, as TensorRT).
 */
final class FracChooser {
  private FracChooser() {}

  /** @param lo lowest and {@code hi} highest integer of the tensor's type */
  static int choose(TensorStats s, QuantOptions o, long lo, long hi) {
    int f0 = FixedPoint.fracForLimit(s.maxAbs(), hi);
    return switch (o.method()) {
      case "minmax" -> f0;
      case "percentile" -> FixedPoint.fracForLimit(percentile(s.sample(), o.percentile()), hi);
      case "kl" -> hi <= 255 ? kl(s, f0, hi) : f0;
      default -> mse(s, f0, lo, hi);
    };
  }

  static double percentile(float[] sample, double p) {
    if (sample.length == 0) return 0;
    float[] a = new float[sample.length];
    for (int i = 0; i < a.length; i++) a[i] = Math.abs(sample[i]);
    Arrays.sort(a);
    int k = (int) Math.min(a.length - 1, Math.ceil(p / 100 * a.length) - 1);
    return a[Math.max(0, k)];
  }

  static double mseAt(float[] sample, int f, long lo, long hi) {
    double e = 0;
    for (float v : sample) {
      double d = FixedPoint.dequantize(FixedPoint.quantize(v, f, lo, hi), f) - v;
      e += d * d;
    }
    return e / Math.max(1, sample.length);
  }

  private static int mse(TensorStats s, int f0, long lo, long hi) {
    int best = f0;
    double bestErr = mseAt(s.sample(), f0, lo, hi);
    for (int f = f0 + 1; f <= f0 + 4; f++) {
      double e = mseAt(s.sample(), f, lo, hi);
      if (e < bestErr) {
        bestErr = e;
        best = f;
      }
    }
    return best;
  }

  private static int kl(TensorStats s, int f0, long hi) {
    final int bins = 2048;
    double top = s.maxAbs();
    if (!(top > 0)) return f0;
    double[] hist = new double[bins];
    for (float v : s.sample()) hist[Math.min(bins - 1, (int) (Math.abs(v) / top * bins))]++;
    int best = f0;
    double bestKl = Double.MAX_VALUE;
    for (int f = f0; f <= f0 + 4; f++) {
      double clip = Math.scalb(hi + 0.5, -f);
      int cut = (int) Math.max(1, Math.min(bins, Math.round(clip / top * bins)));
      double[] p = Arrays.copyOf(hist, cut);
      for (int i = cut; i < bins; i++) p[cut - 1] += hist[i];
      // Q: p merged into 128 levels, spread back over the non-empty bins of each level
      double[] q = new double[cut];
      int levels = (int) hi + 1;
      for (int l = 0; l < levels; l++) {
        int a = l * cut / levels, b = Math.max(a + 1, (l + 1) * cut / levels);
        double sum = 0;
        int nz = 0;
        for (int i = a; i < b && i < cut; i++) {
          sum += p[i];
          if (p[i] > 0) nz++;
        }
        for (int i = a; i < b && i < cut; i++) if (p[i] > 0) q[i] = sum / nz;
      }
      double ps = 0, qs = 0;
      for (int i = 0; i < cut; i++) {
        ps += p[i];
        qs += q[i];
      }
      double kl = 0;
      for (int i = 0; i < cut; i++) {
        if (p[i] == 0) continue;
        double pi = p[i] / ps, qi = Math.max(q[i] / qs, 1e-12);
        kl += pi * Math.log(pi / qi);
      }
      if (kl < bestKl) {
        bestKl = kl;
        best = f;
      }
    }
    return best;
  }
}
