package dev.quench.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the module dependency direction: ir &lt;- frontend, passes, backends &lt;- src. Every
 * reference to a dev.quench package in a module's main sources must be to an allowed module.
 */
class ArchitectureTest {
  private static final Map<String, Set<String>> ALLOWED = Map.of(
      "ir", Set.of("ir"),
      "frontend", Set.of("ir", "frontend"),
      "passes", Set.of("ir", "passes"),
      "backends", Set.of("ir", "backends"));
  private static final Pattern REF = Pattern.compile("\\bdev\\.quench\\.([a-z]+)");

  @Test
  void modulesDependOnlyDownwards() throws IOException {
    List<String> violations = new ArrayList<>();
    int files = 0;
    for (var e : ALLOWED.entrySet()) {
      Path dir = TestData.root().resolve(e.getKey()).resolve("src/main/java");
      if (!Files.isDirectory(dir)) continue;
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
          files++;
          Matcher m = REF.matcher(Files.readString(f));
          while (m.find()) {
            String target = m.group(1).equals("cli") ? "src" : m.group(1);
            if (!e.getValue().contains(target)) violations.add(TestData.root().relativize(f) + " refers to dev.quench." + m.group(1));
          }
        }
      }
    }
    assertTrue(files > 40, "scanned the sources: " + files);
    assertTrue(violations.isEmpty(), String.join("\n", violations));
  }
}
