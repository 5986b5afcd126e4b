package dev.quench.ir.op;

import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import dev.quench.ir.kernel.Broadcast;
import dev.quench.ir.kernel.Gemm;
import java.util.List;

/** Gemm: Y = alpha * op(A) * op(B) + beta * C, C unidirectionally broadcast to [M, N]. */
public final class GemmOp implements Op {
  /** The op type this spec names (referenced by the passes and back ends instead of string literals). */
  public static final String GEMM = "Gemm";

  @Override
  public List<String> onnxNames() {
    return List.of(GEMM);
  }

  @Override
  public java.util.Set<Trait> traits(String opType) {
    return Trait.of(Trait.FUSES_ACTIVATION);
  }

  private static int[] mnk(Node n, int[] a, int[] b) {
    QuenchException.check(a.length == 2 && b.length == 2, "%s: A and B must be 2-D, got %s and %s", n.describe(), Shapes.str(a), Shapes.str(b));
    boolean ta = n.attrs.getInt("transA", 0) != 0, tb = n.attrs.getInt("transB", 0) != 0;
    int m = ta ? a[1] : a[0], k = ta ? a[0] : a[1];
    int kb = tb ? b[1] : b[0], nn = tb ? b[0] : b[1];
    QuenchException.check(k == kb, "%s: inner dims %d and %d differ", n.describe(), k, kb);
    return new int[] {m, nn, k};
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    int[] d = mnk(n, c.shape(0), c.shape(1));
    if (c.has(2)) Shapes.broadcast(new int[] {d[0], d[1]}, c.shape(2));
    return List.of(new TensorType(c.dtype(0), new int[] {d[0], d[1]}));
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    Tensor a = in[0], b = in[1], cc = in.length > 2 ? in[2] : null;
    int[] d = mnk(n, a.shape(), b.shape());
    int m = d[0], nn = d[1], k = d[2];
    float alpha = n.attrs.getFloat("alpha", 1f), beta = n.attrs.getFloat("beta", 1f);
    float[] af = n.attrs.getInt("transA", 0) != 0 ? Gemm.transpose(a.f, 0, k, m) : a.f;
    float[] bf = n.attrs.getInt("transB", 0) != 0 ? Gemm.transpose(b.f, 0, nn, k) : b.f;
    float[] y = new float[m * nn];
    Gemm.mul(m, nn, k, af, 0, k, bf, 0, nn, y, 0, nn);
    if (alpha != 1f) for (int i = 0; i < y.length; i++) y[i] *= alpha;
    if (cc != null && beta != 0f) {
      int[] shape = {m, nn};
      int[] map = Broadcast.map(shape, cc.shape());
      float[] cf = cc.toFloats();
      for (int i = 0; i < y.length; i++) y[i] += beta * cf[Broadcast.at(map, i)];
    }
    dev.quench.ir.kernel.Activation.apply(n.attrs, y);
    return new Tensor[] {Tensor.ofFloat(a.dtype, new int[] {m, nn}, y)};
  }
}
