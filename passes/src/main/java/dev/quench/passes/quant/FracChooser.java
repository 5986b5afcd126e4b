package dev.quench.passes.quant;

import dev.quench.ir.FixedPoint;
import java.util.Arrays;

/**
 * Chooses an activation's fractional bits f (scale 2^-f) from its statistics.
 * minmax: the largest f that keeps max|x| in range. percentile: the same for the p-th percentile
 * of |x|. mse: among f0..f0+4 (f0 from minmax), the f with the least mean squared error of
 * quantize-dequantize over the sample (clipping traded against resolution). kl: among the same
 * candidates, the f whose quantized histogram of |x| is closest to the float one in
 * Kullback-Leibler divergence (outliers folded into the clip bin, as TensorRT). 16-bit tensors
 * are never clipped by mse or kl.
 */
final class FracChooser {
  private FracChooser() {}

  /** @param lo lowest and {@code hi} highest integer of the tensor's type */
  static int choose(TensorStats s, QuantOptions o, long lo, long hi) {
    int f0 = FixedPoint.fracForLimit(s.maxAbs(), hi);
    // 16 bits leave resolution to spare: clipping would buy little precision and can cut the rare
    // large values that matter most (a detection peak), so mse and kl keep the full range there.
    if (hi > 255 && !o.method().equals("percentile")) return f0;
    return switch (o.method()) {
      case "minmax" -> f0;
      case "percentile" -> FixedPoint.fracForLimit(percentile(s.sample(), o.percentile()), hi);
      case "kl" -> kl(s, f0, lo, hi);
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

  /**
   * KL divergence between the histogram of the float values and that of their quantize-dequantize
   * images (both over the same 256 bins spanning the float range; empty bins smoothed with a tiny
   * mass). Coarse steps leave Q on few bins, clipping moves mass into the edge bins: both cost.
   */
  private static int kl(TensorStats s, int f0, long lo, long hi) {
    double min = s.min(), max = s.max();
    if (!(max > min)) return f0;
    final int bins = 256;
    double width = (max - min) / bins;
    double[] p = histogram(s.sample(), min, width, bins, Double.NaN, 0, lo, hi);
    int best = f0;
    double bestKl = Double.MAX_VALUE;
    for (int f = f0; f <= f0 + 2; f++) {
      double[] q = histogram(s.sample(), min, width, bins, 1, f, lo, hi);
      double kl = 0;
      for (int i = 0; i < bins; i++) if (p[i] > 0) kl += p[i] * Math.log(p[i] / Math.max(q[i], 1e-9));
      if (kl < bestKl) {
        bestKl = kl;
        best = f;
      }
    }
    return best;
  }

  /** Normalised histogram of the sample (quantize-dequantized at frac f unless {@code raw} is NaN). */
  private static double[] histogram(float[] sample, double min, double width, int bins, double raw, int f, long lo, long hi) {
    double[] h = new double[bins];
    for (float v : sample) {
      double x = Double.isNaN(raw) ? v : FixedPoint.dequantize(FixedPoint.quantize(v, f, lo, hi), f);
      int b = (int) Math.floor((x - min) / width);
      h[Math.max(0, Math.min(bins - 1, b))]++;
    }
    for (int i = 0; i < bins; i++) h[i] /= Math.max(1, sample.length);
    return h;
  }
}
