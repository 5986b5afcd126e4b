package dev.quench.passes.quant.rules;

import dev.quench.ir.Node;
import dev.quench.ir.op.Op;
import dev.quench.ir.op.OpRegistry;
import dev.quench.ir.op.Trait;
import java.util.HashMap;
import java.util.Map;

/**
 * The quantization rule of a node: by its op spec class (one rule per family), else by what the
 * op says it is (a TABLE becomes a Lut, an integer data move keeps its scale); null: no integer
 * form, the node stays a float island.
 */
public final class QuantRules {
  private static final QuantRule TABLE = new TableRule(), MOVE = new MoveRule(), CLAMP = new ClampRule(), AVERAGE = new AveragePoolRule();
  private static final Map<Class<? extends Op>, QuantRule> BY_OP = byOp();

  private QuantRules() {}

  private static Map<Class<? extends Op>, QuantRule> byOp() {
    Map<Class<? extends Op>, QuantRule> m = new HashMap<>();
    QuantRule weighted = new WeightedRule();
    m.put(dev.quench.ir.op.Conv.class, weighted);
    m.put(dev.quench.ir.op.FullyConnected.class, weighted);
    m.put(dev.quench.ir.op.ChannelAffine.class, new ChannelAffineRule());
    m.put(dev.quench.ir.op.Binary.class, new BinaryRule());
    m.put(dev.quench.ir.op.Concat.class, new ConcatRule());
    m.put(dev.quench.ir.op.Clip.class, CLAMP);
    m.put(dev.quench.ir.op.Reduce.class, new ReduceRule());
    m.put(dev.quench.ir.op.Branch.class, new BranchRule());
    m.put(dev.quench.ir.op.Where.class, new WhereRule());
    m.put(dev.quench.ir.op.MatMul.class, new MatMulRule());
    m.put(dev.quench.ir.op.ConvTranspose.class, new ConvTransposeRule());
    m.put(dev.quench.ir.op.TopK.class, new TopKRule());
    m.put(dev.quench.ir.op.Softmax.class, new SoftmaxRule());
    m.put(dev.quench.ir.op.Normalization.class, new LayerNormRule());
    return m;
  }

  private static final WeightOnlyRule WEIGHT_ONLY = new WeightOnlyRule();

  /** The weight-only 8-bit storage of a float island, or null (the recurrent layers have one). */
  public static WeightOnlyRule weightOnly(Node n) {
    return OpRegistry.get(n.opType) instanceof dev.quench.ir.op.Recurrent ? WEIGHT_ONLY : null;
  }

  public static QuantRule of(Node n) {
    Op op = OpRegistry.get(n.opType);
    if (op == null || (!n.is(Trait.INTEGER) && !n.is(Trait.TABLE)) || !op.hasIntegerForm(n)) return null;
    QuantRule r = BY_OP.get(op.getClass());
    if (r != null) return r;
    // the averaging pools (max pooling only moves data); Relu, the integer unary op
    if (op instanceof dev.quench.ir.op.Pool && !n.is(Trait.MOVES_DATA)) return AVERAGE;
    if (op instanceof dev.quench.ir.op.Unary && n.is(Trait.INTEGER) && !n.is(Trait.MOVES_DATA)) return CLAMP;
    if (n.is(Trait.TABLE)) return TABLE;
    if (n.is(Trait.MOVES_DATA) && n.is(Trait.INTEGER)) return MOVE;
    return null;
  }
}
