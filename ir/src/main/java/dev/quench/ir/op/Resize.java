package dev.quench.ir.op;

import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import java.util.List;

/**
 * Resize (opset 10+) and Upsample (7, 9): nearest, linear and cubic, applied axis by axis (the
 * N-linear interpolation is separable, so one 1-D pass per resized axis gives the same result).
 * Upsample and Resize-10 use asymmetric coordinates and floor for nearest.
 */
public final class Resize implements Op {
  @Override
  public List<String> onnxNames() {
    return List.of("Resize", "Upsample");
  }

  /**
   * Nearest-neighbour resizing copies input elements: its integer form ({@link #hasIntegerForm})
   * moves integers at their scale. Not claimed as a trait yet: a float Resize's input gets 16 bits,
   * which YuNet's stride-32 heads need (obj_32: 20.4 dB through a float Resize, 19.7 dB through
   * an integer one) until the bit policy can keep such a tensor at 16 bits by itself.
   */
  @Override
  public java.util.Set<Trait> traits(String opType) {
    return java.util.Set.of();
  }

  /** Nearest neighbour, except crop-and-resize (its extrapolation value is a float the integers would need at their scale). */
  @Override
  public boolean hasIntegerForm(Node n) {
    return nearest(n) && !n.attrs.getString("coordinate_transformation_mode", "").equals("tf_crop_and_resize");
  }

  /** Whether the node resizes by nearest neighbour (copies input elements) rather than interpolating. */
  public static boolean nearest(Node n) {
    return n.attrs.getString("mode", "nearest").equals("nearest");
  }

  /** Per-axis scale, output size, and the resized length the coordinate transform uses (in * scale, unrounded, when scales are given). */
  record Plan(double[] scale, int[] out, double[] lenResized) {}

  private static Plan plan(Node n, int[] s, Tensor scalesT, Tensor sizesT) {
    int r = s.length;
    double[] scale = new double[r];
    int[] out = new int[r];
    double[] len = new double[r];
    float[] scales = null;
    if (n.opType.equals("Upsample") && n.opset < 9) scales = n.attrs.getFloats("scales");
    else if (scalesT != null && scalesT.numel() > 0) scales = scalesT.toFloats();
    long[] axes = n.attrs.getInts("axes");
    if (axes != null) {
      // opset 18: scales or sizes only for the listed axes, the others keep their size
      float[] fullScales = null;
      long[] fullSizes = null;
      if (scales != null) {
        QuenchException.check(scales.length == axes.length, "%s: %d scales for %d axes", n.describe(), scales.length, axes.length);
        fullScales = new float[r];
        java.util.Arrays.fill(fullScales, 1f);
        for (int i = 0; i < axes.length; i++) fullScales[Shapes.axis(axes[i], r)] = scales[i];
        scales = fullScales;
      } else if (sizesT != null) {
        long[] sz = sizesT.toLongs();
        QuenchException.check(sz.length == axes.length, "%s: %d sizes for %d axes", n.describe(), sz.length, axes.length);
        fullSizes = new long[r];
        for (int i = 0; i < r; i++) fullSizes[i] = s[i];
        for (int i = 0; i < axes.length; i++) fullSizes[Shapes.axis(axes[i], r)] = sz[i];
        sizesT = Tensor.vector(fullSizes);
      }
    }
    if (scales != null) {
      QuenchException.check(scales.length == r, "%s: %d scales for rank %d", n.describe(), scales.length, r);
      for (int i = 0; i < r; i++) {
        QuenchException.check(scales[i] > 0, "%s: scale must be positive", n.describe());
        scale[i] = scales[i];
        double o = Math.floor(s[i] * (double) scales[i]);
        QuenchException.check(o >= 1 && o <= Integer.MAX_VALUE, "%s: output dim %s invalid", n.describe(), o);
        out[i] = (int) o;
        len[i] = s[i] * (double) scales[i];
      }
    } else {
      QuenchException.check(sizesT != null, "%s: needs scales or sizes", n.describe());
      long[] sz = sizesT.toLongs();
      QuenchException.check(sz.length == r, "%s: %d sizes for rank %d", n.describe(), sz.length, r);
      for (int i = 0; i < r; i++) {
        QuenchException.check(sz[i] > 0 && sz[i] <= Integer.MAX_VALUE, "%s: invalid size %d", n.describe(), sz[i]);
        out[i] = (int) sz[i];
        len[i] = out[i];
        scale[i] = (double) out[i] / s[i];
      }
      String policy = n.attrs.getString("keep_aspect_ratio_policy", "stretch");
      if (!policy.equals("stretch")) {
        // one scale for all resized axes: the smallest (not_larger) or largest (not_smaller) of sizes / input
        QuenchException.check(policy.equals("not_larger") || policy.equals("not_smaller"), "%s: unknown keep_aspect_ratio_policy '%s'", n.describe(), policy);
        boolean[] resized = new boolean[r];
        if (axes == null) java.util.Arrays.fill(resized, true);
        else for (long a : axes) resized[Shapes.axis(a, r)] = true;
        double common = policy.equals("not_larger") ? Double.MAX_VALUE : 0;
        for (int i = 0; i < r; i++) if (resized[i]) common = policy.equals("not_larger") ? Math.min(common, scale[i]) : Math.max(common, scale[i]);
        for (int i = 0; i < r; i++) {
          if (!resized[i]) continue;
          scale[i] = common;
          out[i] = (int) Math.max(1, Math.round(common * s[i]));
          len[i] = out[i];
        }
      }
    }
    Shapes.numel(out);
    return new Plan(scale, out, len);
  }

