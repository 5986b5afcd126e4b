package dev.quench.backends.codegen;

import dev.quench.ir.DType;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Value;

/** Where (also of quantized values), Cast, Trilu and TopK on unquantized tensors of any element type (kernels/select.h). */
public final class SelectLowering implements FamilyLowering {
  /** Where: cond, x, z with their broadcasts to the output (quantized: the shift of each side and the clamp). */
  public record WhereArgs(String c, String x, String z, String gx, String gz, String shiftX, String shiftZ, String lo, String hi) {}

  /** Trilu: rows and cols of the last two dims, k, upper. */
  public record TriluArgs(String rows, String cols, String k, String upper) {}

  /** TopK along one axis (outer x dim x inner): k, largest, the values and indices outputs (typed null pointers when absent). */
  public record TopKArgs(String outer, String dim, String inner, String k, String largest, String values, String indices) {}

  /** Cast: toBool 1 for a bool result (cast_any); with float16 / bfloat16 bits, 1 for bfloat16. */
  public record CastArgs(String toBool) {}

  @Override
  public boolean lowers(String opType, boolean floatForm) {
    return floatForm || opType.equals("Where") || opType.equals("TopK");  // (Where of quantized values: where_int; TopK of any integers)
  }

  @Override
  public Lowered lower(Node n, Lowering l, KernelChoice kernel, boolean npu) {
    Value y = n.output(0);
    if (n.opType.equals("Where")) {
      Value c = n.input(0), x = n.input(1), z = n.input(2);
      QuenchException.check(c.type().dtype() == DType.BOOL, "codegen: %s: the condition must be bool", n.describe());
      int[] ys = y.type().shape();
      if (dev.quench.ir.Requant.present(n.attrs)) {
        dev.quench.ir.Requant rq = dev.quench.ir.Requant.of(n.attrs);
        return new Lowered("where_int", "where_int", new WhereArgs(l.operand(c, n.name + "_c"), l.operand(x, n.name + "_x"), l.operand(z, n.name + "_z"),
            l.broadcast(n, c.type().shape(), x.type().shape(), ys), l.broadcast(n, c.type().shape(), z.type().shape(), ys), Long.toString(rq.shift(0)), Long.toString(rq.shift(1)),
            Long.toString(rq.lo()), Long.toString(rq.hi())));
      }
      return new Lowered("where", "where_any", new WhereArgs(l.operand(c, n.name + "_c"), l.operand(x, n.name + "_x"), l.operand(z, n.name + "_z"),
          l.broadcast(n, c.type().shape(), x.type().shape(), ys), l.broadcast(n, c.type().shape(), z.type().shape(), ys), null, null, null, null));
    }
    if (n.opType.equals("Trilu")) {
      int[] s = n.input(0).type().shape();
      Value k = n.inputs().size() > 1 ? n.input(1) : null;
      // k known at compile time, or read from its tensor when the step runs
      String kk = k == null ? "0" : k.isConstant() ? Long.toString(k.data().getLong(0)) : "static_cast<int64_t>(*" + l.ptr(k) + ")";
      return new Lowered("trilu", "trilu_any", new TriluArgs(Integer.toString(s[s.length - 2]), Integer.toString(s[s.length - 1]), kk,
          Long.toString(n.attrs.getInt("upper", 1) != 0 ? 1 : 0)));
    }
    if (n.opType.equals("TopK")) {
      int[] s = n.input(0).type().shape(), o = (y != null ? y : n.output(1)).type().shape();
      int axis = dev.quench.ir.Shapes.axis(n.attrs.getInt("axis", -1), s.length);
      String t = Lowering.ctype(n.input(0).type().dtype());
      Value ix = n.outputs().size() > 1 ? n.output(1) : null;
      return new Lowered("topk", "topk_any", new TopKArgs(Integer.toString(dev.quench.ir.Shapes.product(s, 0, axis)), Integer.toString(s[axis]),
          Integer.toString(dev.quench.ir.Shapes.product(s, axis + 1, s.length)), Integer.toString(o[axis]), n.attrs.getInt("largest", 1) != 0 ? "1" : "0",
          y != null ? l.ptr(y) : "static_cast<" + t + "*>(nullptr)", ix != null ? l.ptr(ix) : "static_cast<int64_t*>(nullptr)"));
    }
    DType from = n.input(0).type().dtype(), to = y.type().dtype();
    boolean halfIn = from == DType.FLOAT16 || from == DType.BFLOAT16, halfOut = to == DType.FLOAT16 || to == DType.BFLOAT16;
    if (halfIn || halfOut) {
      // float16 / bfloat16 bits meet float32 only (FloatTypes puts every other value of theirs in float32)
      QuenchException.check((halfIn ? to : from) == DType.FLOAT32 && !(halfIn && halfOut), "codegen: %s: Cast from %s to %s", n.describe(), from, to);
      return new Lowered("cast", halfOut ? "cast_f32_f16" : "cast_f16_f32", new CastArgs((halfIn ? from : to) == DType.BFLOAT16 ? "1" : "0"));
    }
    Lowering.ctype(from);
    Lowering.ctype(to);
    return new Lowered("cast", "cast_any", new CastArgs(to == DType.BOOL ? "1" : "0"));
  }
}
