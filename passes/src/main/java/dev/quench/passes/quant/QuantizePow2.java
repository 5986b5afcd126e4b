package dev.quench.passes.quant;

import dev.quench.ir.Attributes;
import dev.quench.ir.DType;
import dev.quench.ir.DTypes;
import dev.quench.ir.FixedPoint;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.QParams;
import dev.quench.ir.Requant;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import dev.quench.ir.Value;
import dev.quench.ir.Verifier;
import dev.quench.ir.kernel.MathKernels;
import dev.quench.ir.op.Trait;
import dev.quench.ir.mw.Middleware;
import dev.quench.ir.mw.MiddlewareParser;
import dev.quench.ir.mw.MiddlewarePrinter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Post-training quantization with power-of-two scales. Produces a new graph (the float graph is
 * untouched) in which every op with an integer form runs on int8 (or int16) tensors, q * 2^-f:
 *
 * <ul>
 *   <li>activations symmetric per tensor, f from calibration ({@link FracChooser});
 *   <li>weights symmetric int8 per output channel (or per tensor), fw[c] = the largest that fits;
 *       bias int32 at f_in + fw[c] (fw[c] lowered when the bias would not fit);
 *   <li>every rescale a shift computed here and stored as node attributes: Conv / FC /
 *       ChannelAffine {@code shift_right[c] = f_in + fw[c] - f_out}; Add/Sub align both inputs
 *       to the larger frac by left shifts then shift right to f_out; Mul shifts right by
 *       f_a + f_b - f_out; Concat requantizes each input; fused Relu/Clip clamp in integers;
 *   <li>unary nonlinearities become 256-entry {@code Lut} tables on int8;
 *   <li>ops without an integer form (Softmax, LayerNorm, MatMul of two activations, ...) stay
 *       float: DequantizeLinear before, QuantizeLinear after ("float islands").
 * </ul>
 * Graph inputs are quantized by QuantizeLinear, outputs dequantized, names kept.
 */
public final class QuantizePow2 {
  private final Graph g;
  private final Map<String, TensorStats> stats;
  private final QuantOptions o;
  private final Map<Value, Integer> frac = new IdentityHashMap<>();
  private final Map<Value, Value> quantized = new IdentityHashMap<>(), dequantized = new IdentityHashMap<>();
  private final List<Node> out = new ArrayList<>();

  private QuantizePow2(Graph g, Map<String, TensorStats> stats, QuantOptions o) {
    this.g = g;
    this.stats = stats;
    this.o = o;
  }

  /** The quantized copy of {@code floatGraph}; stats by value name from {@link Calibrator}. */
  public static Graph quantize(Graph floatGraph, Map<String, TensorStats> stats, QuantOptions o) {
    Middleware mw = MiddlewarePrinter.print(floatGraph, "copy");
    Graph g = MiddlewareParser.parse(mw.text(), mw.weights(), floatGraph.name + " (copy)");
    for (Value v : g.values().values()) v.setArenaOffset(-1);
    new QuantizePow2(g, stats, o).run();
    return g;
  }

  /**
   * 16 bits for tensors the options name and for graph outputs (they are dequantized at once; a
   * 16-bit final requantization or table costs nothing and keeps small outputs such as
   * probabilities precise), else the activation width.
   */
  private int bitsOf(Value v) {
    if (o.int16Layers().contains(v.name) || g.isOutput(v)) return 16;
    for (Node r : g.users(v)) {
      if (floatReader(r)) return 16;
      // a reshape/transpose on the way to an output or a float reader carries the bits through
      if (integerMove(r) && !r.opType.equals("MaxPool") && r.input(0) == v) {
        for (Value y : r.outputs()) if (y != null && bitsOf(y) == 16) return 16;
      }
    }
    return o.activationBits();
  }

  /**
   * A reader that will stay float (or a table whose result is a graph output, which runs in float
   * for precision): the tensor it reads is dequantized anyway, so it gets 16 bits for free.
   */
  private boolean floatReader(Node r) {
    if (r.is(Trait.TABLE)) return g.isOutput(r.output(0));
    return !r.is(Trait.INTEGER);
  }

  /** An op that moves integers at their scale (reshapes, slices, max pooling...) and has an integer form. */
  static boolean integerMove(Node n) {
    return n.is(Trait.MOVES_DATA) && n.is(Trait.INTEGER);
  }

