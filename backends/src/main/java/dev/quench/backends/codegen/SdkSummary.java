package dev.quench.backends.codegen;

import dev.quench.ir.Graph;
import dev.quench.ir.ModelStats;
import dev.quench.ir.Node;
import dev.quench.ir.Value;
import dev.quench.ir.target.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The SDK's summary.json: the model, its ops and MACs, memory against the target's, per-layer bits, the NPU placement. */
final class SdkSummary {
  private SdkSummary() {}

  static Map<String, Object> of(Graph g, String model, Target platform, SdkPlan plan, long ioBytes) {
    Map<String, Object> summary = base(g, model, platform.name(), plan.arena, plan.consts.bytes());
    summary.put("isa", platform.isa());
    summary.put("kernels", platform.kernels());
    // what the model needs of the device (checked against the target's memories, 0 = no limit);
    // the stack of one inference is measured by quench verify (its build's call graph), which then
    // fills in stack_bytes and adds it to ram_bytes
    Map<String, Object> memory = new LinkedHashMap<>();
    memory.put("arena_bytes", plan.arena.arenaBytes());
    memory.put("io_bytes", ioBytes);
    memory.put("stack_bytes", null);
    memory.put("ram_bytes", plan.arena.arenaBytes() + ioBytes);
    memory.put("flash_constants_bytes", plan.consts.bytes());
    memory.put("target_ram_bytes", platform.ramBytes());
    memory.put("target_flash_bytes", platform.flashBytes());
    summary.put("memory", memory);
    if (platform.accelerator().present()) {
      Map<String, Object> npu = new LinkedHashMap<>();
      npu.put("segments", plan.segments);
      npu.put("nodes", plan.npuNodes);
      npu.put("cpu_nodes", g.nodes().size() - plan.npuNodes);
      npu.put("macs", plan.npuMacs);
      npu.put("cpu_fallback", plan.fallback);
      summary.put("npu", npu);
    }
    return summary;
  }

  private static Map<String, Object> base(Graph g, String model, String target, dev.quench.backends.ArenaPlanner.Plan plan, long weights) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("generator", "quench " + SdkGenerator.VERSION);
    s.put("target", target);
    s.put("model", model);
    Map<String, Integer> ops = new TreeMap<>();
    for (Node n : g.nodes()) ops.merge(n.opType, 1, Integer::sum);
    s.put("ops", ops);
    s.put("macs", ModelStats.of(g).macs());
    s.put("weights_bytes", weights);
    s.put("arena_bytes", plan.arenaBytes());
    s.put("arena_lower_bound_bytes", plan.lowerBoundBytes());
    List<Map<String, Object>> layers = new ArrayList<>();
    for (Node n : g.nodes()) {
      Value y = n.outputs().stream().filter(java.util.Objects::nonNull).findFirst().orElse(null);  // (the first output may be omitted)
      if (y == null) continue;
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("node", n.name);
      l.put("op", n.opType);
      l.put("bits", y.qparams() == null ? 32 : y.qparams().bits());
      l.put("float", y.type().dtype().isFloating());
      l.put("macs", ModelStats.macs(n));
      layers.add(l);
    }
    s.put("layers", layers);
    // the nodes that compute in float: a float result other than a DequantizeLinear's (the float
    // edge), or a float input read by anything but a QuantizeLinear
    List<String> floats = new ArrayList<>();
    for (Node n : g.nodes()) {
      boolean f = false;
      for (Value o : n.outputs()) f |= o != null && o.type().dtype().isFloating() && !n.opType.equals("DequantizeLinear");
      for (Value v : n.inputs()) f |= v != null && !v.isConstant() && v.type().dtype().isFloating() && !n.opType.equals("QuantizeLinear");
      if (f) floats.add(n.name);
    }
    s.put("float_nodes", floats);
    return s;
  }
}
