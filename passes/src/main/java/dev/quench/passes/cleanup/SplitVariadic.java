package dev.quench.passes.cleanup;

import dev.quench.ir.Attributes;
import dev.quench.ir.DType;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import dev.quench.ir.Value;
import dev.quench.ir.op.Binary;
import dev.quench.passes.Pass;
import dev.quench.passes.PassContext;
import dev.quench.passes.Rewrites;
import java.util.ArrayList;
import java.util.List;

/**
 * Variadic Sum, Mean, Max and Min become chains of two-input ops, the form the kernels and the
 * quantizer know. Exact: the interpreter folds the inputs left to right with the two-input op
 * (broadcasting step by step) and divides a Mean by the input count at the end, which is what the
 * chain computes; one input is the input itself.
 *
 * <pre>
 * before: %y = Mean(%a, %b, %c)
 * after:  %s1 = Add(%a, %b); %s2 = Add(%s1, %c); %y = Div(%s2, 3)
 * </pre>
 */
public final class SplitVariadic implements Pass {
  @Override
  public String name() {
    return "split-variadic";
  }

  @Override
  public boolean run(Graph g, PassContext ctx) {
    boolean changed = false;
    for (Node n : new ArrayList<>(g.nodes())) {
      String op = n.opType;
      boolean mean = op.equals("Mean");
      // (two-input Max and Min are the binary ops themselves; a two-input Sum becomes an Add)
      if (!(mean || op.equals("Sum") || op.equals("Max") || op.equals("Min")) || n.inputs().size() == 2 && !mean && !op.equals("Sum")) continue;
      if (n.inputs().isEmpty() || n.inputs().stream().anyMatch(v -> v == null || v.type() == null)) continue;
      if (mean && n.output(0).type().dtype() != DType.FLOAT32) continue;  // the float division only
      String step = mean || op.equals("Sum") ? Binary.ADD : op;
      List<Node> chain = new ArrayList<>();
      Value acc = n.input(0);
      int last = n.inputs().size() - 1;
      for (int i = 1; i <= last; i++) {
        boolean end = i == last && !mean;
        Value out = end ? n.output(0) : intermediate(g, n.name + "/" + step.toLowerCase(java.util.Locale.ROOT) + i, acc, n.input(i));
        chain.add(new Node(n.name + (end ? "" : "/" + i), step, n.opset, List.of(acc, n.input(i)), List.of(out), new Attributes()));
        acc = out;
      }
      if (mean) {
        Value count = Rewrites.constant(g, n.name + "/count", Tensor.ofFloat(new int[0], new float[] {n.inputs().size()}));
        chain.add(new Node(n.name, "Div", n.opset, List.of(acc, count), List.of(n.output(0)), new Attributes()));
      }
      if (chain.isEmpty()) {
        // one input: the node goes, or (a graph input straight to a graph output) is a copy
        if (!Rewrites.bypass(g, n, n.input(0), n.output(0))) g.nodes().set(g.nodes().indexOf(n), n.with("Identity", List.of(n.input(0)), new Attributes()));
        changed = true;
        continue;
      }
      int at = g.nodes().indexOf(n);
      g.nodes().remove(at);
      g.nodes().addAll(at, chain);
      for (Node c : chain) for (Value o : c.outputs()) o.setProducer(c);
      changed = true;
    }
    if (changed) g.pruneValues();
    return changed;
  }

  private static Value intermediate(Graph g, String base, Value a, Value b) {
    String name = base;
    for (int i = 1; g.value(name) != null; i++) name = base + "." + i;
    Value v = g.valueFor(name);
    v.setType(new TensorType(a.type().dtype(), Shapes.broadcast(a.type().shape(), b.type().shape())));
    return v;
  }
}