  /** Whether an activation is stored unsigned: 8-bit and never negative in calibration. */
  private boolean unsigned(Value v, int bits) {
    TensorStats s = stats.get(v.name);
    return o.unsignedNonNegative() && bits == 8 && s != null && s.min() >= 0;
  }

  private int statFrac(Value v, int bits) {
    TensorStats s = stats.get(v.name);
    if (s == null) throw new QuenchException("no calibration statistics for tensor '" + v.name + "'");
    Integer fixed = o.fixedFracs().get(v.name);
    // a QDQ scale is for the tool's 8-bit tensor; at 16 bits calibration decides
    if (fixed != null && bits == 8) return fixed;
    boolean u = unsigned(v, bits);
    return FracChooser.choose(s, o, FixedPoint.lo(bits, u), FixedPoint.hi(bits, u));
  }

  /**
   * The accumulator-width proof: {@code bound.applyAsLong(c)} is the largest |accumulator| channel c
   * can reach (from the actual integer weights and bias and the input type's range; every partial
   * sum is bounded by it too). Within int32 the node keeps 32-bit accumulation; beyond, it is
   * widened to 64 bits ({@code acc_bits=64}), which the kernels and the report honour.
   */
  private static void accumulator(Attributes a, java.util.function.IntToLongFunction bound, int channels) {
    long worst = 0;
    for (int c = 0; c < channels; c++) worst = Math.max(worst, bound.applyAsLong(c));
    if (worst > FixedPoint.ACC_MAX) a.put(Requant.ACC_BITS, 64L);
  }

  /** The largest |q| a quantized value's type allows. */
  private static long maxAbs(Value q) {
    if (q.isConstant()) {
      long m = 0;
      for (long v : q.data().l) m = Math.max(m, Math.abs(v));
      return m;
    }
    return Math.max(Math.abs(DTypes.lo(q.type().dtype())), DTypes.hi(q.type().dtype()));
  }

  /** The width an already quantized value was given. */
  private static int intBits(Value q) {
    return (int) q.qparams().bits();
  }

  private boolean isUnsigned(Value q) {
    return DTypes.isUnsigned(q.type().dtype());
  }

  private void run() {
    List<Node> nodes = new ArrayList<>(g.nodes());
    for (Node n : nodes) {
      boolean intNode;
      try {
        intNode = !o.floatNodes().contains(n.name) && integer(n);
      } catch (QuenchException e) {
        throw new QuenchException(n.describe() + ": " + e.getMessage(), e);
      }
      if (!intNode) floatIsland(n);
    }
    // graph outputs back to float under their own names
    for (int i = 0; i < g.outputs().size(); i++) {
      Value y = g.outputs().get(i);
      if (!frac.containsKey(y)) continue;
      Value yq = g.valueFor(y.name + "/q");
      yq.setType(y.type());
      yq.setQParams(y.qparams());
      frac.put(yq, frac.get(y));
      Node p = y.producer();
      p.setOutput(p.outputs().indexOf(y), yq);
      for (Node n : out) for (int k = 0; k < n.inputs().size(); k++) if (n.input(k) == y) n.setInput(k, yq);
      y.setType(new TensorType(DType.FLOAT32, y.type().shape()));
      y.setQParams(null);
      out.add(dequantizeNode(yq, y));
    }
    g.nodes().clear();
    g.nodes().addAll(out);
    g.pruneValues();
    Verifier.verify(g);
  }

