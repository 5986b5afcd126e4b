package dev.quench.backends.codegen;

import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import dev.quench.ir.op.OpRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * Where each output element of a data-movement op (Slice, Transpose, Split, Resize nearest, Pad,
 * ...) comes from, found by running the op's own Java kernel on a tensor holding each element's
 * flat index (exact in float32 below 2^24): the C++ kernel then gathers by the very same rule.
 * The map is reduced to an affine form (base + per-dimension strides) or to one index table per
 * axis (nearest resizing; padding, whose fill positions the tables mark).
 */
final class IndexProbe {
  private IndexProbe() {}

  /** Where output k's elements come from: the source flat index, or -1 for the fill value (fill; NaN when none). */
  record Sources(int[] src, double fill) {}

  /** The offset of the second probe: both probes stay exact in float32 (below 2^24). */
  private static final int SHIFT = 1 << 23;

  /**
   * Source flat index of every element of output {@code k} of n, from two probes: the input's
   * indices, and the same shifted by 2^23. An element that moves with the shift is read from the
   * input; one that does not is the op's fill value (Pad's constant), whatever its value. A third
   * probe, a scrambled index (h(i) = i * 2654435761 mod 16777213), tells a copied element from a
   * blend (a linear Resize): weights summing to one move blends with the shift too, but a blend of
   * scrambled values is not the scrambled value of its index.
   */
  static Sources sources(Node n, int k) {
    Value x = n.input(0);
    int size = (int) x.type().numel();
    QuenchException.check(size < SHIFT, "codegen: %s: input too large to map", n.describe());
    Tensor a = probe(n, k, 0, false), b = probe(n, k, SHIFT, false), c = probe(n, k, 0, true);
    int[] r = new int[a.numel()];
    double fill = Double.NaN;
    for (int i = 0; i < r.length; i++) {
      double at = a.f[i];
      if ((double) b.f[i] - at == SHIFT && at == Math.rint(at) && at >= 0 && at < size) {
        r[i] = (int) at;
        QuenchException.check(c.f[i] == scrambled(r[i]), "codegen: %s: output element %d is computed from several input elements, not moved (no C++ kernel for this form yet)",
            n.describe(), i);
      } else {
        QuenchException.check(Double.isNaN(fill) || fill == a.f[i], "codegen: %s: output element %d is neither an input element nor the fill value", n.describe(), i);
        fill = a.f[i];
        r[i] = -1;
      }
    }
    return new Sources(r, fill);
  }

  /** A scrambled index, exact in float32 (below 2^24). */
  private static float scrambled(int i) {
    return (float) ((i * 2654435761L) % 16777213L);
  }

  private static Tensor probe(Node n, int k, int offset, boolean scramble) {
    Value x = n.input(0);
    int size = (int) x.type().numel();
    float[] idx = new float[size];
    for (int i = 0; i < size; i++) idx[i] = scramble ? scrambled(i) : i + offset;
    Tensor[] in = new Tensor[n.inputs().size()];
    in[0] = Tensor.ofFloat(x.type().shape(), idx);
    for (int i = 1; i < in.length; i++) {
      Value v = n.input(i);
      if (v == null) continue;
      QuenchException.check(v.isConstant(), "codegen: %s: input %d must be constant", n.describe(), i);
      in[i] = v.data();
    }
    dev.quench.ir.Attributes a = n.attrs.copy();
    for (String q : new String[] {dev.quench.ir.Requant.OUT_BITS, dev.quench.ir.Requant.OUT_UNSIGNED}) a.remove(q);
    Node probe = new Node(n.name, n.opType, n.opset, n.inputs(), n.outputs(), a);
    return OpRegistry.get(n.opType).eval(probe, in)[k];
  }

  /** base followed by one stride per output dim, or null when the map is not affine. */
  static long[] affine(int[] src, int[] outShape) {
    int rank = outShape.length;
    long[] r = new long[rank + 1];
    if (src.length == 0) return r;
    r[0] = src[0];
    int[] strides = Shapes.strides(outShape);
    for (int v : src) if (v < 0) return null;  // fill values: not a pure gather
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

  /** An affine gather over a refinement of the output dims: its dims (outermost first) and base + one stride per dim. */
  record Refined(long[] dims, long[] affine) {}

  /**
   * The map as an affine gather over the output dims cut into factors, or null. From the innermost
   * output dim outwards, each next factor is as long as the elements one block (the factors so
   * far) apart keep one step apart, cut down to a divisor of what is left of the dim; the whole
   * map is then checked against the result. DepthToSpace's [N, C, H*b, W*b] becomes
   * [N, C, H, b, W, b] with the strides of its transpose.
   */
  static Refined refinedAffine(int[] src, int[] outShape) {
    if (src.length < 2) return null;
    for (int v : src) if (v < 0) return null;
    List<Integer> sizes = new ArrayList<>();  // innermost first
    long block = 1;
    for (int d = outShape.length - 1; d >= 0; d--) {
      int rem = outShape[d];
      while (rem > 1) {
        long step = src[(int) block] - (long) src[0];
        int run = 1;
        while (run < rem && src[(int) (run * block)] == src[0] + run * step) run++;
        int f = run;
        while (f > 1 && rem % f != 0) f--;
        if (f < 2) return null;
        sizes.add(f);
        block *= f;
        rem /= f;
      }
    }
    int[] shape = new int[sizes.size()];
    for (int i = 0; i < shape.length; i++) shape[i] = sizes.get(shape.length - 1 - i);
    long[] aff = affine(src, shape);
    return aff == null ? null : new Refined(java.util.Arrays.stream(shape).asLongStream().toArray(), aff);
  }

  /**
   * One input coordinate table per output axis (concatenated), or null when the map is not
   * separable. An entry of -1 marks an output coordinate that reads no input (padding): every
   * element with that coordinate is the fill value.
   */
  static long[] separable(int[] src, int[] inShape, int[] outShape) {
    int rank = outShape.length;
    if (inShape.length != rank) return null;
    int[] is = Shapes.strides(inShape), os = Shapes.strides(outShape);
    int total = 0;
    for (int d : outShape) total += d;
    long[] maps = new long[total];
    java.util.Arrays.fill(maps, -2);  // not seen yet
    for (int i = 0; i < src.length; i++) {
      if (src[i] < 0) continue;
      int off = 0;
      for (int d = 0; d < rank; d++) {
        int o = (i / os[d]) % outShape[d];
        long c = (src[i] / is[d]) % inShape[d];
        if (maps[off + o] == -2) maps[off + o] = c;
        else if (maps[off + o] != c) return null;
        off += outShape[d];
      }
    }
    for (int j = 0; j < total; j++) if (maps[j] == -2) maps[j] = -1;
    for (int i = 0; i < src.length; i++) {
      long at = 0;
      boolean fill = false;
      int rest = i, end = total;
      for (int d = rank - 1; d >= 0; d--) {
        end -= outShape[d];
        long c = maps[end + rest % outShape[d]];
        fill |= c < 0;
        at += c * is[d];
        rest /= outShape[d];
      }
      if (fill ? src[i] != -1 : at != src[i]) return null;
    }
    return maps;
  }
}
