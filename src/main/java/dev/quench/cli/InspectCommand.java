package dev.quench.cli;

import dev.quench.ir.io.Json;
import dev.quench.frontend.UnsupportedOpsException;
import dev.quench.ir.Graph;
import dev.quench.ir.ModelStats;
import dev.quench.ir.Value;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quench inspect MODEL}: inputs, outputs, op histogram, parameters, MACs, unsupported ops. */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Describe a model: I/O shapes, ops, parameters, MACs, unsupported ops.")
final class InspectCommand extends ModelCommand {
  @Option(names = "--dump", description = "Print the imported IR (one line per node, with types) instead of the summary.")
  boolean dump;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Graph g;
    try {
      g = options.load(model, Map.of());
    } catch (UnsupportedOpsException e) {
      if (flags.json) {
        List<Object> ops = new ArrayList<>();
        for (var u : e.ops) ops.add(Map.of("op", u.opType(), "domain", u.domain(), "node", u.node(), "opset", u.opset()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model.toString());
        m.put("unsupported", ops);
        out.println(Json.write(m));
      } else {
        out.println(model + ": " + e.ops.size() + " unsupported op" + (e.ops.size() == 1 ? "" : "s") + ":");
        for (var u : e.ops) out.println("  " + u);
      }
      spec.commandLine().getErr().println("quench: error: " + e.getMessage());
      return Main.EXIT_BAD_INPUT;
    }
    if (dump) {
      out.print(dev.quench.ir.GraphDump.dump(g));
      return 0;
    }
    ModelStats s = ModelStats.of(g);
    if (flags.json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("model", model.toString());
      m.put("inputs", io(g.dataInputs()));
      m.put("dynamic_inputs", g.dynamicInputs());
      m.put("outputs", io(g.outputs()));
      m.put("nodes", g.nodes().size());
      m.put("ops", s.opCounts());
      m.put("parameters", s.parameters());
      m.put("macs", s.macs());
      m.put("macs_by_op", s.macsByOp());
      dev.quench.backends.ArenaPlanner.Plan plan = dev.quench.backends.ArenaPlanner.plan(g);
      m.put("arena_bytes", plan.arenaBytes());
      m.put("arena_lower_bound_bytes", plan.lowerBoundBytes());
      m.put("unsupported", List.of());
      out.println(Json.write(m));
      return 0;
    }
    out.println("model       " + model);
    for (Value v : g.dataInputs()) {
      String declared = g.dynamicInputs().get(v.name);
      out.println("input       " + v.name + " " + v.type() + (declared == null ? "" : "   (declared " + declared + ", dynamic dims fixed)"));
    }
    for (Value v : g.outputs()) out.println("output      " + v.name + " " + v.type());
    out.println("nodes       " + g.nodes().size());
    out.printf("parameters  %,d%n", s.parameters());
    out.printf("MACs        %,d%n", s.macs());
    dev.quench.backends.ArenaPlanner.Plan plan = dev.quench.backends.ArenaPlanner.plan(g);
    out.printf("arena       %,d bytes (lower bound %,d, ratio %.3f)%n", plan.arenaBytes(), plan.lowerBoundBytes(), plan.ratio());
    out.println("ops:");
    for (var e : s.opCounts().entrySet()) {
      Long macs = s.macsByOp().get(e.getKey());
      out.printf("  %-22s %5d%s%n", e.getKey(), e.getValue(), macs == null ? "" : String.format("   %,d MACs", macs));
    }
    out.println("unsupported none");
    return 0;
  }

  private static List<Object> io(List<Value> vs) {
    List<Object> r = new ArrayList<>();
    for (Value v : vs) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", v.name);
      m.put("dtype", v.type().dtype().shortName);
      m.put("shape", v.type().shape());
      r.add(m);
    }
    return r;
  }
}
