package dev.quench.backends.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hostile model names become valid, unique, non-reserved C++ identifiers; comments and strings stay closed. */
class CppNamesTest {
  @Test
  void hostileNamesBecomeValidUniqueIdentifiers() {
    List<String> hostile = List.of("conv1", "conv1", "Conv1", "int", "class", "main", "__reserved", "_Upper", "a\"b", "x\ny", "*/ evil /*", "ÿnïcödé",
        "名前", "", "123abc", "a".repeat(10_000), "a".repeat(10_000), "std", "conv-1", "conv_1", "conv 1", "?", "\\", "%s%n");
    CppNames names = new CppNames();
    Set<String> seen = new HashSet<>();
    for (String h : hostile) {
      String n = names.name(h);
      assertTrue(n.matches("[A-Za-z][A-Za-z0-9_]*"), n);
      assertFalse(n.contains("__"), n);
      assertFalse(CppNames.KEYWORDS.contains(n), n);
      assertTrue(n.length() <= 64, n);
      assertTrue(seen.add(n.toLowerCase(java.util.Locale.ROOT)), "unique: " + n);
    }
    assertEquals("conv1", new CppNames().name("conv1"), "plain names are kept");
  }

  @Test
  void commentsAndStringsCannotEscape() {
    String c = CppNames.comment("a */ b /* c\nd\\\r\u2028e");
    assertFalse(c.contains("*/") || c.contains("/*") || c.contains("\n") || c.contains("\r") || c.contains("\\"), c);
    String s = SdkGenerator.cString("q\"uote\\ ??= \n é");
    assertTrue(s.startsWith("\"") && s.endsWith("\""), s);
    String inner = s.substring(1, s.length() - 1);
    assertFalse(inner.contains("\"") || inner.contains("\n") || inner.contains("??"), inner);
    assertTrue(inner.matches("[ -~]*"), "printable ASCII only: " + inner);
  }
}
