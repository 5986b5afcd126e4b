package dev.quench.backends.codegen;

import dev.quench.ir.Attributes;
import dev.quench.ir.DType;
import dev.quench.ir.DTypes;
import dev.quench.ir.FixedPoint;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Value;
import dev.quench.ir.kernel.Window;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one node of a quantized graph into the data its template ({@code sdk/ops/<op>.ftl})
 * needs: pointer expressions, C types, geometry, and the constant arrays it reads (shifts,
 * weights, tables, broadcast strides), every number baked in from the middleware.
 */
final class Lowering {
  private final Graph g;
  private final Constants consts;
  private final CppNames locals = new CppNames();

  Lowering(Graph g, Constants consts) {
    this.g = g;
    this.consts = consts;
  }

  /** Conv geometry as the runtime's ConvGeom: n c h w, m kh kw, sh sw dh dw, ph pw, oh ow, group. */
  static int[] convGeom(Node n) {
    int[] xs = n.input(0).type().shape(), ws = n.input(1).type().shape();
    QuenchException.check(xs.length == 4, "codegen: %s: only 2-D convolution", n.describe());
    Window w = Window.of(n.attrs, Arrays.copyOfRange(xs, 2, 4), Arrays.copyOfRange(ws, 2, 4), false, n.describe());
    return new int[] {xs[0], xs[1], xs[2], xs[3], ws[0], ws[2], ws[3], w.strides()[0], w.strides()[1], w.dilations()[0], w.dilations()[1], w.padBegin()[0],
        w.padBegin()[1], w.out()[0], w.out()[1], (int) n.attrs.getInt("group", 1)};
  }

  /** Pool geometry as the runtime's PoolGeom: nc h w, kh kw sh sw dh dw, pads t l b r, oh ow, count_include_pad. */
  static int[] poolGeom(Node n) {
    int[] xs = n.input(0).type().shape();
    QuenchException.check(xs.length == 4 && n.outputs().size() == 1, "codegen: %s: only 2-D pooling without indices", n.describe());
    Window w = Window.of(n.attrs, Arrays.copyOfRange(xs, 2, 4), n.attrs.getIntArray("kernel_shape", null), n.attrs.getInt("ceil_mode", 0) != 0, n.describe());
    return new int[] {xs[0] * xs[1], xs[2], xs[3], w.kernel()[0], w.kernel()[1], w.strides()[0], w.strides()[1], w.dilations()[0], w.dilations()[1], w.padBegin()[0],
        w.padBegin()[1], w.padEnd()[0], w.padEnd()[1], w.out()[0], w.out()[1], (int) n.attrs.getInt("count_include_pad", 0)};
  }

  /** Softmax: outer, the softmax length, inner (opset < 13 flattens from the axis on). */
  static int[] softmaxShape(Node n) {
    int[] s = n.input(0).type().shape();
    int axis = Shapes.axis((int) n.attrs.getInt("axis", n.opset < 13 ? 1 : -1), s.length);
    int outer = Shapes.product(s, 0, axis), len = n.opset < 13 ? Shapes.product(s, axis, s.length) : s[axis];
    int inner = n.opset < 13 ? 1 : Shapes.product(s, axis + 1, s.length);
    return new int[] {outer, len, inner};
  }

  static int softmaxLen(Node n) {
    return softmaxShape(n)[1];
  }

  static String ctype(DType t) {
    return switch (t) {
      case INT8 -> "int8_t";
      case UINT8 -> "uint8_t";
      case INT16 -> "int16_t";
      case UINT16 -> "uint16_t";
      case INT32 -> "int32_t";
      case FLOAT32 -> "float";
      default -> throw new QuenchException("codegen: tensors of type " + t + " are not supported");
    };
  }

  /** A pointer expression for an activation: graph input / output pointers or the arena slot. */
  String ptr(Value v) {
    String t = ctype(v.type().dtype());
    int in = g.dataInputs().indexOf(v), out = g.outputs().indexOf(v);
    if (in >= 0) return "static_cast<const " + t + "*>(inputs[" + in + "])";
    if (out >= 0) return "static_cast<" + t + "*>(outputs[" + out + "])";
    QuenchException.check(v.arenaOffset() >= 0, "codegen: tensor '%s' has no arena offset (run the arena planner)", v.name);
    return "reinterpret_cast<" + t + "*>(arena + " + v.arenaOffset() + ")";
  }

