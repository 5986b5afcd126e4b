package dev.quench.passes;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small FileCheck (after LLVM's): the directives {@code CHECK:} (the text occurs at or after
 * the current line), {@code CHECK-NEXT:} (on the line right after the previous match),
 * {@code CHECK-NOT:} (does not occur between the previous match and the next one, or the end)
 * and {@code CHECK-LABEL:}. Matching is by substring. Any other {@code CHECK...:} directive, or a
 * file with no checks, is an error.
 */
final class FileCheck {
  private FileCheck() {}

  private static final Pattern DIRECTIVE = Pattern.compile("//\\s*(CHECK[A-Z-]*):\\s?(.*)$");

  record Check(String kind, String text, int line) {}

  static List<Check> checks(String source, String file) {
    List<Check> r = new ArrayList<>();
    String[] lines = source.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      Matcher m = DIRECTIVE.matcher(lines[i]);
      if (!m.find()) continue;
      String kind = m.group(1);
      if (!List.of("CHECK", "CHECK-NEXT", "CHECK-NOT", "CHECK-LABEL").contains(kind)) {
        throw new AssertionError(file + ":" + (i + 1) + ": unknown directive " + kind);
      }
      r.add(new Check(kind, m.group(2).strip(), i + 1));
    }
    if (r.isEmpty()) throw new AssertionError(file + ": no CHECK lines");
    return r;
  }

  /** Throws AssertionError naming the failing check and showing the output. */
  static void verify(List<Check> checks, String output, String file) {
    String[] lines = output.split("\n", -1);
    int pos = 0, lastMatch = -1;
    List<Check> pendingNot = new ArrayList<>();
    for (Check c : checks) {
      if (c.kind().equals("CHECK-NOT")) {
        pendingNot.add(c);
        continue;
      }
      int found = -1;
      if (c.kind().equals("CHECK-NEXT")) {
        if (lastMatch + 1 < lines.length && lines[lastMatch + 1].contains(c.text())) found = lastMatch + 1;
      } else {
        for (int i = pos; i < lines.length; i++) {
          if (lines[i].contains(c.text())) {
            found = i;
            break;
          }
        }
      }
      if (found < 0) throw new AssertionError(file + ":" + c.line() + ": " + c.kind() + ": '" + c.text() + "' not found\n--- output ---\n" + output);
      for (Check n : pendingNot) {
        for (int i = Math.max(lastMatch + 1, 0); i < found; i++) {
          if (lines[i].contains(n.text())) throw new AssertionError(file + ":" + n.line() + ": CHECK-NOT: '" + n.text() + "' found on output line " + (i + 1) + "\n--- output ---\n" + output);
        }
      }
      pendingNot.clear();
      lastMatch = found;
      pos = found + 1;
    }
    for (Check n : pendingNot) {
      for (int i = Math.max(lastMatch + 1, 0); i < lines.length; i++) {
        if (lines[i].contains(n.text())) throw new AssertionError(file + ":" + n.line() + ": CHECK-NOT: '" + n.text() + "' found on output line " + (i + 1) + "\n--- output ---\n" + output);
      }
    }
  }
}
