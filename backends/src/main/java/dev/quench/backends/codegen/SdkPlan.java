package dev.quench.backends.codegen;

import dev.quench.backends.ArenaPlanner;
import dev.quench.ir.Branches;
import dev.quench.ir.Graph;
import dev.quench.ir.ModelStats;
import dev.quench.ir.Node;
import dev.quench.ir.target.Target;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plan of an SDK: where each node runs (the target's accelerator, or the CPU with the kernel
 * KernelChoice picks), the arena (tensors and kernel scratch), every node lowered to its template
 * data, and what run() does in order: CPU steps and NPU segments (consecutive nodes the NPU runs).
 */
final class SdkPlan {
  final ArenaPlanner.Plan arena;
  final Constants consts = new Constants(new CppNames());
  final List<Lowering.Step> steps = new ArrayList<>();
  final List<Map<String, Object>> calls = new ArrayList<>(), fallback = new ArrayList<>();
  /** The branch of each node of a data-dependent If (ir/Branches.java; empty: the graph does not branch). */
  final Map<Node, Branches.Arm> arms;
  int npuNodes, segments;
  long npuMacs;

  SdkPlan(Graph g, Target t) {
    Map<Node, String> refusals = new IdentityHashMap<>();
    Map<Node, KernelChoice> kernels = new IdentityHashMap<>();
    for (Node n : g.nodes()) {
      String refusal = t.accelerator().present() ? t.accelerator().refusal(n, false) : "";
      refusals.put(n, refusal);
      if (refusal != null) kernels.put(n, KernelChoice.of(n, t));
    }
    arena = ArenaPlanner.plan(g, true, n -> kernels.get(n) == null ? 0 : kernels.get(n).scratchBytes());
    Lowering lowering = new Lowering(g, consts);
    arms = Branches.of(g);
    for (Node n : g.nodes()) {
      String refusal = refusals.get(n);
      Lowering.Step s = lowering.lower(n, steps.size(), refusal == null, kernels.get(n), arena.scratchOffset(n));
      if (refusal == null) s = s.withCommand(NpuLowering.command(n, s));
      steps.add(s);
      Map<String, Object> last = calls.isEmpty() ? null : calls.get(calls.size() - 1);
      String when = when(arms.get(n), lowering);
      if (refusal == null) {
        npuNodes++;
        npuMacs += ModelStats.macs(n);
        // (a segment's nodes are on one branch: run() submits it under that branch's conditions)
        if (last == null || !last.containsKey("segment") || !java.util.Objects.equals(last.get("when"), when)) {
          last = new LinkedHashMap<>();
          last.put("segment", Integer.toString(segments++));
          last.put("steps", new ArrayList<Lowering.Step>());
          if (when != null) last.put("when", when);
          calls.add(last);
        }
        @SuppressWarnings("unchecked")
        List<Lowering.Step> in = (List<Lowering.Step>) last.get("steps");
        in.add(s);
      } else {
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("step", s);
        if (when != null) call.put("when", when);
        calls.add(call);
        if (t.accelerator().present()) {
          // ordered keys: summary.json is byte-identical on every run (Map.of's order is not)
          Map<String, Object> f = new LinkedHashMap<>();
          f.put("node", n.name);
          f.put("op", n.opType);
          f.put("reason", refusal);
          fallback.add(f);
        }
      }
    }
    blocks();
  }

  /** Consecutive calls under one condition share its if block: "open" on the first, "close" on the last. */
  private void blocks() {
    for (int i = 0; i < calls.size(); i++) {
      Object when = calls.get(i).get("when");
      if (when == null) continue;
      if (i == 0 || !when.equals(calls.get(i - 1).get("when"))) calls.get(i).put("open", true);
      if (i == calls.size() - 1 || !when.equals(calls.get(i + 1).get("when"))) calls.get(i).put("close", true);
    }
  }

  /**
   * The C condition under which a step on arm a runs (null: always): every condition from the
   * outermost If in, each read from its tensor (the arena planner keeps them alive to there).
   */
  private static String when(Branches.Arm a, Lowering l) {
    if (a == null) return null;
    String inner = (a.then ? "" : "!") + "((" + l.operand(a.cond, "cond") + ")[0] != 0)";
    String outer = when(a.parent, l);
    return outer == null ? inner : outer + " && " + inner;
  }
}