  private static Tensor scalesInput(Node n, Tensor[] in) {
    if (n.opType.equals("Upsample")) return n.opset < 9 ? null : in[1];
    if (n.opset < 11) return in[1];
    return in.length > 2 ? in[2] : null;
  }

  private static Tensor sizesInput(Node n, Tensor[] in) {
    return n.opType.equals("Resize") && n.opset >= 11 && in.length > 3 ? in[3] : null;
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    Tensor[] in = new Tensor[c.count()];
    for (int i = 1; i < in.length; i++) if (c.has(i) && !(n.opset >= 11 && i == 1)) in[i] = c.need(i, i == 3 ? "sizes" : "scales");
    return List.of(new TensorType(c.dtype(0), plan(n, c.shape(0), scalesInput(n, in), sizesInput(n, in)).out()));
  }

  /**
   * One 1-D pass over an axis (outer x inLen x inner to outer x outLen x inner): output position o
   * takes its taps idx[o * taps + k] with weights w[...] (one tap: a copy; idx -1: the fill value,
   * outside tf_crop_and_resize's box). The tables depend on the geometry alone: the C++ gets them
   * as constants (backends/.../MovementLowering.java, kernels/movement.h resize_axis_f32).
   */
  public record AxisPass(int axis, int outer, int inLen, int inner, int outLen, int taps, int[] idx, double[] w, float fill) {}

