package dev.quench.ir.op;

import dev.quench.ir.DType;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Requant;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import java.util.List;

/**
 * A data-dependent ONNX {@code If} in a flat graph (the importer's rewrite): both subgraphs'
 * nodes join the graph, and two of Quench's own ops mark where a branch starts and ends.
 *
 * <ul>
 *   <li>{@code Guard(x, cond)}, attribute {@code branch} (1: then, 0: else): x itself when cond
 *       (its one element non-zero) selects that branch; otherwise nothing is computed. Every value
 *       of the enclosing scope a branch reads enters it through a Guard, so every node of a
 *       branch reads, directly or not, a Guard's output: which branch a node belongs to follows
 *       from the dataflow alone ({@link dev.quench.ir.Branches}) and survives every rewrite.
 *   <li>{@code Merge(then, else, cond)}: the If's output, the taken branch's value; in integer
 *       form requantized to the output's frac (one shift per input, as Concat).
 * </ul>
 *
 * The interpreter and the generated C++ run a node only when every Guard above it passed.
 */
public final class Branch implements Op {
  public static final String GUARD = "Guard", MERGE = "Merge", BRANCH = "branch";

  @Override
  public List<String> onnxNames() {
    return List.of(GUARD, MERGE);
  }

  @Override
  public java.util.Set<Trait> traits(String opType) {
    return opType.equals(GUARD) ? Trait.of(Trait.ALIAS, Trait.KEEPS_SCALE, Trait.INTEGER, Trait.INTERNAL) : Trait.of(Trait.INTEGER, Trait.INTERNAL);
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    QuenchException.check(c.count() >= 2 && dev.quench.ir.Shapes.numel(c.shape(c.count() - 1)) == 1,
        "%s: the condition must have one element", n.describe());
    if (n.opType.equals(GUARD)) return List.of(new TensorType(c.dtype(0), c.shape(0)));
    QuenchException.check(c.count() == 3, "%s: needs then, else and the condition", n.describe());
    QuenchException.check(java.util.Arrays.equals(c.shape(0), c.shape(1)), "%s: the branches' outputs have shapes %s and %s (Quench needs them equal)", n.describe(),
        java.util.Arrays.toString(c.shape(0)), java.util.Arrays.toString(c.shape(1)));
    DType t = dev.quench.ir.DTypes.outType(n.attrs, c.dtype(0));
    QuenchException.check(Requant.present(n.attrs) || c.dtype(0) == c.dtype(1), "%s: the branches' outputs are %s and %s", n.describe(), c.dtype(0), c.dtype(1));
    return List.of(new TensorType(t, c.shape(0)));
  }

  @Override
  public java.util.Set<Integer> shiftCounts(Node n) {
    return java.util.Set.of(2);
  }

  /** Whether a Guard passes for this condition value. */
  public static boolean passes(Node guard, Tensor cond) {
    return taken(cond) == (guard.attrs.getInt(BRANCH, 1) != 0);
  }

  /** Whether the condition selects the then branch. */
  public static boolean taken(Tensor cond) {
    return cond.getDouble(0) != 0;
  }

  /** Guard: x. Merge: the taken input (the other may be null: not computed), requantized when quantized. */
  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    if (n.opType.equals(GUARD)) return new Tensor[] {in[0]};
    int k = taken(in[2]) ? 0 : 1;
    Tensor x = in[k];
    QuenchException.check(x != null, "%s: the taken branch's value was not computed", n.describe());
    if (!Requant.present(n.attrs)) return new Tensor[] {x};
    Requant rq = Requant.of(n.attrs);
    long[] v = new long[x.numel()];
    for (int i = 0; i < v.length; i++) v[i] = rq.apply(x.l[i], k, n.describe());
    return new Tensor[] {Tensor.ofLong(rq.outType(), x.shape(), v)};
  }
}
