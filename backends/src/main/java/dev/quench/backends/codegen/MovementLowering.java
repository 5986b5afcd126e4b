package dev.quench.backends.codegen;

import dev.quench.ir.DType;
import dev.quench.ir.DTypes;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Requant;
import dev.quench.ir.Shapes;
import dev.quench.ir.Value;
import dev.quench.ir.op.Concat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Data movement: Concat (requantized to the output frac), views as a copy, every other move (any
 * op with the MOVES_DATA trait: Transpose, Slice, Split, Resize nearest, Pad, ...) as an affine or
 * per-axis gather found by probing the op's own Java kernel (kernels/movement.h).
 */
public final class MovementLowering implements FamilyLowering {
  /** One input of a Concat: its pointer (or constant array), length per outer index, offset in the output row, shift to the output frac. */
  public record ConcatPart(String x, String tx, String len, String offset, String shift) {}

  /** lo and hi: the integer output's range (null for float). */
  public record ConcatArgs(String outer, String outLen, List<ConcatPart> parts, String lo, String hi) {}

  /** One output of a gather: affine (base, strides) or per axis (inStrides, maps, fill). */
  public record GatherPart(String kernel, String y, String size, String rank, String dims, String base, String strides, String inStrides, String maps, String fill) {}

  public record GatherArgs(List<GatherPart> parts) {}

  /** Gather with run-time indices: the indices, their count, outer x dim x inner. */
  public record GatherIndexArgs(String idx, String count, String outer, String dim, String inner) {}

  /** GatherElements with run-time indices: the indices, the output dims (rank of them), the input's strides, the axis and its size. */
  public record GatherElementsArgs(String idx, String rank, String dims, String inStrides, String axis, String dim) {}

  /** One pass of an interpolating Resize: source and destination, the geometry, the tap tables (kernels/movement.h, resize_axis_f32). */
  public record ResizePass(String src, String dst, String outer, String inLen, String inner, String outLen, String taps, String idx, String w, String fill) {}

  public record ResizeArgs(List<ResizePass> passes) {}

  /** Whether n is a Resize that interpolates (linear, cubic): not a move, the resize_axis_f32 passes. */
  static boolean interpolates(Node n) {
    return (n.opType.equals("Resize") || n.opType.equals("Upsample")) && !dev.quench.ir.op.Resize.nearest(n);
  }

  /** The passes of an interpolating Resize, its scales / sizes / roi read from their constants. */
  static List<dev.quench.ir.op.Resize.AxisPass> resizePasses(Node n) {
    dev.quench.ir.Tensor[] in = new dev.quench.ir.Tensor[n.inputs().size()];
    for (int i = 1; i < in.length; i++) {
      Value v = n.input(i);
      if (v == null || v.type() != null && v.type().numel() == 0) continue;
      QuenchException.check(v.isConstant(), "codegen: %s: input %d must be constant", n.describe(), i);
      in[i] = v.data();
    }
    return dev.quench.ir.op.Resize.passes(n, n.input(0).type().shape(), in);
  }

  /** Elements of the largest intermediate of passes p, p + 2, ... before the last (the buffer p % 2 holds them). */
  static long resizeBuffer(List<dev.quench.ir.op.Resize.AxisPass> passes, int parity) {
    long max = 0;
    for (int p = parity; p < passes.size() - 1; p += 2) max = Math.max(max, (long) passes.get(p).outer() * passes.get(p).outLen() * passes.get(p).inner());
    return max;
  }

