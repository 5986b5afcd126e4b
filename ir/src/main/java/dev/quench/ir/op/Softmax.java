package dev.quench.ir.op;

import dev.quench.ir.Node;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import java.util.List;

/**
 * Softmax, LogSoftmax, Hardmax. Before opset 13 the input is coerced to 2-D at {@code axis}
 * (default 1) and normalised over the whole flattened tail; from 13 on over the single
 * {@code axis} (default -1).
 */
public final class Softmax implements Op {
  /** The op type this spec names (referenced by the passes and back ends instead of string literals). */
  public static final String SOFTMAX = "Softmax";

  @Override
  public List<String> onnxNames() {
    return List.of(SOFTMAX, "LogSoftmax", "Hardmax");
  }

  /** Integer form (Softmax only): exp by tables of the input's integer distance to the maximum, an exact integer normalisation. */
  @Override
  public java.util.Set<Trait> traits(String opType) {
    return opType.equals(SOFTMAX) ? Trait.of(Trait.INTEGER) : java.util.Set.of();
  }

  /** The attributes of the integer form: exp tables (Q30) of the distance's low and high byte, and the output frac. */
  public static final String EXP_LOW = "exp_low", EXP_HIGH = "exp_high", OUT_FRAC = "out_frac";
  /** The tables' fixed point: e^-d as an integer in units of 2^-30. */
  public static final int EXP_BITS = 30;

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    TensorType t = c.type(0);
    Shapes.axis(n.attrs.getInt("axis", n.opset < 13 ? 1 : -1), t.rank());
    return List.of(new TensorType(dev.quench.ir.DTypes.outType(n.attrs, t.dtype()), t.shape()));
  }

  /** Outer, the normalised length, inner (opset < 13 flattens from the axis on). */
  public static int[] layout(Node n, int[] s) {
    int axis = Shapes.axis(n.attrs.getInt("axis", n.opset < 13 ? 1 : -1), s.length);
    if (n.opset < 13) return new int[] {Shapes.product(s, 0, axis), Shapes.product(s, axis, s.length), 1};
    return new int[] {Shapes.product(s, 0, axis), s.length == 0 ? 1 : s[axis], Shapes.product(s, axis + 1, s.length)};
  }

  /**
   * The exp tables of a quantized Softmax whose input has frac fx: low[k] = e^-(k 2^-fx) and
   * high[k] = e^-(256 k 2^-fx), each rounded to an integer in units of 2^-30 (computed here, at
   * compile time; the device only looks them up).
   */
  public static long[][] expTables(int fx) {
    long[] low = new long[256], high = new long[256];
    for (int k = 0; k < 256; k++) {
      low[k] = Math.round(Math.exp(-Math.scalb((double) k, -fx)) * (1L << EXP_BITS));
      high[k] = Math.round(Math.exp(-Math.scalb(256.0 * k, -fx)) * (1L << EXP_BITS));
    }
    return new long[][] {low, high};
  }

  /**
   * e^-d for an integer distance d = max - q >= 0 (up to 16 bits) in units of 2^-30: the low byte's
   * entry, times the high byte's when d >= 256, rounded back to 2^-30 (C++: softmax_int).
   */
  public static long exp(long d, long[] low, long[] high) {
    if (d < 256) return low[(int) d];
    long h = d >> 8;
    if (h > 255) return 0;
    return (low[(int) (d & 255)] * high[(int) h] + (1L << (EXP_BITS - 1))) >> EXP_BITS;
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    Tensor x = in[0];
    int[] s = x.shape();
    int[] lay = layout(n, s);
    int outer = lay[0], len = lay[1], inner = lay[2];
    if (n.attrs.has(EXP_LOW)) return new Tensor[] {quantized(n, x, outer, len, inner)};
    float[] y = new float[x.numel()];
    double[] buf = new double[len];
    float[] fbuf = new float[len];
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        int base = o * len * inner + i;
        double max = Double.NEGATIVE_INFINITY;
        int arg = 0;
        for (int k = 0; k < len; k++) {
          double v = x.f[base + k * inner];
          if (v > max) {
            max = v;
            arg = k;
          }
        }
        if (n.opType.equals("Hardmax")) {
          y[base + arg * inner] = 1;
          continue;
        }
        boolean log = n.opType.equals("LogSoftmax");
        if (!log) {
          // float arithmetic with QMath.exp, summed in index order: the C++ runtime does the same
          float fmax = (float) max, sum = 0;
          for (int k = 0; k < len; k++) {
            float e = dev.quench.ir.kernel.QMath.exp(x.f[base + k * inner] - fmax);
            fbuf[k] = e;
            sum += e;
          }
          for (int k = 0; k < len; k++) y[base + k * inner] = fbuf[k] / sum;
          continue;
        }
        double sum = 0;
        for (int k = 0; k < len; k++) {
          buf[k] = x.f[base + k * inner] - max;
          sum += dev.quench.ir.kernel.DMath.exp(buf[k]);
        }
        double logSum = dev.quench.ir.kernel.DMath.log(sum);
        for (int k = 0; k < len; k++) y[base + k * inner] = (float) (buf[k] - logSum);
      }
    }
    return new Tensor[] {Tensor.ofFloat(x.dtype, s, y)};
  }

  /**
   * The quantized Softmax: per row the maximum of the integers, e_k = exp(max - q_k) by the tables,
   * S = their sum, y_k = e_k 2^out_frac / S rounded half up, clamped to the output type.
   */
  private static Tensor quantized(Node n, Tensor x, int outer, int len, int inner) {
    long[] low = n.attrs.getInts(EXP_LOW), high = n.attrs.getInts(EXP_HIGH);
    int fy = (int) n.attrs.getInt(OUT_FRAC, 0);
    dev.quench.ir.DType t = dev.quench.ir.DTypes.quantizedOut(n.attrs);
    long lo = dev.quench.ir.DTypes.lo(t), hi = dev.quench.ir.DTypes.hi(t);
    long[] y = new long[x.numel()], e = new long[len];
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        int base = o * len * inner + i;
        long max = Long.MIN_VALUE, sum = 0;
        for (int k = 0; k < len; k++) max = Math.max(max, x.l[base + k * inner]);
        for (int k = 0; k < len; k++) sum += e[k] = exp(max - x.l[base + k * inner], low, high);
        for (int k = 0; k < len; k++) y[base + k * inner] = dev.quench.ir.FixedPoint.clamp(dev.quench.ir.FixedPoint.divRound(e[k] << fy, sum), lo, hi);
      }
    }
    return Tensor.ofLong(t, x.shape(), y);
  }
}
