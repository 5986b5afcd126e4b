package dev.quench.backends.codegen;

import dev.quench.ir.Attributes;
import dev.quench.ir.DType;
import dev.quench.ir.DTypes;
import dev.quench.ir.FixedPoint;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Requant;
import dev.quench.ir.Shapes;
import dev.quench.ir.Value;
import dev.quench.ir.kernel.Window;
import dev.quench.ir.op.Op;
import dev.quench.ir.op.OpRegistry;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one node of a quantized graph into the data its template ({@code sdk/ops/<op>.ftl})
 * needs: pointer expressions, C types, geometry, and the constant arrays it reads (shifts,
 * weights, tables, broadcast strides), every number baked in from the middleware.
 */
public final class Lowering {
  private final Graph g;
  final Constants consts;
  private final CppNames locals = new CppNames();

  Lowering(Graph g, Constants consts) {
    this.g = g;
    this.consts = consts;
  }

  /**
   * Conv geometry as the runtime's ConvGeom: n c h w, m kh kw, sh sw dh dw, ph pw, oh ow, group. A
   * 1-D convolution is the 2-D one of height 1 (NCW, OIW and the output lie in memory as NC1W,
   * OI1W and NM1W).
   */
  static int[] convGeom(Node n) {
    int[] xs = n.input(0).type().shape(), ws = n.input(1).type().shape();
    if (xs.length == 3 && ws.length == 3) {
      Window w = Window.of(n.attrs, new int[] {xs[2]}, new int[] {ws[2]}, false, n.describe());
      return new int[] {xs[0], xs[1], 1, xs[2], ws[0], 1, ws[2], 1, w.strides()[0], 1, w.dilations()[0], 0, w.padBegin()[0], 1, w.out()[0],
          (int) n.attrs.getInt("group", 1)};
    }
    QuenchException.check(xs.length == 4, "codegen: %s: only 1-D and 2-D convolution", n.describe());
    Window w = Window.of(n.attrs, Arrays.copyOfRange(xs, 2, 4), Arrays.copyOfRange(ws, 2, 4), false, n.describe());
    return new int[] {xs[0], xs[1], xs[2], xs[3], ws[0], ws[2], ws[3], w.strides()[0], w.strides()[1], w.dilations()[0], w.dilations()[1], w.padBegin()[0],
        w.padBegin()[1], w.out()[0], w.out()[1], (int) n.attrs.getInt("group", 1)};
  }

  /** Pool geometry as the runtime's PoolGeom: nc h w, kh kw sh sw dh dw, pads t l b r, oh ow, count_include_pad (1-D pools: height 1). */
  static int[] poolGeom(Node n) {
    int[] xs = n.input(0).type().shape();
    if (xs.length == 3 && n.outputs().size() == 1) {
      Window w = Window.of(n.attrs, new int[] {xs[2]}, n.attrs.getIntArray("kernel_shape", null), n.attrs.getInt("ceil_mode", 0) != 0, n.describe());
      return new int[] {xs[0] * xs[1], 1, xs[2], 1, w.kernel()[0], 1, w.strides()[0], 1, w.dilations()[0], 0, w.padBegin()[0], 0, w.padEnd()[0], 1, w.out()[0],
          (int) n.attrs.getInt("count_include_pad", 0)};
    }
    QuenchException.check(xs.length == 4 && n.outputs().size() == 1, "codegen: %s: only 2-D pooling without indices", n.describe());
    Window w = Window.of(n.attrs, Arrays.copyOfRange(xs, 2, 4), n.attrs.getIntArray("kernel_shape", null), n.attrs.getInt("ceil_mode", 0) != 0, n.describe());
    return new int[] {xs[0] * xs[1], xs[2], xs[3], w.kernel()[0], w.kernel()[1], w.strides()[0], w.strides()[1], w.dilations()[0], w.dilations()[1], w.padBegin()[0],
        w.padBegin()[1], w.padEnd()[0], w.padEnd()[1], w.out()[0], w.out()[1], (int) n.attrs.getInt("count_include_pad", 0)};
  }

