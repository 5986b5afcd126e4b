package dev.quench.ir;

import dev.quench.ir.op.OpRegistry;
import java.util.HashMap;
import java.util.Map;

/** Middleware op names: the snake_case of the IR op type ({@code BatchNormalization} → {@code batch_normalization}). */
public final class OpNames {
  private static final Map<String, String> BY_SNAKE = new HashMap<>();

  static {
    for (String op : OpRegistry.names()) {
      String prev = BY_SNAKE.put(snake(op), op);
      if (prev != null) throw new IllegalStateException("op names collide in snake_case: " + prev + ", " + op);
    }
  }

  private OpNames() {}

  public static String snake(String opType) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < opType.length(); i++) {
      char c = opType.charAt(i);
      if (Character.isUpperCase(c) && i > 0) {
        char p = opType.charAt(i - 1);
        boolean nextLower = i + 1 < opType.length() && Character.isLowerCase(opType.charAt(i + 1));
        if (Character.isLowerCase(p) || Character.isDigit(p) || (Character.isUpperCase(p) && nextLower)) sb.append('_');
      }
      sb.append(Character.toLowerCase(c));
    }
    return sb.toString();
  }

  /** The op type of a middleware op name, or null when unknown. */
  public static String opType(String snake) {
    return BY_SNAKE.get(snake);
  }
}
