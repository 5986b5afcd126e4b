package dev.quench.ir.target;

import dev.quench.ir.op.Binary;
import dev.quench.ir.op.Clip;
import dev.quench.ir.op.Conv;
import dev.quench.ir.op.Pool;
import dev.quench.ir.op.Unary;
import dev.quench.ir.DType;
import dev.quench.ir.Node;
import dev.quench.ir.Value;
import java.util.Set;

/**
 * An integer accelerator beside a target's CPU, as data: the ops its command stream runs, on
 * which activation types, with which accumulator width (requantization is shift-only: power-of-two
 * scales). {@link #refusal} is the one placement decision — the segmentation pass and the code
 * generator both ask it (as Glow's backends answer {@code isOpSupported}, but with a reason).
 */
public record Accelerator(String name, Set<String> ops, Set<DType> activations, int accBits) {
  /** No accelerator: everything runs on the CPU. */
  public static final Accelerator NONE = new Accelerator("", Set.of(), Set.of(), 0);

  public boolean present() {
    return !ops.isEmpty();
  }

  /**
   * Why the accelerator cannot run n (one line), or null when it can. {@code preview}: n is in a
   * graph not yet quantized, whose float tensors are not held against the accelerator's types
   * (the answer is where the node goes if quantization gives it those types).
   */
  public String refusal(Node n, boolean preview) {
    if (!ops.contains(n.opType)) return n.opType + " is not an " + name.toUpperCase(java.util.Locale.ROOT) + " op";
    for (Value v : n.inputs()) {
      if (v != null && !v.isConstant() && refusedType(v.type().dtype(), preview)) return "input '" + v.name + "' is " + v.type().dtype();
    }
    for (Value v : n.outputs()) {
      if (v != null && refusedType(v.type().dtype(), preview)) return "output '" + v.name + "' is " + v.type().dtype();
    }
    long acc = n.attrs.getInt(dev.quench.ir.Requant.ACC_BITS, 32);
    if (acc > accBits) return "needs a " + acc + "-bit accumulator";
    DType x = n.input(0).type().dtype(), y = n.output(0).type().dtype();
    switch (n.opType) {
      case Conv.CONV, "AveragePool" -> {
        if (n.input(0).type().rank() != 4) return "not 2-D";
      }
      case Pool.MAX_POOL -> {
        if (n.input(0).type().rank() != 4 || n.outputs().size() != 1) return "not 2-D, or with indices";
        if (x != y) return "input and output types differ";
      }
      case Binary.ADD -> {
        Value b = n.input(1);
        long size = n.output(0).type().numel();
        if (n.input(0).isConstant() || b.isConstant()) return "a constant operand";
        if (!sameOrScalar(n.input(0).type().numel(), size) || !sameOrScalar(b.type().numel(), size)) return "broadcasting";
      }
      case Unary.RELU, Clip.CLIP -> {
        if (x != y) return "input and output types differ";
      }
      default -> { }
    }
    return null;
  }

  private boolean refusedType(DType t, boolean preview) {
    return !activations.contains(t) && !(preview && t.isFloating());
  }

  private static boolean sameOrScalar(long numel, long size) {
    return numel == size || numel == 1;
  }
}
