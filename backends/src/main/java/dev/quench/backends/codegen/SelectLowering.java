package dev.quench.backends.codegen;

import dev.quench.ir.DType;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Value;

/** Where, Cast and Trilu on unquantized tensors of any element type (kernels/select.h). */
public final class SelectLowering implements FamilyLowering {
  /** Where: cond, x, z with their broadcasts to the output. */
  public record WhereArgs(String c, String x, String z, String gx, String gz) {}

  /** Trilu: rows and cols of the last two dims, k, upper. */
  public record TriluArgs(String rows, String cols, String k, String upper) {}

  /** Cast: toBool 1 for a bool result. */
  public record CastArgs(String toBool) {}

  @Override
  public boolean lowers(String opType, boolean floatForm) {
    return floatForm;
  }

  @Override
  public Lowered lower(Node n, Lowering l, KernelChoice kernel, boolean npu) {
    Value y = n.output(0);
    if (n.opType.equals("Where")) {
      Value c = n.input(0), x = n.input(1), z = n.input(2);
      QuenchException.check(c.type().dtype() == DType.BOOL, "codegen: %s: the condition must be bool", n.describe());
      int[] ys = y.type().shape();
      return new Lowered("where", "where_any", new WhereArgs(l.operand(c, n.name + "_c"), l.operand(x, n.name + "_x"), l.operand(z, n.name + "_z"),
          l.broadcast(n, c.type().shape(), x.type().shape(), ys), l.broadcast(n, c.type().shape(), z.type().shape(), ys)));
    }
    if (n.opType.equals("Trilu")) {
      int[] s = n.input(0).type().shape();
      Value k = n.inputs().size() > 1 ? n.input(1) : null;
      // k known at compile time, or read from its tensor when the step runs
      String kk = k == null ? "0" : k.isConstant() ? Long.toString(k.data().getLong(0)) : "static_cast<int64_t>(*" + l.ptr(k) + ")";
      return new Lowered("trilu", "trilu_any", new TriluArgs(Integer.toString(s[s.length - 2]), Integer.toString(s[s.length - 1]), kk,
          Long.toString(n.attrs.getInt("upper", 1) != 0 ? 1 : 0)));
    }
    Lowering.ctype(n.input(0).type().dtype());
    Lowering.ctype(y.type().dtype());
    return new Lowered("cast", "cast_any", new CastArgs(y.type().dtype() == DType.BOOL ? "1" : "0"));
  }
}