  /** The passes of a Resize of input shape s, innermost axis first (in: the node's inputs, scales / sizes / roi read from them). */
  public static java.util.List<AxisPass> passes(Node n, int[] s, Tensor[] in) {
    Plan p = plan(n, s, scalesInput(n, in), sizesInput(n, in));
    boolean legacy = n.opType.equals("Upsample") || n.opset < 11;
    String mode = n.attrs.getString("mode", "nearest");
    String coord = legacy ? "asymmetric" : n.attrs.getString("coordinate_transformation_mode", "half_pixel");
    String nearest = legacy ? "floor" : n.attrs.getString("nearest_mode", "round_prefer_floor");
    double a = n.attrs.getFloat("cubic_coeff_a", -0.75f);
    boolean exclude = n.attrs.getInt("exclude_outside", 0) != 0;
    int[] shape = s.clone();
    float[] roi = coord.equals("tf_crop_and_resize") && in.length > 1 && in[1] != null ? in[1].toFloats() : null;
    QuenchException.check(roi == null || roi.length == 2 * shape.length, "%s: roi must have 2 x rank values", n.describe());
    double extrapolation = n.attrs.getFloat("extrapolation_value", 0f);
    java.util.List<AxisPass> passes = new java.util.ArrayList<>();
    // innermost axis first, as the ONNX reference nests its 1-D interpolations
    for (int axis = shape.length - 1; axis >= 0; axis--) {
      if (p.out()[axis] == shape[axis] && p.scale()[axis] == 1.0 && roi == null) continue;
      double[] crop = roi == null ? null : new double[] {roi[axis], roi[axis + shape.length], extrapolation};
      passes.add(axisPass(n, shape, axis, p.out()[axis], p.scale()[axis], p.lenResized()[axis], mode, coord, nearest, a, exclude, crop));
      shape[axis] = p.out()[axis];
    }
    return passes;
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    Tensor x = in[0];
    int[] shape = x.shape();
    List<AxisPass> passes = passes(n, shape, in);
    if (!x.isFloat() && nearest(n)) {
      // integers: nearest neighbour copies them as they are
      long[] cur = x.l;
      for (AxisPass ap : passes) {
        cur = copy(ap, cur);
        shape[ap.axis()] = ap.outLen();
      }
      return new Tensor[] {Tensor.ofLong(x.dtype, shape, cur)};
    }
    float[] cur = x.toFloats();
    for (AxisPass ap : passes) {
      cur = apply(ap, cur);
      shape[ap.axis()] = ap.outLen();
    }
    return new Tensor[] {Tensor.ofFloat(x.dtype, shape, cur)};
  }

  /** A one-tap pass on integers: each output row the input row its tap names (the fill, rounded, outside). */
  private static long[] copy(AxisPass ap, long[] src) {
    int inner = ap.inner();
    long[] dst = new long[ap.outer() * ap.outLen() * inner];
    for (int ou = 0; ou < ap.outer(); ou++) {
      for (int o = 0; o < ap.outLen(); o++) {
        int dBase = (ou * ap.outLen() + o) * inner, at = ap.idx()[o * ap.taps()];
        if (at < 0) java.util.Arrays.fill(dst, dBase, dBase + inner, Math.round(ap.fill()));
        else System.arraycopy(src, (ou * ap.inLen() + at) * inner, dst, dBase, inner);
      }
    }
    return dst;
  }

  /** A pass on float values: a copy for one tap, else (float) (w * x) added tap by tap onto 0. */
  private static float[] apply(AxisPass ap, float[] src) {
    int taps = ap.taps(), inner = ap.inner();
    float[] dst = new float[ap.outer() * ap.outLen() * inner];
    for (int ou = 0; ou < ap.outer(); ou++) {
      for (int o = 0; o < ap.outLen(); o++) {
        int dBase = (ou * ap.outLen() + o) * inner;
        if (ap.idx()[o * taps] < 0) {
          java.util.Arrays.fill(dst, dBase, dBase + inner, ap.fill());
          continue;
        }
        for (int k = 0; k < taps; k++) {
          int sBase = (ou * ap.inLen() + ap.idx()[o * taps + k]) * inner;
          double wk = ap.w()[o * taps + k];
          if (taps == 1) System.arraycopy(src, sBase, dst, dBase, inner);
          else for (int i = 0; i < inner; i++) dst[dBase + i] += (float) (wk * src[sBase + i]);
        }
      }
    }
    return dst;
  }

