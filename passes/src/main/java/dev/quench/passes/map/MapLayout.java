package dev.quench.passes.map;

import dev.quench.ir.op.Concat;
import dev.quench.ir.op.Conv;
import dev.quench.ir.op.Transpose;
import dev.quench.ir.Attributes;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.TensorType;
import dev.quench.ir.Value;
import dev.quench.ir.kernel.Layouts;
import dev.quench.ir.op.Trait;
import dev.quench.ir.op.InferContext;
import dev.quench.ir.op.OpRegistry;
import dev.quench.passes.Pass;
import dev.quench.passes.PassContext;
import dev.quench.passes.Rewrites;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Puts a channels-last (NHWC) target's layout-aware ops in NHWC: each 4-D Conv, MaxPool,
 * AveragePool, GlobalAveragePool and ChannelAffine gets {@code data_layout="NHWC"} (Conv weights
 * re-laid OIHW → OHWI, ChannelAffine's axis 1 → 3) between a Transpose to NHWC and one back.
 * Then the Transposes back to NCHW are pushed down through elementwise ops (Add, Mul, Sub,
 * activations — all their activation inputs arriving the same way, other inputs scalars) and
 * Concat on channels (axis 1 → 3), so that back-to-back pairs meet and cancel-transposes removes
 * them: layout changes remain only at the graph's edges and around layout-bound ops (Flatten,
 * Reshape, Softmax…). Does nothing for NCHW targets.
 *
 * <pre>
 * before: %a = Conv(%x, %w); %b = Relu(%a); %y = MaxPool(%b)
 * after:  %t = Transpose(%x){0,2,3,1}; %a' = Conv(%t, %w_ohwi){NHWC}; %b' = Relu(%a');
 *         %y' = MaxPool(%b'){NHWC}; %y = Transpose(%y'){0,3,1,2}
 * </pre>
 */
public final class MapLayout implements Pass {

  @Override
  public String name() {
    return "map-layout";
  }

  @Override
  public boolean run(Graph g, PassContext ctx) {
    if (!ctx.target().layout().equals("NHWC")) return false;
    boolean changed = false;
    for (Node n : new ArrayList<>(g.nodes())) {
      if (!n.is(Trait.LAYOUT_AWARE) || Layouts.nhwc(n.attrs) || n.output(0).type().rank() != 4 || n.outputs().size() != 1) continue;
      if (n.opType.equals(Conv.CONV) && !n.input(1).isConstant()) continue;
      if (n.opType.equals("ChannelAffine") && n.attrs.getInt("axis", 1) != 1) continue;
      changed |= toNhwc(g, n);
    }
    boolean moved = true;
    while (moved) {
      moved = false;
      for (Node n : new ArrayList<>(g.nodes())) if (g.nodes().contains(n)) moved |= sink(g, n);
      moved |= dev.quench.passes.cleanup.CancelTransposes.cancelPairs(g);
      changed |= moved;
    }
    if (changed) g.pruneValues();
    return changed;
  }

  private static boolean toNhwc(Graph g, Node n) {
    int at = g.nodes().indexOf(n);
    Value x = n.input(0), y = n.output(0);
    Value xt = transpose(g, x, Layouts.TO_NHWC, n.name + "/to_nhwc", at);
    List<Value> ins = new ArrayList<>(n.inputs());
    ins.set(0, xt);
    Attributes a = n.attrs.copy().put(Layouts.ATTR, "NHWC");
    if (n.opType.equals(Conv.CONV)) {
      ins.set(1, Rewrites.constant(g, n.name + ".weight_ohwi", Layouts.transpose(n.input(1).data(), Layouts.TO_NHWC)));
      a.remove("kernel_shape");
    }
    if (n.opType.equals("ChannelAffine")) {
      a.remove(Layouts.ATTR).put("axis", 3L);
    }
    Value yt = g.valueFor(fresh(g, y.name + "/nhwc"));
    yt.setType(new TensorType(y.type().dtype(), Layouts.permute(y.type().shape(), Layouts.TO_NHWC)));
    Node mapped = new Node(n.name, n.opType, n.opset, ins, List.of(yt), a);
    yt.setProducer(mapped);
    g.nodes().set(g.nodes().indexOf(n), mapped);
    Node back = new Node(n.name + "/to_nchw", Transpose.TRANSPOSE, n.opset, List.of(yt), List.of(y), new Attributes().put("perm", Layouts.TO_NCHW));
    y.setProducer(back);
    g.nodes().add(g.nodes().indexOf(mapped) + 1, back);
    return true;
  }

  /** Moves NHWC→NCHW Transposes below an elementwise op or a channel Concat. */
  private static boolean sink(Graph g, Node n) {
    boolean concat = n.opType.equals(Concat.CONCAT);
    if (!n.is(Trait.ELEMENTWISE) && !concat) return false;
    if (n.output(0).type().rank() != 4) return false;
    if (concat && dev.quench.ir.Shapes.axis(n.attrs.getInt("axis", 0), 4) != 1) return false;
    List<Value> ins = new ArrayList<>();
    boolean any = false;
    for (int i = 0; i < n.inputs().size(); i++) {
      Value v = n.input(i);
      Node t = v == null ? null : Rewrites.producer(g, v, Transpose.TRANSPOSE);
      if (t != null && java.util.Arrays.equals(t.attrs.getInts("perm"), Layouts.TO_NCHW)) {
        ins.add(t.input(0));
        any = true;
      } else if (v == null || (v.isConstant() && v.type().numel() == 1 && !concat)) {
        ins.add(v);
      } else {
        return false;
      }
    }
    if (!any) return false;
    Value y = n.output(0);
    Value yt = g.valueFor(fresh(g, y.name + "/nhwc"));
    yt.setType(new TensorType(y.type().dtype(), Layouts.permute(y.type().shape(), Layouts.TO_NHWC)));
    Attributes a = n.attrs.copy();
    if (concat) a.put("axis", 3L);
    Node moved = new Node(n.name, n.opType, n.opset, ins, List.of(yt), a);
    yt.setProducer(moved);
    // the op must keep its shape-inferred type in NHWC
    if (!OpRegistry.get(n.opType).infer(moved, new InferContext(moved)).get(0).equals(yt.type())) {
      g.values().remove(yt.name);
      return false;
    }
    int at = g.nodes().indexOf(n);
    g.nodes().set(at, moved);
    Node back = new Node(n.name + "/to_nchw", Transpose.TRANSPOSE, n.opset, List.of(yt), List.of(y), new Attributes().put("perm", Layouts.TO_NCHW));
    y.setProducer(back);
    g.nodes().add(at + 1, back);
    // transposes whose only reader was this op are dead now
    for (Value v : n.inputs()) {
      Node t = v == null ? null : Rewrites.producer(g, v, Transpose.TRANSPOSE);
      if (t != null && g.users(v).isEmpty() && !g.isOutput(v)) g.nodes().remove(t);
    }
    return true;
  }

  private static Value transpose(Graph g, Value x, long[] perm, String name, int at) {
    Value t = g.valueFor(fresh(g, x.name + "/nhwc"));
    t.setType(new TensorType(x.type().dtype(), Layouts.permute(x.type().shape(), perm)));
    Node n = new Node(name, Transpose.TRANSPOSE, g.opset(), List.of(x), List.of(t), new Attributes().put("perm", perm));
    t.setProducer(n);
    g.nodes().add(at, n);
    return t;
  }

  private static String fresh(Graph g, String base) {
    String name = base;
    for (int i = 1; g.value(name) != null; i++) name = base + "." + i;
    return name;
  }
}
