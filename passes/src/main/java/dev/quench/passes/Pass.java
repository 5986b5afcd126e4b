package dev.quench.passes;

import dev.quench.ir.Graph;

/** A graph rewrite. Passes are stateless; {@link #run} reports whether it changed the graph. */
public interface Pass {
  /** The pass's name in pipelines and {@code --dump-after}, e.g. {@code fold-batch-norm}. */
  String name();

  boolean run(Graph g, PassContext ctx);
}
