package dev.quench.backends.codegen;

import dev.quench.ir.DType;
import dev.quench.ir.DTypes;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Value;
import dev.quench.ir.op.Clip;
import dev.quench.ir.op.Unary;

/** Relu and Clip on integers (a clamp), Sigmoid and Tanh on floats, (kernels/elementwise.h); other unary ops have no C++ kernel yet. */
public final class ActivationLowering implements FamilyLowering {
  /** The clamp range, output units. */
  public record Args(String lo, String hi) {}

  @Override
  public Lowered lower(Node n, Lowering l, KernelChoice kernel, boolean npu) {
    String op = n.opType;
    Value y = n.output(0);
    if (Lowering.isFloat(n) && op.equals(Unary.RELU)) return new Lowered("relu_f32", "relu_f32", null);
    if (Lowering.isFloat(n) && op.equals(Clip.CLIP)) {
      for (int i = 1; i < n.inputs().size(); i++) {
        QuenchException.check(n.input(i) == null || n.input(i).isConstant(), "codegen: %s: Clip bounds computed at run time", n.describe());
      }
      // the bounds as the Java kernel takes them: attributes before opset 11, inputs after (absent: unbounded)
      float lo = n.opset < 11 ? n.attrs.getFloat("min", -Float.MAX_VALUE) : n.input(1) == null ? Float.NEGATIVE_INFINITY : (float) n.input(1).data().getDouble(0);
      float hi = n.opset < 11 ? n.attrs.getFloat("max", Float.MAX_VALUE) : n.input(2) == null ? Float.POSITIVE_INFINITY : (float) n.input(2).data().getDouble(0);
      return new Lowered("clip_f32", "clip_f32", new Args(Lowering.floatLiteral(lo), Lowering.floatLiteral(hi)));
    }
    if (op.equals(Unary.RELU) || op.equals(Clip.CLIP)) {
      Lowering.requireInt(n);
      DType t = y.type().dtype();
      long lo = op.equals(Unary.RELU) ? Math.max(0, DTypes.lo(t)) : (n.input(1) == null ? DTypes.lo(t) : (long) n.input(1).data().getDouble(0));
      long hi = op.equals(Unary.RELU) ? DTypes.hi(t) : (n.input(2) == null ? DTypes.hi(t) : (long) n.input(2).data().getDouble(0));
      return new Lowered("clamp", "clamp_int", new Args(Long.toString(lo), Long.toString(hi)));
    }
    if (!op.equals(Unary.SIGMOID) && !op.equals("Tanh")) throw new QuenchException("codegen: " + n.describe() + ": no C++ kernel for " + op + " yet", 2, null);
    QuenchException.check(y.type().dtype() == DType.FLOAT32 && n.attrs.getString("activation", null) == null, "codegen: %s: float only", n.describe());
    return op.equals(Unary.SIGMOID) ? new Lowered("sigmoid", "sigmoid_f32", null) : new Lowered("tanh", "tanh_f32", null);
  }
}
