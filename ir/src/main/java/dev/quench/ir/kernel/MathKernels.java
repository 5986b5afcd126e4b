package dev.quench.ir.kernel;

import dev.quench.ir.op.Unary;
import dev.quench.ir.Attributes;
import dev.quench.ir.QuenchException;

/** Scalar float functions of the elementwise ops, computed in double. */
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
      case "Log" -> Math::log;
      case "Erf" -> MathKernels::erf;
      case "Neg" -> x -> -x;
      case "Abs" -> Math::abs;
      case "Elu" -> {
        double alpha = a.getFloat("alpha", 1f);
        yield x -> x >= 0 ? x : alpha * (Math.exp(x) - 1);
      }
      case "Celu" -> {
        double alpha = a.getFloat("alpha", 1f);
        yield x -> Math.max(0, x) + Math.min(0, alpha * (Math.exp(x / alpha) - 1));
      }
      case "Selu" -> {
        double alpha = a.getFloat("alpha", 1.67326319217681884765625f), gamma = a.getFloat("gamma", 1.05070102214813232421875f);
        yield x -> x > 0 ? gamma * x : gamma * (alpha * Math.exp(x) - alpha);
      }
      case "Softplus" -> x -> x > 30 ? x : Math.log1p(Math.exp(x));
      case "Softsign" -> x -> x / (1 + Math.abs(x));
      case "Floor" -> Math::floor;
      case "Ceil" -> Math::ceil;
      case "Round" -> Math::rint;
      case "Reciprocal" -> x -> 1.0 / x;
      case "Sin" -> Math::sin;
      case "Cos" -> Math::cos;
      case "Tan" -> Math::tan;
      case "Asin" -> Math::asin;
      case "Acos" -> Math::acos;
      case "Atan" -> Math::atan;
      case "Sinh" -> Math::sinh;
      case "Cosh" -> Math::cosh;
      case "Asinh" -> x -> Math.log(x + Math.sqrt(x * x + 1));
      case "Acosh" -> x -> Math.log(x + Math.sqrt(x * x - 1));
      case "Atanh" -> x -> 0.5 * Math.log((1 + x) / (1 - x));
      case "Sign" -> Math::signum;
      case "ThresholdedRelu" -> {
        double alpha = a.getFloat("alpha", 1f);
        yield x -> x > alpha ? x : 0.0;
      }
      case "Mish" -> x -> x * Math.tanh(x > 30 ? x : Math.log1p(Math.exp(x)));
      case "Gelu" -> {
        boolean tanh = a.getString("approximate", "none").equals("tanh");
        yield tanh ? x -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)))
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

  /**
   * Error function, |error| below 1.2e-7 everywhere: erfc by the Chebyshev-fitted exponential
   * form (Numerical Recipes' erfcc), erf = 1 - erfc, with the series near zero for relative accuracy.
   */
  public static double erf(double x) {
    if (Double.isNaN(x)) return x;
    double ax = Math.abs(x);
    if (ax < 0.5) {
      // Maclaurin series: erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))
      double x2 = x * x, term = x, sum = x;
      for (int n = 1; n < 20; n++) {
        term *= -x2 / n;
        sum += term / (2 * n + 1);
      }
      return 2 / Math.sqrt(Math.PI) * sum;
    }
    double t = 1.0 / (1.0 + 0.5 * ax);
    double erfc = t * Math.exp(-ax * ax - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? 1 - erfc : erfc - 1;
  }
}
