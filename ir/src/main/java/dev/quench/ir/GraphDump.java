package dev.quench.ir;

import java.util.Map;
import java.util.StringJoiner;

/** A readable, deterministic text dump of a graph, one line per node. */
public final class GraphDump {
  private GraphDump() {}

  public static String dump(Graph g) {
    StringBuilder sb = new StringBuilder();
    sb.append("graph ").append(g.name).append(" {\n");
    for (Value v : g.dataInputs()) sb.append("  input ").append(v).append('\n');
    for (Value v : g.values().values()) {
      if (v.isParameter()) sb.append("  const ").append(v).append('\n');
    }
    for (Node n : g.nodes()) {
      StringJoiner outs = new StringJoiner(", ");
      for (Value o : n.outputs()) outs.add(o == null ? "_" : o.toString());
      StringJoiner ins = new StringJoiner(", ");
      for (Value i : n.inputs()) ins.add(i == null ? "_" : "%" + i.name);
      sb.append("  ").append(outs).append(" = ").append(n.opType).append('(').append(ins).append(')');
      if (!n.attrs.asMap().isEmpty()) {
        StringJoiner at = new StringJoiner(", ", " {", "}");
        for (Map.Entry<String, Object> e : n.attrs.asMap().entrySet()) at.add(e.getKey() + "=" + attr(e.getValue()));
        sb.append(at);
      }
      sb.append("  // ").append(n.name).append('\n');
    }
    for (Value v : g.outputs()) sb.append("  output ").append(v).append('\n');
    return sb.append("}\n").toString();
  }

  private static String attr(Object v) {
    if (v instanceof long[] a) return java.util.Arrays.toString(a);
    if (v instanceof float[] a) return java.util.Arrays.toString(a);
    if (v instanceof String[] a) return java.util.Arrays.toString(a);
    if (v instanceof Tensor t) return t.type().toString();
    if (v instanceof Graph sub) return "graph " + sub.name;
    return String.valueOf(v);
  }
}
