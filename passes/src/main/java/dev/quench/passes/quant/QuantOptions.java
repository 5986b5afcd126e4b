package dev.quench.passes.quant;

import dev.quench.ir.QuenchException;
import java.util.Set;

/**
 * How to quantize. {@code method}: minmax, percentile, mse, kl (how each activation's
 * fractional bits are chosen from its statistics) or cosine (mse, then {@link CosineSearch} per layer); weights per output channel or per tensor;
 * activation width 8 or 16 bits; layers (output value names) forced to 16 bits; whether 8-bit
 * tensors that calibration saw non-negative (ReLU outputs) use the unsigned range [0, 255] —
 * still zero point 0 and scale 2^-f, one more bit of resolution; nodes (by name) kept in float
 * (used by the sensitivity analysis, which quantizes one layer at a time); fractional bits fixed
 * by the model itself (QDQ import) or by the cosine search for 8-bit tensors, used instead of
 * calibration; per node, an offset added to every channel's weight frac (cosine search).
 */
public record QuantOptions(String method, double percentile, boolean perChannel, int activationBits, Set<String> int16Layers, boolean unsignedNonNegative,
    Set<String> floatNodes, java.util.Map<String, Integer> fixedFracs, java.util.Map<String, Integer> weightOffsets) {
  public static final QuantOptions DEFAULT = new QuantOptions("cosine", 99.99, true, 8, Set.of(), true, Set.of(), java.util.Map.of(), java.util.Map.of());

  public QuantOptions {
    if (!Set.of("minmax", "percentile", "mse", "kl", "cosine").contains(method)) {
      throw new QuenchException("unknown calibration method '" + method + "' (minmax, percentile, mse, kl, cosine)", dev.quench.ir.QuenchException.BAD_INPUT, null);
    }
    if (activationBits != 8 && activationBits != 16) throw new QuenchException("activations must be 8 or 16 bits", dev.quench.ir.QuenchException.BAD_INPUT, null);
  }

  public QuantOptions withInt16(Set<String> layers) {
    return new QuantOptions(method, percentile, perChannel, activationBits, Set.copyOf(layers), unsignedNonNegative, floatNodes, fixedFracs, weightOffsets);
  }

  public QuantOptions withFloatNodes(Set<String> nodes) {
    return new QuantOptions(method, percentile, perChannel, activationBits, int16Layers, unsignedNonNegative, Set.copyOf(nodes), fixedFracs, weightOffsets);
  }

  public QuantOptions withWeightOffsets(java.util.Map<String, Integer> offsets) {
    return new QuantOptions(method, percentile, perChannel, activationBits, int16Layers, unsignedNonNegative, floatNodes, fixedFracs, java.util.Map.copyOf(offsets));
  }

  public QuantOptions withFixedFracs(java.util.Map<String, Integer> fracs) {
    return new QuantOptions(method, percentile, perChannel, activationBits, int16Layers, unsignedNonNegative, floatNodes, java.util.Map.copyOf(fracs), weightOffsets);
  }
}
