package dev.quench.frontend;

import dev.quench.ir.QuenchException;
import java.util.List;
import java.util.stream.Collectors;

/** The model uses ops Quench does not support: all of them, found before any other work. */
public final class UnsupportedOpsException extends QuenchException {
  private static final long serialVersionUID = 1L;

  /** One unsupported node. */
  public record Unsupported(String opType, String domain, String node, long opset) {
    @Override
    public String toString() {
      return (domain.isEmpty() ? "" : domain + ".") + opType + " (node '" + node + "', opset " + opset + ")";
    }
  }

  public final transient List<Unsupported> ops;

  public UnsupportedOpsException(String file, List<Unsupported> ops) {
    super(file + ": " + ops.size() + " unsupported op" + (ops.size() == 1 ? "" : "s") + ": "
        + ops.stream().map(Unsupported::toString).collect(Collectors.joining(", ")));
    this.ops = List.copyOf(ops);
  }
}
