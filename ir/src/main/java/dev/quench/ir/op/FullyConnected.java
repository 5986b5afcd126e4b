package dev.quench.ir.op;

import dev.quench.ir.DType;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import dev.quench.ir.kernel.Activation;
import dev.quench.ir.kernel.Gemm;
import java.util.List;

/**
 * Quench's own fully connected op: y[..., n] = sum_k x[..., k] * W[n, k] + b[n], weights
 * [N, K] (output-major, as the kernels want them), optional bias [N]; leading dims of x are rows.
 * What MatMul/Gemm with constant weights become.
 */
public final class FullyConnected implements Op {
  /** The op type this spec names (referenced by the passes and back ends instead of string literals). */
  public static final String FULLY_CONNECTED = "FullyConnected";

  @Override
  public List<String> onnxNames() {
    return List.of(FULLY_CONNECTED);
  }

  @Override
  public java.util.Set<Trait> traits(String opType) {
    return Trait.of(Trait.FUSES_ACTIVATION, Trait.INTEGER, Trait.INTERNAL);
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    int[] x = c.shape(0), w = c.shape(1);
    QuenchException.check(x.length >= 1 && w.length == 2 && x[x.length - 1] == w[1], "%s: input %s does not fit weights %s", n.describe(), Shapes.str(x), Shapes.str(w));
    if (c.has(2)) QuenchException.check(c.type(2).numel() == w[0], "%s: bias must have %d values", n.describe(), w[0]);
    int[] out = x.clone();
    out[out.length - 1] = w[0];
    return List.of(new TensorType(dev.quench.ir.DTypes.outType(n.attrs, c.dtype(0)), out));
  }

  @Override
  public java.util.Set<Integer> shiftCounts(Node n) {
    return Op.oneOr(n.input(1).type().dim(0));
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    Tensor x = in[0], w = in[1], b = in.length > 2 ? in[2] : null;
    int[] xs = x.shape();
    int k = xs[xs.length - 1], nOut = w.dim(0), rows = x.numel() / Math.max(k, 1);
    if (!x.isFloat()) {
      long[] y = dev.quench.ir.kernel.IntKernels.fullyConnected(x.l, rows, k, w.l, nOut, b == null ? null : b.l,
          dev.quench.ir.Requant.of(n.attrs), n.describe());
      int[] out = xs.clone();
      out[out.length - 1] = nOut;
      return new Tensor[] {Tensor.ofLong(dev.quench.ir.DTypes.quantizedOut(n.attrs), out, y)};
    }
    float[] wt = Gemm.transpose(w.f, 0, nOut, k);
    float[] y = new float[rows * nOut];
    Gemm.mul(rows, nOut, k, x.f, 0, k, wt, 0, nOut, y, 0, nOut);
    if (b != null) for (int r = 0; r < rows; r++) for (int j = 0; j < nOut; j++) y[r * nOut + j] += b.f[j];
    Activation.apply(n.attrs, y);
    int[] out = xs.clone();
    out[out.length - 1] = nOut;
    return new Tensor[] {Tensor.ofFloat(x.dtype, out, y)};
  }
}
