package dev.quench.ir.op;

import dev.quench.ir.DType;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import dev.quench.ir.kernel.Layouts;
import dev.quench.ir.kernel.Window;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * MaxPool (with optional Indices output) and AveragePool over any number of spatial dims, with
 * ceil_mode, dilations, auto_pad and count_include_pad; GlobalAveragePool and GlobalMaxPool.
 */
public final class Pool implements Op {
  /** The op type this spec names (referenced by the passes and back ends instead of string literals). */
  public static final String MAX_POOL = "MaxPool";

  @Override
  public List<String> onnxNames() {
    return List.of(MAX_POOL, "AveragePool", "GlobalAveragePool", "GlobalMaxPool");
  }

  @Override
  public java.util.Set<Trait> traits(String opType) {
    return switch (opType) {
      case MAX_POOL -> Trait.of(Trait.MOVES_DATA, Trait.KEEPS_SCALE, Trait.LAYOUT_AWARE, Trait.INTEGER);
      case "GlobalMaxPool" -> Trait.of(Trait.MOVES_DATA, Trait.KEEPS_SCALE, Trait.INTEGER);
      default -> Trait.of(Trait.LAYOUT_AWARE, Trait.INTEGER);
    };
  }

  private static boolean global(Node n) {
    return n.opType.startsWith("Global");
  }

  private static Window window(Node n, int[] xs) {
    QuenchException.check(xs.length >= 3, "%s: input must be N x C x spatial, got %s", n.describe(), Shapes.str(xs));
    int[] spatial = Arrays.copyOfRange(xs, 2, xs.length);
    int[] kernel = n.attrs.getIntArray("kernel_shape", null);
    QuenchException.check(kernel != null, "%s: kernel_shape is required", n.describe());
    return Window.of(n.attrs, spatial, kernel, n.attrs.getInt("ceil_mode", 0) != 0, n.describe());
  }

  private static int[] outShape(Node n, int[] xs) {
    int[] out = xs.clone();
    if (global(n)) {
      for (int i = 2; i < out.length; i++) out[i] = 1;
      return out;
    }
    Window w = window(n, xs);
    System.arraycopy(w.out(), 0, out, 2, w.out().length);
    return out;
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    if (Layouts.nhwc(n.attrs)) {
      QuenchException.check(c.shape(0).length == 4 && n.outputs().size() == 1, "%s: NHWC pooling needs a 4-D input and no Indices", n.describe());
      return List.of(new TensorType(c.dtype(0), Layouts.permute(outShape(n, Layouts.permute(c.shape(0), Layouts.TO_NCHW)), Layouts.TO_NHWC)));
    }
    int[] out = outShape(n, c.shape(0));
    TensorType t = new TensorType(dev.quench.ir.DTypes.outType(n.attrs, c.dtype(0)), out);
    return n.outputs().size() > 1 ? List.of(t, new TensorType(DType.INT64, out)) : List.of(t);
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    if (Layouts.nhwc(n.attrs)) {
      Tensor[] r = evalNchw(n, new Tensor[] {Layouts.transpose(in[0], Layouts.TO_NCHW)});
      return new Tensor[] {Layouts.transpose(r[0], Layouts.TO_NHWC)};
    }
    return evalNchw(n, in);
  }

