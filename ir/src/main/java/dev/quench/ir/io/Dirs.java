package dev.quench.ir.io;

import dev.quench.ir.QuenchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Directory helpers shared by the code generator and the CLI. */
public final class Dirs {
  private Dirs() {}

  /** Removes a directory tree (nothing if it does not exist); a failure is a one-line error. */
  public static void deleteTree(Path p) {
    if (!Files.exists(p)) return;
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
    } catch (IOException e) {
      throw new QuenchException("cannot remove " + p + ": " + e.getMessage(), e);
    }
  }
}
