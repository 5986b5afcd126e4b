package dev.quench.passes.quant;

import dev.quench.ir.op.OpRegistry;
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
import dev.quench.passes.quant.rules.QuantContext;
import dev.quench.passes.quant.rules.QuantRule;
import dev.quench.passes.quant.rules.QuantRules;
import dev.quench.passes.quant.rules.WeightOnlyRule;
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
public final class QuantizePow2 implements QuantContext {
  private final Graph g;
  private final Map<String, TensorStats> stats;
  private final QuantOptions o;
  private final Map<Value, Integer> frac = new IdentityHashMap<>();
  private final Map<Value, Value> quantized = new IdentityHashMap<>(), dequantized = new IdentityHashMap<>();
  private final List<Node> out = new ArrayList<>();
  private final BitPolicy policy;

  private QuantizePow2(Graph g, Map<String, TensorStats> stats, QuantOptions o) {
    this.g = g;
    this.stats = stats;
    this.o = o;
    this.policy = new BitPolicy(g, stats, o);
  }

  @Override
  public Graph graph() {
    return g;
  }

  @Override
  public QuantOptions options() {
    return o;
  }

  @Override
  public boolean quantized(Value v) {
    return frac.containsKey(v);
  }

  @Override
  public int frac(Value q) {
    return frac.get(q);
  }

  @Override
  public void setFrac(Value q, int f) {
    frac.put(q, f);
  }

  @Override
  public void add(Node n) {
    out.add(n);
  }

  /** The quantized copy of {@code floatGraph}; stats by value name from {@link Calibrator}. */
  public static Graph quantize(Graph floatGraph, Map<String, TensorStats> stats, QuantOptions o) {
    Middleware mw = MiddlewarePrinter.print(floatGraph, "copy");
    Graph g = MiddlewareParser.parse(mw.text(), mw.weights(), floatGraph.name + " (copy)");
    for (Value v : g.values().values()) v.setArenaOffset(-1);
    new QuantizePow2(g, stats, o).run();
    return g;
  }

  @Override
  public int bitsOf(Value v) {
    return policy.bitsOf(v);
  }

  @Override
  public boolean integerMove(Node n) {
    return BitPolicy.integerMove(n);
  }

  @Override
  public boolean unsigned(Value v, int bits) {
    return policy.unsigned(v, bits);
  }

  @Override
  public int statFrac(Value v, int bits) {
    return policy.statFrac(v, bits);
  }

  /**
   * The accumulator-width proof: {@code bound.applyAsLong(c)} is the largest |accumulator| channel c
   * can reach (from the actual integer weights and bias and the input type's range; every partial
   * sum is bounded by it too). Within int32 the node keeps 32-bit accumulation; beyond, it is
   * widened to 64 bits ({@code acc_bits=64}), which the kernels and the report honour.
   */
  @Override
  public void accumulator(Attributes a, java.util.function.IntToLongFunction bound, int channels) {
    long worst = 0;
    for (int c = 0; c < channels; c++) worst = Math.max(worst, bound.applyAsLong(c));
    if (worst > FixedPoint.ACC_MAX) a.put(Requant.ACC_BITS, 64L);
  }

  /** The largest |q| a quantized value's type allows. */
  @Override
  public long maxAbs(Value q) {
    if (q.isConstant()) {
      long m = 0;
      for (long v : q.data().l) m = Math.max(m, Math.abs(v));
      return m;
    }
    return Math.max(Math.abs(DTypes.lo(q.type().dtype())), DTypes.hi(q.type().dtype()));
  }

  /** The width an already quantized value was given. */
  @Override
  public int intBits(Value q) {
    return (int) q.qparams().bits();
  }

  @Override
  public boolean isUnsigned(Value q) {
    return DTypes.isUnsigned(q.type().dtype());
  }

  /**
   * Nodes between float islands: every data input made by a node with no integer form and every
   * reader without one. In integer form such a node would quantize float results only for its
   * readers to dequantize them again (re^2 + im^2 of an STFT before a float Sqrt: the rounding near
   * zero becomes the square root's error), so it stays float.
   */
  private java.util.Set<Node> betweenFloatIslands() {
    java.util.Set<Node> keep = new java.util.HashSet<>();
    for (Node n : g.nodes()) {
      if (n.outputs().size() != 1 || n.output(0) == null || g.isOutput(n.output(0)) || QuantRules.of(n) == null) continue;
      boolean floatIn = true, any = false;
      for (Value v : n.inputs()) {
        if (v == null || v.isConstant()) continue;
        Node p = v.producer();
        any = true;
        floatIn &= p != null && g.nodes().contains(p) && QuantRules.of(p) == null;
      }
      List<Node> readers = g.users(n.output(0));
      boolean floatOut = !readers.isEmpty();
      for (Node r : readers) floatOut &= QuantRules.of(r) == null;
      if (any && floatIn && floatOut) keep.add(n);
    }
    return keep;
  }

