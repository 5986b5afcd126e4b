package dev.quench.ir.op;

import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import java.util.List;

/** Transpose by {@code perm} (default: reverse the axes). */
public final class Transpose implements Op {
  /** The op type this spec names (referenced by the passes and back ends instead of string literals). */
  public static final String TRANSPOSE = "Transpose";

  @Override
  public List<String> onnxNames() {
    return List.of(TRANSPOSE);
  }

  @Override
  public java.util.Set<Trait> traits(String opType) {
    return Trait.of(Trait.MOVES_DATA, Trait.KEEPS_SCALE, Trait.INTEGER);
  }

  static int[] perm(Node n, int rank) {
    int[] def = new int[rank];
    for (int i = 0; i < rank; i++) def[i] = rank - 1 - i;
    int[] p = n.attrs.getIntArray("perm", def);
    QuenchException.check(p.length == rank, "%s: perm has %d entries for rank %d", n.describe(), p.length, rank);
    boolean[] seen = new boolean[rank];
    for (int a : p) {
      QuenchException.check(a >= 0 && a < rank && !seen[a], "%s: perm is not a permutation", n.describe());
      seen[a] = true;
    }
    return p;
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    int[] s = c.shape(0), p = perm(n, s.length), o = new int[s.length];
    for (int i = 0; i < s.length; i++) o[i] = s[p[i]];
    return List.of(new TensorType(c.dtype(0), o));
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    Tensor x = in[0];
    int[] p = perm(n, x.rank());
    long[] lp = new long[p.length];
    for (int i = 0; i < p.length; i++) lp[i] = p[i];
    return new Tensor[] {dev.quench.ir.kernel.Layouts.transpose(x, lp)};
  }
}
