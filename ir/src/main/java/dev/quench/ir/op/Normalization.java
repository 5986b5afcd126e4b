package dev.quench.ir.op;

import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import java.util.ArrayList;
import java.util.List;

/**
 * BatchNormalization (inference: y = scale * (x - mean) / sqrt(var + eps) + bias, per channel),
 * InstanceNormalization, and LayerNormalization (over the axes from {@code axis} on, with
 * optional Mean and InvStdDev outputs).
 */
public final class Normalization implements Op {
  @Override
  public List<String> onnxNames() {
    return List.of("BatchNormalization", "InstanceNormalization", "LayerNormalization");
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    TensorType x = c.type(0);
    QuenchException.check(x.rank() >= 2 || n.opType.equals("LayerNormalization"), "%s: input rank must be at least 2", n.describe());
    List<TensorType> out = new ArrayList<>();
    out.add(new TensorType(dev.quench.ir.DTypes.outType(n.attrs, x.dtype()), x.shape()));
    if (n.opType.equals("BatchNormalization")) {
      int ch = x.dim(1);
      for (int i = 1; i <= 4 && i < c.count(); i++) {
        QuenchException.check(c.type(i).numel() == ch, "%s: input %d must have %d elements", n.describe(), i, ch);
      }
      QuenchException.check(c.count() >= 5, "%s: needs scale, bias, mean and var", n.describe());
      for (int i = 1; i < n.outputs().size(); i++) out.add(c.type(3));
    } else if (n.opType.equals("LayerNormalization")) {
      int axis = Shapes.axis(n.attrs.getInt("axis", -1), x.rank());
      int[] s = x.shape();
      for (int i = axis; i < s.length; i++) s[i] = 1;
      for (int i = 1; i < n.outputs().size(); i++) out.add(new TensorType(x.dtype(), s));
    }
    return out;
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    return switch (n.opType) {
      case "BatchNormalization" -> batchNorm(n, in);
      case "InstanceNormalization" -> instanceNorm(n, in);
      default -> layerNorm(n, in);
    };
  }

  private static Tensor[] batchNorm(Node n, Tensor[] in) {
    Tensor x = in[0];
    float[] scale = in[1].toFloats(), bias = in[2].toFloats(), mean = in[3].toFloats(), var = in[4].toFloats();
    double eps = n.attrs.getFloat("epsilon", 1e-5f);
    int[] s = x.shape();
    int c = s[1], inner = Shapes.product(s, 2, s.length), outer = s[0];
    boolean training = n.opset >= 14 && n.attrs.getInt("training_mode", 0) != 0;
    float[] runMean = mean, runVar = var;
    if (training) {
      // Normalise with the batch statistics (biased variance); running stats move by momentum.
      double momentum = n.attrs.getFloat("momentum", 0.9f);
      float[] bm = new float[c], bv = new float[c];
      runMean = new float[c];
      runVar = new float[c];
      for (int ch = 0; ch < c; ch++) {
        double sum = 0, sq = 0;
        for (int o = 0; o < outer; o++) for (int i = 0; i < inner; i++) sum += x.f[(o * c + ch) * inner + i];
        double m = sum / (outer * inner);
        for (int o = 0; o < outer; o++) for (int i = 0; i < inner; i++) {
          double d = x.f[(o * c + ch) * inner + i] - m;
          sq += d * d;
        }
        bm[ch] = (float) m;
        bv[ch] = (float) (sq / (outer * inner));
        runMean[ch] = (float) (mean[ch] * momentum + m * (1 - momentum));
        runVar[ch] = (float) (var[ch] * momentum + bv[ch] * (1 - momentum));
      }
      mean = bm;
      var = bv;
    }
    float[] y = new float[x.numel()], xf = x.f;
    for (int ch = 0; ch < c; ch++) {
      double kd = scale[ch] / Math.sqrt(var[ch] + eps);
      float k = (float) kd, b = (float) (bias[ch] - mean[ch] * kd);
      for (int o = 0; o < outer; o++) {
        int base = (o * c + ch) * inner;
        for (int i = base; i < base + inner; i++) y[i] = xf[i] * k + b;
      }
    }
    Tensor[] out = new Tensor[n.outputs().size()];
    out[0] = Tensor.ofFloat(x.dtype, s, y);
    if (out.length > 1) out[1] = Tensor.ofFloat(in[3].dtype, in[3].shape(), runMean);
    if (out.length > 2) out[2] = Tensor.ofFloat(in[4].dtype, in[4].shape(), runVar);
    return out;
  }

  private static Tensor[] instanceNorm(Node n, Tensor[] in) {
    Tensor x = in[0];
    float[] scale = in[1].toFloats(), bias = in[2].toFloats();
    double eps = n.attrs.getFloat("epsilon", 1e-5f);
    int[] s = x.shape();
    int c = s[1], inner = Shapes.product(s, 2, s.length);
    float[] y = new float[x.numel()];
    for (int nc = 0; nc < s[0] * c; nc++) {
      int base = nc * inner;
      double[] mv = meanVar(x.f, base, inner);
      double k = scale[nc % c] / Math.sqrt(mv[1] + eps);
      for (int i = 0; i < inner; i++) y[base + i] = (float) ((x.f[base + i] - mv[0]) * k + bias[nc % c]);
    }
    return new Tensor[] {Tensor.ofFloat(x.dtype, s, y)};
  }