  private void run() {
    List<Node> nodes = new ArrayList<>(g.nodes());
    java.util.Set<Node> between = betweenFloatIslands();
    for (Node n : nodes) {
      boolean intNode;
      try {
        intNode = !o.floatNodes().contains(n.name) && !between.contains(n) && integer(n);
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
    // (a rule that declines after asking for its input's integers leaves a QuantizeLinear nobody reads)
    new dev.quench.passes.cleanup.EliminateDeadCode().run(g, null);
    Verifier.verify(g);
  }

  /** Emits n in integer form; false when n must stay float. */
  private boolean integer(Node n) {
    String op = n.opType;
    if (!OpRegistry.get(op).integerKeepsOutputs(n)) return false;
    // (an integer output of a float input, ArgMax's indices, is no quantized tensor: its rule keeps it)
    for (Value v : n.outputs()) if (v == null || !v.type().dtype().isFloating() && !n.is(dev.quench.ir.op.Trait.INTEGER)) return false;
    Value x = n.input(dev.quench.ir.op.OpRegistry.get(op).activationInput(n));
    if (x == null || x.isConstant() || !activation(x)) return false;
    String act = n.attrs.getString("activation", null);
    if (act != null && !act.equals("relu") && !act.equals("clip")) return false;
    Value y = n.output(0);
    QuantRule rule = QuantRules.of(n);
    return rule != null && rule.quantize(n, x, y, this);
  }

  /** A float activation of the original graph (already quantized or not). */
  @Override
  public boolean activation(Value v) {
    return frac.containsKey(v) || v.type().dtype().isFloating();
  }

  /** The node's attributes with its requantization; a fused activation becomes the clamp in output units. */
  @Override
  public Attributes requantAttrs(Node n, long[] shifts, int bits, int fy, boolean uns) {
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

  @Override
  public void emit(Node n, List<Value> ins, Attributes a, Value y, int fy, int bits, boolean uns) {
    Node m = new Node(n.name, n.opType, n.opset, ins, List.of(y), a);
    markInt(y, fy, bits, uns, m);
    out.add(m);
  }

  @Override
  public Node emitKeepingOutputs(Node n, List<Value> ins, Attributes a) {
    Node m = new Node(n.name, n.opType, n.opset, ins, n.outputs(), a);
    for (Value v : n.outputs()) if (v != null) v.setProducer(m);
    out.add(m);
    return m;
  }

  @Override
  public void markInt(Value v, int f, int bits, boolean uns, Node producer) {
    v.setType(new TensorType(DTypes.of(bits, uns), v.type().shape()));
    v.setQParams(QParams.of(bits, uns, f));
    v.setProducer(producer);
    frac.put(v, f);
  }

  /** The int version of a float activation (a QuantizeLinear at its first integer reader). */
  @Override
  public Value intIn(Value v) {
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
    WeightOnlyRule w = QuantRules.weightOnly(m);
    if (w != null) m = w.rewrite(m, this);
    out.add(m);
  }

  /** Per-channel (or per-tensor) weight fracs (plus the node's offset, if any); lowered where the int32 bias would overflow. */
  @Override
  public int[] weightFracs(String node, Tensor w, int channels, int fx, float[] bias) {
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

  @Override
  public Value constant(String name, Tensor t, int[] fracs, int axis, int bits) {
    Value v = g.valueFor(fresh(name));
    v.setData(t);
    v.setParameter(true);
    long[] fl = new long[fracs.length];
    for (int i = 0; i < fl.length; i++) fl[i] = fracs[i];
    v.setQParams(QParams.perChannel(bits, false, fl, axis));
    return v;
  }

  /** A float constant read as an activation (Add's other operand): int per tensor with its own frac. */
  @Override
  public Value constantActivation(String name, Value c) {
    int bits = o.activationBits();
    return constantAt(name, c, bits, FixedPoint.fracFor(maxAbs(c.data()), bits));
  }

  private static double maxAbs(Tensor t) {
    double m = 0;
    for (int i = 0; i < t.numel(); i++) m = Math.max(m, Math.abs(t.getDouble(i)));
    return m;
  }

  @Override
  public Value constantAt(String name, Value c, int bits, int maxFrac) {
    Tensor t = c.data();
    int f = Math.min(maxFrac, FixedPoint.fracFor(maxAbs(t), bits));
    long[] q = new long[t.numel()];
    for (int i = 0; i < q.length; i++) q[i] = FixedPoint.quantize(t.getDouble(i), f, bits);
    Value v = constant(name, Tensor.ofLong(DTypes.signed(bits), t.shape(), q), new int[] {f}, 0, bits);
    frac.put(v, f);
    return v;
  }

  @Override
  public Value constantScalar(String name, long value, DType t) {
    Value v = g.valueFor(fresh(name));
    v.setData(Tensor.ofLong(t, new int[0], new long[] {value}));
    return v;
  }

  private Value constantScalarFloat(String name, float value) {
    Value v = g.valueFor(fresh(name));
    v.setData(Tensor.ofFloat(new int[0], new float[] {value}));
    return v;
  }

  @Override
  public String fresh(String base) {
    String name = base;
    for (int i = 1; g.value(name) != null; i++) name = base + "." + i;
    return name;
  }
}
