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

/** Float islands: LayerNormalization, MatMul, ReduceMean / ReduceSum and Softmax with the interpreter's order of operations (kernels/float.h). */
public final class FloatIslandLowering implements FamilyLowering {
  public record LayerNormArgs(String outer, String inner, String scale, String bias, String eps) {}

  /** b: the second operand; bBatched: 1 when it has the batch dims too. */
  public record MatMulArgs(String b, String batch, String m, String n, String k, String bBatched) {}

  /** kept: each input dim's stride among the output's (0 for reduced dims); op: the index in {@link #REDUCTIONS}. */
  public record ReduceArgs(String rank, String inDims, String kept, String inSize, String outSize, String op) {}

  /** The reductions of reduce_f32 (kernels/float.h), in its opcode order. */
  static final List<String> REDUCTIONS = List.of("ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceSumSquare", "ReduceL2", "ReduceL1",
      "ReduceLogSum", "ReduceLogSumExp");

  /** mode: 0 Softmax, 1 LogSoftmax, 2 Hardmax. */
  public record SoftmaxArgs(String outer, String len, String inner, String mode) {}

  @Override
  public boolean lowers(String opType, boolean floatForm) {
    return floatForm && (java.util.Set.of("LayerNormalization", MatMul.MATMUL, Softmax.SOFTMAX, "LogSoftmax", "Hardmax").contains(opType) || REDUCTIONS.contains(opType));
  }

  @Override
  public Lowered lower(Node n, Lowering l, KernelChoice kernel, boolean npu) {
    String op = n.opType;
    Value x = n.inputs().isEmpty() ? null : n.input(0), y = n.output(0);
    switch (op) {
      case "LayerNormalization" -> {
        QuenchException.check(n.outputs().size() == 1 && y.type().dtype() == DType.FLOAT32, "codegen: %s: float LayerNormalization with one output", n.describe());
        int[] s = x.type().shape();
        int axis = Shapes.axis((int) n.attrs.getInt("axis", -1), s.length);
        int inner = Shapes.product(s, axis, s.length);
        QuenchException.check(n.input(1).type().numel() == inner && (n.input(2) == null || n.input(2).type().numel() == inner),
            "codegen: %s: scale and bias must cover the normalised axes", n.describe());
        return new Lowered("layer_norm", "layer_norm_f32", new LayerNormArgs(Integer.toString(Shapes.product(s, 0, axis)), Integer.toString(inner),
            l.consts.add(n.name + "_scale", n.input(1)), n.input(2) == null ? "nullptr" : l.consts.add(n.name + "_bias", n.input(2)),
            Lowering.doubleLiteral(n.attrs.getFloat("epsilon", 1e-5f))));
      }
      case MatMul.MATMUL -> {
        QuenchException.check(y.type().dtype() == DType.FLOAT32 && n.attrs.getString("activation", null) == null, "codegen: %s: float MatMul only", n.describe());
        int[] a = x.type().shape(), b = n.input(1).type().shape();
        QuenchException.check(a.length >= 2 && b.length >= 2, "codegen: %s: 1-D MatMul operands", n.describe());
        int mm = a[a.length - 2], k = a[a.length - 1], nn = b[b.length - 1];
        long batch = x.type().numel() / ((long) mm * k), bBatch = n.input(1).type().numel() / ((long) k * nn);
        QuenchException.check(bBatch == 1 || bBatch == batch, "codegen: %s: broadcast batch dims", n.describe());
        QuenchException.check(y.type().numel() == batch * mm * nn, "codegen: %s: broadcast batch dims", n.describe());
        return new Lowered("matmul", "matmul_f32", new MatMulArgs(n.input(1).isConstant() ? l.consts.add(n.name + "_b", n.input(1)) : l.ptr(n.input(1)),
            Long.toString(batch), Integer.toString(mm), Integer.toString(nn), Integer.toString(k), bBatch == batch && batch > 1 ? "1" : "0"));
      }
      case "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceSumSquare", "ReduceL2", "ReduceL1", "ReduceLogSum", "ReduceLogSumExp" -> {
        QuenchException.check(y.type().dtype() == DType.FLOAT32 && x.type().dtype() == DType.FLOAT32, "codegen: %s: float reductions only", n.describe());
        int[] s = x.type().shape(), os = y.type().shape();
        // kept strides: each input dim's stride in the output (0 for reduced dims), found from the shapes
        long[] kept = Lowering.keptStrides(n, s);
        return new Lowered("reduce", "reduce_f32", new ReduceArgs(Integer.toString(s.length),
            l.consts.addInts(n.name + "_in_dims", DType.INT32, Arrays.stream(s).asLongStream().toArray()), l.consts.addInts(n.name + "_kept", DType.INT32, kept),
            Long.toString(x.type().numel()), Long.toString(Shapes.numel(os)), Integer.toString(REDUCTIONS.indexOf(op))));
      }
      case Softmax.SOFTMAX, "LogSoftmax", "Hardmax" -> {
        QuenchException.check(y.type().dtype() == DType.FLOAT32, "codegen: %s: float %s only", n.describe(), op);
        int[] shape = Lowering.softmaxShape(n);
        return new Lowered("softmax", "softmax_f32", new SoftmaxArgs(Integer.toString(shape[0]), Integer.toString(shape[1]), Integer.toString(shape[2]),
            Integer.toString(List.of(Softmax.SOFTMAX, "LogSoftmax", "Hardmax").indexOf(op))));
      }
      default -> throw new QuenchException("codegen: " + n.describe() + ": no C++ kernel for " + op + " yet", 2, null);
    }
  }
}