  private static double original(String coord, int xr, double scale, int outLen, double lenResized, int inLen, double[] crop) {
    return switch (coord) {
      case "tf_crop_and_resize" -> outLen > 1 ? crop[0] * (inLen - 1) + xr * (crop[1] - crop[0]) * (inLen - 1) / (outLen - 1)
          : 0.5 * (crop[0] + crop[1]) * (inLen - 1);
      case "half_pixel" -> (xr + 0.5) / scale - 0.5;
      case "pytorch_half_pixel" -> outLen > 1 ? (xr + 0.5) / scale - 0.5 : 0;
      case "align_corners" -> lenResized == 1 ? 0 : xr * (inLen - 1) / (lenResized - 1);
      case "asymmetric" -> xr / scale;
      case "tf_half_pixel_for_nn" -> (xr + 0.5) / scale;
      case "half_pixel_symmetric" -> {
        double adj = outLen / (scale * inLen);
        double center = inLen / 2.0;
        double offset = center * (1 - adj);
        yield offset + (xr + 0.5) / scale - 0.5;
      }
      default -> throw new QuenchException("Resize: unsupported coordinate_transformation_mode '" + coord + "'");
    };
  }

  private static AxisPass axisPass(Node n, int[] shape, int axis, int outLen, double scale, double lenResized, String mode,
      String coord, String nearestMode, double a, boolean exclude, double[] crop) {
    int inLen = shape[axis];
    int outer = Shapes.product(shape, 0, axis), inner = Shapes.product(shape, axis + 1, shape.length);
    int taps = mode.equals("nearest") ? 1 : mode.equals("linear") ? 2 : 4;
    QuenchException.check(mode.equals("nearest") || mode.equals("linear") || mode.equals("cubic") || mode.equals("bilinear"),
        "%s: unsupported mode '%s'", n.describe(), mode);
    if (mode.equals("bilinear")) taps = 2;
    int[] idx = new int[outLen * taps];
    double[] w = new double[outLen * taps];
    for (int o = 0; o < outLen; o++) {
      double xo = original(coord, o, scale, outLen, lenResized, inLen, crop);
      if (crop != null && (xo < 0 || xo > inLen - 1)) {
        idx[o * taps] = -1;
        continue;
      }
      if (taps == 1) {
        double fl = Math.floor(xo), frac = xo - fl;
        long i = switch (nearestMode) {
          case "floor" -> (long) fl;
          case "ceil" -> (long) Math.ceil(xo);
          case "round_prefer_ceil" -> frac >= 0.5 ? (long) fl + 1 : (long) fl;
          default -> frac > 0.5 ? (long) fl + 1 : (long) fl;
        };
        idx[o] = (int) Math.max(0, Math.min(inLen - 1, i));
        w[o] = 1;
      } else if (taps == 2) {
        xo = Math.max(0, Math.min(inLen - 1, xo));
        int i0 = (int) Math.floor(xo);
        double f = xo - i0;
        idx[2 * o] = i0;
        idx[2 * o + 1] = Math.min(inLen - 1, i0 + 1);
        w[2 * o] = 1 - f;
        w[2 * o + 1] = f;
      } else {
        int i0 = (int) Math.floor(xo);
        double t = xo - i0, sum = 0;
        double[] c = {cubic(a, t + 1), cubic(a, t), cubic(a, 1 - t), cubic(a, 2 - t)};
        for (int k = 0; k < 4; k++) {
          int i = i0 - 1 + k;
          if (exclude && (i < 0 || i >= inLen)) c[k] = 0;
          sum += c[k];
          idx[4 * o + k] = Math.max(0, Math.min(inLen - 1, i));
        }
        for (int k = 0; k < 4; k++) w[4 * o + k] = exclude ? c[k] / sum : c[k];
      }
    }
    return new AxisPass(axis, outer, inLen, inner, outLen, taps, idx, w, crop == null ? 0f : (float) crop[2]);
  }

  /** Keys cubic convolution kernel with parameter a. */
  private static double cubic(double a, double x) {
    x = Math.abs(x);
    if (x <= 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
    if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
    return 0;
  }
}
