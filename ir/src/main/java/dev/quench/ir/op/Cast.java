package dev.quench.ir.op;

import dev.quench.ir.DType;
import dev.quench.ir.DTypes;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import java.util.List;

/** Cast (to = dtype attribute) and CastLike (dtype of the second input). */
public final class Cast implements Op {
  @Override
  public List<String> onnxNames() {
    return List.of("Cast", "CastLike");
  }

  @Override
  public java.util.Set<Trait> traits(String opType) {
    return Trait.of(Trait.ELEMENTWISE);
  }

  private static DType target(Node n, DType like) {
    if (n.opType.equals("CastLike")) return like;
    DType to = DType.fromOnnx((int) n.attrs.getInt("to", 0));
    QuenchException.check(to != null && to != DType.STRING, "%s: unsupported target type %d", n.describe(), n.attrs.getInt("to", 0));
    return to;
  }

  /** A shape op (or Cast) whose output type is its input's moves nothing. */
  @Override
  public boolean passesThrough(Node n) {
    return Op.sameType(n);
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    DType to = target(n, n.opType.equals("CastLike") ? c.dtype(1) : null);
    return List.of(new TensorType(to, c.shape(0)));
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    DType to = target(n, in.length > 1 && in[1] != null ? in[1].dtype : null);
    return new Tensor[] {DTypes.cast(in[0], to)};
  }
}
