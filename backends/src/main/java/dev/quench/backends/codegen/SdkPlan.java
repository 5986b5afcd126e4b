package dev.quench.backends.codegen;

import dev.quench.backends.ArenaPlanner;
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
    for (Node n : g.nodes()) {
      String refusal = refusals.get(n);
      Lowering.Step s = lowering.lower(n, steps.size(), refusal == null, kernels.get(n), arena.scratchOffset(n));
      if (refusal == null) s = s.withCommand(NpuLowering.command(n, s));
      steps.add(s);
      Map<String, Object> last = calls.isEmpty() ? null : calls.get(calls.size() - 1);
      if (refusal == null) {
        npuNodes++;
        npuMacs += ModelStats.macs(n);
        if (last == null || !last.containsKey("segment")) {
          last = new LinkedHashMap<>();
          last.put("segment", Integer.toString(segments++));
          last.put("steps", new ArrayList<Lowering.Step>());
          calls.add(last);
        }
        @SuppressWarnings("unchecked")
        List<Lowering.Step> in = (List<Lowering.Step>) last.get("steps");
        in.add(s);
      } else {
        calls.add(Map.of("step", s));
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
  }
}