  /** Emits n in integer form; false when n must stay float. */
  private boolean integer(Node n) {
    String op = n.opType;
    if (n.outputs().size() != 1 && !op.equals("Split")) return false;
    for (Value v : n.outputs()) if (v == null || !v.type().dtype().isFloating()) return false;
    Value x = n.input(0);
    if (x == null || x.isConstant() || !activation(x)) return false;
    String act = n.attrs.getString("activation", null);
    if (act != null && !act.equals("relu") && !act.equals("clip")) return false;
    Value y = n.output(0);
    switch (op) {
      case "Conv", "FullyConnected" -> {
        if (!n.input(1).isConstant() || (n.input(2) != null && !n.input(2).isConstant())) return false;
        if (op.equals("Conv") && (n.input(0).type().rank() != 4 || dev.quench.ir.kernel.Layouts.nhwc(n.attrs))) return false;
        Value xq = intIn(x);
        int fx = frac.get(xq), bits = bitsOf(y), fy = statFrac(y, bits);
        int channels = n.input(1).type().dim(0);
        Tensor w = n.input(1).data();
        float[] bias = n.input(2) == null ? null : n.input(2).data().toFloats();
        int[] fw = weightFracs(n.name, w, channels, fx, bias);
        Value wq = constant(n.name + ".wq", quantizeWeights(w, fw, channels), fw, 0, 8);
        List<Value> ins = new ArrayList<>(List.of(xq, wq));
        if (bias != null) ins.add(constant(n.name + ".bq", quantizeBias(bias, fx, fw), plus(fw, fx), 0, 32));
        long[] shifts = new long[channels];
        for (int c = 0; c < channels; c++) shifts[c] = fx + fw[c] - fy;
        boolean uns = unsigned(y, bits);
        Attributes ra = requantAttrs(n, shifts, bits, fy, uns);
        Tensor wqt = wq.data();
        long[] bl = bias == null ? new long[channels] : ins.get(2).data().l;
        accumulator(ra, c -> {
          long sum = Math.abs(bl[c]);
          int per = wqt.numel() / channels;
          for (int k = 0; k < per; k++) sum += Math.abs(wqt.l[c * per + k]) * maxAbs(xq);
          return sum;
        }, channels);
        emit(n, ins, ra, y, fy, bits, uns);
        return true;
      }
      case "ChannelAffine" -> {
        if (!n.input(1).isConstant() || !n.input(2).isConstant() || n.attrs.getInt("axis", 1) != 1) return false;
        Value xq = intIn(x);
        int fx = frac.get(xq), bits = bitsOf(y), fy = statFrac(y, bits);
        float[] s = n.input(1).data().toFloats(), t = n.input(2).data().toFloats();
        Tensor st = Tensor.ofFloat(new int[] {s.length}, s);
        int[] fs = weightFracs(n.name, st, s.length, fx, t);
        Value sq = constant(n.name + ".scale_q", quantizeWeights(st, fs, s.length), fs, 0, 8);
        Value tq = constant(n.name + ".bias_q", quantizeBias(t, fx, fs), plus(fs, fx), 0, 32);
        long[] shifts = new long[s.length];
        for (int c = 0; c < s.length; c++) shifts[c] = fx + fs[c] - fy;
        boolean uns = unsigned(y, bits);
        Attributes ra = requantAttrs(n, shifts, bits, fy, uns);
        accumulator(ra, c -> Math.abs(tq.data().l[c]) + Math.abs(sq.data().l[c]) * maxAbs(xq), s.length);
        emit(n, List.of(xq, sq, tq), ra, y, fy, bits, uns);
        return true;
      }
      case "Add", "Sub", "Mul" -> {
        if (n.inputs().size() != 2) return false;
        Value b = n.input(1);
        if (!b.isConstant() && !activation(b)) return false;
        if (b.isConstant() && !b.type().dtype().isFloating()) return false;
        Value aq = intIn(x), bq = b.isConstant() ? constantActivation(n.name + ".bq", b) : intIn(b);
        int fa = frac.get(aq), fb = frac.get(bq), bits = bitsOf(y), fy = statFrac(y, bits);
        Attributes a;
        boolean uns = unsigned(y, bits);
        if (op.equals("Mul")) {
          a = requantAttrs(n, new long[] {fa + fb - fy}, bits, fy, uns);
        } else {
          int f = Math.max(fa, fb);
          if (f - Math.min(fa, fb) > 16) return false;
          a = requantAttrs(n, new long[] {f - fy}, bits, fy, uns).put("shift_a", (long) (f - fa)).put("shift_b", (long) (f - fb));
        }
        Attributes ba = a;
        long ma = maxAbs(aq), mb = maxAbs(bq);
        accumulator(ba, c -> op.equals("Mul") ? ma * mb : (ma << ba.getInt("shift_a", 0)) + (mb << ba.getInt("shift_b", 0)), 1);
        emit(n, List.of(aq, bq), a, y, fy, bits, uns);
        return true;
      }
      case "Concat" -> {
        List<Value> ins = new ArrayList<>();
        for (Value v : n.inputs()) {
          if (v.isConstant() || !activation(v)) return false;
          ins.add(intIn(v));
        }
        int bits = bitsOf(y), fy = statFrac(y, bits);
        boolean uns = unsigned(y, bits);
        long[] shifts = new long[ins.size()];
        for (int i = 0; i < shifts.length; i++) shifts[i] = frac.get(ins.get(i)) - fy;
        Attributes ca = n.attrs.copy().put("shift_right", shifts).put("out_bits", (long) bits);
        if (uns) ca.put("out_unsigned", 1L);
        emit(n, ins, ca, y, fy, bits, uns);
        return true;
      }
      case "AveragePool", "GlobalAveragePool" -> {
        if (x.type().rank() != 4 || dev.quench.ir.kernel.Layouts.nhwc(n.attrs)) return false;
        Value xq = intIn(x);
        int bits = bitsOf(y), fy = statFrac(y, bits);
        boolean uns = unsigned(y, bits);
        Attributes pa = n.attrs.copy().put("shift_left", (long) (fy - frac.get(xq))).put("out_bits", (long) bits);
        if (uns) pa.put("out_unsigned", 1L);
        emit(n, List.of(xq), pa, y, fy, bits, uns);
        return true;
      }
      case "Relu" -> {
        Value xq = intIn(x);
        emit(n, List.of(xq), n.attrs.copy(), y, frac.get(xq), intBits(xq), isUnsigned(xq));
        return true;
      }
      case "Clip" -> {
        if (n.opset < 11 || (n.input(1) != null && !n.input(1).isConstant()) || (n.input(2) != null && !n.input(2).isConstant())) return false;
        Value xq = intIn(x);
        int f = frac.get(xq), bits = intBits(xq);
        boolean uns = isUnsigned(xq);
        DType t = xq.type().dtype();
        List<Value> ins = new ArrayList<>(List.of(xq));
        for (int i = 1; i <= 2; i++) {
          Value bnd = n.input(i);
          ins.add(bnd == null ? null : constantScalar(n.name + ".bound" + i,
              FixedPoint.quantize(bnd.data().getDouble(0), f, FixedPoint.lo(bits, uns), FixedPoint.hi(bits, uns)), t));
        }
        emit(n, ins, n.attrs.copy(), y, f, bits, uns);
        return true;
      }
      default -> {
        if (n.is(Trait.TABLE)) return lut(n, x, y);
        if (!integerMove(n)) return false;
        for (int i = 1; i < n.inputs().size(); i++) if (n.input(i) != null && !n.input(i).isConstant()) return false;
        dev.quench.ir.op.Op spec = dev.quench.ir.op.OpRegistry.get(op);
        if (spec instanceof dev.quench.ir.op.Pad && n.opset < 11 && n.attrs.getFloat("value", 0f) != 0f) return false;  // a float fill attribute (opset < 11)
        Value xq = intIn(x);
        List<Value> ins = new ArrayList<>(n.inputs());
        ins.set(0, xq);
        int f = frac.get(xq), bits = intBits(xq);
        // inputs the op says are data (Pad's fill value): quantized at the input's frac and type
        for (int i = 1; i < ins.size(); i++) {
          Value v = ins.get(i);
          if (v == null || !spec.dataInput(n, i) || !v.type().dtype().isFloating()) continue;
          Tensor t = v.data();
          long[] q = new long[t.numel()];
          for (int k = 0; k < q.length; k++) q[k] = FixedPoint.quantize(t.getDouble(k), f, FixedPoint.lo(bits, isUnsigned(xq)), FixedPoint.hi(bits, isUnsigned(xq)));
          Value c = g.valueFor(fresh(n.name + ".data" + i));
          c.setData(Tensor.ofLong(xq.type().dtype(), t.shape(), q));
          ins.set(i, c);
        }
        Node m = new Node(n.name, op, n.opset, ins, n.outputs(), n.attrs.copy());
        for (Value v : n.outputs()) markInt(v, f, bits, isUnsigned(xq), m);
        out.add(m);
        return true;
      }
    }
  }

