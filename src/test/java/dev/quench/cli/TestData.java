package dev.quench.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the test data lives, and a way to run the CLI in-process. */
final class TestData {
  private TestData() {}

  /** ../shared (from the quench.shared system property Surefire sets), or null when absent. */
  static Path shared() {
    String p = System.getProperty("quench.shared");
    Path dir = p == null ? Path.of("../../shared") : Path.of(p);
    return Files.isDirectory(dir.resolve("models")) ? dir.toAbsolutePath().normalize() : null;
  }

  /** The project root (the parent of the src module). */
  static Path root() {
    Path here = Path.of("").toAbsolutePath();
    return Files.exists(here.resolve("examples")) ? here : here.getParent();
  }

  static Path example() {
    return root().resolve("examples/fashion_mobilenet");
  }

  /** The first number after "key": in a JSON text. */
  static double number(String json, String key) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + key + "\":(-?[0-9.Ee-]+)").matcher(json);
    org.junit.jupiter.api.Assertions.assertTrue(m.find(), key + " in " + json.substring(0, Math.min(400, json.length())));
    return Double.parseDouble(m.group(1));
  }

  /** Result of one CLI invocation. */
  record Run(int code, String out, String err) {}

  static Run cli(String... args) {
    StringWriter out = new StringWriter(), err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }
}
