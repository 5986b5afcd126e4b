package dev.quench.passes.quant;

import java.util.Set;

/**
 * How to quantize. {@code method}: minmax, percentile, mse or kl (how each activation's
 * fractional bits are chosen from its statistics); weights per output channel or per tensor;
 * activation width 8 or 16 bits; layers (output value names) forced to 16 bits; whether 8-bit
 * tensors that calibration saw non-negative (ReLU outputs) use the unsigned range [0, 255] —
 * still zero point 0 and scale 2^-f, one more bit of resolution.
 */
public record QuantOptions(String method, double percentile, boolean perChannel, int activationBits, Set<String> int16Layers, boolean unsignedNonNegative) {
  public static final QuantOptions DEFAULT = new QuantOptions("mse", 99.99, true, 8, Set.of(), true);

  public QuantOptions {
    if (!Set.of("minmax", "percentile", "mse", "kl").contains(method)) {
      throw new dev.quench.ir.QuenchException("unknown calibration method '" + method + "' (minmax, percentile, mse, kl)", 64, null);
    }
    if (activationBits != 8 && activationBits != 16) throw new dev.quench.ir.QuenchException("activations must be 8 or 16 bits", 64, null);
  }

  public QuantOptions withInt16(Set<String> layers) {
    return new QuantOptions(method, percentile, perChannel, activationBits, layers, unsignedNonNegative);
  }
}
