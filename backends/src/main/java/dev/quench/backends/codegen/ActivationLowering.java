package dev.quench.backends.codegen;

import dev.quench.ir.DType;
import dev.quench.ir.DTypes;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Value;
import dev.quench.ir.op.Clip;
import dev.quench.ir.op.Unary;
import java.util.List;

/** Relu and Clip on integers (a clamp); on floats Relu, Clip and every elementwise op of MathKernels (kernels/elementwise.h). */
public final class ActivationLowering implements FamilyLowering {
  /** The clamp range, output units. */
  public record Args(String lo, String hi) {}

  /** predicate_any's opcodes (kernels/select.h): bool results on any input type. */
  static final List<String> PREDICATES = List.of("Not", "IsNaN", "IsInf");

  /** predicate_any's operands: opcode, IsInf's detect_positive / detect_negative. */
  public record PredicateArgs(String opcode, String pos, String neg) {}

  /** unary_f32's operands: the op's index in {@link #FLOAT_UNARY} and its two attributes as doubles. */
  public record UnaryArgs(String opcode, String p0, String p1) {}

  /**
   * The float elementwise ops of unary_f32 (kernels/elementwise.h), in its switch's order: each the
   * twin of its function in ir/.../kernel/MathKernels.java ("GeluTanh": Gelu with approximate=tanh).
   */
  static final List<String> FLOAT_UNARY = List.of("LeakyRelu", Unary.SIGMOID, "HardSigmoid", "HardSwish", "Tanh", "Sqrt", "Exp", "Log", "Erf", "Neg", "Abs", "Elu",
      "Celu", "Selu", "Softplus", "Softsign", "Floor", "Ceil", "Round", "Reciprocal", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh",
      "Atanh", "Sign", "ThresholdedRelu", "Mish", "Gelu", "GeluTanh", "Shrink");

  /** A Clip bound from opset 11 on: its constant, the value its tensor holds when the step runs, or unbounded. */
  private static String bound(Node n, Lowering l, int i, float none) {
    Value v = i < n.inputs().size() ? n.input(i) : null;
    if (v == null) return Lowering.floatLiteral(none);
    QuenchException.check(v.type().dtype() == DType.FLOAT32, "codegen: %s: float32 Clip bounds", n.describe());
    return v.isConstant() ? Lowering.floatLiteral((float) v.data().getDouble(0)) : "*" + l.ptr(v);
  }

  /** An integer Clip's bound i in the tensor's integers: absent (the type's end), constant, or an integer tensor read when the step runs. */
  private static String intBound(Node n, Lowering l, int i, long none) {
    Value v = i < n.inputs().size() ? n.input(i) : null;
    if (v == null) return Long.toString(none);
    if (v.isConstant()) return Long.toString((long) v.data().getDouble(0));
    QuenchException.check(!v.type().dtype().isFloating(), "codegen: %s: integer Clip with float bounds computed at run time", n.describe());
    return "static_cast<int64_t>(*" + l.ptr(v) + ")";
  }

  private static String unaryName(Node n) {
    return n.opType.equals("Gelu") && n.attrs.getString("approximate", "none").equals("tanh") ? "GeluTanh" : n.opType;
  }

  /** The attributes MathKernels reads, as it reads them (floats widened to double). */
  private static double[] params(Node n) {
    dev.quench.ir.Attributes a = n.attrs;
    return switch (n.opType) {
      case "LeakyRelu" -> new double[] {a.getFloat("alpha", 0.01f), 0};
      case "HardSigmoid" -> new double[] {a.getFloat("alpha", 0.2f), a.getFloat("beta", 0.5f)};
      case "Elu", "Celu", "ThresholdedRelu" -> new double[] {a.getFloat("alpha", 1f), 0};
      case "Selu" -> new double[] {a.getFloat("alpha", 1.67326319217681884765625f), a.getFloat("gamma", 1.05070102214813232421875f)};
      case "Shrink" -> new double[] {a.getFloat("lambd", 0.5f), a.getFloat("bias", 0f)};
      default -> new double[] {0, 0};
    };
  }

