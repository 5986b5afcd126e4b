package dev.quench.backends.codegen;

import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import dev.quench.ir.op.OpRegistry;

/**
 * Where each output element of a data-movement op (Slice, Transpose, Split, Resize nearest, ...)
 * comes from, found by running the op's own Java kernel on a tensor holding each element's flat
 * index (exact in float32 below 2^24): the C++ kernel then gathers by the very same rule. The map
 * is reduced to an affine form (base + per-dimension strides) or, for nearest resizing, to one
 * index table per axis.
 */
final class IndexProbe {
  private IndexProbe() {}

  /** Source flat index of every element of output {@code k} of n. */
  static int[] sources(Node n, int k) {
    Value x = n.input(0);
    int size = (int) x.type().numel();
    QuenchException.check(size < (1 << 24), "codegen: %s: input too large to map", n.describe());
    float[] idx = new float[size];
    for (int i = 0; i < size; i++) idx[i] = i;
    Tensor[] in = new Tensor[n.inputs().size()];
    in[0] = Tensor.ofFloat(x.type().shape(), idx);
    for (int i = 1; i < in.length; i++) {
      Value v = n.input(i);
      if (v == null) continue;
      QuenchException.check(v.isConstant(), "codegen: %s: input %d must be constant", n.describe(), i);
      in[i] = v.data();
    }
    dev.quench.ir.Attributes a = n.attrs.copy();
    for (String q : new String[] {"out_bits", "out_unsigned"}) a.remove(q);
    Node probe = new Node(n.name, n.opType, n.opset, n.inputs(), n.outputs(), a);
    Tensor out = OpRegistry.get(n.opType).eval(probe, in)[k];
    int[] r = new int[out.numel()];
    for (int i = 0; i < r.length; i++) r[i] = (int) out.f[i];
    return r;
  }

  /** base followed by one stride per output dim, or null when the map is not affine. */
  static long[] affine(int[] src, int[] outShape) {
    int rank = outShape.length;
    long[] r = new long[rank + 1];
    if (src.length == 0) return r;
    r[0] = src[0];
    int[] strides = Shapes.strides(outShape);
    for (int d = 0; d < rank; d++) r[d + 1] = outShape[d] > 1 ? src[strides[d]] - src[0] : 0;
    for (int i = 0; i < src.length; i++) {
      long at = r[0];
      int rest = i;
      for (int d = rank - 1; d >= 0; d--) {
        at += (long) (rest % outShape[d]) * r[d + 1];
        rest /= outShape[d];
      }
      if (at != src[i]) return null;
    }
    return r;
  }

  /** One input coordinate table per output axis (concatenated), or null when the map is not separable. */
  static long[] separable(int[] src, int[] inShape, int[] outShape) {
    int rank = outShape.length;
    if (inShape.length != rank) return null;
    int[] is = Shapes.strides(inShape), os = Shapes.strides(outShape);
    int total = 0;
    for (int d : outShape) total += d;
    long[] maps = new long[total];
    int off = 0;
    for (int d = 0; d < rank; d++) {
      for (int o = 0; o < outShape[d]; o++) maps[off + o] = (src[o * os[d]] / is[d]) % inShape[d];
      off += outShape[d];
    }
    for (int i = 0; i < src.length; i++) {
      long at = 0;
      int rest = i, end = total;
      for (int d = rank - 1; d >= 0; d--) {
        end -= outShape[d];
        at += maps[end + rest % outShape[d]] * is[d];
        rest /= outShape[d];
      }
      if (at != src[i]) return null;
    }
    return maps;
  }
}
