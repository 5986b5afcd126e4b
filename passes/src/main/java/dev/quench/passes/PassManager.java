package dev.quench.passes;

import dev.quench.ir.Graph;
import dev.quench.ir.Verifier;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Runs a pipeline: the {@link Verifier} before the first pass and after every pass, naming the
 * pass that broke an invariant; optionally hands the graph to a dump hook after a named pass.
 */
public final class PassManager {
  /** One pipeline entry: the pass and why it is there. */
  public record Entry(Pass pass, String reason) {}

  /** A pass left the graph broken: a bug in that pass. */
  public static final class PassBrokeGraph extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PassBrokeGraph(String pass, String problem) {
      super("pass '" + pass + "' broke the graph: " + problem);
    }
  }

  private final String dumpAfter;
  private final BiConsumer<String, Graph> dump;

  public PassManager() {
    this(null, (p, g) -> { });
  }

  /** @param dumpAfter pass name after which {@code dump} sees the graph (every run of it), or null */
  public PassManager(String dumpAfter, BiConsumer<String, Graph> dump) {
    this.dumpAfter = dumpAfter;
    this.dump = dump;
  }

  public void run(Graph g, List<Entry> pipeline, PassContext ctx) {
    if (dumpAfter != null && pipeline.stream().noneMatch(e -> e.pass().name().equals(dumpAfter))) {
      throw new dev.quench.ir.QuenchException("--dump-after: no pass '" + dumpAfter + "' in the pipeline (passes: "
          + pipeline.stream().map(e -> e.pass().name()).distinct().toList() + ")", dev.quench.ir.QuenchException.BAD_INPUT, null);
    }
    check(g, "(input)");
    for (Entry e : pipeline) {
      e.pass().run(g, ctx);
      check(g, e.pass().name());
      if (e.pass().name().equals(dumpAfter)) dump.accept(e.pass().name(), g);
    }
  }

  private static void check(Graph g, String pass) {
    try {
      Verifier.verify(g);
    } catch (Verifier.VerifyException | dev.quench.ir.QuenchException ex) {
      throw new PassBrokeGraph(pass, ex.getMessage());
    }
  }
}
