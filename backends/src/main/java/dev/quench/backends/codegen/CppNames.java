package dev.quench.backends.codegen;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Identifiers for generated C++: only [A-Za-z_][A-Za-z0-9_]*, never a C++ keyword, a reserved
 * name (leading underscore + capital, double underscore) or a name used before in the same
 * scope; at most 64 characters (a long name is cut and made unique). Model text that goes into
 * comments is escaped so that it cannot end the comment or the line.
 */
public final class CppNames {
  static final Set<String> KEYWORDS = Set.of("alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case",
      "catch", "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "const", "consteval", "constexpr", "constinit", "const_cast",
      "continue", "co_await", "co_return", "co_yield", "decltype", "default", "delete", "do", "double", "dynamic_cast", "else", "enum", "explicit",
      "export", "extern", "false", "float", "for", "friend", "goto", "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not",
      "not_eq", "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register", "reinterpret_cast", "requires", "return",
      "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct", "switch", "template", "this", "thread_local", "throw",
      "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor",
      "xor_eq", "final", "override", "import", "module", "main", "quench", "std", "arena", "inputs", "outputs", "NULL", "assert", "errno");

  private final Set<String> used = new HashSet<>();

  /** A fresh identifier for {@code text} in this scope. */
  public String name(String text) {
    String base = sanitize(text);
    String n = base;
    for (int i = 2; !used.add(n.toLowerCase(Locale.ROOT)); i++) n = base + "_" + i;
    return n;
  }

  /** Reserves a name so that {@link #name} never returns it. */
  public void reserve(String n) {
    used.add(n.toLowerCase(Locale.ROOT));
  }

  static String sanitize(String text) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < text.length() && sb.length() < 48; i++) {
      char c = text.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (ok) {
        sb.append(c);
      } else if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '_') {
        sb.append('_');
      }
    }
    while (sb.length() > 0 && sb.charAt(sb.length() - 1) == '_') sb.setLength(sb.length() - 1);
    String s = sb.toString();
    if (s.isEmpty()) s = "t";
    if (Character.isDigit(s.charAt(0))) s = "t" + s;
    if (text.length() > 48 || !s.equals(text)) s = s + "_" + Integer.toHexString(text.hashCode() & 0xfffff);
    if (KEYWORDS.contains(s)) s = s + "_";
    return s;
  }

  /** Text safe inside a C++ line comment: printable ASCII only, no line breaks, no comment ends. */
  public static String comment(String text) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < text.length() && sb.length() < 200; i++) {
      char c = text.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f && c != '\\' ? c : '?');
    }
    return sb.toString().replace("*/", "*?").replace("/*", "?*");
  }
}
