package dev.quench.passes.quant.rules;

import dev.quench.ir.Node;
import dev.quench.ir.Value;

/**
 * The integer form of one op family: given a float node whose input x is an activation and whose
 * single output y is float, emit its integer version through the context (integer inputs, weights
 * and shifts, the output's bits and frac) and return true, or return false to leave it a float
 * island. One file per family; {@link QuantRules} finds the rule by asking the op.
 */
public interface QuantRule {
  boolean quantize(Node n, Value x, Value y, QuantContext q);
}