  /** Softmax: outer, the softmax length, inner (opset < 13 flattens from the axis on). */
  static int[] softmaxShape(Node n) {
    return dev.quench.ir.op.Softmax.layout(n, n.input(0).type().shape());
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
      case INT64 -> "int64_t";
      case UINT32 -> "uint32_t";
      case UINT64 -> "uint64_t";  // Java longs holding the bits
      case BOOL -> "uint8_t";  // 0 or 1
      case FLOAT32 -> "float";
      case FLOAT64 -> "double";  // graph inputs and outputs, and Casts (inside, float32: FloatTypes)
      case FLOAT16, BFLOAT16 -> "uint16_t";  // their bit patterns
      default -> throw new QuenchException("codegen: tensors of type " + t + " are not supported");
    };
  }

  /** A node's operand as a C expression: its constant array, or the pointer to its tensor. */
  String operand(Value v, String hint) {
    return v.isConstant() ? consts.add(hint, v) : ptr(v);
  }

  /** A pointer expression for an activation: graph input / output pointers or the arena slot. */
  String ptr(Value v) {
    Node p = v.producer();
    if (p != null && p.is(dev.quench.ir.op.Trait.ALIAS) && p.output(0) == v) return operand(p.input(0), v.name);  // (the input's own storage)
    String t = ctype(v.type().dtype());
    int in = g.dataInputs().indexOf(v), out = g.outputs().indexOf(v);
    if (in >= 0) return "static_cast<const " + t + "*>(inputs[" + in + "])";
    if (out >= 0) return "static_cast<" + t + "*>(outputs[" + out + "])";
    QuenchException.check(v.arenaOffset() >= 0, "codegen: tensor '%s' has no arena offset (run the arena planner)", v.name);
    return "reinterpret_cast<" + t + "*>(arena + " + v.arenaOffset() + ")";
  }

  /**
   * A lowered node, what its template reads as {@code s}: the fields every step has (pointers and
   * C types of x and y, sizes, the accumulator type, the kernel and its scratch, the trace name),
   * and its family's typed record as {@code op}. command: the NPU command, for nodes the NPU runs.
   */
  public record Step(String name, String comment, int index, String traceName, String template, String kernel, String scratchBytes, String scratchCheck, String scratch,
      String scratchArg, String x, String tx, String y, String ty, String size, String bytes, String acc, Object op, String command) {
    Step withCommand(String c) {
      return new Step(name, comment, index, traceName, template, kernel, scratchBytes, scratchCheck, scratch, scratchArg, x, tx, y, ty, size, bytes, acc, op, c);
    }
  }

  /** The requantization's arrays and clamp, as C expressions. */
  public record RequantArgs(String shifts, String nshifts, String lo, String hi) {}

  /** Weights (as stored or repacked) and bias arrays with the requantization. */
  public record WeightArgs(String w, String bias, RequantArgs rq) {}

  /** The C accumulator type of a node (int64 when the quantizer widened it). */
  static String acc(Node n) {
    return n.attrs.getInt(Requant.ACC_BITS, 32) == 64 ? "int64_t" : "int32_t";
  }

  /**
   * Step {@code index}: node n lowered by its family. For a node the NPU runs ({@code npu}), the
   * arrays are in the NPU's forms: Conv weights OIHW (never repacked), LUT tables as int8 bytes.
   *
   * @param kernel the CPU kernel chosen for the target when it may take scratch (null: NPU nodes, or the family names a kernel without scratch)
   * @param scratchOffset the arena offset of the kernel's scratch (-1: none)
   */
  Step lower(Node n, int index, boolean npu, KernelChoice kernel, long scratchOffset) {
    FamilyLowering.Lowered f = family(n).lower(n, this, kernel, npu);
    KernelChoice k = kernel != null ? kernel : KernelChoice.none(f.kernel());
    QuenchException.check(k.scratchBytes() == 0 || scratchOffset >= 0, "codegen: %s: its kernel scratch has no arena offset", n.describe());
    String scratch = k.scratchBytes() > 0 ? "arena + " + scratchOffset : "nullptr";
    Value x = n.inputs().isEmpty() ? null : n.input(0), y = n.output(0);
    boolean xPtr = x != null && !x.isConstant();
    // (an omitted first output, as an LSTM without Y: the family writes the others)
    return new Step(n.name, CppNames.comment(n.opType + " " + n.name), index, SdkGenerator.cString(n.name), f.template(), k.kernel(), Long.toString(k.scratchBytes()),
        k.check(), scratch, k.scratchBytes() > 0 ? ", " + scratch : "", xPtr ? ptr(x) : null, xPtr ? ctype(x.type().dtype()) : null, y == null ? "nullptr" : ptr(y),
        y == null ? "float" : ctype(y.type().dtype()), y == null ? "0" : Long.toString(y.type().numel()), y == null ? "0" : Long.toString(y.type().numel() * y.type().dtype().bytes),
        acc(n), f.op(), null);
  }


  private static final FamilyLowering MOVEMENT = new MovementLowering();

  /** The lowering of each op family, by op spec class (ir/op): one file per family. */
  private static final Map<Class<? extends Op>, FamilyLowering> FAMILIES = families();

  private static Map<Class<? extends Op>, FamilyLowering> families() {
    Map<Class<? extends Op>, FamilyLowering> f = new java.util.HashMap<>();
    f.put(dev.quench.ir.op.Quantize.class, new QuantizeLowering());
    f.put(dev.quench.ir.op.Conv.class, new ConvLowering());
    f.put(dev.quench.ir.op.ConvTranspose.class, new ConvTransposeLowering());
    f.put(dev.quench.ir.op.FullyConnected.class, new FullyConnectedLowering());
    f.put(dev.quench.ir.op.ChannelAffine.class, new ChannelAffineLowering());
    f.put(dev.quench.ir.op.Binary.class, new BinaryLowering());
    f.put(dev.quench.ir.op.Pool.class, new PoolLowering());
    FamilyLowering activation = new ActivationLowering(), movement = MOVEMENT, island = new FloatIslandLowering();
    f.put(dev.quench.ir.op.Unary.class, activation);
    f.put(dev.quench.ir.op.Clip.class, activation);
    f.put(dev.quench.ir.op.Lut.class, new LutLowering());
    f.put(dev.quench.ir.op.Recurrent.class, new RecurrentLowering());
    FamilyLowering select = new SelectLowering();
    f.put(dev.quench.ir.op.Where.class, select);
    f.put(dev.quench.ir.op.Cast.class, select);
    f.put(dev.quench.ir.op.Trilu.class, select);
    f.put(dev.quench.ir.op.TopK.class, select);
    f.put(dev.quench.ir.op.Branch.class, new BranchLowering());
    f.put(dev.quench.ir.op.CumSum.class, island);
    f.put(dev.quench.ir.op.LocalNorm.class, island);
    for (Class<? extends Op> c : List.of(dev.quench.ir.op.Concat.class, dev.quench.ir.op.Reshape.class, dev.quench.ir.op.Transpose.class, dev.quench.ir.op.Slice.class,
        dev.quench.ir.op.Split.class, dev.quench.ir.op.Resize.class, dev.quench.ir.op.Expand.class, dev.quench.ir.op.SpaceDepth.class, dev.quench.ir.op.Gather.class)) {
      f.put(c, movement);
    }
    for (Class<? extends Op> c : List.of(dev.quench.ir.op.Normalization.class, dev.quench.ir.op.MatMul.class, dev.quench.ir.op.GemmOp.class, dev.quench.ir.op.Reduce.class, dev.quench.ir.op.Softmax.class)) {
      f.put(c, island);
    }
    return f;
  }

  /** The family lowering of n's op; a one-line error (exit 2) for an op with no C++ kernel. */
  static FamilyLowering family(Node n) {
    FamilyLowering f = familyOf(n.opType);
    if (f == null) throw new QuenchException("codegen: " + n.describe() + ": no C++ kernel for " + n.opType + " yet", 2, null);
    return f;
  }

  /** Whether the op type has a lowering in the integer or the float form (the completeness report). */
  static boolean lowers(String opType, boolean floatForm) {
    FamilyLowering f = familyOf(opType);
    return f != null && f.lowers(opType, floatForm);
  }

  /**
   * Views (Reshape, Identity, ...) are copies and every other op that only moves data gathers by
   * probing its own kernel, whatever its spec class (the movement family); the rest by spec class.
   */
  private static FamilyLowering familyOf(String opType) {
    Op op = OpRegistry.get(opType);
    if (op == null) return null;
    java.util.Set<dev.quench.ir.op.Trait> traits = op.traits(opType);
    if (traits.contains(dev.quench.ir.op.Trait.VIEW)) return MOVEMENT;
    FamilyLowering f = FAMILIES.get(op.getClass());
    return f == null && traits.contains(dev.quench.ir.op.Trait.MOVES_DATA) ? MOVEMENT : f;
  }

  /** OIHW weights to [group][ci][kh][kw][o within group] (the output channel innermost). */
  static long[] packOcInner(long[] w, int[] ws, int group) {
    int m = ws[0], cg = ws[1], kh = ws.length == 4 ? ws[2] : 1, kw = ws[ws.length - 1], mg = m / group;  // (1-D: OIW is OI1W)
    long[] r = new long[w.length];
    for (int o = 0; o < m; o++) {
      int grp = o / mg, ol = o % mg;
      for (int ci = 0; ci < cg; ci++) for (int i = 0; i < kh; i++) for (int j = 0; j < kw; j++) {
        r[((((grp * cg + ci) * kh + i) * kw + j) * mg) + ol] = w[((o * cg + ci) * kh + i) * kw + j];
      }
    }
    return r;
  }

  /**
   * OIHW weights to the MVE tile's layout (KernelChoice.WeightLayout.ROWS4_TAPS16, the runtime's
   * gemm_packed_index): per group, blocks of four output channels, each row's k = cg*kh*kw taps
   * rounded up to kp (a multiple of 16), and chunk c of a block holding taps 16c..16c+15 of its
   * four rows one after another. Missing rows and taps are 0.
   */
  static long[] packRows4(long[] w, int[] ws, int group) {
    int m = ws[0], k = w.length / m, mg = m / group, blocks = (mg + 3) / 4, kp = (k + 15) / 16 * 16;
    long[] r = new long[group * blocks * 4 * kp];
    for (int o = 0; o < m; o++) {
      int ol = o % mg, block = o / mg * blocks + ol / 4;
      for (int t = 0; t < k; t++) r[(block * kp + t / 16 * 16) * 4 + ol % 4 * 16 + t % 16] = w[o * k + t];
    }
    return r;
  }

  /** Per input dim, its stride among the kept (not reduced) dims; 0 for reduced ones. */
  static long[] keptStrides(Node n, int[] s) {
    int[] ys = n.output(0).type().shape();
    boolean keep = ys.length == s.length;
    // the op's own reading of its axes (attribute or input by opset; none: every dim)
    boolean[] reduced = dev.quench.ir.op.Reduce.reduced(n, s.length);
    if (reduced == null) reduced = new boolean[s.length];
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

  /**
   * A node's fused float activation (ir/.../kernel/Activation.java) as activation_f32's first three
   * arguments: kind (0 none, 1 relu, 2 clip, 3 leaky relu, 4 hard sigmoid, 5 hard swish), p0, p1.
   */
  static String activationF32(Node n) {
    dev.quench.ir.Attributes a = n.attrs;
    String kind = a.getString(dev.quench.ir.kernel.Activation.ATTR, null);
    if (kind == null) return "0, 0.0f, 0.0f";
    return switch (kind) {
      case "relu" -> "1, 0.0f, 0.0f";
      case "clip" -> "2, " + floatLiteral(a.getFloat("activation_min", Float.NEGATIVE_INFINITY)) + ", " + floatLiteral(a.getFloat("activation_max", Float.POSITIVE_INFINITY));
      case "leaky_relu" -> "3, " + floatLiteral(a.getFloat("activation_alpha", 0.01f)) + ", 0.0f";
      case "hard_sigmoid" -> "4, " + floatLiteral(a.getFloat("activation_alpha", 0.2f)) + ", " + floatLiteral(a.getFloat("activation_beta", 0.5f));
      case "hard_swish" -> "5, 0.0f, 0.0f";
      default -> throw new QuenchException("codegen: " + n.describe() + ": unknown fused activation '" + kind + "'");
    };
  }

  /** Whether the node computes in float (its first output is float32): the families' float forms. */
  static boolean isFloat(Node n) {
    return n.output(0) != null && n.output(0).type().dtype() == DType.FLOAT32;
  }

  static void requireInt(Node n) {
    for (Value v : n.outputs()) {
      QuenchException.check(v == null || !v.type().dtype().isFloating(), "codegen: %s: float %s has no C++ kernel yet (only its integer form)", n.describe(), n.opType);
    }
  }

  /** Weights (as stored, or repacked for the kernel), bias, shifts and clamp. */
  WeightArgs weightsAndRequant(Node n, long[] packed) {
    String w = packed == null ? consts.add(n.name + "_w", n.input(1)) : consts.addInts(n.name + "_w", DType.INT8, packed);
    return new WeightArgs(w, n.input(2) == null ? "nullptr" : consts.add(n.name + "_bias", n.input(2)), requant(n));
  }

  /** Shifts array and the clamp range (output type narrowed by a fused activation). */
  RequantArgs requant(Node n) {
    Requant rq;
    try {
      rq = Requant.of(n.attrs);
    } catch (QuenchException e) {
      throw new QuenchException("codegen: " + n.describe() + ": " + e.getMessage(), e);
    }
    return new RequantArgs(consts.addInts(n.name + "_shift", DType.INT8, rq.shiftRight()), Integer.toString(rq.shifts()), Long.toString(rq.lo()), Long.toString(rq.hi()));
  }

  /** Broadcast geometry constants: output dims and per-operand strides (0 on broadcast dims). */
  String broadcast(Node n, int[] as, int[] bs, int[] ys) {
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
    if (Float.isNaN(f)) return "std::numeric_limits<float>::quiet_NaN()";
    if (Float.isInfinite(f)) return (f < 0 ? "-" : "") + "std::numeric_limits<float>::infinity()";
    if (f == 0) return (Float.floatToRawIntBits(f) < 0 ? "-" : "") + "0.0f";
    return Float.toHexString(f).replace("0x1.0p", "0x1p") + "f";
  }

  static String doubleLiteral(double d) {
    if (Double.isNaN(d)) return "std::numeric_limits<double>::quiet_NaN()";
    if (Double.isInfinite(d)) return (d < 0 ? "-" : "") + "std::numeric_limits<double>::infinity()";
    if (d == 0) return (Double.doubleToRawLongBits(d) < 0 ? "-" : "") + "0.0";
    return Double.toHexString(d);
  }
}
