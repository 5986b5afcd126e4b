package dev.quench.backends.codegen;

import dev.quench.ir.op.MatMul;
import dev.quench.ir.op.Softmax;
import dev.quench.ir.DType;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Value;
import java.util.Arrays;
import java.util.List;

/**
 * Float islands: LayerNormalization, MatMul, the reductions and Softmax with the interpreter's
 * order of operations (kernels/float.h); and the integer forms of MatMul of two activations
 * (kernels/fully_connected.h), of ReduceSum / Mean / Max / Min (kernels/pool.h), of Softmax and
 * LayerNormalization (kernels/elementwise.h).
 */
public final class FloatIslandLowering implements FamilyLowering {
  /** mean, inv: the optional Mean and InvStdDev outputs (nullptr when absent). */
  public record LayerNormArgs(String outer, String inner, String scale, String bias, String eps, String mean, String inv) {}

  /** A quantized LayerNormalization: rows, the int16 scale and int32 bias, epsilon in integer units, the requantization. */
  public record LayerNormIntArgs(String outer, String inner, String gamma, String beta, String eps, Lowering.RequantArgs rq) {}

  /** b: the second operand; bBatched: 1 when it has the batch dims too. */
  public record MatMulArgs(String b, String batch, String m, String n, String k, String bBatched, Lowering.RequantArgs rq) {}

  /** kept: each input dim's stride among the output's (0 for reduced dims); op: the index in {@link #REDUCTIONS}. */
  public record ReduceArgs(String rank, String inDims, String kept, String inSize, String outSize, String op, String shiftLeft, String lo, String hi) {}

  /** The reductions of reduce_f32 (kernels/float.h), in its opcode order. */
  static final List<String> REDUCTIONS = List.of("ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceSumSquare", "ReduceL2", "ReduceL1",
      "ReduceLogSum", "ReduceLogSumExp");

  /** ArgMax / ArgMin along one axis: outer x len x inner, max 1 for ArgMax. */
  public record ArgArgs(String outer, String len, String inner, String max, String selectLast) {}

  /** mode: 0 Softmax, 1 LogSoftmax, 2 Hardmax. */
  public record SoftmaxArgs(String outer, String len, String inner, String mode) {}

  /** A quantized Softmax: the layout, its exp tables (Q30), the output frac and clamp. */
  public record SoftmaxIntArgs(String outer, String len, String inner, String low, String high, String outFrac, String lo, String hi) {}

  /** Gemm: operands, sizes, transposes, alpha, beta, C's row and column strides (0: broadcast), the fused activation. */
  public record GemmArgs(String b, String c, String m, String n, String k, String transA, String transB, String alpha, String beta, String cRs, String cCs,
      String activation) {}

  /** BatchNormalization at run time: outer, channels, inner, scale, bias, mean, var, eps, training, momentum, the running statistics' outputs (nullptr when absent). */
  public record BatchNormArgs(String outer, String c, String inner, String scale, String bias, String mean, String var, String eps, String training, String momentum,
      String runMean, String runVar) {}

  /** MeanVarianceNormalization: the element count, rank, dims, kept axes (1) and the group count. */
  public record MvnArgs(String size, String rank, String dims, String kept, String groups) {}

  /** Per axis of an MVN's input, 1 when the axis is kept (not normalized over: LocalNorm.mvnReduced). */
  static long[] mvnKept(Node n, int[] s) {
    boolean[] red = dev.quench.ir.op.LocalNorm.mvnReduced(n, s.length);
    long[] kept = new long[s.length];
    for (int d = 0; d < s.length; d++) kept[d] = red[d] ? 0 : 1;
    return kept;
  }

  /** The groups an MVN normalizes separately: the product of its kept axes. */
  static long mvnGroups(Node n, int[] s) {
    long[] kept = mvnKept(n, s);
    long groups = 1;
    for (int d = 0; d < s.length; d++) if (kept[d] != 0) groups *= s[d];
    return groups;
  }

  /** LRN: batch, channels, inner, the window size, alpha, beta, bias. */
  public record LrnArgs(String n, String c, String inner, String size, String alpha, String beta, String bias) {}

  /** CumSum along one axis: outer x len x inner, exclusive, reverse. */
  public record CumSumArgs(String outer, String len, String inner, String exclusive, String reverse) {}

  /** InstanceNormalization: nc planes of inner elements, c channels, scale and bias, epsilon. */
  public record InstanceNormArgs(String nc, String c, String inner, String scale, String bias, String eps) {}

