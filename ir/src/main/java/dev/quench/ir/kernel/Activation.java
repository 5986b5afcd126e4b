package dev.quench.ir.kernel;

import dev.quench.ir.Attributes;
import dev.quench.ir.QuenchException;

/**
 * A fused activation, applied in place to an op's float output. Set by the activation-fusion
 * pass as attributes of Conv, ConvTranspose, Gemm, FullyConnected, MatMul and Add:
 * {@code activation} = relu | clip (activation_min, activation_max) | leaky_relu (activation_alpha)
 * | hard_sigmoid (activation_alpha, activation_beta) | hard_swish.
 */
public final class Activation {
  private Activation() {}

  public static final String ATTR = "activation";

  public static void apply(Attributes a, float[] y) {
    String kind = a.getString(ATTR, null);
    if (kind == null) return;
    switch (kind) {
      case "relu" -> { for (int i = 0; i < y.length; i++) y[i] = y[i] > 0 ? y[i] : 0f; }
      case "clip" -> {
        float lo = a.getFloat("activation_min", Float.NEGATIVE_INFINITY), hi = a.getFloat("activation_max", Float.POSITIVE_INFINITY);
        for (int i = 0; i < y.length; i++) y[i] = y[i] < lo ? lo : (y[i] > hi ? hi : y[i]);
      }
      case "leaky_relu" -> {
        float alpha = a.getFloat("activation_alpha", 0.01f);
        for (int i = 0; i < y.length; i++) y[i] = y[i] >= 0 ? y[i] : (float) (alpha * (double) y[i]);
      }
      case "hard_sigmoid" -> {
        double alpha = a.getFloat("activation_alpha", 0.2f), beta = a.getFloat("activation_beta", 0.5f);
        for (int i = 0; i < y.length; i++) y[i] = (float) Math.max(0, Math.min(1, alpha * y[i] + beta));
      }
      case "hard_swish" -> { for (int i = 0; i < y.length; i++) y[i] = (float) (y[i] * Math.max(0, Math.min(1, y[i] / 6.0 + 0.5))); }
      default -> throw new QuenchException("unknown fused activation '" + kind + "'");
    }
  }
}
