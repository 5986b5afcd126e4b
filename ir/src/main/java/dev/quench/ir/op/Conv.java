package dev.quench.ir.op;

import dev.quench.ir.DType;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import dev.quench.ir.kernel.ConvKernels;
import dev.quench.ir.kernel.Layouts;
import dev.quench.ir.kernel.Window;
import java.util.Arrays;
import java.util.List;

/** Conv, 1-D and 2-D, with group, dilation, auto_pad and asymmetric pads. 1-D runs as 2-D with H = 1. */
public final class Conv implements Op {
  /** The op type this spec names (referenced by the passes and back ends instead of string literals). */
  public static final String CONV = "Conv";

  @Override
  public List<String> onnxNames() {
    return List.of(CONV);
  }

  @Override
  public java.util.Set<Trait> traits(String opType) {
    return Trait.of(Trait.FUSES_ACTIVATION, Trait.LAYOUT_AWARE, Trait.INTEGER);
  }

  /** The geometry of a conv node after lifting 1-D to 2-D. */
  record Geometry(int n, int c, int h, int w, int m, int group, Window win, int[] outShape) {}

  static Geometry geometry(Node n, int[] xs, int[] ws, boolean hasBias, int[] bs) {
    QuenchException.check(xs.length == 3 || xs.length == 4, "%s: only 1-D and 2-D convolution are supported (input rank %d)", n.describe(), xs.length);
    QuenchException.check(ws.length == xs.length, "%s: weight rank %d does not match input rank %d", n.describe(), ws.length, xs.length);
    int group = (int) n.attrs.getInt("group", 1);
    int c = xs[1], m = ws[0];
    QuenchException.check(group > 0 && c % group == 0 && m % group == 0 && ws[1] * group == c,
        "%s: group %d does not fit %d input channels and weight %s", n.describe(), group, c, Arrays.toString(ws));
    if (hasBias) QuenchException.check(bs.length == 1 && bs[0] == m, "%s: bias shape %s, expected [%d]", n.describe(), Arrays.toString(bs), m);
    boolean oneD = xs.length == 3;
    int[] spatial = oneD ? new int[] {xs[2]} : new int[] {xs[2], xs[3]};
    int[] kernel = oneD ? new int[] {ws[2]} : new int[] {ws[2], ws[3]};
    int[] ks = n.attrs.getIntArray("kernel_shape", kernel);
    QuenchException.check(Arrays.equals(ks, kernel), "%s: kernel_shape %s does not match the weights", n.describe(), Arrays.toString(ks));
    Window win = Window.of(n.attrs, spatial, kernel, false, n.describe());
    if (oneD) {
      win = new Window(new int[] {1, kernel[0]}, new int[] {1, win.strides()[0]}, new int[] {1, win.dilations()[0]},
          new int[] {0, win.padBegin()[0]}, new int[] {0, win.padEnd()[0]}, new int[] {1, win.out()[0]});
      return new Geometry(xs[0], c, 1, xs[2], m, group, win, new int[] {xs[0], m, win.out()[1]});
    }
    return new Geometry(xs[0], c, xs[2], xs[3], m, group, win, new int[] {xs[0], m, win.out()[0], win.out()[1]});
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    QuenchException.check(c.dtype(0).isFloating() || n.attrs.has(dev.quench.ir.Requant.OUT_BITS), "%s: integer convolution needs quantization attributes", n.describe());
    DType outType = dev.quench.ir.DTypes.outType(n.attrs, c.dtype(0));
    if (Layouts.nhwc(n.attrs)) {
      QuenchException.check(c.shape(0).length == 4 && c.shape(1).length == 4, "%s: NHWC needs 4-D input and OHWI weights", n.describe());
      Geometry g = geometry(n, Layouts.permute(c.shape(0), Layouts.TO_NCHW), Layouts.permute(c.shape(1), Layouts.TO_NCHW), c.has(2), c.has(2) ? c.shape(2) : null);
      return List.of(new TensorType(outType, Layouts.permute(g.outShape(), Layouts.TO_NHWC)));
    }
    Geometry g = geometry(n, c.shape(0), c.shape(1), c.has(2), c.has(2) ? c.shape(2) : null);
    return List.of(new TensorType(outType, g.outShape()));
  }

  @Override
  public java.util.Set<Integer> shiftCounts(Node n) {
    return Op.oneOr(n.input(1).type().dim(0));
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    if (Layouts.nhwc(n.attrs)) {
      // channels-last: the same kernel between transposes (weights OHWI -> OIHW)
      Tensor[] nchw = in.clone();
      nchw[0] = Layouts.transpose(in[0], Layouts.TO_NCHW);
      nchw[1] = Layouts.transpose(in[1], Layouts.TO_NCHW);
      Tensor y = evalNchw(n, nchw);
      return new Tensor[] {Layouts.transpose(y, Layouts.TO_NHWC)};
    }
    return new Tensor[] {evalNchw(n, in)};
  }

  private static Tensor evalNchw(Node n, Tensor[] in) {
    Tensor x = in[0], w = in[1], b = in.length > 2 ? in[2] : null;
    Geometry g = geometry(n, x.shape(), w.shape(), b != null, b == null ? null : b.shape());
    if (!x.isFloat()) {
      long[] y = dev.quench.ir.kernel.IntKernels.conv(x.l, g.n(), g.c(), g.h(), g.w(), w.l, g.m(), b == null ? null : b.l, g.win(), g.group(),
          dev.quench.ir.Requant.of(n.attrs), n.describe());
      return Tensor.ofLong(dev.quench.ir.DTypes.quantizedOut(n.attrs), g.outShape(), y);
    }
    float[] y = ConvKernels.f32(x.f, g.n(), g.c(), g.h(), g.w(), w.f, g.m(), b == null ? null : b.f, g.win(), g.group());
    dev.quench.ir.kernel.Activation.apply(n.attrs, y);
    return Tensor.ofFloat(x.dtype == DType.FLOAT64 ? DType.FLOAT64 : x.dtype, g.outShape(), y);
  }
}
