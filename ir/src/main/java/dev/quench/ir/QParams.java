package dev.quench.ir;

/**
 * Quantization parameters of a value, as the middleware carries them ({@code q(bits=8, frac=[5])}).
 * For now an ordered set of named fields; the quantizer (issue 4) gives them their typed meaning.
 */
public record QParams(Attributes fields) {}