  /** A quantized LayerNormalization's normalised values carry this many fractional bits before the scale. */
  public static final int LN_FRAC = 14;
  /** Its epsilon in the integer units of the centred sums (eps N^2 4^f_in, rounded). */
  public static final String LN_EPS = "eps_q";

  /** Integer form: LayerNormalization (its one output), see {@link #layerNormInt}. */
  @Override
  public java.util.Set<Trait> traits(String opType) {
    return opType.equals("LayerNormalization") ? Trait.of(Trait.INTEGER) : java.util.Set.of();
  }

  /** The normalised axes of a LayerNormalization: outer rows of inner elements. */
  public static int[] layerNormRows(Node n, int[] s) {
    int axis = Shapes.axis(n.attrs.getInt("axis", -1), s.length);
    return new int[] {Shapes.product(s, 0, axis), Shapes.product(s, axis, s.length)};
  }

  /** A LayerNormalization's scale or bias broadcast to one row (the normalised axes). */
  public static float[] layerNormParam(Node n, Tensor t, int[] xs) {
    int axis = Shapes.axis(n.attrs.getInt("axis", -1), xs.length);
    return broadcastTo(t, java.util.Arrays.copyOfRange(xs, axis, xs.length));
  }

  /**
   * The quantized LayerNormalization, exact in integers: per row of N integers x (frac f_in),
   * c_i = N x_i - sum x (the centred values times N), V = round(sum c_i^2 / N) + eps_q, D =
   * floor(sqrt(V)) — so c_i / D = (x_i - mean) / sqrt(var + eps) — then the normalised value
   * round(c_i 2^14 / D) times the int16 scale, plus the int32 bias, requantized (C++: layer_norm_int).
   */
  private static Tensor[] layerNormInt(Node n, Tensor[] in) {
    Tensor x = in[0];
    int[] rows = layerNormRows(n, x.shape());
    int outer = rows[0], len = rows[1];
    long[] g = in[1].l, b = in.length > 2 && in[2] != null ? in[2].l : null, y = new long[x.numel()];
    long eps = n.attrs.getInt(LN_EPS, 0);
    dev.quench.ir.Requant rq = dev.quench.ir.Requant.of(n.attrs);
    String where = n.describe();
    for (int o = 0; o < outer; o++) {
      int base = o * len;
      long sum = 0, sq = 0;
      for (int i = 0; i < len; i++) sum += x.l[base + i];
      for (int i = 0; i < len; i++) {
        long c = len * x.l[base + i] - sum;
        sq += c * c;
      }
      long d = Math.max(1, dev.quench.ir.FixedPoint.isqrt(dev.quench.ir.FixedPoint.divRound(sq, len) + eps));
      for (int i = 0; i < len; i++) {
        long norm = dev.quench.ir.FixedPoint.divRound((len * x.l[base + i] - sum) << LN_FRAC, d);
        y[base + i] = rq.apply(norm * g[i] + (b == null ? 0 : b[i]), 0, where);
      }
    }
    return new Tensor[] {Tensor.ofLong(rq.outType(), x.shape(), y)};
  }

  private static Tensor[] layerNorm(Node n, Tensor[] in) {
    if (dev.quench.ir.Requant.present(n.attrs)) return layerNormInt(n, in);
    Tensor x = in[0];
    int[] s = x.shape();
    int axis = Shapes.axis(n.attrs.getInt("axis", -1), s.length);
    double eps = n.attrs.getFloat("epsilon", 1e-5f);
    int inner = Shapes.product(s, axis, s.length), outer = Shapes.product(s, 0, axis);
    int[] inner0 = java.util.Arrays.copyOfRange(s, axis, s.length);
    float[] scale = broadcastTo(in[1], inner0);
    float[] bias = in.length > 2 && in[2] != null ? broadcastTo(in[2], inner0) : null;
    float[] y = new float[x.numel()], mean = new float[outer], inv = new float[outer];
    for (int o = 0; o < outer; o++) {
      int base = o * inner;
      double[] mv = meanVar(x.f, base, inner);
      double k = 1 / Math.sqrt(mv[1] + eps);
      mean[o] = (float) mv[0];
      inv[o] = (float) k;
      for (int i = 0; i < inner; i++) {
        double v = (x.f[base + i] - mv[0]) * k * scale[i];
        y[base + i] = (float) (bias == null ? v : v + bias[i]);
      }
    }
    Tensor[] out = new Tensor[n.outputs().size()];
    out[0] = Tensor.ofFloat(x.dtype, s, y);
    int[] rs = s.clone();
    for (int i = axis; i < rs.length; i++) rs[i] = 1;
    if (out.length > 1) out[1] = Tensor.ofFloat(x.dtype, rs, mean);
    if (out.length > 2) out[2] = Tensor.ofFloat(x.dtype, rs, inv);
    return out;
  }

  private static float[] broadcastTo(Tensor t, int[] shape) {
    int[] map = dev.quench.ir.kernel.Broadcast.map(shape, t.shape());
    float[] src = t.toFloats();
    float[] r = new float[Shapes.numel(shape)];
    for (int i = 0; i < r.length; i++) r[i] = src[dev.quench.ir.kernel.Broadcast.at(map, i)];
    return r;
  }

  static double[] meanVar(float[] x, int off, int len) {
    double sum = 0;
    for (int i = 0; i < len; i++) sum += x[off + i];
    double mean = sum / len, sq = 0;
    for (int i = 0; i < len; i++) {
      double d = x[off + i] - mean;
      sq += d * d;
    }
    return new double[] {mean, sq / len};
  }
}
