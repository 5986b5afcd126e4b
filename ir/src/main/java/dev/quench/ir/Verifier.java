package dev.quench.ir;

import dev.quench.ir.op.Op;
import dev.quench.ir.op.OpRegistry;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Checks the graph's invariants: every node's op is supported, every input is defined before it
 * is used (topological order, no cycles), every value is produced once, every value has a type,
 * and each node's recorded output types agree with its op's shape inference.
 */
public final class Verifier {
  private Verifier() {}

  public static void verify(Graph g) {
    Set<Value> defined = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<String> names = new HashSet<>();
    for (Value v : g.inputs()) {
      check(v.type() != null, "graph input '%s' has no type", v.name);
      defined.add(v);
    }
    for (Value v : g.values().values()) if (v.isConstant()) defined.add(v);
    for (Node n : g.nodes()) {
      Op op = OpRegistry.get(n.opType);
      check(op != null, "%s: unsupported op", n.describe());
      for (Value in : n.inputs()) {
        check(in == null || defined.contains(in), "%s: input '%s' is used before it is defined", n.describe(), in == null ? "" : in.name);
      }
      List<TensorType> inferred = op.infer(n, new dev.quench.ir.op.InferContext(n));
      for (int i = 0; i < n.outputs().size(); i++) {
        Value o = n.output(i);
        if (o == null) continue;
        check(!o.isConstant() || o.producer() == n || o.producer() == null, "%s: output '%s' is a constant of another node", n.describe(), o.name);
        check(names.add(o.name) || o.isConstant(), "%s: value '%s' is produced twice", n.describe(), o.name);
        check(o.type() != null, "%s: output '%s' has no type", n.describe(), o.name);
        check(i >= inferred.size() || inferred.get(i).equals(o.type()), "%s: output '%s' has type %s, shape inference gives %s",
            n.describe(), o.name, o.type(), i < inferred.size() ? inferred.get(i) : null);
        defined.add(o);
      }
    }
    for (Value v : g.outputs()) check(defined.contains(v), "graph output '%s' is never produced", v.name);
  }

  private static void check(boolean cond, String fmt, Object... args) {
    if (!cond) throw new VerifyException(String.format(fmt, args));
  }

  /** A broken IR invariant: a bug in a pass or the importer, not in the user's input. */
  public static final class VerifyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public VerifyException(String message) {
      super(message);
    }
  }
}