  /**
   * The step for node n: template name and its data. For a node the NPU runs ({@code npu}), the
   * arrays are in the NPU's forms: Conv weights OIHW (never repacked), LUT tables as int8 bytes.
   *
   * @param kernel the CPU kernel chosen for the target (null for NPU nodes)
   * @param scratchOffset the arena offset of the kernel's scratch (-1: none)
   */
  Map<String, Object> lower(Node n, boolean npu, KernelChoice kernel, long scratchOffset) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (kernel != null) {
      m.put("kernel", kernel.kernel());
      m.put("scratch_bytes", Long.toString(kernel.scratchBytes()));
      m.put("scratch_check", kernel.check());
      String scratch = kernel.scratchBytes() > 0 ? "arena + " + scratchOffset : "nullptr";
      QuenchException.check(kernel.scratchBytes() == 0 || scratchOffset >= 0, "codegen: %s: its kernel scratch has no arena offset", n.describe());
      m.put("scratch", scratch);
      m.put("scratch_arg", kernel.scratchBytes() > 0 ? ", " + scratch : "");
    }
    m.put("name", n.name);
    m.put("comment", CppNames.comment(n.opType + " " + n.name));
    String op = n.opType;
    Value x = n.inputs().isEmpty() ? null : n.input(0), y = n.output(0);
    if (x != null && !x.isConstant()) {
      m.put("x", ptr(x));
      m.put("tx", ctype(x.type().dtype()));
    }
    m.put("y", ptr(y));
    m.put("ty", ctype(y.type().dtype()));
    m.put("size", Long.toString(y.type().numel()));
    m.put("bytes", Long.toString(y.type().numel() * y.type().dtype().bytes));
    m.put("acc", n.attrs.getInt("acc_bits", 32) == 64 ? "int64_t" : "int32_t");
    switch (op) {
      case "QuantizeLinear" -> {
        DType t = y.type().dtype();
        template(m, "quantize_linear", "quantize_f32_int");
        m.put("scale", floatLiteral((float) n.input(1).data().getDouble(0)));
        m.put("zero_point", Long.toString(n.input(2) == null ? 0 : (long) n.input(2).data().getDouble(0)));
        m.put("lo", Long.toString(DTypes.lo(t)));
        m.put("hi", Long.toString(DTypes.hi(t)));
      }
      case "DequantizeLinear" -> {
        template(m, "dequantize_linear", "dequantize_int_f32");
        m.put("scale", doubleLiteral(n.input(1).data().getDouble(0)));
        m.put("zero_point", Long.toString(n.input(2) == null ? 0 : (long) n.input(2).data().getDouble(0)));
      }
      case "Conv" -> {
        requireInt(n);
        int[] geom = convGeom(n), ws = n.input(1).type().shape();
        String k = kernel == null ? "conv2d_int" : kernel.kernel();
        template(m, "conv", k);
        m.put("geom", join(geom));
        // the portable kernels take the accumulator type; the ISA ones are int32 throughout
        m.put("targs", k.equals("conv2d_int") || k.equals("conv2d_int_oc_inner") ? "<" + m.get("acc") + ">" : "");
        weightsAndRequant(n, m, k.equals("conv2d_int_oc_inner") ? packOcInner(n.input(1).data().l, ws, geom[15]) : null);
      }
      case "FullyConnected" -> {
        requireInt(n);
        int k = n.input(1).type().dim(1), nOut = n.input(1).type().dim(0);
        template(m, "fully_connected", "fully_connected_int");
        m.put("targs", kernel != null && kernel.kernel().equals("fully_connected_int_gemm") ? "" : "<" + m.get("acc") + ">");
        m.put("rows", Long.toString(x.type().numel() / k));
        m.put("k", Integer.toString(k));
        m.put("n_out", Integer.toString(nOut));
        weightsAndRequant(n, m, null);
      }
      case "ChannelAffine" -> {
        requireInt(n);
        int[] xs = x.type().shape();
        template(m, "channel_affine", "channel_affine_int");
        m.put("n", Integer.toString(xs[0]));
        m.put("c", Integer.toString(xs[1]));
        m.put("inner", Integer.toString(Shapes.product(xs, 2, xs.length)));
        weightsAndRequant(n, m, null);
      }
      case "Add", "Sub", "Mul", "Div" -> {
        Value b = n.input(1);
        m.put("b", b.isConstant() ? consts.add(n.name + "_b", b) : ptr(b));
        m.put("tb", ctype(b.type().dtype()));
        if (x.isConstant()) m.put("x", consts.add(n.name + "_a", x));
        if (x.isConstant()) m.put("tx", ctype(x.type().dtype()));
        m.put("bcast", broadcast(n, x.type().shape(), b.type().shape(), y.type().shape()));
        m.put("opcode", Integer.toString(List.of("Add", "Sub", "Mul", "Div").indexOf(op)));
        if (y.type().dtype().isFloating()) {
          template(m, "binary_f32", "binary_f32");
        } else {
          QuenchException.check(!op.equals("Div"), "codegen: %s: integer Div", n.describe());
          template(m, "binary_int", "binary_int");
          m.put("shift_a", Long.toString(n.attrs.getInt("shift_a", 0)));
          m.put("shift_b", Long.toString(n.attrs.getInt("shift_b", 0)));
          requant(n, m, 1);
        }
      }
      case "Concat" -> {
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
          p.put("x", v.isConstant() ? consts.add(n.name + "_in" + i, v) : ptr(v));
          p.put("tx", ctype(v.type().dtype()));
          p.put("len", Long.toString(len));
          p.put("offset", Long.toString(offset));
          p.put("shift", Long.toString(shifts == null ? 0 : shifts[i]));
          parts.add(p);
          offset += len;
        }
        template(m, f ? "concat_f32" : "concat", f ? "concat_f32" : "concat_int");
        m.put("outer", Long.toString(outer));
        m.put("out_len", Long.toString(offset));
        m.put("parts", parts);
        if (!f) {
          m.put("lo", Long.toString(DTypes.lo(y.type().dtype())));
          m.put("hi", Long.toString(DTypes.hi(y.type().dtype())));
        }
      }
      case "GlobalAveragePool" -> {
        requireInt(n);
        int[] xs = x.type().shape();
        template(m, "global_average_pool", "global_avg_pool_int");
        m.put("nc", Integer.toString(xs[0] * xs[1]));
        m.put("inner", Integer.toString(Shapes.product(xs, 2, xs.length)));
        m.put("shift_left", Long.toString(n.attrs.getInt("shift_left", 0)));
        m.put("lo", Long.toString(DTypes.lo(y.type().dtype())));
        m.put("hi", Long.toString(DTypes.hi(y.type().dtype())));
      }
      case "AveragePool", "MaxPool" -> {
        requireInt(n);
        template(m, op.equals("MaxPool") ? "max_pool" : "average_pool", op.equals("MaxPool") ? "max_pool_int" : "avg_pool_int");
        m.put("geom", join(poolGeom(n)));
        m.put("shift_left", Long.toString(n.attrs.getInt("shift_left", 0)));
        m.put("lo", Long.toString(DTypes.lo(y.type().dtype())));
        m.put("hi", Long.toString(DTypes.hi(y.type().dtype())));
      }
      case "Relu", "Clip" -> {
        requireInt(n);
        DType t = y.type().dtype();
        long lo = op.equals("Relu") ? Math.max(0, DTypes.lo(t)) : (n.input(1) == null ? DTypes.lo(t) : (long) n.input(1).data().getDouble(0));
        long hi = op.equals("Relu") ? DTypes.hi(t) : (n.input(2) == null ? DTypes.hi(t) : (long) n.input(2).data().getDouble(0));
        template(m, "clamp", "clamp_int");
        m.put("lo", Long.toString(lo));
        m.put("hi", Long.toString(hi));
      }
      case "Lut" -> {
        requireInt(n);
        template(m, "lut", "lut_int");
        long[] table = n.attrs.getInts("table").clone();
        if (npu) for (int i = 0; i < table.length; i++) table[i] = (byte) table[i];  // uint8 entries as int8 bit patterns
        m.put("table", consts.addInts(n.name + "_table", npu ? DType.INT8 : y.type().dtype(), table));
        m.put("first", DTypes.isUnsigned(x.type().dtype()) ? "0" : "-128");
      }
      case "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity" -> template(m, "copy", "copy_bytes");
      case "Transpose", "Slice", "Split", "Resize", "Upsample", "Expand", "Tile", "DepthToSpace", "SpaceToDepth", "Gather" -> {
        template(m, "gather", "gather_strided");
        List<Map<String, String>> parts = new java.util.ArrayList<>();
        for (int k = 0; k < n.outputs().size(); k++) {
          Value out = n.output(k);
          if (out == null) continue;
          int[] src = IndexProbe.sources(n, k), os = out.type().shape();
          Map<String, String> p = new LinkedHashMap<>();
          p.put("y", ptr(out));
          p.put("size", Long.toString(out.type().numel()));
          p.put("rank", Integer.toString(Math.max(1, os.length)));
          long[] dims = os.length == 0 ? new long[] {1} : Arrays.stream(os).asLongStream().toArray();
          p.put("dims", consts.addInts(n.name + "_dims", DType.INT32, dims));
          long[] aff = IndexProbe.affine(src, os.length == 0 ? new int[] {1} : os);
          if (aff != null) {
            p.put("kernel", "gather_strided");
            p.put("base", Long.toString(aff[0]));
            p.put("strides", consts.addInts(n.name + "_strides", DType.INT32, Arrays.copyOfRange(aff, 1, aff.length)));
          } else {
            long[] maps = IndexProbe.separable(src, x.type().shape(), os);
            QuenchException.check(maps != null, "codegen: %s: %s is neither an affine nor a per-axis gather", n.describe(), op);
            p.put("kernel", "gather_axes");
            p.put("in_strides", consts.addInts(n.name + "_in_strides", DType.INT32, Arrays.stream(Shapes.strides(x.type().shape())).asLongStream().toArray()));
            p.put("maps", consts.addInts(n.name + "_maps", DType.INT32, maps));
          }
          parts.add(p);
        }
        m.put("parts", parts);
      }
      case "LayerNormalization" -> {
        QuenchException.check(n.outputs().size() == 1 && y.type().dtype() == DType.FLOAT32, "codegen: %s: float LayerNormalization with one output", n.describe());
        int[] s = x.type().shape();
        int axis = Shapes.axis((int) n.attrs.getInt("axis", -1), s.length);
        int inner = Shapes.product(s, axis, s.length);
        QuenchException.check(n.input(1).type().numel() == inner && (n.input(2) == null || n.input(2).type().numel() == inner),
            "codegen: %s: scale and bias must cover the normalised axes", n.describe());
        template(m, "layer_norm", "layer_norm_f32");
        m.put("outer", Integer.toString(Shapes.product(s, 0, axis)));
        m.put("inner", Integer.toString(inner));
        m.put("scale", consts.add(n.name + "_scale", n.input(1)));
        m.put("bias", n.input(2) == null ? "nullptr" : consts.add(n.name + "_bias", n.input(2)));
        m.put("eps", doubleLiteral(n.attrs.getFloat("epsilon", 1e-5f)));
      }
      case "MatMul" -> {
        QuenchException.check(y.type().dtype() == DType.FLOAT32 && n.attrs.getString("activation", null) == null, "codegen: %s: float MatMul only", n.describe());
        int[] a = x.type().shape(), b = n.input(1).type().shape();
        QuenchException.check(a.length >= 2 && b.length >= 2, "codegen: %s: 1-D MatMul operands", n.describe());
        int mm = a[a.length - 2], k = a[a.length - 1], nn = b[b.length - 1];
        long batch = x.type().numel() / ((long) mm * k), bBatch = n.input(1).type().numel() / ((long) k * nn);
        QuenchException.check(bBatch == 1 || bBatch == batch, "codegen: %s: broadcast batch dims", n.describe());
        QuenchException.check(y.type().numel() == batch * mm * nn, "codegen: %s: broadcast batch dims", n.describe());
        template(m, "matmul", "matmul_f32");
        m.put("b", n.input(1).isConstant() ? consts.add(n.name + "_b", n.input(1)) : ptr(n.input(1)));
        m.put("batch", Long.toString(batch));
        m.put("m", Integer.toString(mm));
        m.put("n", Integer.toString(nn));
        m.put("k", Integer.toString(k));
        m.put("b_batched", bBatch == batch && batch > 1 ? "1" : "0");
      }
      case "ReduceMean", "ReduceSum" -> {
        QuenchException.check(y.type().dtype() == DType.FLOAT32, "codegen: %s: float reductions only", n.describe());
        int[] s = x.type().shape(), os = y.type().shape();
        // kept strides: each input dim's stride in the output (0 for reduced dims), found from the shapes
        long[] kept = keptStrides(n, s);
        template(m, "reduce", "reduce_f32");
        m.put("rank", Integer.toString(s.length));
        m.put("in_dims", consts.addInts(n.name + "_in_dims", DType.INT32, Arrays.stream(s).asLongStream().toArray()));
        m.put("kept", consts.addInts(n.name + "_kept", DType.INT32, kept));
        m.put("in_size", Long.toString(x.type().numel()));
        m.put("out_size", Long.toString(Shapes.numel(os)));
        m.put("mean", op.equals("ReduceMean") ? "1" : "0");
      }
      case "Softmax" -> {
        QuenchException.check(y.type().dtype() == DType.FLOAT32, "codegen: %s: float Softmax only", n.describe());
        int[] shape = softmaxShape(n);
        template(m, "softmax", "softmax_f32");
        m.put("outer", Integer.toString(shape[0]));
        m.put("len", Integer.toString(shape[1]));
        m.put("inner", Integer.toString(shape[2]));
      }
      case "Sigmoid", "Tanh" -> {
        QuenchException.check(y.type().dtype() == DType.FLOAT32 && n.attrs.getString("activation", null) == null, "codegen: %s: float only", n.describe());
        template(m, op.equals("Sigmoid") ? "sigmoid" : "tanh", op.equals("Sigmoid") ? "sigmoid_f32" : "tanh_f32");
      }
      default -> throw new QuenchException("codegen: " + n.describe() + ": no C++ kernel for " + op + " yet", 2, null);
    }
    return m;
  }

  /**
   * The step's template and, unless the kernel choice named one (kernels that may take scratch),
   * its kernel: one without scratch.
   */
  private static void template(Map<String, Object> m, String template, String kernel) {
    m.put("template", template);
    if (m.putIfAbsent("kernel", kernel) == null) {
      m.put("scratch_bytes", "0");
      m.put("scratch_check", "quench::" + kernel + "_scratch_bytes()");
      m.put("scratch", "nullptr");
      m.put("scratch_arg", "");
    }
  }

  /** OIHW weights to [group][ci][kh][kw][o within group] (the output channel innermost). */
  static long[] packOcInner(long[] w, int[] ws, int group) {
    int m = ws[0], cg = ws[1], kh = ws[2], kw = ws[3], mg = m / group;
    long[] r = new long[w.length];
    for (int o = 0; o < m; o++) {
      int grp = o / mg, ol = o % mg;
      for (int ci = 0; ci < cg; ci++) for (int i = 0; i < kh; i++) for (int j = 0; j < kw; j++) {
        r[((((grp * cg + ci) * kh + i) * kw + j) * mg) + ol] = w[((o * cg + ci) * kh + i) * kw + j];
      }
    }
    return r;
  }

  /** Per input dim, its stride among the kept (not reduced) dims; 0 for reduced ones. */
  private static long[] keptStrides(Node n, int[] s) {
    int[] ys = n.output(0).type().shape();
    boolean keep = ys.length == s.length;
    boolean[] reduced = new boolean[s.length];
    long[] axes = n.attrs.getInts("axes");
    if (axes == null && n.input(1) != null && n.input(1).isConstant()) axes = n.input(1).data().l;
    if (axes == null) {
      java.util.Arrays.fill(reduced, true);
    } else {
      for (long a : axes) reduced[(int) (a < 0 ? a + s.length : a)] = true;
    }
    QuenchException.check(keep || ys.length == s.length - countTrue(reduced), "codegen: %s: unexpected reduced shape", n.describe());
    long[] r = new long[s.length];
    long acc = 1;
    for (int d = s.length - 1; d >= 0; d--) {
      r[d] = reduced[d] ? 0 : acc;
      if (!reduced[d]) acc *= s[d];
    }
    return r;
  }

  private static int countTrue(boolean[] b) {
    int c = 0;
    for (boolean v : b) if (v) c++;
    return c;
  }

  private static void requireInt(Node n) {
    for (Value v : n.outputs()) {
      QuenchException.check(v == null || !v.type().dtype().isFloating(), "codegen: %s: float %s has no C++ kernel yet (only its integer form)", n.describe(), n.opType);
    }
  }

  /** Weights (as stored, or repacked for the kernel), bias, shifts and clamp. */
  private void weightsAndRequant(Node n, Map<String, Object> m, long[] packed) {
    m.put("w", packed == null ? consts.add(n.name + "_w", n.input(1)) : consts.addInts(n.name + "_w", DType.INT8, packed));
    m.put("bias", n.input(2) == null ? "nullptr" : consts.add(n.name + "_bias", n.input(2)));
    requant(n, m, n.input(1).type().dim(0));
  }

  /** Shifts array and the clamp range (output type narrowed by a fused activation). */
  private void requant(Node n, Map<String, Object> m, int channels) {
    Attributes a = n.attrs;
    int bits = (int) a.getInt("out_bits", 8);
    boolean uns = a.getInt("out_unsigned", 0) != 0;
    long lo = FixedPoint.lo(bits, uns), hi = FixedPoint.hi(bits, uns);
    if (a.has("act_min_q")) lo = Math.max(lo, a.getInt("act_min_q", 0));
    if (a.has("act_max_q")) hi = Math.min(hi, a.getInt("act_max_q", 0));
    long[] shifts = a.getInts("shift_right");
    QuenchException.check(shifts != null, "codegen: %s has no shift_right (not quantized?)", n.describe());
    for (long s : shifts) QuenchException.check(s >= -64 && s <= 63, "codegen: %s: shift %d out of range", n.describe(), s);
    m.put("shifts", consts.addInts(n.name + "_shift", DType.INT8, shifts));
    m.put("nshifts", Integer.toString(shifts.length));
    m.put("lo", Long.toString(lo));
    m.put("hi", Long.toString(hi));
  }

  /** Broadcast geometry constants: output dims and per-operand strides (0 on broadcast dims). */
  private String broadcast(Node n, int[] as, int[] bs, int[] ys) {
    int size = Shapes.numel(ys);
    if ((Shapes.numel(as) == size || Shapes.numel(as) == 1) && (Shapes.numel(bs) == size || Shapes.numel(bs) == 1)) {
      // no real broadcast (or a scalar operand): one flat loop
      ys = new int[] {size};
      as = new int[] {Shapes.numel(as)};
      bs = new int[] {Shapes.numel(bs)};
    }
    int r = ys.length;
    long[] dims = new long[Math.max(r, 1)], sa = new long[Math.max(r, 1)], sb = new long[Math.max(r, 1)];
    if (r == 0) dims[0] = 1;
    for (int d = 0; d < r; d++) {
      dims[d] = ys[d];
      sa[d] = stride(as, d - (r - as.length));
      sb[d] = stride(bs, d - (r - bs.length));
    }
    String base = locals.name(n.name);
    String dn = consts.addInts(base + "_dims", DType.INT32, dims), an = consts.addInts(base + "_sa", DType.INT32, sa), bn = consts.addInts(base + "_sb", DType.INT32, sb);
    return "{" + Math.max(r, 1) + ", " + dn + ", " + an + ", " + bn + ", " + Shapes.numel(ys) + "}";
  }

  private static long stride(int[] s, int d) {
    if (d < 0 || s[d] == 1) return 0;
    return Shapes.product(s, d + 1, s.length);
  }

  static String join(int... v) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ", ").append(v[i]);
    return sb.append("}").toString();
  }

  /** A float literal that round-trips exactly (hex float). */
  static String floatLiteral(float f) {
    if (f == 0) return "0.0f";
    return Float.toHexString(f).replace("0x1.0p", "0x1p") + "f";
  }

  static String doubleLiteral(double d) {
    if (d == 0) return "0.0";
    return Double.toHexString(d);
  }
}
