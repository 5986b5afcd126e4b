package dev.quench.cli;

import dev.quench.ir.QuenchException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code quench} command. Exit codes, the same for every command: 0 success; 1 the command
 * ran but verification failed (a selftest not bit-exact, conformance cases failing); 2 bad input
 * or unsupported (malformed or unsupported model, bad data file, bad command line, a model that
 * does not fit its target); 3 internal error (a bug: please report it with the --verbose output),
 * also when the JVM runs out of memory or stack.
 */
@Command(name = "quench", mixinStandardHelpOptions = true, version = "quench 0.1.0",
    description = "Compiles trained ONNX models into self-contained C++ inference SDKs for edge devices.",
    subcommands = {InspectCommand.class, OptimizeCommand.class, QuantizeCommand.class, EvalCommand.class, RunCommand.class, CompileCommand.class, CodegenCommand.class, VerifyCommand.class, ExportQdqCommand.class, ConformanceCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  public static final int EXIT_FAILURES = 1, EXIT_BAD_INPUT = QuenchException.BAD_INPUT, EXIT_USAGE = QuenchException.BAD_INPUT, EXIT_INTERNAL = 3;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the CLI with the given streams and returns the exit code (used by tests). */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler((ex, a) -> {
      err.println("quench: " + ex.getMessage());
      err.println("Try 'quench " + (ex.getCommandLine().getCommandName().equals("quench") ? "" : ex.getCommandLine().getCommandName() + " ") + "--help'.");
      return EXIT_USAGE;
    });
    cl.setExecutionExceptionHandler((ex, c, parse) -> {
      if (ex instanceof QuenchException q) {
        err.println("quench: error: " + q.getMessage());
        if (verbose) ex.printStackTrace(err);
        return q.exitCode;
      }
      err.println("quench: internal error: " + ex + (verbose ? "" : " (run with --verbose for details)"));
      if (verbose) ex.printStackTrace(err);
      return EXIT_INTERNAL;
    });
    int code;
    try {
      code = cl.execute(args);
    } catch (OutOfMemoryError | StackOverflowError e) {
      // not a user error: the input was too big or too deep for this JVM's limits
      err.println("quench: internal error: " + (e instanceof OutOfMemoryError ? "out of memory" : "stack overflow")
          + " (a larger -Xmx / -Xss may help; please report the model with --verbose output)");
      if (verbose) e.printStackTrace(err);
      code = EXIT_INTERNAL;
    }
    out.flush();
    err.flush();
    return code;
  }
}
