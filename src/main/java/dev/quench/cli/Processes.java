package dev.quench.cli;

import dev.quench.ir.QuenchException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Running the external tools verify and profile need (cmake, ctest, nm, gcc, qemu). */
final class Processes {
  private Processes() {}

  static boolean onPath(String tool) {
    String path = System.getenv("PATH");
    if (path == null) return false;
    for (String d : path.split(File.pathSeparator)) if (Files.isExecutable(Path.of(d, tool))) return true;
    return false;
  }

  /** Runs cmd (stderr merged into stdout, at most 30 minutes), appends its output to log; the exit status. */
  static int run(List<String> cmd, StringBuilder log) {
    QuenchException.check(onPath(cmd.get(0)) || Files.isExecutable(Path.of(cmd.get(0))), "%s not found on PATH", cmd.get(0));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        log.append(String.join(" ", cmd)).append(": timed out\n");
        return -1;
      }
      log.append(text);
      return p.exitValue();
    } catch (IOException e) {
      throw new QuenchException("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QuenchException("interrupted", e);
    }
  }

  /** Runs cmd and returns its output; a non-zero exit is an error naming the command. */
  static String output(List<String> cmd) {
    StringBuilder log = new StringBuilder();
    int rc = run(cmd, log);
    if (rc != 0) throw new QuenchException(String.join(" ", cmd) + " failed (exit " + rc + "): " + log.toString().strip());
    return log.toString();
  }
}
