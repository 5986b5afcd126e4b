package dev.quench.frontend;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.quench.ir.Graph;
import dev.quench.ir.QuenchException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Orders a GraphProto's nodes so every input is produced before use (Kahn's algorithm, stable:
 * ready nodes keep their file order). Names used by a subgraph count as inputs of the node that
 * owns it. A name produced nowhere is dangling; nodes left over are on a cycle.
 */
final class TopoSort {
  private TopoSort() {}

  static List<NodeProto> sort(GraphProto gp, Graph outer, String where, String scope) {
    int n = gp.getNodeCount();
    Map<String, Integer> producer = new HashMap<>();
    for (int i = 0; i < n; i++) {
      for (String o : gp.getNode(i).getOutputList()) {
        if (o.isEmpty()) continue;
        if (producer.put(o, i) != null) throw new QuenchException(where + ": value '" + o + "' is produced by two nodes");
      }
    }
    Set<String> known = new HashSet<>(outer.values().keySet());
    for (var t : gp.getInitializerList()) known.add(t.getName());
    List<List<Integer>> users = new ArrayList<>();
    int[] pending = new int[n];
    for (int i = 0; i < n; i++) users.add(new ArrayList<>());
    for (int i = 0; i < n; i++) {
      NodeProto np = gp.getNode(i);
      Set<String> deps = new LinkedHashSet<>();
      for (String in : np.getInputList()) if (!in.isEmpty()) deps.add(in);
      for (AttributeProto a : np.getAttributeList()) if (a.hasG()) outerNames(a.getG(), deps);
      for (String d : deps) {
        Integer p = producer.get(d);
        if (p != null) {
          if (p == i) throw new QuenchException(where + ": node '" + scope + OnnxImporter.nodeName(np, i) + "' uses its own output '" + d + "' (cycle)");
          users.get(p).add(i);
          pending[i]++;
        } else if (!known.contains(d)) {
          throw new QuenchException(where + ": node '" + scope + OnnxImporter.nodeName(np, i) + "' (" + np.getOpType() + "): input '" + d + "' is not produced by any node, input or initializer");
        }
      }
    }
    ArrayDeque<Integer> ready = new ArrayDeque<>();
    for (int i = 0; i < n; i++) if (pending[i] == 0) ready.add(i);
    List<NodeProto> order = new ArrayList<>(n);
    java.util.PriorityQueue<Integer> queue = new java.util.PriorityQueue<>(ready);
    while (!queue.isEmpty()) {
      int i = queue.poll();
      order.add(gp.getNode(i));
      for (int u : users.get(i)) if (--pending[u] == 0) queue.add(u);
    }
    if (order.size() != n) {
      for (int i = 0; i < n; i++) {
        if (pending[i] > 0) {
          throw new QuenchException(where + ": the graph has a cycle through node '" + scope + OnnxImporter.nodeName(gp.getNode(i), i) + "' (" + gp.getNode(i).getOpType() + ")");
        }
      }
    }
    return order;
  }

  /** Names a subgraph reads from its enclosing scopes. */
  private static void outerNames(GraphProto g, Set<String> into) {
    Set<String> local = new HashSet<>();
    for (var t : g.getInitializerList()) local.add(t.getName());
    for (var vi : g.getInputList()) local.add(vi.getName());
    for (NodeProto np : g.getNodeList()) local.addAll(np.getOutputList());
    for (NodeProto np : g.getNodeList()) {
      for (String in : np.getInputList()) if (!in.isEmpty() && !local.contains(in)) into.add(in);
      for (AttributeProto a : np.getAttributeList()) {
        if (!a.hasG()) continue;
        // a nested subgraph's outer names may be this subgraph's own values
        Set<String> nested = new LinkedHashSet<>();
        outerNames(a.getG(), nested);
        for (String in : nested) if (!local.contains(in)) into.add(in);
      }
    }
  }
}
