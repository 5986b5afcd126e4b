package dev.quench.ir.op;

import dev.quench.ir.DType;
import dev.quench.ir.Node;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import dev.quench.ir.kernel.IndexMap;
import java.util.List;

/**
 * Reductions over a set of axes (attribute before opset 18 — 13 for ReduceSum — input after;
 * empty means all axes unless noop_with_empty_axes), keepdims; ArgMax/ArgMin over one axis.
 */
public final class Reduce implements Op {
  /** The reductions with an integer form: ArgMax / ArgMin read integers as they are (their order is the values'), these four requantize. */
  static final List<String> INTEGER = List.of("ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin");

  /**
   * ArgMax and ArgMin read integers as they are; ReduceSum, ReduceMean, ReduceMax and ReduceMin
   * have an integer form (exact int64 sums or the extreme, landed on the output frac); the other
   * reductions compute in float.
   */
  @Override
  public java.util.Set<Trait> traits(String opType) {
    return opType.equals("ArgMax") || opType.equals("ArgMin") || INTEGER.contains(opType) ? Trait.of(Trait.INTEGER) : java.util.Set.of();
  }

  @Override
  public List<String> onnxNames() {
    return List.of("ReduceMean", "ReduceMax", "ReduceMin", "ReduceSum", "ReduceProd", "ReduceSumSquare", "ReduceL1", "ReduceL2",
        "ReduceLogSum", "ReduceLogSumExp", "ArgMax", "ArgMin");
  }

  private static boolean arg(Node n) {
    return n.opType.startsWith("Arg");
  }

  /** Which axes are reduced; null means the node is a no-op. */
  /** No axes with noop_with_empty_axes: the input itself (a sum over nothing would still turn -0 into +0). */
  @Override
  public boolean passesThrough(Node n) {
    if (arg(n) || n.input(0) == null || n.input(0).type() == null) return false;
    Tensor ax = n.inputs().size() > 1 && n.input(1) != null ? n.input(1).data() : null;
    if (n.inputs().size() > 1 && n.input(1) != null && ax == null) return false;  // axes computed at run time
    return axes(n, n.input(0).type().shape().length, ax) == null;
  }

  /** The reduced dims of a node whose axes are known at compile time (null: the input passes through). */
  public static boolean[] reduced(Node n, int rank) {
    Tensor ax = n.inputs().size() > 1 && n.input(1) != null ? n.input(1).data() : null;
    dev.quench.ir.QuenchException.check(n.inputs().size() < 2 || n.input(1) == null || ax != null, "%s: axes computed at run time", n.describe());
    return axes(n, rank, ax);
  }

  private static boolean[] axes(Node n, int rank, Tensor axesInput) {
    boolean[] red = new boolean[rank];
    if (arg(n)) {
      red[Shapes.axis(n.attrs.getInt("axis", 0), rank)] = true;
      return red;
    }
    int inputFrom = n.opType.equals("ReduceSum") ? 13 : 18;
    long[] ax = n.opset < inputFrom ? n.attrs.getInts("axes") : (axesInput == null ? null : axesInput.toLongs());
    if (ax == null || ax.length == 0) {
      if (n.attrs.getInt("noop_with_empty_axes", 0) != 0) return null;
      java.util.Arrays.fill(red, true);
      return red;
    }
    for (long a : ax) red[Shapes.axis(a, rank)] = true;
    return red;
  }

