package dev.quench.backends.codegen;

import dev.quench.ir.op.Clip;
import dev.quench.ir.op.Unary;
import dev.quench.ir.DType;
import dev.quench.ir.DTypes;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Value;
import java.util.Map;

/** Relu and Clip on integers (a clamp), Sigmoid and Tanh on floats, Identity as a copy (kernels/elementwise.h, kernels/movement.h); other unary ops have no C++ kernel yet. */
final class ActivationLowering implements FamilyLowering {
  @Override
  public void lower(Node n, Lowering l, KernelChoice kernel, boolean npu, Map<String, Object> m) {
    String op = n.opType;
    Value y = n.output(0);
    if (n.is(dev.quench.ir.op.Trait.VIEW)) {
      Lowering.template(m, "copy", "copy_bytes");
      return;
    }
    if (op.equals(Unary.RELU) || op.equals(Clip.CLIP)) {
      Lowering.requireInt(n);
      DType t = y.type().dtype();
      long lo = op.equals(Unary.RELU) ? Math.max(0, DTypes.lo(t)) : (n.input(1) == null ? DTypes.lo(t) : (long) n.input(1).data().getDouble(0));
      long hi = op.equals(Unary.RELU) ? DTypes.hi(t) : (n.input(2) == null ? DTypes.hi(t) : (long) n.input(2).data().getDouble(0));
      Lowering.template(m, "clamp", "clamp_int");
      m.put("lo", Long.toString(lo));
      m.put("hi", Long.toString(hi));
      return;
    }
    if (!op.equals(Unary.SIGMOID) && !op.equals("Tanh")) throw new QuenchException("codegen: " + n.describe() + ": no C++ kernel for " + op + " yet", 2, null);
    QuenchException.check(y.type().dtype() == DType.FLOAT32 && n.attrs.getString("activation", null) == null, "codegen: %s: float only", n.describe());
    Lowering.template(m, op.equals(Unary.SIGMOID) ? "sigmoid" : "tanh", op.equals(Unary.SIGMOID) ? "sigmoid_f32" : "tanh_f32");
  }
}
