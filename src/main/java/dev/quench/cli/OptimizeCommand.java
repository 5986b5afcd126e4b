package dev.quench.cli;

import dev.quench.ir.io.Json;
import dev.quench.backends.ArenaPlanner;
import dev.quench.ir.Graph;
import dev.quench.ir.QuenchException;
import dev.quench.ir.mw.Middleware;
import dev.quench.ir.mw.MiddlewarePrinter;
import dev.quench.passes.PassContext;
import dev.quench.passes.PassManager;
import dev.quench.passes.Pipelines;
import dev.quench.ir.target.Target;
import dev.quench.passes.segment.PartitionSegments;
import java.util.ArrayList;
import java.util.List;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quench optimize MODEL.onnx -o OUT.qir}: import, run the optimisation pipeline, plan the arena, write middleware. */
@Command(name = "optimize", mixinStandardHelpOptions = true, description = "Optimise a model's graph and write it as middleware (OUT.qir + OUT.qir.bin).")
final class OptimizeCommand extends ModelCommand {
  @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.qir", description = "Middleware to write; the weights go to OUT.qir.bin.")
  Path output;

  @Option(names = "--target", paramLabel = "T", defaultValue = "host", description = "Target: host, cortex-a, riscv64, cortex-m4, cortex-m7, cortex-m55, npu (default: ${DEFAULT-VALUE}).")
  String target;

  @Option(names = "--dump-after", paramLabel = "PASS", description = "Print the middleware after this pass (to stdout).")
  String dumpAfter;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    QuenchException.check(output.getFileName() != null && output.getFileName().toString().endsWith(".qir"), "-o: the output must end in .qir");
    Target t = Target.named(target);
    Graph g = options.load(model, Map.of());
    int before = g.nodes().size();
    PassContext ctx = new PassContext(t);
    new PassManager(dumpAfter, (pass, graph) -> {
      out.println("// after " + pass);
      out.print(MiddlewarePrinter.print(graph, "(dump)").text());
    }).run(g, Pipelines.optimize(), ctx);
    ArenaPlanner.Plan plan = ArenaPlanner.plan(g);
    String binName = output.getFileName() + ".bin";
    Middleware mw = MiddlewarePrinter.print(g, binName);
    write(output, mw);
    if (flags.json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("model", model.toString());
      m.put("output", output.toString());
      m.put("target", t.name());
      m.put("nodes_before", before);
      m.put("nodes_after", g.nodes().size());
      m.put("arena_bytes", plan.arenaBytes());
      m.put("arena_lower_bound_bytes", plan.lowerBoundBytes());
      m.put("weights_bytes", mw.weights().length);
      List<Object> segs = new ArrayList<>();
      for (PartitionSegments.Segment sg : PartitionSegments.segments(g)) {
        Map<String, Object> sm = new LinkedHashMap<>();
        sm.put("index", sg.index());
        sm.put("executor", sg.executor());
        sm.put("nodes", sg.nodes().size());
        sm.put("inputs", sg.inputs());
        sm.put("outputs", sg.outputs());
        segs.add(sm);
      }
      m.put("segments", segs);
      m.put("log", ctx.log());
      out.println(Json.write(m));
    } else if (dumpAfter == null) {
      out.printf("%d nodes -> %d; arena %,d bytes (lower bound %,d); wrote %s and %s%n", before, g.nodes().size(), plan.arenaBytes(),
          plan.lowerBoundBytes(), output, binName);
      if (t.accelerator().present()) {
        for (PartitionSegments.Segment sg : PartitionSegments.segments(g)) {
          out.printf("segment %d on %s: %d nodes (%s .. %s)%n", sg.index(), sg.executor(), sg.nodes().size(), sg.nodes().get(0), sg.nodes().get(sg.nodes().size() - 1));
        }
      }
    }
    return 0;
  }

  /** Both files via temporary names and renames: an error leaves no half-written middleware. */
  static void write(Path output, Middleware mw) {
    Path dir = output.toAbsolutePath().getParent();
    Path bin = output.resolveSibling(output.getFileName() + ".bin");
    Path tText = null, tBin = null;
    try {
      Files.createDirectories(dir);
      tText = Files.createTempFile(dir, ".quench-", ".tmp");
      tBin = Files.createTempFile(dir, ".quench-", ".tmp");
      Files.write(tBin, mw.weights());
      Files.writeString(tText, mw.text(), StandardCharsets.UTF_8);
      AtomicFiles.readable(tBin);
      AtomicFiles.readable(tText);
      Files.move(tBin, bin, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Files.move(tText, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new QuenchException("cannot write " + output + ": " + e.getMessage(), e);
    } finally {
      try {
        if (tText != null) Files.deleteIfExists(tText);
        if (tBin != null) Files.deleteIfExists(tBin);
      } catch (IOException ignored) {
        // best effort
      }
    }
  }
}
