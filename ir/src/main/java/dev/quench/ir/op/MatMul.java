package dev.quench.ir.op;

import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import dev.quench.ir.kernel.Broadcast;
import dev.quench.ir.kernel.Gemm;
import java.util.Arrays;
import java.util.List;

/** MatMul with numpy semantics: 1-D operands promoted and squeezed, batch dims broadcast. */
public final class MatMul implements Op {
  /** The op type this spec names (referenced by the passes and back ends instead of string literals). */
  public static final String MATMUL = "MatMul";

  @Override
  public List<String> onnxNames() {
    return List.of(MATMUL);
  }

  /** Integer form: two quantized activations, int64-exact products summed in the accumulator, requantized (frac f_a + f_b - f_out). */
  @Override
  public java.util.Set<Trait> traits(String opType) {
    return Trait.of(Trait.FUSES_ACTIVATION, Trait.INTEGER);
  }

  /** Batch shape, M, N, K and the result shape. */
  record Dims(int[] batch, int m, int n, int k, int[] out, int[] aBatch, int[] bBatch) {}

  static Dims dims(Node n, int[] as, int[] bs) {
    QuenchException.check(as.length >= 1 && bs.length >= 1, "%s: scalar operands", n.describe());
    int[] a = as.length == 1 ? new int[] {1, as[0]} : as;
    int[] b = bs.length == 1 ? new int[] {bs[0], 1} : bs;
    int m = a[a.length - 2], k = a[a.length - 1], kb = b[b.length - 2], nn = b[b.length - 1];
    QuenchException.check(k == kb, "%s: inner dims %d and %d differ (%s x %s)", n.describe(), k, kb, Shapes.str(as), Shapes.str(bs));
    int[] ab = Arrays.copyOf(a, a.length - 2), bb = Arrays.copyOf(b, b.length - 2);
    int[] batch = Shapes.broadcast(ab, bb);
    int[] out = Arrays.copyOf(batch, batch.length + 2);
    out[batch.length] = m;
    out[batch.length + 1] = nn;
    if (as.length == 1 && bs.length == 1) out = new int[0];
    else if (as.length == 1) out = remove(out, out.length - 2);
    else if (bs.length == 1) out = remove(out, out.length - 1);
    return new Dims(batch, m, nn, k, out, ab, bb);
  }

  private static int[] remove(int[] s, int i) {
    int[] r = new int[s.length - 1];
    System.arraycopy(s, 0, r, 0, i);
    System.arraycopy(s, i + 1, r, i, s.length - i - 1);
    return r;
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    return List.of(new TensorType(dev.quench.ir.DTypes.outType(n.attrs, c.dtype(0)), dims(n, c.shape(0), c.shape(1)).out()));
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    Tensor a = in[0], b = in[1];
    Dims d = dims(n, a.shape(), b.shape());
    int nb = Shapes.numel(d.batch());
    int[] ma = Broadcast.map(d.batch(), d.aBatch()), mb = Broadcast.map(d.batch(), d.bBatch());
    if (dev.quench.ir.Requant.present(n.attrs)) return new Tensor[] {quantized(n, a, b, d, nb, ma, mb)};
    float[] af = a.toFloats(), bf = b.toFloats();
    float[] y = new float[nb * d.m() * d.n()];
    int sa = d.m() * d.k(), sb = d.k() * d.n(), sy = d.m() * d.n();
    for (int i = 0; i < nb; i++) {
      Gemm.mul(d.m(), d.n(), d.k(), af, Broadcast.at(ma, i) * sa, d.k(), bf, Broadcast.at(mb, i) * sb, d.n(), y, i * sy, d.n());
    }
    dev.quench.ir.kernel.Activation.apply(n.attrs, y);
    return new Tensor[] {Tensor.ofFloat(a.dtype, d.out(), y)};
  }

  /** The product of two quantized tensors: each element the exact sum over k of a * b, requantized (C++: matmul_int). */
  private static Tensor quantized(Node n, Tensor a, Tensor b, Dims d, int nb, int[] ma, int[] mb) {
    dev.quench.ir.Requant rq = dev.quench.ir.Requant.of(n.attrs);
    int m = d.m(), nn = d.n(), k = d.k(), sa = m * k, sb = k * nn;
    long[] y = new long[nb * m * nn];
    String where = n.describe();
    for (int t = 0; t < nb; t++) {
      int ao = Broadcast.at(ma, t) * sa, bo = Broadcast.at(mb, t) * sb;
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < nn; j++) {
          long acc = 0;
          for (int q = 0; q < k; q++) acc += a.l[ao + i * k + q] * b.l[bo + q * nn + j];
          y[(t * m + i) * nn + j] = rq.apply(acc, 0, where);
        }
      }
    }
    return Tensor.ofLong(rq.outType(), d.out(), y);
  }
}
