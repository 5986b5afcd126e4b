package dev.quench.ir.op;

import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import dev.quench.ir.kernel.Activation;
import java.util.List;

/**
 * Quench's own per-channel affine op: y = x * scale[c] + bias[c] over {@code axis} (default 1). What a
 * BatchNormalization becomes when no conv or FC precedes it to absorb it.
 */
public final class ChannelAffine implements Op {
  @Override
  public List<String> onnxNames() {
    return List.of("ChannelAffine");
  }

  @Override
  public java.util.Set<Trait> traits(String opType) {
    // not ELEMENTWISE for layout moves: its scale and bias follow the channel axis
    return Trait.of(Trait.FUSES_ACTIVATION, Trait.LAYOUT_AWARE, Trait.INTEGER, Trait.INTERNAL);
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    TensorType x = c.type(0);
    QuenchException.check(x.rank() >= 2, "%s: input rank must be at least 2", n.describe());
    int axis = Shapes.axis(n.attrs.getInt("axis", 1), x.rank());
    QuenchException.check(c.type(1).numel() == x.dim(axis) && c.type(2).numel() == x.dim(axis), "%s: scale and bias need %d values", n.describe(), x.dim(axis));
    return List.of(new TensorType(dev.quench.ir.DTypes.outType(n.attrs, x.dtype()), x.shape()));
  }

  @Override
  public java.util.Set<Integer> shiftCounts(Node n) {
    return Op.oneOr((int) n.input(1).type().numel());
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    Tensor x = in[0];
    int[] s = x.shape();
    int axis = Shapes.axis(n.attrs.getInt("axis", 1), s.length);
    int c = s[axis], inner = Shapes.product(s, axis + 1, s.length), outer = Shapes.product(s, 0, axis);
    if (!x.isFloat()) {
      // quantized: scale int8 per channel, bias int32 at frac(x) + frac(scale), per-channel requantization
      dev.quench.ir.Requant rq = dev.quench.ir.Requant.of(n.attrs);
      long[] y = new long[x.numel()];
      for (int o = 0; o < outer; o++) for (int ch = 0; ch < c; ch++) {
        int base = (o * c + ch) * inner;
        for (int i = base; i < base + inner; i++) y[i] = rq.apply(x.l[i] * in[1].l[ch] + in[2].l[ch], ch, n.describe());
      }
      return new Tensor[] {Tensor.ofLong(dev.quench.ir.DTypes.quantizedOut(n.attrs), s, y)};
    }
    float[] scale = in[1].toFloats(), bias = in[2].toFloats();
    float[] y = new float[x.numel()];
    for (int o = 0; o < outer; o++) for (int ch = 0; ch < c; ch++) {
      int base = (o * c + ch) * inner;
      for (int i = base; i < base + inner; i++) y[i] = x.f[i] * scale[ch] + bias[ch];
    }
    Activation.apply(n.attrs, y);
    return new Tensor[] {Tensor.ofFloat(x.dtype, s, y)};
  }
}
