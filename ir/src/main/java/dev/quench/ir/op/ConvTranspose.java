package dev.quench.ir.op;

import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import java.util.Arrays;
import java.util.List;

/**
 * ConvTranspose, 1-D and 2-D: weights [C, M/group, kh, kw]. Output size per axis is
 * stride*(in-1) + output_padding + (k-1)*dilation + 1 - padBegin - padEnd, or output_shape with
 * the total padding split by auto_pad (SAME_UPPER puts the odd pixel at the end).
 */
public final class ConvTranspose implements Op {
  @Override
  public List<String> onnxNames() {
    return List.of("ConvTranspose");
  }

  record Geo(int[] in, int[] k, int[] s, int[] d, int[] pb, int[] out, int group, int c, int m) {}

  static Geo geometry(Node n, int[] xs, int[] ws) {
    int r = xs.length - 2;
    QuenchException.check(r == 1 || r == 2, "%s: only 1-D and 2-D ConvTranspose are supported", n.describe());
    QuenchException.check(ws.length == xs.length, "%s: weight rank mismatch", n.describe());
    int group = (int) n.attrs.getInt("group", 1);
    int c = xs[1];
    QuenchException.check(group > 0 && ws[0] == c && c % group == 0, "%s: weight %s does not fit %d channels, group %d", n.describe(), Arrays.toString(ws), c, group);
    int m = ws[1] * group;
    int[] in = Arrays.copyOfRange(xs, 2, xs.length), k = Arrays.copyOfRange(ws, 2, ws.length);
    int[] s = n.attrs.getIntArray("strides", ones(r)), d = n.attrs.getIntArray("dilations", ones(r));
    int[] pads = n.attrs.getIntArray("pads", new int[2 * r]), op = n.attrs.getIntArray("output_padding", new int[r]);
    int[] os = n.attrs.getIntArray("output_shape", null);
    QuenchException.check(s.length == r && d.length == r && pads.length == 2 * r && op.length == r, "%s: attribute lengths do not match rank", n.describe());
    if (os != null && os.length == r + 2) os = Arrays.copyOfRange(os, 2, os.length);
    String autoPad = n.attrs.getString("auto_pad", "NOTSET");
    int[] pb = new int[r], out = new int[r];
    for (int i = 0; i < r; i++) {
      QuenchException.check(s[i] > 0 && d[i] > 0, "%s: strides and dilations must be positive", n.describe());
      int full = s[i] * (in[i] - 1) + op[i] + (k[i] - 1) * d[i] + 1;
      if (os != null) {
        QuenchException.check(os.length == r, "%s: output_shape has wrong length", n.describe());
        int total = full - os[i];
        pb[i] = autoPad.equals("SAME_UPPER") ? total / 2 : total - total / 2;
        if (autoPad.equals("NOTSET")) pb[i] = total / 2;
        out[i] = os[i];
      } else if (autoPad.equals("SAME_UPPER") || autoPad.equals("SAME_LOWER")) {
        out[i] = in[i] * s[i];
        int total = full - out[i];
        pb[i] = autoPad.equals("SAME_UPPER") ? total / 2 : total - total / 2;
      } else {
        pb[i] = pads[i];
        out[i] = full - pads[i] - pads[i + r];
      }
      QuenchException.check(out[i] > 0, "%s: empty output", n.describe());
    }
    return new Geo(in, k, s, d, pb, out, group, c, m);
  }

  private static int[] ones(int r) {
    int[] a = new int[r];
    Arrays.fill(a, 1);
    return a;
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    int[] xs = c.shape(0);
    Geo g = geometry(n, xs, c.shape(1));
    int[] shape = new int[xs.length];
    shape[0] = xs[0];
    shape[1] = g.m();
    System.arraycopy(g.out(), 0, shape, 2, g.out().length);
    return List.of(new TensorType(c.dtype(0), shape));
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    Tensor x = in[0], w = in[1], b = in.length > 2 ? in[2] : null;
    int[] xs = x.shape();
    Geo g = geometry(n, xs, w.shape());
    boolean oneD = g.in().length == 1;
    int ih = oneD ? 1 : g.in()[0], iw = g.in()[g.in().length - 1];
    int kh = oneD ? 1 : g.k()[0], kw = g.k()[g.k().length - 1];
    int sh = oneD ? 1 : g.s()[0], sw = g.s()[g.s().length - 1];
    int dh = oneD ? 1 : g.d()[0], dw = g.d()[g.d().length - 1];
    int ph = oneD ? 0 : g.pb()[0], pw = g.pb()[g.pb().length - 1];
    int oh = oneD ? 1 : g.out()[0], ow = g.out()[g.out().length - 1];
    int batch = xs[0], c = g.c(), m = g.m(), cg = c / g.group(), mg = m / g.group();
    float[] y = new float[batch * m * oh * ow];
    for (int bi = 0; bi < batch; bi++) {
      for (int ci = 0; ci < c; ci++) {
        int grp = ci / cg;
        for (int oc = 0; oc < mg; oc++) {
          int o = grp * mg + oc;
          int wOff = (ci * mg + oc) * kh * kw;
          int yOff = (bi * m + o) * oh * ow;
          for (int iy = 0; iy < ih; iy++) {
            for (int ix = 0; ix < iw; ix++) {
              float v = x.f[((bi * c + ci) * ih + iy) * iw + ix];
              if (v == 0) continue;
              for (int ki = 0; ki < kh; ki++) {
                int oy = iy * sh - ph + ki * dh;
                if (oy < 0 || oy >= oh) continue;
                for (int kj = 0; kj < kw; kj++) {
                  int ox = ix * sw - pw + kj * dw;
                  if (ox >= 0 && ox < ow) y[yOff + oy * ow + ox] += v * w.f[wOff + ki * kw + kj];
                }
              }
            }
          }
        }
      }
      if (b != null) for (int o = 0; o < m; o++) for (int i = 0; i < oh * ow; i++) y[(bi * m + o) * oh * ow + i] += b.f[o];
    }
    int[] shape = new int[xs.length];
    shape[0] = batch;
    shape[1] = m;
    System.arraycopy(g.out(), 0, shape, 2, g.out().length);
    return new Tensor[] {Tensor.ofFloat(x.dtype, shape, y)};
  }
}
