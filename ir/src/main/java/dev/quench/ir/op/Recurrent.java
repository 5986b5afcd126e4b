package dev.quench.ir.op;

import dev.quench.ir.Attributes;
import dev.quench.ir.DType;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import dev.quench.ir.kernel.MathKernels;
import java.util.ArrayList;
import java.util.List;

/**
 * The recurrent layers LSTM, GRU and RNN (ONNX opset 7 / 14): forward, reverse or bidirectional,
 * either layout, per-batch sequence lengths, initial states, peepholes, clip, input_forget,
 * linear_before_reset and every activation ONNX allows.
 *
 * <p>The arithmetic is defined exactly so that the C++ twin gives the same bits: each gate's
 * input part is the fma chain of W[g][k] * x[k] over k from 0, its recurrent part the fma chain of
 * R[g][k] * h[k]; the pre-activation is ((input + recurrent) + Wb) + Rb, plus P * c for an LSTM
 * peephole, then clipped (GRU's hidden gate: (input + Wb) + R (r * h) + Rb, or with
 * linear_before_reset (input + Wb) + r * (R h + Rb)); activations are MathKernels' functions (Sigmoid and Tanh on floats,
 * QMath); the state updates are float products and sums in the order the ONNX equations write
 * them, with no fused multiply-add. Steps past a batch entry's sequence length leave its state as
 * it was and write zeros to Y.
 *
 * <p>Weight-only 8-bit form (the quantizer's, for the flash of a microcontroller): W and R are int8
 * with a power-of-two scale per row ({@link #W_FRAC}, {@link #R_FRAC}: row value = q * 2^-frac,
 * exact in float); the layer then runs as above on those values.
 */
public final class Recurrent implements Op {
  public static final String LSTM = "LSTM", GRU = "GRU", RNN = "RNN";
  /** Per-row fractional bits of int8 W and R (weight-only 8-bit form). */
  public static final String W_FRAC = "w_frac", R_FRAC = "r_frac";

  /** W or R as floats: as stored, or int8 rows times 2^-frac (exact). */
  public static float[] weights(Node n, Tensor t, String fracAttr) {
    if (t.isFloat()) return t.f;
    long[] f = n.attrs.getInts(fracAttr);
    QuenchException.check(f != null, "%s: int8 weights need %s", n.describe(), fracAttr);
    int rows = t.dim(0) * t.dim(1), per = t.numel() / rows;
    QuenchException.check(f.length == rows, "%s: %s has %d fracs for %d rows", n.describe(), fracAttr, f.length, rows);
    float[] r = new float[t.numel()];
    for (int i = 0; i < r.length; i++) r[i] = (float) Math.scalb((double) t.l[i], (int) -f[i / per]);
    return r;
  }

  @Override
  public List<String> onnxNames() {
    return List.of(LSTM, GRU, RNN);
  }

  /** Gates per cell: LSTM i o f c, GRU z r h, RNN one. */
  public static int gates(String op) {
    return op.equals(LSTM) ? 4 : op.equals(GRU) ? 3 : 1;
  }

  /** The geometry every form reads: sequence, batch, input and hidden sizes, directions. */
  public record Geometry(int seq, int batch, int input, int hidden, int dirs, boolean batchFirst) {}

