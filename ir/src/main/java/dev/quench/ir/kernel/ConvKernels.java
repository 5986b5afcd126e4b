package dev.quench.ir.kernel;

import java.util.stream.IntStream;

/**
 * Float 2-D convolution, NCHW input, OIHW weights (I = C / group). Dense groups go through im2col +
 * {@link Gemm}; 1x1 stride-1 unpadded convs use the input as the column matrix directly; depthwise
 * convs (one input and one output channel per group) run a direct loop per channel.
 */
public final class ConvKernels {
  private ConvKernels() {}

  /**
   * @param x input [n, c, h, w]
   * @param w weights [m, c/group, kh, kw]
   * @param bias [m] or null
   * @return output [n, m, oh, ow]
   */
  public static float[] f32(float[] x, int n, int c, int h, int wd, float[] w, int m, float[] bias, Window win, int group) {
    int kh = win.kernel()[0], kw = win.kernel()[1];
    int oh = win.out()[0], ow = win.out()[1];
    int cg = c / group, mg = m / group;
    int kdim = cg * kh * kw, hw = oh * ow;
    float[] y = new float[n * m * hw];
    boolean pointwise = kh == 1 && kw == 1 && win.strides()[0] == 1 && win.strides()[1] == 1
        && win.padBegin()[0] == 0 && win.padBegin()[1] == 0 && win.padEnd()[0] == 0 && win.padEnd()[1] == 0;
    for (int b = 0; b < n; b++) {
      if (cg == 1 && mg == 1) {
        depthwise(x, b, c, h, wd, w, y, win);
      } else {
        for (int g = 0; g < group; g++) {
          int xOff = (b * c + g * cg) * h * wd;
          float[] cols;
          int colOff;
          if (pointwise) {
            cols = x;
            colOff = xOff;
          } else {
            cols = im2col(x, xOff, cg, h, wd, win);
            colOff = 0;
          }
          Gemm.mul(mg, hw, kdim, w, g * mg * kdim, kdim, cols, colOff, hw, y, (b * m + g * mg) * hw, hw);
        }
      }
      if (bias != null) {
        for (int o = 0; o < m; o++) {
          int base = (b * m + o) * hw;
          float bv = bias[o];
          for (int i = 0; i < hw; i++) y[base + i] += bv;
        }
      }
    }
    return y;
  }

  static float[] im2col(float[] x, int xOff, int cg, int h, int wd, Window win) {
    int kh = win.kernel()[0], kw = win.kernel()[1];
    int oh = win.out()[0], ow = win.out()[1];
    int sh = win.strides()[0], sw = win.strides()[1], dh = win.dilations()[0], dw = win.dilations()[1];
    int ph = win.padBegin()[0], pw = win.padBegin()[1];
    float[] cols = new float[cg * kh * kw * oh * ow];
    IntStream.range(0, cg).parallel().forEach(ci -> {
      for (int ki = 0; ki < kh; ki++) {
        for (int kj = 0; kj < kw; kj++) {
          int row = ((ci * kh + ki) * kw + kj) * oh * ow;
          for (int oy = 0; oy < oh; oy++) {
            int iy = oy * sh - ph + ki * dh;
            int dst = row + oy * ow;
            if (iy < 0 || iy >= h) continue;
            int src = xOff + (ci * h + iy) * wd;
            for (int ox = 0; ox < ow; ox++) {
              int ix = ox * sw - pw + kj * dw;
              if (ix >= 0 && ix < wd) cols[dst + ox] = x[src + ix];
            }
          }
        }
      }
    });
    return cols;
  }

  private static void depthwise(float[] x, int b, int c, int h, int wd, float[] w, float[] y, Window win) {
    int kh = win.kernel()[0], kw = win.kernel()[1];
    int oh = win.out()[0], ow = win.out()[1];
    int sh = win.strides()[0], sw = win.strides()[1], dh = win.dilations()[0], dw = win.dilations()[1];
    int ph = win.padBegin()[0], pw = win.padBegin()[1];
    IntStream.range(0, c).parallel().forEach(ch -> {
      int xOff = (b * c + ch) * h * wd, yOff = (b * c + ch) * oh * ow, wOff = ch * kh * kw;
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          float acc = 0;
          for (int ki = 0; ki < kh; ki++) {
            int iy = oy * sh - ph + ki * dh;
            if (iy < 0 || iy >= h) continue;
            int row = xOff + iy * wd;
            for (int kj = 0; kj < kw; kj++) {
              int ix = ox * sw - pw + kj * dw;
              if (ix >= 0 && ix < wd) acc += x[row + ix] * w[wOff + ki * kw + kj];
            }
          }
          y[yOff + oy * ow + ox] = acc;
        }
      }
    });
  }
}
