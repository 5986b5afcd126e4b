package dev.quench.ir.mw;

import dev.quench.ir.Attributes;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.OpNames;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import dev.quench.ir.Value;
import java.io.ByteArrayOutputStream;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Writes a graph as middleware. The layout, one declaration per line:
 *
 * <pre>
 * quench-ir 1
 * graph "main" opset 13
 * weights "m.qir.bin" bytes 136016 sha256 "9f2c…"
 * input %input : f32[1,1,28,28]
 * param %conv.weight : f32[16,1,3,3] = bin(0, 576)
 * const %shape : i64[2] = [1, -1]
 * node conv "conv1" (%input, %conv.weight, _) -> (%y : f32[1,16,28,28] @0) {group=1, pads=[1, 1, 1, 1]}
 * output %y
 * </pre>
 *
 * Constants of up to {@value #INLINE_MAX} elements are written inline, others in the weights file
 * by offset and length. A node whose outputs are all known at compile time is written as the
 * constants it computed. Output is deterministic: the same graph gives the same bytes.
 */
public final class MiddlewarePrinter {
  public static final String MAGIC = "quench-ir";
  public static final int VERSION = 1;
  static final int INLINE_MAX = 16;
  private static final Pattern PLAIN_NAME = Pattern.compile("[a-zA-Z0-9_.\\-/]+");

  private MiddlewarePrinter() {}

  /** @param weightsName the file name the text refers to for the weights (beside the .qir) */
  public static Middleware print(Graph g, String weightsName) {
    ByteArrayOutputStream bin = new ByteArrayOutputStream();
    StringBuilder body = new StringBuilder();
    Set<Value> declared = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Value v : g.dataInputs()) {
      body.append("input ").append(valueDecl(v)).append('\n');
      declared.add(v);
    }
    for (Node n : g.nodes()) {
      if (folded(n)) continue;
      for (Value in : n.inputs()) if (in != null && in.isConstant() && declared.add(in)) constDecl(body, in, bin);
    }
    for (Value v : g.outputs()) if (v.isConstant() && declared.add(v)) constDecl(body, v, bin);
    for (Node n : g.nodes()) {
      if (folded(n)) continue;
      body.append("node ").append(OpNames.snake(n.opType)).append(' ').append(quote(n.name));
      if (n.opset != g.opset()) body.append(" opset ").append(n.opset);
      StringJoiner ins = new StringJoiner(", ", " (", ")");
      for (Value in : n.inputs()) ins.add(in == null ? "_" : ref(in));
      body.append(ins);
      StringJoiner outs = new StringJoiner(", ", " -> (", ")");
      for (Value o : n.outputs()) {
        outs.add(o == null ? "_" : valueDecl(o));  // an optional output the node does not produce
      }
      body.append(outs);
      if (!n.attrs.asMap().isEmpty()) body.append(' ').append(attrs(n.attrs, bin));
      body.append('\n');
    }
    for (Value v : g.outputs()) body.append("output ").append(ref(v)).append('\n');
    byte[] weights = bin.toByteArray();
    StringBuilder sb = new StringBuilder();
    sb.append(MAGIC).append(' ').append(VERSION).append('\n');
    sb.append("graph ").append(quote(g.name)).append(" opset ").append(g.opset()).append('\n');
    sb.append("weights ").append(quote(weightsName)).append(" bytes ").append(weights.length)
        .append(" sha256 ").append(quote(Weights.sha256(weights))).append('\n');
    return new Middleware(sb.append(body).toString(), weights);
  }

  /** A node whose every output is known at compile time: printed as the constants it computed. */
  private static boolean folded(Node n) {
    for (Value o : n.outputs()) if (o != null && !o.isConstant()) return false;
    return !n.outputs().isEmpty();
  }

  private static void constDecl(StringBuilder sb, Value v, ByteArrayOutputStream bin) {
    sb.append(v.isParameter() ? "param " : "const ").append(valueDecl(v)).append(" = ").append(data(v.data(), bin)).append('\n');
  }

  private static String data(Tensor t, ByteArrayOutputStream bin) {
    if (t.numel() <= INLINE_MAX) {
      StringJoiner j = new StringJoiner(", ", "[", "]");
      for (int i = 0; i < t.numel(); i++) j.add(t.isFloat() ? Float.toString(t.f[i]) : Long.toString(t.l[i]));
      return j.toString();
    }
    long offset = Weights.append(bin, t);
    return "bin(" + offset + ", " + (long) t.numel() * Weights.bytesOf(t.dtype) + ")";
  }

  static String valueDecl(Value v) {
    StringBuilder sb = new StringBuilder(ref(v)).append(" : ").append(type(v.type()));
    if (v.qparams() != null) {
      StringJoiner q = new StringJoiner(", ", " q(", ")");
      for (Map.Entry<String, Object> e : v.qparams().fields().asMap().entrySet()) q.add(e.getKey() + "=" + scalar(e.getValue()));
      sb.append(q);
    }
    if (v.arenaOffset() >= 0) sb.append(" @").append(v.arenaOffset());
    return sb.toString();
  }

  static String type(TensorType t) {
    StringJoiner j = new StringJoiner(",", t.dtype().shortName + "[", "]");
    for (int d : t.shape()) j.add(Integer.toString(d));
    return j.toString();
  }

  static String ref(Value v) {
    return "%" + (PLAIN_NAME.matcher(v.name).matches() ? v.name : quote(v.name));
  }

  private static String attrs(Attributes a, ByteArrayOutputStream bin) {
    StringJoiner j = new StringJoiner(", ", "{", "}");
    for (Map.Entry<String, Object> e : new java.util.TreeMap<>(a.asMap()).entrySet()) {
      Object v = e.getValue();
      String s = v instanceof Tensor t ? "tensor(" + type(t.type()) + ", " + data(t, bin) + ")" : scalar(v);
      j.add(e.getKey() + "=" + s);
    }
    return j.toString();
  }

  private static String scalar(Object v) {
    if (v instanceof Long l) return Long.toString(l);
    if (v instanceof Float f) return Float.toString(f);
    if (v instanceof String s) return quote(s);
    if (v instanceof long[] a) {
      StringJoiner j = new StringJoiner(", ", "[", "]");
      for (long x : a) j.add(Long.toString(x));
      return j.toString();
    }
    if (v instanceof float[] a) {
      if (a.length == 0) return "floats[]";
      StringJoiner j = new StringJoiner(", ", "[", "]");
      for (float x : a) j.add(Float.toString(x));
      return j.toString();
    }
    if (v instanceof String[] a) {
      StringJoiner j = new StringJoiner(", ", "[", "]");
      for (String x : a) j.add(quote(x));
      return j.toString();
    }
    throw new QuenchException("cannot print attribute value of type " + v.getClass().getSimpleName());
  }

  static String quote(String s) {
    return dev.quench.ir.Quoting.quote(s);
  }

}
