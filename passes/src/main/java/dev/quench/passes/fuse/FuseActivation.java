package dev.quench.passes.fuse;

import dev.quench.ir.op.Binary;
import dev.quench.ir.op.Clip;
import dev.quench.ir.op.Unary;
import dev.quench.ir.Attributes;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.Value;
import dev.quench.ir.kernel.Activation;
import dev.quench.passes.Pass;
import dev.quench.passes.PassContext;
import dev.quench.passes.Rewrites;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Fuses an activation into the Conv, ConvTranspose, FullyConnected, Gemm, MatMul, Add or
 * ChannelAffine that feeds it: Relu, Clip with constant bounds (ReLU6 included), LeakyRelu,
 * HardSigmoid, HardSwish. The pattern {@code Mul(x, HardSigmoid(x))} with alpha 1/6, beta 1/2 is
 * first recognised as HardSwish. Bails out when the producer's output has other readers or the
 * producer already carries an activation.
 *
 * <pre>
 * before: %z = Conv(%x, %w, %b); %y = Clip(%z, 0.0, 6.0)
 * after:  %y = Conv(%x, %w, %b) {activation="clip", activation_max=6.0, activation_min=0.0}
 * </pre>
 */
public final class FuseActivation implements Pass {
  private final boolean clampOnly;

  public FuseActivation() {
    this(false);
  }

  /** @param clampOnly fuse only Relu and Clip (what integer kernels clamp for free); for quantization */
  public FuseActivation(boolean clampOnly) {
    this.clampOnly = clampOnly;
  }

  @Override
  public String name() {
    return "fuse-activation";
  }

  @Override
  public boolean run(Graph g, PassContext ctx) {
    boolean changed = recogniseHardSwish(g) | recogniseClipHardSwish(g);
    for (Node act : new ArrayList<>(g.nodes())) {
      if (!g.nodes().contains(act) || act.inputs().isEmpty() || act.input(0) == null) continue;
      Attributes fused = activation(act);
      if (fused == null) continue;
      String kind = fused.getString(Activation.ATTR, "");
      if (clampOnly && !kind.equals("relu") && !kind.equals("clip")) continue;
      Value z = act.input(0);
      Node p = z.producer();
      if (p == null || !g.nodes().contains(p) || !p.is(dev.quench.ir.op.Trait.FUSES_ACTIVATION) || p.attrs.has(Activation.ATTR)) continue;
      if (Rewrites.soleUser(g, z) != act || !z.type().dtype().isFloating() || !act.output(0).type().equals(z.type())) continue;
      Attributes a = p.attrs.copy();
      for (var e : fused.asMap().entrySet()) a.put(e.getKey(), e.getValue());
      Rewrites.replaceChain(g, p, act, p.with(p.opType, p.inputs(), a));
      ctx.report(name(), act.name + " fused into " + p.name);
      changed = true;
    }
    if (changed) g.pruneValues();
    return changed;
  }

  /** The fused-activation attributes equivalent to this node, or null if it is not one. */
  static Attributes activation(Node n) {
    Attributes a = new Attributes();
    switch (n.opType) {
      case Unary.RELU -> a.put(Activation.ATTR, "relu");
      case "LeakyRelu" -> a.put(Activation.ATTR, "leaky_relu").put("activation_alpha", n.attrs.getFloat("alpha", 0.01f));
      case "HardSigmoid" -> a.put(Activation.ATTR, "hard_sigmoid").put("activation_alpha", n.attrs.getFloat("alpha", 0.2f))
          .put("activation_beta", n.attrs.getFloat("beta", 0.5f));
      case "HardSwish" -> a.put(Activation.ATTR, "hard_swish");
      case Clip.CLIP -> {
        float lo, hi;
        if (n.opset < 11) {
          lo = n.attrs.getFloat("min", -Float.MAX_VALUE);
          hi = n.attrs.getFloat("max", Float.MAX_VALUE);
        } else {
          Value min = n.input(1), max = n.input(2);
          if ((min != null && !min.isConstant()) || (max != null && !max.isConstant())) return null;
          lo = min == null ? Float.NEGATIVE_INFINITY : (float) min.data().getDouble(0);
          hi = max == null ? Float.POSITIVE_INFINITY : (float) max.data().getDouble(0);
        }
        if (lo == 0f && Float.isInfinite(hi)) a.put(Activation.ATTR, "relu");
        else a.put(Activation.ATTR, "clip").put("activation_min", lo).put("activation_max", hi);
      }
      default -> {
        return null;
      }
    }
    return a;
  }

  /**
   * Div(Mul(x, Clip(Add(x, 3), 0, 6)), 6) — or Mul by 1/6 — is x * clamp(x + 3, 0, 6) / 6:
   * HardSwish (Paddle's export).
   */
  private static boolean recogniseClipHardSwish(Graph g) {
    boolean changed = false;
    for (Node add : new ArrayList<>(g.nodes())) {
      if (!add.opType.equals(Binary.ADD) || !g.nodes().contains(add) || add.attrs.has(Activation.ATTR) || add.inputs().size() != 2) continue;
      Value x = add.input(0);
      if (dev.quench.passes.Patterns.scalar(add.input(1)) != 3.0 || x.isConstant()) continue;
      Node clip = dev.quench.passes.Patterns.soleUser(g, add.output(0), Clip.CLIP);
      if (clip == null) continue;
      Attributes ca = activation(clip);
      if (ca == null || !"clip".equals(ca.getString(Activation.ATTR, null)) || ca.getFloat("activation_min", 1) != 0f || ca.getFloat("activation_max", 0) != 6f) continue;
      Node mul = dev.quench.passes.Patterns.soleUser(g, clip.output(0), Binary.MUL);
      if (mul == null || dev.quench.passes.Patterns.other(mul, clip.output(0)) != x) continue;
      Node last = Rewrites.soleUser(g, mul.output(0));
      if (last == null || last.attrs.has(Activation.ATTR)) continue;
      double c = dev.quench.passes.Patterns.scalar(last.input(1));
      boolean ok = last.input(0) == mul.output(0) && (last.opType.equals("Div") && c == 6.0 || last.opType.equals(Binary.MUL) && Math.abs(c - 1 / 6.0) < 1e-6);
      if (!ok) continue;
      Node swish = last.with("HardSwish", List.of(x), new Attributes());
      g.nodes().removeAll(List.of(add, clip, mul));
      g.nodes().set(g.nodes().indexOf(last), swish);
      changed = true;
    }
    return changed;
  }

  /** Mul(x, HardSigmoid(x; 1/6, 1/2)) is x * clamp(x/6 + 1/2, 0, 1): HardSwish. */
  private static boolean recogniseHardSwish(Graph g) {
    boolean changed = false;
    for (Node mul : new ArrayList<>(g.nodes())) {
      if (!mul.opType.equals(Binary.MUL) || !g.nodes().contains(mul) || mul.inputs().size() != 2) continue;
      for (int side = 0; side < 2; side++) {
        Node hs = Rewrites.producer(g, mul.input(side), "HardSigmoid");
        if (hs == null || hs.input(0) != mul.input(1 - side) || Rewrites.soleUser(g, hs.output(0)) != mul) continue;
        if (Math.abs(hs.attrs.getFloat("alpha", 0.2f) - 1 / 6f) > 1e-6 || hs.attrs.getFloat("beta", 0.5f) != 0.5f) continue;
        Node swish = mul.with("HardSwish", List.of(hs.input(0)), new Attributes());
        g.nodes().remove(hs);
        g.nodes().set(g.nodes().indexOf(mul), swish);
        changed = true;
        break;
      }
    }
    return changed;
  }
}