  /** A float activation of the original graph (already quantized or not). */
  private boolean activation(Value v) {
    return frac.containsKey(v) || v.type().dtype().isFloating();
  }

  /** A unary nonlinearity on int8: the 256 outputs computed now, from the float function. */
  private boolean lut(Node n, Value x, Value y) {
    if (g.isOutput(y) || (frac.containsKey(x) ? intBits(x) : bitsOf(x)) != 8) return false;
    Value xq = intIn(x);
    int fx = frac.get(xq), bits = bitsOf(y), fy = statFrac(y, bits);
    boolean uns = unsigned(y, bits);
    MathKernels.FloatFn fn = MathKernels.unary(n.opType, n.attrs);
    long[] table = new long[256];
    int first = isUnsigned(xq) ? 0 : -128;
    for (int q = first; q < first + 256; q++) {
      table[q - first] = FixedPoint.quantize(fn.apply(FixedPoint.dequantize(q, fx)), fy, FixedPoint.lo(bits, uns), FixedPoint.hi(bits, uns));
    }
    Attributes la = new Attributes().put("table", table).put("out_bits", (long) bits);
    if (uns) la.put("out_unsigned", 1L);
    Node m = new Node(n.name, "Lut", n.opset, List.of(xq), List.of(y), la);
    markInt(y, fy, bits, uns, m);
    out.add(m);
    return true;
  }