  private Tensor[] evalNchw(Node n, Tensor[] in) {
    if (!in[0].isFloat() && !n.opType.contains("Max")) return averageInt(n, in[0]);
    if (!in[0].isFloat()) {
      // integer pooling: exact in float32 for 8/16-bit data, cast back
      Tensor[] r = evalNchw(n, new Tensor[] {dev.quench.ir.DTypes.cast(in[0], dev.quench.ir.DType.FLOAT32)});
      r[0] = dev.quench.ir.DTypes.cast(r[0], in[0].dtype);
      return r;
    }
    Tensor x = in[0];
    int[] xs = x.shape();
    int nc = xs[0] * xs[1];
    int inSize = Shapes.product(xs, 2, xs.length);
    if (global(n)) {
      float[] y = new float[nc];
      boolean max = n.opType.equals("GlobalMaxPool");
      for (int i = 0; i < nc; i++) {
        double acc = max ? Double.NEGATIVE_INFINITY : 0;
        for (int j = 0; j < inSize; j++) {
          float v = x.f[i * inSize + j];
          acc = max ? Math.max(acc, v) : acc + v;
        }
        y[i] = (float) (max ? acc : acc / inSize);
      }
      return new Tensor[] {Tensor.ofFloat(x.dtype, outShape(n, xs), y)};
    }
    Window w = window(n, xs);
    int r = xs.length - 2;
    int[] spatial = Arrays.copyOfRange(xs, 2, xs.length);
    int outSize = w.outSize(), kSize = Shapes.product(w.kernel(), 0, r);
    float[] y = new float[nc * outSize];
    long[] idx = n.outputs().size() > 1 ? new long[nc * outSize] : null;
    boolean max = n.opType.equals(MAX_POOL);
    boolean includePad = n.attrs.getInt("count_include_pad", 0) != 0;
    if (r == 2 && idx == null) {
      pool2d(x.f, y, nc, spatial, w, max, includePad);
      return new Tensor[] {Tensor.ofFloat(x.dtype, outShape(n, xs), y)};
    }
    int[] inStride = Shapes.strides(spatial);
    // storage_order 1: Indices count in column-major order over the spatial dims
    int[] idxStride = new int[r];
    if (n.attrs.getInt("storage_order", 0) != 0) {
      int acc = 1;
      for (int d = 0; d < r; d++) {
        idxStride[d] = acc;
        acc *= spatial[d];
      }
    } else {
      idxStride = inStride;
    }
    final int[] istr = idxStride;
    IntStream.range(0, nc).parallel().forEach(ch -> {
      int[] o = new int[r], k = new int[r];
      for (int op = 0; op < outSize; op++) {
        Shapes.decode(op, w.out(), o);
        double acc = max ? Double.NEGATIVE_INFINITY : 0;
        int count = 0, padCount = 0, best = -1, bestIdx = 0;
        for (int kp = 0; kp < kSize; kp++) {
          Shapes.decode(kp, w.kernel(), k);
          int flat = 0, flatIdx = 0;
          boolean inside = true, insidePadded = true;
          for (int d = 0; d < r; d++) {
            int p = o[d] * w.strides()[d] - w.padBegin()[d] + k[d] * w.dilations()[d];
            if (p < 0 || p >= spatial[d]) inside = false;
            if (p < -w.padBegin()[d] || p >= spatial[d] + w.padEnd()[d]) insidePadded = false;
            flat += p * inStride[d];
            flatIdx += p * istr[d];
          }
          if (insidePadded) padCount++;
          if (!inside) continue;
          float v = x.f[ch * inSize + flat];
          count++;
          if (max) {
            if (v > acc || best < 0) {
              acc = v;
              best = flat;
              bestIdx = flatIdx;
            }
          } else {
            acc += v;
          }
        }
        int div = includePad ? padCount : count;
        y[ch * outSize + op] = (float) (max ? acc : (div == 0 ? 0 : acc / div));
        if (idx != null) idx[ch * outSize + op] = (long) ch * inSize + bestIdx;
      }
    });
    int[] os = outShape(n, xs);
    Tensor yt = Tensor.ofFloat(x.dtype, os, y);
    return idx == null ? new Tensor[] {yt} : new Tensor[] {yt, Tensor.ofLong(os, idx)};
  }