  /** Dropout with its mask output: the mask (bool, all true) and its size. */
  public record DropoutArgs(String mask, String size) {}

  @Override
  public boolean lowers(String opType, boolean floatForm) {
    if (opType.equals(Unary.RELU) || opType.equals(Clip.CLIP)) return true;
    if (PREDICATES.contains(opType) || opType.equals("Dropout")) return floatForm;
    return floatForm && (opType.equals(Unary.SIGMOID) || opType.equals("Tanh") || FLOAT_UNARY.contains(opType));
  }

  @Override
  public Lowered lower(Node n, Lowering l, KernelChoice kernel, boolean npu) {
    String op = n.opType;
    Value y = n.output(0);
    if (op.equals("Dropout")) {
      // inference: the input itself, and its mask (when kept) all true
      if (n.outputs().size() == 1 || n.output(1) == null) return new Lowered("copy", "copy_bytes", null);
      return new Lowered("dropout", "copy_bytes", new DropoutArgs(l.ptr(n.output(1)), Long.toString(n.output(1).type().numel())));
    }
    if (PREDICATES.contains(op)) {
      return new Lowered("predicate", "predicate_any", new PredicateArgs(Integer.toString(PREDICATES.indexOf(op)), Long.toString(n.attrs.getInt("detect_positive", 1)),
          Long.toString(n.attrs.getInt("detect_negative", 1))));
    }
    if (Lowering.isFloat(n) && op.equals(Unary.RELU)) return new Lowered("relu_f32", "relu_f32", null);
    if (Lowering.isFloat(n) && op.equals(Clip.CLIP)) {
      // the bounds as the Java kernel takes them: attributes before opset 11, inputs after (absent:
      // unbounded; computed at run time: read from their tensors when the step runs)
      if (n.opset < 11) {
        return new Lowered("clip_f32", "clip_f32", new Args(Lowering.floatLiteral(n.attrs.getFloat("min", -Float.MAX_VALUE)),
            Lowering.floatLiteral(n.attrs.getFloat("max", Float.MAX_VALUE))));
      }
      return new Lowered("clip_f32", "clip_f32", new Args(bound(n, l, 1, Float.NEGATIVE_INFINITY), bound(n, l, 2, Float.POSITIVE_INFINITY)));
    }
    if (op.equals(Unary.RELU) || op.equals(Clip.CLIP)) {
      Lowering.requireInt(n);
      DType t = y.type().dtype();
      if (op.equals(Unary.RELU)) return new Lowered("clamp", "clamp_int", new Args(Long.toString(Math.max(0, DTypes.lo(t))), Long.toString(DTypes.hi(t))));
      return new Lowered("clamp", "clamp_int", new Args(intBound(n, l, 1, DTypes.lo(t)), intBound(n, l, 2, DTypes.hi(t))));
    }
    if (Lowering.isFloat(n) && FLOAT_UNARY.contains(unaryName(n))) {
      QuenchException.check(n.input(0).type().dtype() == DType.FLOAT32 && n.attrs.getString("activation", null) == null, "codegen: %s: float32 only", n.describe());
      double[] p = params(n);
      return new Lowered("unary_f32", "unary_f32", new UnaryArgs(Integer.toString(FLOAT_UNARY.indexOf(unaryName(n))), Lowering.doubleLiteral(p[0]), Lowering.doubleLiteral(p[1])));
    }
    if (!op.equals(Unary.SIGMOID) && !op.equals("Tanh")) throw new QuenchException("codegen: " + n.describe() + ": no C++ kernel for " + op + " yet", 2, null);
    QuenchException.check(y.type().dtype() == DType.FLOAT32 && n.attrs.getString("activation", null) == null, "codegen: %s: float only", n.describe());
    return op.equals(Unary.SIGMOID) ? new Lowered("sigmoid", "sigmoid_f32", null) : new Lowered("tanh", "tanh_f32", null);
  }
}
