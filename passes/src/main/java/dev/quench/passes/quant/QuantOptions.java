package dev.quench.passes.quant;

import dev.quench.ir.QuenchException;
import java.util.Set;

/**
 * How to quantize. {@code method}: minmax, percentile, mse or kl (how each activation's
 * fractional bits are chosen from its statistics); weights per output channel or per tensor;
 * activation width 8 or 16 bits; layers (output value names) forced to 16 bits; whether 8-bit
 * tensors that calibration saw non-negative (ReLU outputs) use the unsigned range [0, 255] —
 * still zero point 0 and scale 2^-f, one more bit of resolution; nodes (by name) kept in float
 * (used by the sensitivity analysis, which quantizes one layer at a time); fractional bits fixed
 * by the model itself for 8-bit tensors (QDQ import), used instead of calibration.
 */
public record QuantOptions(String method, double percentile, boolean perChannel, int activationBits, Set<String> int16Layers, boolean unsignedNonNegative,
    Set<String> floatNodes, java.util.Map<String, Integer> fixedFracs) {
  public static final QuantOptions DEFAULT = new QuantOptions("mse", 99.99, true, 8, Set.of(), true, Set.of(), java.util.Map.of());

  public QuantOptions {
    if (!Set.of("minmax", "percentile", "mse", "kl").contains(method)) {
      throw new QuenchException("unknown calibration method '" + method + "' (minmax, percentile, mse, kl)", 64, null);
    }
    if (activationBits != 8 && activationBits != 16) throw new QuenchException("activations must be 8 or 16 bits", 64, null);
  }

  public QuantOptions withInt16(Set<String> layers) {
    return new QuantOptions(method, percentile, perChannel, activationBits, Set.copyOf(layers), unsignedNonNegative, floatNodes, fixedFracs);
  }

  public QuantOptions withFloatNodes(Set<String> nodes) {
    return new QuantOptions(method, percentile, perChannel, activationBits, int16Layers, unsignedNonNegative, Set.copyOf(nodes), fixedFracs);
  }

  public QuantOptions withFixedFracs(java.util.Map<String, Integer> fracs) {
    return new QuantOptions(method, percentile, perChannel, activationBits, int16Layers, unsignedNonNegative, floatNodes, java.util.Map.copyOf(fracs));
  }
}
