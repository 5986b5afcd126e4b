package dev.quench.cli;

import java.io.PrintWriter;
import java.io.Writer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** --json, --quiet and --verbose: on every command, with the same meaning. */
final class OutputOptions {
  @Option(names = "--json", description = "Print the result as one JSON object on stdout.")
  boolean json;

  @Option(names = "--quiet", description = "No progress or notes on stderr (errors still go there).")
  boolean quiet;

  @Option(names = "--verbose", description = "Stack traces with errors (and with internal errors, what to report).")
  boolean verbose;

  private static final PrintWriter NOWHERE = new PrintWriter(Writer.nullWriter());

  /** Where progress and notes go: stderr, or nowhere with --quiet. */
  PrintWriter progress(CommandSpec spec) {
    return quiet ? NOWHERE : spec.commandLine().getErr();
  }
}
