package dev.quench.backends.codegen;

import dev.quench.ir.op.Concat;
import dev.quench.ir.DType;
import dev.quench.ir.DTypes;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Value;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Data movement: Concat (requantized to the output frac), views as a copy, every other move (any
 * op with the MOVES_DATA trait: Transpose, Slice, Split, Resize nearest, Pad, ...) as an affine or
 * per-axis gather found by probing the op's own Java kernel (kernels/movement.h).
 */
final class MovementLowering implements FamilyLowering {
  @Override
  public void lower(Node n, Lowering l, KernelChoice kernel, boolean npu, Map<String, Object> m) {
    String op = n.opType;
    Value x = n.inputs().isEmpty() ? null : n.input(0), y = n.output(0);
    if (op.equals(Concat.CONCAT)) {
      int[] ys = y.type().shape();
      int axis = Shapes.axis((int) n.attrs.getInt("axis", 0), ys.length);
      long outer = Shapes.product(ys, 0, axis), inner = Shapes.product(ys, axis + 1, ys.length);
      boolean f = y.type().dtype().isFloating();
      long[] shifts = n.attrs.getInts("shift_right");
      List<Map<String, String>> parts = new java.util.ArrayList<>();
      long offset = 0;
      for (int i = 0; i < n.inputs().size(); i++) {
        Value v = n.input(i);
        long len = (long) v.type().dim(axis) * inner;
        Map<String, String> p = new LinkedHashMap<>();
        p.put("x", v.isConstant() ? l.consts.add(n.name + "_in" + i, v) : l.ptr(v));
        p.put("tx", Lowering.ctype(v.type().dtype()));
        p.put("len", Long.toString(len));
        p.put("offset", Long.toString(offset));
        p.put("shift", Long.toString(shifts == null ? 0 : shifts[i]));
        parts.add(p);
        offset += len;
      }
      Lowering.template(m, f ? "concat_f32" : "concat", f ? "concat_f32" : "concat_int");
      m.put("outer", Long.toString(outer));
      m.put("out_len", Long.toString(offset));
      m.put("parts", parts);
      if (!f) {
        m.put("lo", Long.toString(DTypes.lo(y.type().dtype())));
        m.put("hi", Long.toString(DTypes.hi(y.type().dtype())));
      }
      return;
    }
    if (n.is(dev.quench.ir.op.Trait.VIEW)) {
      Lowering.template(m, "copy", "copy_bytes");
      return;
    }
    Lowering.template(m, "gather", "gather_strided");
    List<Map<String, String>> parts = new java.util.ArrayList<>();
    for (int k = 0; k < n.outputs().size(); k++) {
      Value out = n.output(k);
      if (out == null) continue;
      IndexProbe.Sources sources = IndexProbe.sources(n, k);
      int[] src = sources.src(), os = out.type().shape();
      Map<String, String> p = new LinkedHashMap<>();
      p.put("y", l.ptr(out));
      p.put("size", Long.toString(out.type().numel()));
      p.put("rank", Integer.toString(Math.max(1, os.length)));
      long[] dims = os.length == 0 ? new long[] {1} : Arrays.stream(os).asLongStream().toArray();
      p.put("dims", l.consts.addInts(n.name + "_dims", DType.INT32, dims));
      long[] aff = IndexProbe.affine(src, os.length == 0 ? new int[] {1} : os);
      if (aff != null) {
        p.put("kernel", "gather_strided");
        p.put("base", Long.toString(aff[0]));
        p.put("strides", l.consts.addInts(n.name + "_strides", DType.INT32, Arrays.copyOfRange(aff, 1, aff.length)));
      } else {
        long[] maps = IndexProbe.separable(src, x.type().shape(), os);
        QuenchException.check(maps != null, "codegen: %s: %s is neither an affine nor a per-axis gather", n.describe(), op);
        p.put("kernel", "gather_axes");
        p.put("in_strides", l.consts.addInts(n.name + "_in_strides", DType.INT32, Arrays.stream(Shapes.strides(x.type().shape())).asLongStream().toArray()));
        p.put("maps", l.consts.addInts(n.name + "_maps", DType.INT32, maps));
        // the value of the positions no input element reaches (Pad's constant, quantized like its input)
        double fill = Double.isNaN(sources.fill()) ? 0 : sources.fill();
        p.put("fill", out.type().dtype().isFloating() ? Lowering.doubleLiteral((float) fill) : Long.toString((long) fill) + ".0");
      }
      parts.add(p);
    }
    m.put("parts", parts);
  }
}