  /** The 2-D case without Indices: same semantics as the generic loop, direct indexing. */
  private static void pool2d(float[] x, float[] y, int nc, int[] in, Window w, boolean max, boolean includePad) {
    int h = in[0], wd = in[1], oh = w.out()[0], ow = w.out()[1], kh = w.kernel()[0], kw = w.kernel()[1];
    int sh = w.strides()[0], sw = w.strides()[1], dh = w.dilations()[0], dw = w.dilations()[1];
    int ph = w.padBegin()[0], pw = w.padBegin()[1], peh = w.padEnd()[0], pew = w.padEnd()[1];
    IntStream.range(0, nc).parallel().forEach(ch -> {
      int xo = ch * h * wd, yo = ch * oh * ow;
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          double acc = max ? Double.NEGATIVE_INFINITY : 0;
          int count = 0, padCount = 0;
          for (int i = 0; i < kh; i++) {
            int iy = oy * sh - ph + i * dh;
            boolean rowPadded = iy >= -ph && iy < h + peh;
            for (int j = 0; j < kw; j++) {
              int ix = ox * sw - pw + j * dw;
              if (rowPadded && ix >= -pw && ix < wd + pew) padCount++;
              if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
              float v = x[xo + iy * wd + ix];
              count++;
              if (max) {
                if (v > acc) acc = v;
              } else {
                acc += v;
              }
            }
          }
          int div = includePad ? padCount : count;
          y[yo + oy * ow + ox] = (float) (max ? acc : (div == 0 ? 0 : acc / div));
        }
      }
    });
  }

  /**
   * Quantized average pooling: exact integer sum at the input's frac, then one rounding division
   * (FixedPoint.divRound) by count * 2^-shift_left, so the output lands on its own frac
   * (shift_left = f_out - f_in), clamped to the output type (out_bits, out_unsigned).
   */
  private static Tensor[] averageInt(Node n, Tensor x) {
    int[] xs = x.shape();
    int nc = xs[0] * xs[1], inSize = Shapes.product(xs, 2, xs.length);
    int[] os = outShape(n, xs);
    long[] y = new long[Shapes.numel(os)];
    int sl = (int) n.attrs.getInt("shift_left", 0);
    dev.quench.ir.DType outType = dev.quench.ir.DTypes.outType(n.attrs, x.dtype);
    long lo = dev.quench.ir.DTypes.lo(outType), hi = dev.quench.ir.DTypes.hi(outType);
    java.util.function.LongBinaryOperator mean = (sum, count) -> dev.quench.ir.FixedPoint.clamp(dev.quench.ir.FixedPoint.meanRound(sum, count, sl), lo, hi);
    if (global(n)) {
      for (int i = 0; i < nc; i++) {
        long sum = 0;
        for (int j = 0; j < inSize; j++) sum += x.l[i * inSize + j];
        y[i] = mean.applyAsLong(sum, inSize);
      }
      return new Tensor[] {Tensor.ofLong(outType, os, y)};
    }
    Window w = window(n, xs);
    QuenchException.check(xs.length == 4, "%s: quantized pooling is 2-D", n.describe());
    int h = xs[2], wd = xs[3], oh = w.out()[0], ow = w.out()[1];
    boolean includePad = n.attrs.getInt("count_include_pad", 0) != 0;
    for (int ch = 0; ch < nc; ch++) {
      for (int oy = 0; oy < oh; oy++) for (int ox = 0; ox < ow; ox++) {
        long sum = 0;
        int count = 0, padCount = 0;
        for (int i = 0; i < w.kernel()[0]; i++) for (int j = 0; j < w.kernel()[1]; j++) {
          int iy = oy * w.strides()[0] - w.padBegin()[0] + i * w.dilations()[0], ix = ox * w.strides()[1] - w.padBegin()[1] + j * w.dilations()[1];
          if (iy >= -w.padBegin()[0] && iy < h + w.padEnd()[0] && ix >= -w.padBegin()[1] && ix < wd + w.padEnd()[1]) padCount++;
          if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
          sum += x.l[(ch * h + iy) * wd + ix];
          count++;
        }
        int div = includePad ? padCount : count;
        y[(ch * oh + oy) * ow + ox] = div == 0 ? 0 : mean.applyAsLong(sum, div);
      }
    }
    return new Tensor[] {Tensor.ofLong(outType, os, y)};
  }

}
