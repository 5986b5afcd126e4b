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
    super(oneLine(message), cause);
    this.exitCode = exitCode;
  }

  /** Messages quote names from the user's files: control characters are escaped to keep them on one line. */
  static String oneLine(String s) {
    if (s == null) return "error";
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c == '\n') sb.append("\\n");
      else if (Character.isISOControl(c)) sb.append(String.format("\\u%04x", (int) c));
      else sb.append(c);
    }
    return sb.toString();
  }

  /** Throws a QuenchException with the formatted message unless {@code cond}. */
  public static void check(boolean cond, String fmt, Object... args) {
    if (!cond) throw new QuenchException(String.format(fmt, args));
  }
}
