/**
 * Graph passes (issue 3): {@code Pass}, {@code PassManager} and the pipelines; folding, fusion,
 * re-parameterisation, quantization, cleanup and segmentation passes. Depends on the IR only.
 */
package dev.quench.passes;
