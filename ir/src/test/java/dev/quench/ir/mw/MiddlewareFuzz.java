package dev.quench.ir.mw;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quench.ir.QuenchException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Mutated middleware text: every variant parses or fails with a one-line QuenchException, nothing else. */
class MiddlewareFuzz {
  private static final String[] TOKENS = {"%", "\"", "[", "]", "(", ")", "{", "}", ",", ":", "=", "@", "_", "-", "9999999999999999999999",
      "-1", "0", "1.5", "NaN", "bin(0, 4)", "f32", "i64", "node", "input", "output", "const", "param", "q(", "tensor(", "\\", "\n", " "};

  @Test
  void mutatedTextFailsCleanly() {
    Random r = new Random(42);
    String base = MiddlewareTest.TEXT.replaceAll("node constant_of_shape[^\\n]*\\n", "");
    int parsed = 0, rejected = 0;
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      StringBuilder sb = new StringBuilder(base);
      for (int k = 1 + r.nextInt(3); k > 0; k--) {
        int at = r.nextInt(sb.length() + 1);
        switch (r.nextInt(3)) {
          case 0 -> sb.insert(at, TOKENS[r.nextInt(TOKENS.length)]);
          case 1 -> sb.delete(at, Math.min(sb.length(), at + 1 + r.nextInt(6)));
          default -> {
            if (at < sb.length()) sb.setCharAt(at, (char) (32 + r.nextInt(95)));
          }
        }
      }
      try {
        MiddlewareParser.parse(sb.toString(), new byte[0], "f.qir");
        parsed++;
      } catch (QuenchException e) {
        rejected++;
        if (e.getMessage().contains("\n")) failures.add("multi-line message: " + e.getMessage());
      } catch (RuntimeException | StackOverflowError e) {
        failures.add(e + "\n" + sb);
      }
      if (failures.size() > 5) break;
    }
    assertTrue(failures.isEmpty(), String.join("\n---\n", failures));
    assertTrue(rejected > 1000 && parsed > 0, "parsed " + parsed + ", rejected " + rejected);
  }
}