  @Override
  public Lowered lower(Node n, Lowering l, KernelChoice kernel, boolean npu) {
    String op = n.opType;
    Value x = n.input(0), y = n.output(0);
    if (op.equals(Concat.CONCAT)) {
      int[] ys = y.type().shape();
      int axis = Shapes.axis((int) n.attrs.getInt("axis", 0), ys.length);
      long outer = Shapes.product(ys, 0, axis), inner = Shapes.product(ys, axis + 1, ys.length);
      boolean f = y.type().dtype().isFloating();
      Requant rq = f ? null : Requant.of(n.attrs);
      List<ConcatPart> parts = new ArrayList<>();
      long offset = 0;
      for (int i = 0; i < n.inputs().size(); i++) {
        Value v = n.input(i);
        long len = (long) v.type().dim(axis) * inner;
        parts.add(new ConcatPart(v.isConstant() ? l.consts.add(n.name + "_in" + i, v) : l.ptr(v), Lowering.ctype(v.type().dtype()), Long.toString(len), Long.toString(offset),
            Long.toString(rq == null ? 0 : rq.shift(i))));
        offset += len;
      }
      String lo = f ? null : Long.toString(DTypes.lo(y.type().dtype())), hi = f ? null : Long.toString(DTypes.hi(y.type().dtype()));
      return new Lowered(f ? "concat_f32" : "concat", f ? "concat_f32" : "concat_int", new ConcatArgs(Long.toString(outer), Long.toString(offset), parts, lo, hi));
    }
    if (n.is(dev.quench.ir.op.Trait.VIEW)) return new Lowered("copy", "copy_bytes", null);
    if (interpolates(n)) {
      QuenchException.check(x.type().dtype() == DType.FLOAT32, "codegen: %s: an interpolating Resize in float32 only", n.describe());
      List<dev.quench.ir.op.Resize.AxisPass> passes = resizePasses(n);
      long b0 = resizeBuffer(passes, 0);
      List<ResizePass> parts = new ArrayList<>();
      for (int p = 0; p < passes.size(); p++) {
        dev.quench.ir.op.Resize.AxisPass ap = passes.get(p);
        // intermediates in the kernel's scratch: pass p writes buffer p % 2 (the second after the first)
        String src = p == 0 ? l.ptr(x) : buffer(p - 1, b0), dst = p == passes.size() - 1 ? l.ptr(n.output(0)) : buffer(p, b0);
        parts.add(new ResizePass(src, dst, Integer.toString(ap.outer()), Integer.toString(ap.inLen()), Integer.toString(ap.inner()), Integer.toString(ap.outLen()),
            Integer.toString(ap.taps()), l.consts.addInts(n.name + "_taps", DType.INT32, Arrays.stream(ap.idx()).asLongStream().toArray()),
            l.consts.addDoubles(n.name + "_weights", ap.w()), Lowering.floatLiteral(ap.fill())));
      }
      return new Lowered("resize", "resize_axis_f32", new ResizeArgs(parts));
    }
    if (op.equals(dev.quench.ir.op.Gather.GATHER) && !n.input(1).isConstant()) {
      int[] s = x.type().shape();
      int axis = Shapes.axis((int) n.attrs.getInt("axis", 0), s.length);
      return new Lowered("gather_index", "gather_index_any", new GatherIndexArgs(l.ptr(n.input(1)), Long.toString(n.input(1).type().numel()),
          Integer.toString(Shapes.product(s, 0, axis)), Integer.toString(s[axis]), Integer.toString(Shapes.product(s, axis + 1, s.length))));
    }
    if (op.equals(dev.quench.ir.op.Gather.GATHER_ELEMENTS) && !n.input(1).isConstant()) {
      int[] s = x.type().shape(), os = n.output(0).type().shape();
      int axis = Shapes.axis((int) n.attrs.getInt("axis", 0), s.length);
      return new Lowered("gather_elements", "gather_elements_any", new GatherElementsArgs(l.ptr(n.input(1)), Integer.toString(os.length),
          l.consts.addInts(n.name + "_dims", DType.INT32, Arrays.stream(os).asLongStream().toArray()),
          l.consts.addInts(n.name + "_in_strides", DType.INT32, Arrays.stream(Shapes.strides(s)).asLongStream().toArray()), Integer.toString(axis), Integer.toString(s[axis])));
    }
    List<GatherPart> parts = new ArrayList<>();
    for (int k = 0; k < n.outputs().size(); k++) {
      Value out = n.output(k);
      if (out == null) continue;
      IndexProbe.Sources sources = IndexProbe.sources(n, k);
      int[] src = sources.src(), os = out.type().shape();
      String size = Long.toString(out.type().numel()), rank = Integer.toString(Math.max(1, os.length));
      long[] dims = os.length == 0 ? new long[] {1} : Arrays.stream(os).asLongStream().toArray();
      String dimsArray = l.consts.addInts(n.name + "_dims", DType.INT32, dims);
      long[] aff = IndexProbe.affine(src, os.length == 0 ? new int[] {1} : os);
      if (aff != null) {
        parts.add(new GatherPart("gather_strided", l.ptr(out), size, rank, dimsArray, Long.toString(aff[0]),
            l.consts.addInts(n.name + "_strides", DType.INT32, Arrays.copyOfRange(aff, 1, aff.length)), null, null, null));
        continue;
      }
      long[] maps = IndexProbe.separable(src, x.type().shape(), os);
      if (maps == null) {
        // affine once the output dims are cut into factors (DepthToSpace, SpaceToDepth, ...)
        IndexProbe.Refined r = IndexProbe.refinedAffine(src, os);
        QuenchException.check(r != null, "codegen: %s: %s is neither an affine nor a per-axis gather", n.describe(), op);
        parts.add(new GatherPart("gather_strided", l.ptr(out), size, Integer.toString(r.dims().length), l.consts.addInts(n.name + "_refined_dims", DType.INT32, r.dims()),
            Long.toString(r.affine()[0]), l.consts.addInts(n.name + "_strides", DType.INT32, Arrays.copyOfRange(r.affine(), 1, r.affine().length)), null, null, null));
        continue;
      }
      // the value of the positions no input element reaches (Pad's constant, quantized like its input)
      double fill = Double.isNaN(sources.fill()) ? 0 : sources.fill();
      parts.add(new GatherPart("gather_axes", l.ptr(out), size, rank, dimsArray, null, null,
          l.consts.addInts(n.name + "_in_strides", DType.INT32, Arrays.stream(Shapes.strides(x.type().shape())).asLongStream().toArray()),
          l.consts.addInts(n.name + "_maps", DType.INT32, maps), out.type().dtype().isFloating() ? Lowering.doubleLiteral((float) fill) : Long.toString((long) fill) + ".0"));
    }
    return new Lowered("gather", parts.get(0).kernel(), new GatherArgs(parts));
  }

  /** The scratch buffer of an interpolating Resize's pass p (b0: the first buffer's elements). */
  private static String buffer(int p, long b0) {
    return p % 2 == 0 ? "reinterpret_cast<float*>(scratch)" : "reinterpret_cast<float*>(scratch + " + KernelChoice.piece(4 * b0) + ")";
  }
}