  /** The node's attributes with its requantization; a fused activation becomes the clamp in output units. */
  private Attributes requantAttrs(Node n, long[] shifts, int bits, int fy, boolean uns) {
    Attributes a = Requant.of(shifts, bits, uns).put(n.attrs.copy());
    long tlo = FixedPoint.lo(bits, uns), thi = FixedPoint.hi(bits, uns);
    String act = a.getString("activation", null);
    if (act != null) {
      long lo = act.equals("relu") ? 0 : FixedPoint.quantize(a.getFloat("activation_min", Float.NEGATIVE_INFINITY), fy, tlo, thi);
      long hi = act.equals("relu") ? thi : FixedPoint.quantize(a.getFloat("activation_max", Float.POSITIVE_INFINITY), fy, tlo, thi);
      a.remove("activation").remove("activation_min").remove("activation_max").put(Requant.ACT_MIN, lo).put(Requant.ACT_MAX, hi);
    }
    return a;
  }

  private void emit(Node n, List<Value> ins, Attributes a, Value y, int fy, int bits, boolean uns) {
    Node m = new Node(n.name, n.opType, n.opset, ins, List.of(y), a);
    markInt(y, fy, bits, uns, m);
    out.add(m);
  }

  private void markInt(Value v, int f, int bits, boolean uns, Node producer) {
    v.setType(new TensorType(DTypes.of(bits, uns), v.type().shape()));
    v.setQParams(QParams.of(bits, uns, f));
    v.setProducer(producer);
    frac.put(v, f);
  }

  /** The int version of a float activation (a QuantizeLinear at its first integer reader). */
  private Value intIn(Value v) {
    if (frac.containsKey(v)) return v;
    return quantized.computeIfAbsent(v, k -> {
      int bits = bitsOf(k), f = statFrac(k, bits);
      boolean uns = unsigned(k, bits);
      Value q = g.valueFor(k.name + "/q");
      Value scale = constantScalarFloat(k.name + "/q.scale", (float) Math.scalb(1.0, -f));
      Value zp = constantScalar(k.name + "/q.zero_point", 0, DTypes.of(bits, uns));
      Node qn = new Node(k.name + "/quantize", "QuantizeLinear", Math.max(13, g.opset()), List.of(k, scale, zp), List.of(q), new Attributes());
      q.setType(new TensorType(DTypes.of(bits, uns), k.type().shape()));
      markInt(q, f, bits, uns, qn);
      out.add(qn);
      return q;
    });
  }

  /** The float version of an int activation (a DequantizeLinear before its first float reader). */
  private Value floatIn(Value v) {
    if (!frac.containsKey(v)) return v;
    return dequantized.computeIfAbsent(v, k -> {
      Value d = g.valueFor(k.name + "/dq");
      d.setType(new TensorType(DType.FLOAT32, k.type().shape()));
      out.add(dequantizeNode(k, d));
      return d;
    });
  }

