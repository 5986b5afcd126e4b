package dev.quench.ir.kernel;

import dev.quench.ir.op.Unary;
import dev.quench.ir.Attributes;
import dev.quench.ir.QuenchException;

/**
 * Scalar float functions of the elementwise ops, computed in double with Quench's own functions
 * ({@link DMath}, {@link QMath}): the C++ runtime's unary_f32 (kernels/elementwise.h) computes
 * the same bits, operation for operation.
 */
public final class MathKernels {
  private MathKernels() {}

  @FunctionalInterface
  public interface FloatFn {
    double apply(double x);
  }

  public static FloatFn unary(String op, Attributes a) {
    return switch (op) {
      case Unary.RELU -> x -> x > 0 ? x : 0.0;
      case "LeakyRelu" -> {
        double alpha = a.getFloat("alpha", 0.01f);
        yield x -> x >= 0 ? x : alpha * x;
      }
      case Unary.SIGMOID -> MathKernels::sigmoid;
      case "HardSigmoid" -> {
        double alpha = a.getFloat("alpha", 0.2f), beta = a.getFloat("beta", 0.5f);
        yield x -> Math.max(0, Math.min(1, alpha * x + beta));
      }
      case "HardSwish" -> x -> x * Math.max(0, Math.min(1, x / 6.0 + 0.5));
      case "Tanh" -> x -> QMath.tanh((float) x);
      case "Sqrt" -> Math::sqrt;
      case "Exp" -> x -> QMath.exp((float) x);
      case "Log" -> DMath::log;
      case "Erf" -> MathKernels::erf;
      case "Neg" -> x -> -x;
      case "Abs" -> Math::abs;
      case "Elu" -> {
        double alpha = a.getFloat("alpha", 1f);
        yield x -> x >= 0 ? x : alpha * (DMath.exp(x) - 1);
      }
      case "Celu" -> {
        double alpha = a.getFloat("alpha", 1f);
        yield x -> Math.max(0, x) + Math.min(0, alpha * (DMath.exp(x / alpha) - 1));
      }
      case "Selu" -> {
        double alpha = a.getFloat("alpha", 1.67326319217681884765625f), gamma = a.getFloat("gamma", 1.05070102214813232421875f);
        yield x -> x > 0 ? gamma * x : gamma * (alpha * DMath.exp(x) - alpha);
      }
      case "Softplus" -> x -> x > 30 ? x : DMath.log1p(DMath.exp(x));
      case "Softsign" -> x -> x / (1 + Math.abs(x));
      case "Floor" -> DMath::floor;
      case "Ceil" -> DMath::ceil;
      case "Round" -> DMath::rint;
      case "Reciprocal" -> x -> 1.0 / x;
      case "Sin" -> DMath::sin;
      case "Cos" -> DMath::cos;
      case "Tan" -> DMath::tan;
      case "Asin" -> DMath::asin;
      case "Acos" -> DMath::acos;
      case "Atan" -> DMath::atan;
      case "Sinh" -> DMath::sinh;
      case "Cosh" -> DMath::cosh;
      case "Asinh" -> x -> DMath.log(x + Math.sqrt(x * x + 1));
      case "Acosh" -> x -> DMath.log(x + Math.sqrt(x * x - 1));
      case "Atanh" -> x -> 0.5 * DMath.log((1 + x) / (1 - x));
      case "Sign" -> Math::signum;
      case "ThresholdedRelu" -> {
        double alpha = a.getFloat("alpha", 1f);
        yield x -> x > alpha ? x : 0.0;
      }
      case "Mish" -> x -> x * DMath.tanh(x > 30 ? x : DMath.log1p(DMath.exp(x)));
      case "Gelu" -> {
        boolean tanh = a.getString("approximate", "none").equals("tanh");
        yield tanh ? x -> 0.5 * x * (1 + DMath.tanh(Math.sqrt(2 / DMath.PI) * (x + 0.044715 * x * x * x)))
            : x -> 0.5 * x * (1 + erf(x / Math.sqrt(2)));
      }
      case "Not" -> x -> x == 0 ? 1 : 0;
      case "Shrink" -> {
        double lambd = a.getFloat("lambd", 0.5f), bias = a.getFloat("bias", 0f);
        yield x -> x < -lambd ? x + bias : (x > lambd ? x - bias : 0.0);
      }
      default -> throw new QuenchException("no float kernel for " + op);
    };
  }

  public static double sigmoid(double x) {
    return QMath.sigmoid((float) x);
  }

  /** The error function ({@link DMath#erf}). */
  public static double erf(double x) {
    return DMath.erf(x);
  }
}