  @Override
  public boolean lowers(String opType, boolean floatForm) {
    if (opType.equals("ArgMax") || opType.equals("ArgMin")) return true;  // on floats or integers (arg_reduce_any)
    if (List.of("ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin").contains(opType)) return true;  // and quantized (reduce_int)
    if (opType.equals(MatMul.MATMUL) || opType.equals(Softmax.SOFTMAX) || opType.equals("LayerNormalization")) return true;  // and quantized (matmul_int, softmax_int, layer_norm_int)
    return floatForm && (java.util.Set.of("LayerNormalization", "BatchNormalization", "InstanceNormalization", "Gemm", "CumSum", "LRN", "MeanVarianceNormalization", MatMul.MATMUL, Softmax.SOFTMAX, "LogSoftmax", "Hardmax", "ArgMax",
        "ArgMin").contains(opType) || REDUCTIONS.contains(opType));
  }

  /** A float constant made at compile time. */
  private static Value floats(String name, float[] v) {
    Value c = new Value(name);
    c.setType(new dev.quench.ir.TensorType(DType.FLOAT32, new int[] {v.length}));
    c.setData(dev.quench.ir.Tensor.ofFloat(new int[] {v.length}, v));
    return c;
  }

  @Override
  public Lowered lower(Node n, Lowering l, KernelChoice kernel, boolean npu) {
    String op = n.opType;
    Value x = n.inputs().isEmpty() ? null : n.input(0), y = n.output(0);
    switch (op) {
      case "LayerNormalization" -> {
        if (dev.quench.ir.Requant.present(n.attrs)) {
          int[] rows = dev.quench.ir.op.Normalization.layerNormRows(n, x.type().shape());
          return new Lowered("layer_norm_int", "layer_norm_int", new LayerNormIntArgs(Integer.toString(rows[0]), Integer.toString(rows[1]), l.operand(n.input(1), n.name + "_gamma"),
              n.input(2) == null ? "nullptr" : l.operand(n.input(2), n.name + "_beta"), Long.toString(n.attrs.getInt(dev.quench.ir.op.Normalization.LN_EPS, 0)) + "ll", l.requant(n)));
        }
        QuenchException.check(y.type().dtype() == DType.FLOAT32, "codegen: %s: float LayerNormalization", n.describe());
        int[] s = x.type().shape();
        int axis = Shapes.axis((int) n.attrs.getInt("axis", -1), s.length);
        int inner = Shapes.product(s, axis, s.length);
        QuenchException.check(n.input(1).type().numel() == inner && (n.input(2) == null || n.input(2).type().numel() == inner),
            "codegen: %s: scale and bias must cover the normalised axes", n.describe());
        return new Lowered("layer_norm", "layer_norm_f32", new LayerNormArgs(Integer.toString(Shapes.product(s, 0, axis)), Integer.toString(inner),
            l.operand(n.input(1), n.name + "_scale"), n.inputs().size() < 3 || n.input(2) == null ? "nullptr" : l.operand(n.input(2), n.name + "_bias"),
            Lowering.doubleLiteral(n.attrs.getFloat("epsilon", 1e-5f)), n.outputs().size() > 1 && n.output(1) != null ? l.ptr(n.output(1)) : "nullptr",
            n.outputs().size() > 2 && n.output(2) != null ? l.ptr(n.output(2)) : "nullptr"));
      }
      case MatMul.MATMUL -> {
        boolean quantized = dev.quench.ir.Requant.present(n.attrs);
        QuenchException.check(quantized || y.type().dtype() == DType.FLOAT32 && n.attrs.getString("activation", null) == null, "codegen: %s: float or quantized MatMul only", n.describe());
        int[] a = x.type().shape(), b = n.input(1).type().shape();
        QuenchException.check(a.length >= 2 && b.length >= 2, "codegen: %s: 1-D MatMul operands", n.describe());
        int mm = a[a.length - 2], k = a[a.length - 1], nn = b[b.length - 1];
        long batch = x.type().numel() / ((long) mm * k), bBatch = n.input(1).type().numel() / ((long) k * nn);
        QuenchException.check(bBatch == 1 || bBatch == batch, "codegen: %s: broadcast batch dims", n.describe());
        QuenchException.check(y.type().numel() == batch * mm * nn, "codegen: %s: broadcast batch dims", n.describe());
        Lowering.RequantArgs rq = quantized ? l.requant(n) : null;
        return new Lowered(quantized ? "matmul_int" : "matmul", quantized ? "matmul_int" : "matmul_f32", new MatMulArgs(l.operand(n.input(1), n.name + "_b"),
            Long.toString(batch), Integer.toString(mm), Integer.toString(nn), Integer.toString(k), bBatch == batch && batch > 1 ? "1" : "0", rq));
      }
      case "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceSumSquare", "ReduceL2", "ReduceL1", "ReduceLogSum", "ReduceLogSumExp" -> {
        boolean quantized = n.attrs.has(dev.quench.ir.Requant.OUT_BITS);
        QuenchException.check(quantized || y.type().dtype() == DType.FLOAT32 && x.type().dtype() == DType.FLOAT32, "codegen: %s: float or quantized reductions only", n.describe());
        int[] s = x.type().shape(), os = y.type().shape();
        // kept strides: each input dim's stride in the output (0 for reduced dims), found from the shapes
        long[] kept = Lowering.keptStrides(n, s);
        // (the integer form: reduce_int's first four opcodes are reduce_f32's, with the shift and the clamp)
        DType t = y.type().dtype();
        return new Lowered(quantized ? "reduce_int" : "reduce", quantized ? "reduce_int" : "reduce_f32", new ReduceArgs(Integer.toString(s.length),
            l.consts.addInts(n.name + "_in_dims", DType.INT32, Arrays.stream(s).asLongStream().toArray()), l.consts.addInts(n.name + "_kept", DType.INT32, kept),
            Long.toString(x.type().numel()), Long.toString(Shapes.numel(os)), Integer.toString(REDUCTIONS.indexOf(op)), Long.toString(n.attrs.getInt("shift_left", 0)),
            quantized ? Long.toString(dev.quench.ir.DTypes.lo(t)) : "0", quantized ? Long.toString(dev.quench.ir.DTypes.hi(t)) : "0"));
      }
      case "LRN" -> {
        int[] s = x.type().shape();
        return new Lowered("lrn", "lrn_f32", new LrnArgs(Integer.toString(s[0]), Integer.toString(s[1]), Integer.toString(Shapes.product(s, 2, s.length)),
            Long.toString(n.attrs.getInt("size", 0)), Lowering.doubleLiteral(n.attrs.getFloat("alpha", 1e-4f)), Lowering.doubleLiteral(n.attrs.getFloat("beta", 0.75f)),
            Lowering.doubleLiteral(n.attrs.getFloat("bias", 1f))));
      }
      case "MeanVarianceNormalization" -> {
        int[] s = x.type().shape();
        long[] kept = mvnKept(n, s);
        long groups = mvnGroups(n, s);
        return new Lowered("mvn", "mvn_f32", new MvnArgs(Long.toString(x.type().numel()), Integer.toString(s.length),
            l.consts.addInts(n.name + "_dims", DType.INT32, java.util.Arrays.stream(s).asLongStream().toArray()), l.consts.addInts(n.name + "_kept", DType.UINT8, kept),
            Long.toString(groups)));
      }
      case "CumSum" -> {
        QuenchException.check(y.type().dtype() == DType.FLOAT32 && n.input(1).isConstant(), "codegen: %s: float CumSum along a constant axis", n.describe());
        int[] s = x.type().shape();
        int axis = Shapes.axis(n.input(1).data().getLong(0), s.length);
        return new Lowered("cumsum", "cumsum_f32", new CumSumArgs(Integer.toString(Shapes.product(s, 0, axis)), Integer.toString(s[axis]),
            Integer.toString(Shapes.product(s, axis + 1, s.length)), Long.toString(n.attrs.getInt("exclusive", 0)), Long.toString(n.attrs.getInt("reverse", 0))));
      }
      case "Gemm" -> {
        QuenchException.check(y.type().dtype() == DType.FLOAT32, "codegen: %s: float Gemm only", n.describe());
        int[] as = x.type().shape(), bs = n.input(1).type().shape();
        boolean ta = n.attrs.getInt("transA", 0) != 0, tb = n.attrs.getInt("transB", 0) != 0;
        int m = ta ? as[1] : as[0], k = ta ? as[0] : as[1], nn = tb ? bs[0] : bs[1];
        Value c = n.inputs().size() > 2 ? n.input(2) : null;
        int rs = 0, cs = 0;
        if (c != null) {
          int[] s = c.type().shape();
          int rows = s.length == 2 ? s[0] : 1, cols = s.length == 0 ? 1 : s[s.length - 1];
          rs = rows == 1 ? 0 : cols;
          cs = cols == 1 ? 0 : 1;
        }
        String bp = l.operand(n.input(1), n.name + "_b");
        String cp = c == null ? "nullptr" : l.operand(c, n.name + "_c");
        return new Lowered("gemm", "gemm_f32", new GemmArgs(bp, cp, Integer.toString(m), Integer.toString(nn), Integer.toString(k), ta ? "1" : "0", tb ? "1" : "0",
            Lowering.floatLiteral(n.attrs.getFloat("alpha", 1f)), Lowering.floatLiteral(n.attrs.getFloat("beta", 1f)), Integer.toString(rs), Integer.toString(cs),
            Lowering.activationF32(n)));
      }
      case "BatchNormalization" -> {
        // inference with constant statistics: y = x * k + b per channel, k and b as Normalization.java forms them
        boolean training = n.opset >= 14 && n.attrs.getInt("training_mode", 0) != 0, constant = true;
        for (int i = 1; i <= 4; i++) constant &= n.input(i).isConstant();
        boolean more = n.outputs().size() > 1 && n.output(1) != null || n.outputs().size() > 2 && n.output(2) != null;
        if (training || !constant || more) {
          // statistics computed at run time, the batch's (training), or the running ones written out
          int[] s = x.type().shape();
          String[] p = new String[4];
          for (int i = 1; i <= 4; i++) p[i - 1] = l.operand(n.input(i), n.name + "_in" + i);
          return new Lowered("batch_norm", "batch_norm_f32", new BatchNormArgs(Integer.toString(s[0]), Integer.toString(s[1]), Integer.toString(Shapes.product(s, 2, s.length)),
              p[0], p[1], p[2], p[3], Lowering.doubleLiteral(n.attrs.getFloat("epsilon", 1e-5f)), training ? "1" : "0", Lowering.doubleLiteral(n.attrs.getFloat("momentum", 0.9f)),
              n.outputs().size() > 1 && n.output(1) != null ? l.ptr(n.output(1)) : "nullptr", n.outputs().size() > 2 && n.output(2) != null ? l.ptr(n.output(2)) : "nullptr"));
        }
        float[] sc = n.input(1).data().toFloats(), bi = n.input(2).data().toFloats(), mean = n.input(3).data().toFloats(), var = n.input(4).data().toFloats();
        double eps = n.attrs.getFloat("epsilon", 1e-5f);
        float[] k = new float[sc.length], b = new float[sc.length];
        for (int ch = 0; ch < sc.length; ch++) {
          double kd = sc[ch] / Math.sqrt(var[ch] + eps);
          k[ch] = (float) kd;
          b[ch] = (float) (bi[ch] - mean[ch] * kd);
        }
        int[] s = x.type().shape();
        return new Lowered("channel_affine_f32", "channel_affine_f32", new ChannelAffineLowering.FloatArgs(Integer.toString(s[0]), Integer.toString(s[1]),
            Integer.toString(Shapes.product(s, 2, s.length)), l.consts.add(n.name + "_k", floats(n.name + "_k", k)), l.consts.add(n.name + "_b", floats(n.name + "_b", b)),
            "0, 0.0f, 0.0f"));
      }
      case "InstanceNormalization" -> {
        int[] s = x.type().shape();
        return new Lowered("instance_norm", "instance_norm_f32", new InstanceNormArgs(Integer.toString(s[0] * s[1]), Integer.toString(s[1]),
            Integer.toString(Shapes.product(s, 2, s.length)), l.consts.add(n.name + "_scale", n.input(1)), l.consts.add(n.name + "_bias", n.input(2)),
            Lowering.doubleLiteral(n.attrs.getFloat("epsilon", 1e-5f))));
      }
      case "ArgMax", "ArgMin" -> {
        int[] s = x.type().shape();
        int axis = Shapes.axis((int) n.attrs.getInt("axis", 0), s.length);
        return new Lowered("arg_reduce", "arg_reduce_any", new ArgArgs(Integer.toString(Shapes.product(s, 0, axis)), Integer.toString(s[axis]),
            Integer.toString(Shapes.product(s, axis + 1, s.length)), op.equals("ArgMax") ? "1" : "0", Long.toString(n.attrs.getInt("select_last_index", 0))));
      }
      case Softmax.SOFTMAX, "LogSoftmax", "Hardmax" -> {
        int[] shape = Lowering.softmaxShape(n);
        if (n.attrs.has(Softmax.EXP_LOW)) {
          DType t = y.type().dtype();
          return new Lowered("softmax_int", "softmax_int", new SoftmaxIntArgs(Integer.toString(shape[0]), Integer.toString(shape[1]), Integer.toString(shape[2]),
              l.consts.addInts(n.name + "_exp_low", DType.INT32, n.attrs.getInts(Softmax.EXP_LOW)), l.consts.addInts(n.name + "_exp_high", DType.INT32,
              n.attrs.getInts(Softmax.EXP_HIGH)), Long.toString(n.attrs.getInt(Softmax.OUT_FRAC, 0)), Long.toString(dev.quench.ir.DTypes.lo(t)),
              Long.toString(dev.quench.ir.DTypes.hi(t))));
        }
        QuenchException.check(y.type().dtype() == DType.FLOAT32, "codegen: %s: float %s only", n.describe(), op);
        return new Lowered("softmax", "softmax_f32", new SoftmaxArgs(Integer.toString(shape[0]), Integer.toString(shape[1]), Integer.toString(shape[2]),
            Integer.toString(List.of(Softmax.SOFTMAX, "LogSoftmax", "Hardmax").indexOf(op))));
      }
      default -> throw new QuenchException("codegen: " + n.describe() + ": no C++ kernel for " + op + " yet", 2, null);
    }
  }
}