  public static Geometry geometry(Node n, int[] x, int[] w) {
    QuenchException.check(x.length == 3 && w.length == 3, "%s: X and W must be rank 3", n.describe());
    boolean batchFirst = n.opset >= 14 && n.attrs.getInt("layout", 0) != 0;
    String dir = n.attrs.getString("direction", "forward");
    QuenchException.check(List.of("forward", "reverse", "bidirectional").contains(dir), "%s: unknown direction '%s'", n.describe(), dir);
    int dirs = dir.equals("bidirectional") ? 2 : 1;
    int hidden = (int) n.attrs.getInt("hidden_size", w[1] / gates(n.opType));
    QuenchException.check(w[0] == dirs && w[1] == gates(n.opType) * hidden && w[2] == x[2], "%s: W is %s, expected [%d, %d, %d]", n.describe(),
        java.util.Arrays.toString(w), dirs, gates(n.opType) * hidden, x[2]);
    return new Geometry(batchFirst ? x[1] : x[0], batchFirst ? x[0] : x[1], x[2], hidden, dirs, batchFirst);
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    Geometry g = geometry(n, c.shape(0), c.shape(1));
    DType t = c.dtype(0);
    int[] y = g.batchFirst ? new int[] {g.batch, g.seq, g.dirs, g.hidden} : new int[] {g.seq, g.dirs, g.batch, g.hidden};
    int[] h = g.batchFirst ? new int[] {g.batch, g.dirs, g.hidden} : new int[] {g.dirs, g.batch, g.hidden};
    List<TensorType> all = List.of(new TensorType(t, y), new TensorType(t, h), new TensorType(t, h));
    return all.subList(0, Math.min(n.outputs().size(), n.opType.equals(LSTM) ? 3 : 2));
  }

  /** An activation: its ONNX name (lower case) and the alpha / beta it takes (0 when none). */
  public record ActivationSpec(String name, double alpha, double beta) {}

  /**
   * Per direction, the layer's activations in order (LSTM f g h, GRU f g, RNN f): the given ones or
   * ONNX's defaults, alpha and beta consumed in order from activation_alpha / _beta (defaults per
   * function as ONNX's). The interpreter and the C++ lowering both read them here.
   */
  public static List<ActivationSpec> activationSpecs(Node n, int dirs) {
    String op = n.opType;
    List<String> defaults = op.equals(LSTM) ? List.of("Sigmoid", "Tanh", "Tanh") : op.equals(GRU) ? List.of("Sigmoid", "Tanh") : List.of("Tanh");
    String[] given = n.attrs.has("activations") ? (String[]) n.attrs.raw("activations") : null;
    float[] alpha = n.attrs.has("activation_alpha") ? n.attrs.getFloats("activation_alpha") : new float[0];
    float[] beta = n.attrs.has("activation_beta") ? n.attrs.getFloats("activation_beta") : new float[0];
    int per = defaults.size();
    QuenchException.check(given == null || given.length == per * dirs, "%s: %d activations for %d directions", n.describe(), given == null ? 0 : given.length, dirs);
    List<ActivationSpec> r = new ArrayList<>();
    int ai = 0, bi = 0;
    for (int d = 0; d < dirs; d++) {
      for (int k = 0; k < per; k++) {
        String name = (given == null ? defaults.get(k) : given[d * per + k]).toLowerCase(java.util.Locale.ROOT);
        QuenchException.check(ACTIVATIONS.contains(name), "%s: unknown activation '%s'", n.describe(), name);
        double al = 0, be = 0;
        if (ACTIVATIONS.indexOf(name) >= 5) al = ai < alpha.length ? alpha[ai++] : name.equals("leakyrelu") ? 0.01 : name.equals("hardsigmoid") ? 0.2 : 1.0;
        if (List.of("affine", "scaledtanh", "hardsigmoid").contains(name)) be = bi < beta.length ? beta[bi++] : name.equals("hardsigmoid") ? 0.5 : 0.0;
        r.add(new ActivationSpec(name, al, be));
      }
    }
    return r;
  }

  /** The activations ONNX allows, in the C++ kernel's code order (RnnAct.kind); from index 5 on they take alpha. */
  public static final List<String> ACTIVATIONS = List.of("relu", "tanh", "sigmoid", "softsign", "softplus", "affine", "scaledtanh", "leakyrelu", "thresholdedrelu",
      "hardsigmoid", "elu");

  /** An activation as the interpreter applies it: in double on the float, rounded once. */
  private record Act(MathKernels.FloatFn fn) {
    float apply(float v) {
      return (float) fn.apply(v);
    }
  }

