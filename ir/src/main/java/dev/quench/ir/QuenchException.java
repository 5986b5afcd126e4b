package dev.quench.ir;

/**
 * An error caused by the user's input (model, data file, option). Its message is one line that
 * names the file, node or option at fault; the CLI prints it without a stack trace and exits
 * with {@link #exitCode}.
 */
public class QuenchException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  /** Exit code for bad input (malformed or unsupported model, bad data file). */
  public static final int BAD_INPUT = 2;

  public final int exitCode;

  public QuenchException(String message) {
    this(message, BAD_INPUT, null);
  }

  public QuenchException(String message, Throwable cause) {
    this(message, BAD_INPUT, cause);
  }

  public QuenchException(String message, int exitCode, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** Throws a QuenchException with the formatted message unless {@code cond}. */
  public static void check(boolean cond, String fmt, Object... args) {
    if (!cond) throw new QuenchException(String.format(fmt, args));
  }
}
