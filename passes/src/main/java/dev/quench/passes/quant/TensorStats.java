package dev.quench.passes.quant;

/**
 * What calibration saw of one tensor: exact min, max and largest magnitude over all samples,
 * and a deterministic subsample of its values (for percentile, MSE and KL searches).
 */
public record TensorStats(double min, double max, double maxAbs, float[] sample) {}