  private Node dequantizeNode(Value q, Value f) {
    int fr = frac.get(q);
    Value scale = constantScalarFloat(q.name + "/dq.scale", (float) Math.scalb(1.0, -fr));
    Value zp = constantScalar(q.name + "/dq.zero_point", 0, q.type().dtype());
    Node n = new Node(q.name + "/dequantize", "DequantizeLinear", Math.max(13, g.opset()), List.of(q, scale, zp), List.of(f), new Attributes());
    f.setProducer(n);
    return n;
  }

  private void floatIsland(Node n) {
    List<Value> ins = new ArrayList<>();
    for (Value v : n.inputs()) ins.add(v == null ? null : floatIn(v));
    Node m = new Node(n.name, n.opType, n.opset, ins, n.outputs(), n.attrs.copy());
    for (Value v : n.outputs()) if (v != null) v.setProducer(m);
    out.add(m);
  }

  /** Per-channel (or per-tensor) weight fracs (plus the node's offset, if any); lowered where the int32 bias would overflow. */
  private int[] weightFracs(String node, Tensor w, int channels, int fx, float[] bias) {
    int per = w.numel() / channels;
    int[] f = new int[channels];
    double all = 0;
    for (float v : w.f) all = Math.max(all, Math.abs(v));
    for (int c = 0; c < channels; c++) {
      double m = 0;
      for (int i = 0; i < per; i++) m = Math.max(m, Math.abs(w.f[c * per + i]));
      f[c] = FixedPoint.fracFor(o.perChannel() ? m : all, 8) + o.weightOffsets().getOrDefault(node, 0);
      while (bias != null && Math.abs(Math.scalb((double) bias[c], fx + f[c])) > FixedPoint.ACC_MAX / 2.0) f[c]--;
    }
    return f;
  }

  private static Tensor quantizeWeights(Tensor w, int[] f, int channels) {
    int per = w.numel() / channels;
    long[] q = new long[w.numel()];
    for (int c = 0; c < channels; c++) for (int i = 0; i < per; i++) q[c * per + i] = FixedPoint.quantize(w.f[c * per + i], f[c], 8);
    return Tensor.ofLong(DType.INT8, w.shape(), q);
  }

  private static Tensor quantizeBias(float[] b, int fx, int[] fw) {
    long[] q = new long[b.length];
    for (int c = 0; c < b.length; c++) q[c] = FixedPoint.quantize(b[c], fx + fw[c], 32);
    return Tensor.ofLong(DType.INT32, new int[] {b.length}, q);
  }

  private static int[] plus(int[] f, int d) {
    int[] r = new int[f.length];
    for (int i = 0; i < f.length; i++) r[i] = f[i] + d;
    return r;
  }

  private Value constant(String name, Tensor t, int[] fracs, int axis, int bits) {
    Value v = g.valueFor(fresh(name));
    v.setData(t);
    v.setParameter(true);
    long[] fl = new long[fracs.length];
    for (int i = 0; i < fl.length; i++) fl[i] = fracs[i];
    v.setQParams(QParams.perChannel(bits, false, fl, axis));
    return v;
  }

  /** A float constant read as an activation (Add's other operand): int per tensor with its own frac. */
  private Value constantActivation(String name, Value c) {
    int bits = o.activationBits();
    Tensor t = c.data();
    double m = 0;
    for (int i = 0; i < t.numel(); i++) m = Math.max(m, Math.abs(t.getDouble(i)));
    int f = FixedPoint.fracFor(m, bits);
    long[] q = new long[t.numel()];
    for (int i = 0; i < q.length; i++) q[i] = FixedPoint.quantize(t.getDouble(i), f, bits);
    Value v = constant(name, Tensor.ofLong(DTypes.signed(bits), t.shape(), q), new int[] {f}, 0, bits);
    frac.put(v, f);
    return v;
  }

  private Value constantScalar(String name, long value, DType t) {
    Value v = g.valueFor(fresh(name));
    v.setData(Tensor.ofLong(t, new int[0], new long[] {value}));
    return v;
  }

  private Value constantScalarFloat(String name, float value) {
    Value v = g.valueFor(fresh(name));
    v.setData(Tensor.ofFloat(new int[0], new float[] {value}));
    return v;
  }

  private String fresh(String base) {
    String name = base;
    for (int i = 1; g.value(name) != null; i++) name = base + "." + i;
    return name;
  }
}
