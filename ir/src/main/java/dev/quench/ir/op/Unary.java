package dev.quench.ir.op;

import dev.quench.ir.DType;
import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import dev.quench.ir.kernel.MathKernels;
import java.util.List;

/** Elementwise unary ops: same shape and dtype out as in. Float math in double, stored as float32. */
public final class Unary implements Op {
  /** The op types this spec names (referenced by the passes and back ends instead of string literals). */
  public static final String RELU = "Relu";
  public static final String SIGMOID = "Sigmoid";

  @Override
  public List<String> onnxNames() {
    return List.of(RELU, "LeakyRelu", SIGMOID, "HardSigmoid", "HardSwish", "Tanh", "Sqrt", "Exp", "Log", "Erf", "Neg",
        "Abs", "Elu", "Selu", "Celu", "Softplus", "Softsign", "Floor", "Ceil", "Round", "Reciprocal", "Sin", "Cos", "Tan",
        "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "Sign", "ThresholdedRelu", "Mish", "Gelu", "Not",
        "Identity", "Dropout", "IsNaN", "IsInf", "Shrink");
  }

  @Override
  public java.util.Set<Trait> traits(String opType) {
    return switch (opType) {
      // view: the output is the input
      case "Identity" -> Trait.of(Trait.ELEMENTWISE, Trait.MOVES_DATA, Trait.KEEPS_SCALE, Trait.VIEW, Trait.INTEGER);
      case RELU -> Trait.of(Trait.ELEMENTWISE, Trait.IN_PLACE, Trait.KEEPS_SCALE, Trait.INTEGER);
      case SIGMOID, "Tanh", "HardSwish", "HardSigmoid", "LeakyRelu" -> Trait.of(Trait.ELEMENTWISE, Trait.IN_PLACE, Trait.TABLE);
      // (any function of one value is a 256-entry table of an 8-bit input; not Sqrt, Log and
      // Reciprocal, which an 8-bit input ruins near zero: the squared magnitudes of an STFT before
      // a Sqrt keep their float island)
      case "Gelu", "Erf", "Exp", "Elu", "Softplus", "Mish", "Selu", "Celu", "Softsign", "Neg", "Abs", "Floor", "Ceil", "Round", "Sign",
          "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "ThresholdedRelu", "Shrink" -> Trait.of(Trait.ELEMENTWISE, Trait.TABLE);
      default -> Trait.of(Trait.ELEMENTWISE);
    };
  }

  /** Identity always; Dropout at inference (no training mode, no ratio input other than a constant 0 from opset 12). */
  @Override
  public boolean passesThrough(Node n) {
    if (n.opType.equals("Identity")) return true;
    if (!n.opType.equals("Dropout") || n.attrs.getInt("training_mode", 0) != 0) return false;
    return n.opset < 12 || n.inputs().size() < 3 || n.input(2) == null || (n.input(2).isConstant() && n.input(2).data().getDouble(0) == 0);
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    TensorType t = c.type(0);
    if (n.opType.equals("IsNaN") || n.opType.equals("IsInf")) return List.of(new TensorType(DType.BOOL, t.shape()));
    if (n.opType.equals("Dropout") && n.outputs().size() > 1) return List.of(t, new TensorType(DType.BOOL, t.shape()));
    return List.of(t);
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    Tensor x = in[0];
    String op = n.opType;
    if (op.equals("Identity")) return new Tensor[] {x};
    if (op.equals("Dropout")) {
      // Inference semantics: identity; the mask is all true.
      if (n.outputs().size() > 1) {
        long[] mask = new long[x.numel()];
        java.util.Arrays.fill(mask, 1);
        return new Tensor[] {x, Tensor.ofLong(DType.BOOL, x.shape(), mask)};
      }
      return new Tensor[] {x};
    }
    if (op.equals("IsNaN") || op.equals("IsInf")) {
      long pos = n.attrs.getInt("detect_positive", 1), neg = n.attrs.getInt("detect_negative", 1);
      long[] r = new long[x.numel()];
      for (int i = 0; i < r.length; i++) {
        double v = x.getDouble(i);
        r[i] = op.equals("IsNaN") ? (Double.isNaN(v) ? 1 : 0) : ((v == Double.POSITIVE_INFINITY && pos != 0) || (v == Double.NEGATIVE_INFINITY && neg != 0) ? 1 : 0);
      }
      return new Tensor[] {Tensor.ofLong(DType.BOOL, x.shape(), r)};
    }
    if (!x.isFloat()) return new Tensor[] {integer(op, x)};
    if (op.equals(RELU) && x.dtype == DType.FLOAT32) {
      float[] src = x.f, dst = new float[src.length];
      for (int i = 0; i < src.length; i++) dst[i] = src[i] > 0 ? src[i] : 0f;
      return new Tensor[] {Tensor.ofFloat(x.dtype, x.shape(), dst)};
    }
    MathKernels.FloatFn fn = MathKernels.unary(op, n.attrs);
    float[] src = x.f, dst = new float[src.length];
    for (int i = 0; i < src.length; i++) dst[i] = DTypeRound.apply(x.dtype, fn.apply(src[i]));
    return new Tensor[] {Tensor.ofFloat(x.dtype, x.shape(), dst)};
  }

  private static Tensor integer(String op, Tensor x) {
    long[] s = x.l, d = new long[s.length];
    for (int i = 0; i < s.length; i++) {
      long v = s[i];
      d[i] = switch (op) {
        case "Neg" -> -v;
        case "Abs" -> Math.abs(v);
        case "Sign" -> Long.signum(v);
        case RELU -> Math.max(v, 0);
        case "Not" -> v == 0 ? 1 : 0;
        default -> throw new dev.quench.ir.QuenchException(op + " is not defined for integer tensors");
      };
    }
    return Tensor.ofLong(x.dtype, x.shape(), d);
  }

  /** Rounding of results to the storage precision of narrower float types. */
  static final class DTypeRound {
    private DTypeRound() {}

    static float apply(DType t, double v) {
      return t == DType.FLOAT32 || t == DType.FLOAT64 ? (float) v : dev.quench.ir.DTypes.round(t, (float) v);
    }
  }
}
