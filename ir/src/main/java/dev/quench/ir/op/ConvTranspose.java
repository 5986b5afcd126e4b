package dev.quench.ir.op;

import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
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

  /** Integer form: int8 weights (one frac), int32 bias, exact scattered sums requantized by one shift. */
  @Override
  public java.util.Set<Trait> traits(String opType) {
    return Trait.of(Trait.FUSES_ACTIVATION, Trait.INTEGER);
  }

  /** Per spatial axis: input, kernel, stride, dilation, leading pad and output sizes; group, input and output channels. */
  public record Geo(int[] in, int[] k, int[] s, int[] d, int[] pb, int[] out, int group, int c, int m) {}

  public static Geo geometry(Node n, int[] xs, int[] ws) {
    int r = xs.length - 2;
    QuenchException.check(r >= 1, "%s: input must be N x C x spatial", n.describe());
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
    return List.of(new TensorType(dev.quench.ir.DTypes.outType(n.attrs, c.dtype(0)), shape));
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    Tensor x = in[0], w = in[1], b = in.length > 2 ? in[2] : null;
    int[] xs = x.shape();
    Geo g = geometry(n, xs, w.shape());
    int r = g.in().length;
    int inSize = Shapes.product(g.in(), 0, r), outSize = Shapes.product(g.out(), 0, r), kSize = Shapes.product(g.k(), 0, r);
    int batch = xs[0], m = g.m();
    // each input pixel scatters kernel * value into the output; precompute each (input, kernel) target
    int[] target = new int[inSize * kSize];
    int[] ip = new int[r], kp = new int[r];
    for (int i = 0; i < inSize; i++) {
      Shapes.decode(i, g.in(), ip);
      for (int k = 0; k < kSize; k++) {
        Shapes.decode(k, g.k(), kp);
        int flat = 0;
        for (int d = 0; d < r; d++) {
          int o = ip[d] * g.s()[d] - g.pb()[d] + kp[d] * g.d()[d];
          if (o < 0 || o >= g.out()[d]) {
            flat = -1;
            break;
          }
          flat = flat * g.out()[d] + o;
        }
        target[i * kSize + k] = flat;
      }
    }
    int[] shape = new int[xs.length];
    shape[0] = batch;
    shape[1] = m;
    System.arraycopy(g.out(), 0, shape, 2, r);
    if (dev.quench.ir.Requant.present(n.attrs)) return new Tensor[] {quantized(n, x, w, b, g, target, shape)};
    float[] y = new float[batch * m * outSize];
    float[] xf = x.f, wf = w.f;
    scatter(g, batch, target, (yi, xi, wi) -> y[yi] += xf[xi] * wf[wi], xi -> xf[xi] == 0);
    if (b != null) for (int bi = 0; bi < batch; bi++) for (int o = 0; o < m; o++) for (int i = 0; i < outSize; i++) y[(bi * m + o) * outSize + i] += b.f[o];
    dev.quench.ir.kernel.Activation.apply(n.attrs, y);
    return new Tensor[] {Tensor.ofFloat(x.dtype, shape, y)};
  }

  /** One product of the scatter: output element yi += input xi * weight wi. */
  private interface Tap {
    void add(int yi, int xi, int wi);
  }

  /**
   * Every input element (per batch: input channel, then output channel of its group, then position,
   * in order) scattered through the taps it reaches, zero inputs skipped (C++: conv_transpose_scatter).
   */
  private static void scatter(Geo g, int batch, int[] target, Tap tap, java.util.function.IntPredicate zero) {
    int r = g.in().length, inSize = Shapes.product(g.in(), 0, r), outSize = Shapes.product(g.out(), 0, r), kSize = Shapes.product(g.k(), 0, r);
    int c = g.c(), m = g.m(), cg = c / g.group(), mg = m / g.group();
    for (int bi = 0; bi < batch; bi++) {
      for (int ci = 0; ci < c; ci++) {
        for (int oc = 0; oc < mg; oc++) {
          int wOff = (ci * mg + oc) * kSize, yOff = (bi * m + ci / cg * mg + oc) * outSize, xOff = (bi * c + ci) * inSize;
          for (int i = 0; i < inSize; i++) {
            if (zero.test(xOff + i)) continue;
            for (int k = 0; k < kSize; k++) {
              int t = target[i * kSize + k];
              if (t >= 0) tap.add(yOff + t, xOff + i, wOff + k);
            }
          }
        }
      }
    }
  }

  /** The quantized form: the same scatter on integers, exact in int64, the bias added, requantized (C++: conv_transpose_int). */
  private static Tensor quantized(Node n, Tensor x, Tensor w, Tensor b, Geo g, int[] target, int[] shape) {
    dev.quench.ir.Requant rq = dev.quench.ir.Requant.of(n.attrs);
    int outSize = Shapes.product(g.out(), 0, g.out().length), batch = shape[0], m = g.m();
    long[] acc = new long[batch * m * outSize], xl = x.l, wl = w.l;
    scatter(g, batch, target, (yi, xi, wi) -> acc[yi] += xl[xi] * wl[wi], xi -> xl[xi] == 0);
    long[] y = new long[acc.length];
    String where = n.describe();
    for (int i = 0; i < acc.length; i++) y[i] = rq.apply(acc[i] + (b == null ? 0 : b.l[i / outSize % m]), 0, where);
    return Tensor.ofLong(rq.outType(), shape, y);
  }

}
