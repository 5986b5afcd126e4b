package dev.quench.ir.kernel;

import dev.quench.ir.Attributes;
import dev.quench.ir.FixedPoint;
import java.util.stream.IntStream;

/**
 * Integer reference kernels of the quantized ops. Plain loops over int64 storage; every rescale
 * goes through {@link FixedPoint}. Accumulation is exact (int64 here; int32 on the device, checked
 * by {@link FixedPoint#checkAcc}, unless the quantizer widened the node with {@code acc_bits=64}).
 */
public final class IntKernels {
  private IntKernels() {}

  /** Conv on NCHW int tensors, weights OIHW, bias int32 (or null), per-output-channel requantization. */
  public static long[] conv(long[] x, int n, int c, int h, int wd, long[] w, int m, long[] bias, Window win, int group, dev.quench.ir.Requant rq, String where) {
    int kh = win.kernel()[0], kw = win.kernel()[1], oh = win.out()[0], ow = win.out()[1];
    int sh = win.strides()[0], sw = win.strides()[1], dh = win.dilations()[0], dw = win.dilations()[1];
    int ph = win.padBegin()[0], pw = win.padBegin()[1];
    int cg = c / group, mg = m / group;
    long[] y = new long[n * m * oh * ow];
    IntStream.range(0, n * m).parallel().forEach(bo -> {
      int b = bo / m, o = bo % m, g = o / mg;
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          long acc = bias == null ? 0 : bias[o];
          for (int ci = 0; ci < cg; ci++) {
            int xc = ((b * c + g * cg + ci) * h) * wd, wc = (o * cg + ci) * kh * kw;
            for (int i = 0; i < kh; i++) {
              int iy = oy * sh - ph + i * dh;
              if (iy < 0 || iy >= h) continue;
              for (int j = 0; j < kw; j++) {
                int ix = ox * sw - pw + j * dw;
                if (ix >= 0 && ix < wd) acc += x[xc + iy * wd + ix] * w[wc + i * kw + j];
              }
            }
          }
          y[((b * m + o) * oh + oy) * ow + ox] = rq.apply(acc, o, where);
        }
      }
    });
    return y;
  }

  /** y[r, j] = requant(sum_k x[r, k] * w[j, k] + b[j]). */
  public static long[] fullyConnected(long[] x, int rows, int k, long[] w, int nOut, long[] bias, dev.quench.ir.Requant rq, String where) {
    long[] y = new long[rows * nOut];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < nOut; j++) {
        long acc = bias == null ? 0 : bias[j];
        for (int t = 0; t < k; t++) acc += x[r * k + t] * w[j * k + t];
        y[r * nOut + j] = rq.apply(acc, j, where);
      }
    }
    return y;
  }
}
