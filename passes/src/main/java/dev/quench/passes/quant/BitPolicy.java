package dev.quench.passes.quant;

import dev.quench.ir.op.Pool;
import dev.quench.ir.FixedPoint;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Value;
import dev.quench.ir.op.Trait;
import java.util.Map;

/**
 * The bit-width policy of the quantizer: which activations get 16 bits instead of the activation
 * width, which are stored unsigned, and the frac calibration gives each (FracChooser).
 */
final class BitPolicy {
  private final Graph g;
  private final Map<String, TensorStats> stats;
  private final QuantOptions o;

  BitPolicy(Graph g, Map<String, TensorStats> stats, QuantOptions o) {
    this.g = g;
    this.stats = stats;
    this.o = o;
  }

  /**
   * 16 bits for tensors the options name and for graph outputs (they are dequantized at once; a
   * 16-bit final requantization or table costs nothing and keeps small outputs such as
   * probabilities precise), else the activation width.
   */
  int bitsOf(Value v) {
    if (o.int16Layers().contains(v.name) || g.isOutput(v)) return 16;
    for (Node r : g.users(v)) {
      if (floatReader(r)) return 16;
      // a reshape/transpose on the way to an output or a float reader carries the bits through
      if (integerMove(r) && !r.opType.equals(Pool.MAX_POOL) && r.input(0) == v) {
        for (Value y : r.outputs()) if (y != null && bitsOf(y) == 16) return 16;
      }
    }
    return o.activationBits();
  }

  /**
   * A reader that will stay float (or a table whose result is a graph output, which runs in float
   * for precision): the tensor it reads is dequantized anyway, so it gets 16 bits for free.
   */
  private boolean floatReader(Node r) {
    if (r.is(Trait.TABLE)) return g.isOutput(r.output(0));
    return !r.is(Trait.INTEGER);
  }

  /** An op that moves integers at their scale (reshapes, slices, max pooling...) and has an integer form. */
  static boolean integerMove(Node n) {
    return n.is(Trait.MOVES_DATA) && n.is(Trait.INTEGER);
  }

  /** Whether an activation is stored unsigned: 8-bit and never negative in calibration. */
  boolean unsigned(Value v, int bits) {
    TensorStats s = stats.get(v.name);
    return o.unsignedNonNegative() && bits == 8 && s != null && s.min() >= 0;
  }

  int statFrac(Value v, int bits) {
    TensorStats s = stats.get(v.name);
    if (s == null) throw new QuenchException("no calibration statistics for tensor '" + v.name + "'");
    Integer fixed = o.fixedFracs().get(v.name);
    // a QDQ scale is for the tool's 8-bit tensor; at 16 bits calibration decides
    if (fixed != null && bits == 8) return fixed;
    boolean u = unsigned(v, bits);
    return FracChooser.choose(s, o, FixedPoint.lo(bits, u), FixedPoint.hi(bits, u));
  }
}
