package dev.quench.backends.codegen;

import dev.quench.ir.op.MatMul;
import dev.quench.ir.op.Softmax;
import dev.quench.ir.DType;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Value;
import java.util.Arrays;
import java.util.Map;

/** Float islands: LayerNormalization, MatMul, ReduceMean / ReduceSum and Softmax with the interpreter's order of operations (kernels/float.h). */
final class FloatIslandLowering implements FamilyLowering {
  @Override
  public void lower(Node n, Lowering l, KernelChoice kernel, boolean npu, Map<String, Object> m) {
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
        Lowering.template(m, "layer_norm", "layer_norm_f32");
        m.put("outer", Integer.toString(Shapes.product(s, 0, axis)));
        m.put("inner", Integer.toString(inner));
        m.put("scale", l.consts.add(n.name + "_scale", n.input(1)));
        m.put("bias", n.input(2) == null ? "nullptr" : l.consts.add(n.name + "_bias", n.input(2)));
        m.put("eps", Lowering.doubleLiteral(n.attrs.getFloat("epsilon", 1e-5f)));
      }
      case MatMul.MATMUL -> {
        QuenchException.check(y.type().dtype() == DType.FLOAT32 && n.attrs.getString("activation", null) == null, "codegen: %s: float MatMul only", n.describe());
        int[] a = x.type().shape(), b = n.input(1).type().shape();
        QuenchException.check(a.length >= 2 && b.length >= 2, "codegen: %s: 1-D MatMul operands", n.describe());
        int mm = a[a.length - 2], k = a[a.length - 1], nn = b[b.length - 1];
        long batch = x.type().numel() / ((long) mm * k), bBatch = n.input(1).type().numel() / ((long) k * nn);
        QuenchException.check(bBatch == 1 || bBatch == batch, "codegen: %s: broadcast batch dims", n.describe());
        QuenchException.check(y.type().numel() == batch * mm * nn, "codegen: %s: broadcast batch dims", n.describe());
        Lowering.template(m, "matmul", "matmul_f32");
        m.put("b", n.input(1).isConstant() ? l.consts.add(n.name + "_b", n.input(1)) : l.ptr(n.input(1)));
        m.put("batch", Long.toString(batch));
        m.put("m", Integer.toString(mm));
        m.put("n", Integer.toString(nn));
        m.put("k", Integer.toString(k));
        m.put("b_batched", bBatch == batch && batch > 1 ? "1" : "0");
      }
      case "ReduceMean", "ReduceSum" -> {
        QuenchException.check(y.type().dtype() == DType.FLOAT32, "codegen: %s: float reductions only", n.describe());
        int[] s = x.type().shape(), os = y.type().shape();
        // kept strides: each input dim's stride in the output (0 for reduced dims), found from the shapes
        long[] kept = Lowering.keptStrides(n, s);
        Lowering.template(m, "reduce", "reduce_f32");
        m.put("rank", Integer.toString(s.length));
        m.put("in_dims", l.consts.addInts(n.name + "_in_dims", DType.INT32, Arrays.stream(s).asLongStream().toArray()));
        m.put("kept", l.consts.addInts(n.name + "_kept", DType.INT32, kept));
        m.put("in_size", Long.toString(x.type().numel()));
        m.put("out_size", Long.toString(Shapes.numel(os)));
        m.put("mean", op.equals("ReduceMean") ? "1" : "0");
      }
      case Softmax.SOFTMAX -> {
        QuenchException.check(y.type().dtype() == DType.FLOAT32, "codegen: %s: float Softmax only", n.describe());
        int[] shape = Lowering.softmaxShape(n);
        Lowering.template(m, "softmax", "softmax_f32");
        m.put("outer", Integer.toString(shape[0]));
        m.put("len", Integer.toString(shape[1]));
        m.put("inner", Integer.toString(shape[2]));
      }
      default -> throw new QuenchException("codegen: " + n.describe() + ": no C++ kernel for " + op + " yet", 2, null);
    }
  }
}