  private static List<Act> activations(Node n, int dirs) {
    List<Act> r = new ArrayList<>();
    Attributes none = new Attributes();
    for (ActivationSpec a : activationSpecs(n, dirs)) {
      double al = a.alpha(), be = a.beta();
      r.add(new Act(switch (a.name()) {
        case "relu" -> MathKernels.unary("Relu", none);
        case "tanh" -> MathKernels.unary("Tanh", none);
        case "sigmoid" -> MathKernels.unary("Sigmoid", none);
        case "softsign" -> MathKernels.unary("Softsign", none);
        case "softplus" -> MathKernels.unary("Softplus", none);
        case "affine" -> v -> al * v + be;
        case "scaledtanh" -> v -> al * dev.quench.ir.kernel.DMath.tanh(be * v);
        case "leakyrelu" -> v -> v >= 0 ? v : al * v;
        case "thresholdedrelu" -> v -> v > al ? v : 0.0;
        case "hardsigmoid" -> v -> Math.max(0, Math.min(1, al * v + be));
        default -> v -> v >= 0 ? v : al * (dev.quench.ir.kernel.DMath.exp(v) - 1);
      }));
    }
    return r;
  }

  /** The fma chain of w[row][k] * v[k] over k from 0 (the C++ twin's order). */
  private static float dot(float[] w, int row, float[] v, int vOff, int len) {
    float acc = 0;
    for (int k = 0; k < len; k++) acc = Math.fma(w[row + k], v[vOff + k], acc);
    return acc;
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    Tensor x = in[0], w = in[1], r = in[2];
    QuenchException.check(x.dtype == DType.FLOAT32, "%s: float32 only", n.describe());
    Geometry g = geometry(n, x.shape(), w.shape());
    String op = n.opType;
    int gc = gates(op), hs = g.hidden, is = g.input, bs = g.batch, seq = g.seq;
    Tensor b = in.length > 3 ? in[3] : null, lens = in.length > 4 ? in[4] : null, h0 = in.length > 5 ? in[5] : null;
    Tensor c0 = op.equals(LSTM) && in.length > 6 ? in[6] : null, p = op.equals(LSTM) && in.length > 7 ? in[7] : null;
    float clip = n.attrs.getFloat("clip", Float.POSITIVE_INFINITY);
    boolean coupled = op.equals(LSTM) && n.attrs.getInt("input_forget", 0) != 0, linearBeforeReset = op.equals(GRU) && n.attrs.getInt("linear_before_reset", 0) != 0;
    String dir = n.attrs.getString("direction", "forward");
    List<Act> acts = activations(n, g.dirs);
    int per = acts.size() / g.dirs;
    float[] xf = x.f, wf = weights(n, w, W_FRAC), rf = weights(n, r, R_FRAC);
    float[] yf = new float[seq * g.dirs * bs * hs], hOut = new float[g.dirs * bs * hs], cOut = new float[g.dirs * bs * hs];
    for (int d = 0; d < g.dirs; d++) {
      boolean reverse = dir.equals("reverse") || d == 1;
      Act f = acts.get(d * per), gAct = per > 1 ? acts.get(d * per + 1) : null, hAct = per > 2 ? acts.get(d * per + 2) : null;
      int wOff = d * gc * hs * is, rOff = d * gc * hs * hs, bOff = d * 2 * gc * hs, pOff = d * 3 * hs;
      for (int bi = 0; bi < bs; bi++) {
        int len = lens == null ? seq : (int) lens.getLong(bi);
        QuenchException.check(len >= 0 && len <= seq, "%s: sequence length %d of batch %d outside 0..%d", n.describe(), len, bi, seq);
        float[] h = new float[hs], c = new float[hs];
        for (int j = 0; j < hs; j++) {
          int at = g.batchFirst ? (bi * g.dirs + d) * hs + j : (d * bs + bi) * hs + j;
          h[j] = h0 == null ? 0 : h0.f[at];
          c[j] = c0 == null ? 0 : c0.f[at];
        }
        float[] pre = new float[gc * hs], xt = new float[is];
        for (int step = 0; step < len; step++) {
          int t = reverse ? len - 1 - step : step;
          for (int k = 0; k < is; k++) xt[k] = xf[g.batchFirst ? (bi * seq + t) * is + k : (t * bs + bi) * is + k];
          for (int q = 0; q < gc * hs; q++) {
            float a = dot(wf, wOff + q * is, xt, 0, is);
            // GRU with linear_before_reset: the hidden gate's recurrent part is added after the reset
            boolean later = op.equals(GRU) && q >= 2 * hs;
            float rec = later ? 0 : dot(rf, rOff + q * hs, h, 0, hs);
            // (the GRU hidden gate: its input part and Wb only; the recurrent part follows the reset)
            float v = later ? a : a + rec;
            if (b != null) v = later ? v + b.f[bOff + q] : (v + b.f[bOff + q]) + b.f[bOff + gc * hs + q];
            pre[q] = v;
          }
          float[] hNew = new float[hs];
          switch (op) {
            case LSTM -> {
              // gate order i o f c
              for (int j = 0; j < hs; j++) {
                float iv = pre[j], ov = pre[hs + j], fv = pre[2 * hs + j], cv = pre[3 * hs + j];
                if (p != null) {
                  iv = iv + p.f[pOff + j] * c[j];
                  fv = fv + p.f[pOff + 2 * hs + j] * c[j];
                }
                float it = f.apply(clip(iv, clip)), ft = coupled ? 1 - it : f.apply(clip(fv, clip)), ct = gAct.apply(clip(cv, clip));
                float cNew = ft * c[j] + it * ct;
                if (p != null) ov = ov + p.f[pOff + hs + j] * cNew;
                float ot = f.apply(clip(ov, clip));
                c[j] = cNew;
                hNew[j] = ot * hAct.apply(cNew);
              }
            }
            case GRU -> {
              // gate order z r h; the hidden gate reads r * h (or r * (R h + Rb) with linear_before_reset)
              float[] zt = new float[hs], rt = new float[hs];
              for (int j = 0; j < hs; j++) {
                zt[j] = f.apply(clip(pre[j], clip));
                rt[j] = f.apply(clip(pre[hs + j], clip));
              }
              float[] rh = new float[hs];
              for (int j = 0; j < hs; j++) rh[j] = rt[j] * h[j];
              for (int j = 0; j < hs; j++) {
                int q = 2 * hs + j;
                float v;
                if (linearBeforeReset) {
                  float rec = dot(rf, rOff + q * hs, h, 0, hs);
                  if (b != null) rec = rec + b.f[bOff + gc * hs + q];
                  v = pre[q] + rt[j] * rec;
                } else {
                  v = pre[q] + dot(rf, rOff + q * hs, rh, 0, hs);
                  if (b != null) v = v + b.f[bOff + gc * hs + q];
                }
                float ht = gAct.apply(clip(v, clip));
                hNew[j] = (1 - zt[j]) * ht + zt[j] * h[j];
              }
            }
            default -> {
              for (int j = 0; j < hs; j++) hNew[j] = f.apply(clip(pre[j], clip));
            }
          }
          h = hNew;
          for (int j = 0; j < hs; j++) yf[g.batchFirst ? ((bi * seq + t) * g.dirs + d) * hs + j : ((t * g.dirs + d) * bs + bi) * hs + j] = h[j];
        }
        for (int j = 0; j < hs; j++) {
          int at = g.batchFirst ? (bi * g.dirs + d) * hs + j : (d * bs + bi) * hs + j;
          hOut[at] = h[j];
          cOut[at] = c[j];
        }
      }
    }
    int[] ys = g.batchFirst ? new int[] {bs, seq, g.dirs, hs} : new int[] {seq, g.dirs, bs, hs};
    int[] hsShape = g.batchFirst ? new int[] {bs, g.dirs, hs} : new int[] {g.dirs, bs, hs};
    Tensor[] all = {Tensor.ofFloat(ys, yf), Tensor.ofFloat(hsShape, hOut), Tensor.ofFloat(hsShape, cOut)};
    return java.util.Arrays.copyOf(all, Math.min(n.outputs().size(), op.equals(LSTM) ? 3 : 2));
  }

  private static float clip(float v, float c) {
    return c == Float.POSITIVE_INFINITY ? v : (v < -c ? -c : (v > c ? c : v));
  }
}