  private static int[] outShape(Node n, int[] s, boolean[] red) {
    boolean keep = n.attrs.getInt("keepdims", 1) != 0;
    java.util.ArrayList<Integer> o = new java.util.ArrayList<>();
    for (int i = 0; i < s.length; i++) {
      if (!red[i]) o.add(s[i]);
      else if (keep) o.add(1);
    }
    return o.stream().mapToInt(Integer::intValue).toArray();
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    int[] s = c.shape(0);
    boolean[] red = axes(n, s.length, c.has(1) ? c.need(1, "axes") : null);
    if (red == null) return List.of(c.type(0));
    return List.of(new TensorType(arg(n) ? DType.INT64 : dev.quench.ir.DTypes.outType(n.attrs, c.dtype(0)), outShape(n, s, red)));
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    Tensor x = in[0];
    int[] s = x.shape();
    boolean[] red = axes(n, s.length, in.length > 1 ? in[1] : null);
    if (red == null) return new Tensor[] {x};
    int[] out = outShape(n, s, red);
    int outLen = Shapes.numel(out), r = s.length;
    // map each input element to its output slot
    int[] keptStride = new int[r];
    int acc = 1;
    for (int d = r - 1; d >= 0; d--) {
      keptStride[d] = red[d] ? 0 : acc;
      if (!red[d]) acc *= s[d];
    }
    if (n.attrs.has(dev.quench.ir.Requant.OUT_BITS)) return new Tensor[] {quantized(n, x, IndexMap.strided(s, keptStride), out)};
    int redAxis = -1;
    for (int d = 0; d < r; d++) if (red[d]) redAxis = d;
    double[] res = new double[outLen];
    long[] argIdx = new long[outLen];
    String op = n.opType;
    boolean selectLast = n.attrs.getInt("select_last_index", 0) != 0;
    double init = switch (op) {
      case "ReduceMax", "ArgMax" -> Double.NEGATIVE_INFINITY;
      case "ReduceMin", "ArgMin" -> Double.POSITIVE_INFINITY;
      case "ReduceProd" -> 1;
      default -> 0;
    };
    java.util.Arrays.fill(res, init);
    int len = x.numel();
    int[] slots = IndexMap.strided(s, keptStride);
    int axisStride = redAxis < 0 ? 1 : Shapes.strides(s)[redAxis], axisDim = redAxis < 0 ? 1 : s[redAxis];
    double[] logMax = op.equals("ReduceLogSumExp") ? maxPerSlot(x, slots, outLen) : null;
    for (int k = 0; k < len; k++) {
      double v = x.getDouble(k);
      int slot = slots[k];
      switch (op) {
        case "ReduceMax" -> res[slot] = Math.max(res[slot], v);
        case "ReduceMin" -> res[slot] = Math.min(res[slot], v);
        case "ReduceProd" -> res[slot] *= v;
        case "ReduceSumSquare", "ReduceL2" -> res[slot] += v * v;
        case "ReduceL1" -> res[slot] += Math.abs(v);
        case "ReduceLogSumExp" -> res[slot] += dev.quench.ir.kernel.DMath.exp(v - logMax[slot]);
        case "ArgMax" -> {
          if (v > res[slot] || (selectLast && v == res[slot])) {
            res[slot] = v;
            argIdx[slot] = (k / axisStride) % axisDim;
          }
        }
        case "ArgMin" -> {
          if (v < res[slot] || (selectLast && v == res[slot])) {
            res[slot] = v;
            argIdx[slot] = (k / axisStride) % axisDim;
          }
        }
        default -> res[slot] += v;
      }
    }
    if (arg(n)) return new Tensor[] {Tensor.ofLong(out, argIdx)};
    int count = outLen == 0 ? 0 : len / Math.max(outLen, 1);
    Tensor y = Tensor.zeros(x.dtype, out);
    for (int i = 0; i < outLen; i++) {
      double v = switch (op) {
        case "ReduceMean" -> res[i] / count;
        case "ReduceL2" -> Math.sqrt(res[i]);
        case "ReduceLogSum" -> dev.quench.ir.kernel.DMath.log(res[i]);
        case "ReduceLogSumExp" -> dev.quench.ir.kernel.DMath.log(res[i]) + logMax[i];
        default -> res[i];
      };
      y.set(i, v);
    }
    return new Tensor[] {y};
  }

  /**
   * A quantized ReduceSum / ReduceMean / ReduceMax / ReduceMin: per output slot the exact int64 sum
   * (or the extreme) of the input's integers, landed on the output frac (shift_left = f_out - f_in:
   * the sum by a rounding shift, the mean by one rounding division as average pooling), clamped to
   * the output type (C++: reduce_int).
   */
  private static Tensor quantized(Node n, Tensor x, int[] slots, int[] out) {
    int outLen = Shapes.numel(out), len = x.numel(), sl = (int) n.attrs.getInt("shift_left", 0);
    boolean max = n.opType.equals("ReduceMax"), min = n.opType.equals("ReduceMin");
    long[] acc = new long[outLen];
    java.util.Arrays.fill(acc, max ? Long.MIN_VALUE : min ? Long.MAX_VALUE : 0);
    for (int k = 0; k < len; k++) {
      long v = x.l[k];
      int slot = slots[k];
      acc[slot] = max ? Math.max(acc[slot], v) : min ? Math.min(acc[slot], v) : acc[slot] + v;
    }
    DType t = dev.quench.ir.DTypes.quantizedOut(n.attrs);
    long count = outLen == 0 ? 1 : len / outLen, lo = dev.quench.ir.DTypes.lo(t), hi = dev.quench.ir.DTypes.hi(t);
    long[] y = new long[outLen];
    for (int i = 0; i < outLen; i++) {
      long v = n.opType.equals("ReduceMean") ? dev.quench.ir.FixedPoint.meanRound(acc[i], count, sl) : dev.quench.ir.FixedPoint.shiftRound(acc[i], -sl);
      y[i] = dev.quench.ir.FixedPoint.clamp(v, lo, hi);
    }
    return Tensor.ofLong(t, out, y);
  }

  private static double[] maxPerSlot(Tensor x, int[] slots, int outLen) {
    double[] m = new double[outLen];
    java.util.Arrays.fill(m, Double.NEGATIVE_INFINITY);
    for (int k = 0; k < x.numel(); k++) m[slots[k]] = Math.max(m[slots[k]], x.getDouble(k));
    for (int i = 0; i < outLen; i++) if (Double.isInfinite(m[i])) m[i] = 0;
    return m;
  }
}
