package dev.quench.backends.codegen;

import dev.quench.ir.Graph;
import dev.quench.ir.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The state of a streaming model (input, state -> output, stateN): an output that the caller feeds
 * back as an input on the next call, known by its name and its type: {@code <x>N}, {@code <x>_out},
 * {@code <x>_new}, {@code <x>_next}, {@code new_<x>}, {@code next_<x>}, or {@code <x>n} for an
 * input {@code <x>0} (h0 -> hn), with the input's shape. The SDK header documents the pairs and
 * the selftest runs its golden samples as one recorded chain of calls through them.
 */
public final class StatePairs {
  private StatePairs() {}

  /** input: the index among the data inputs; output: among the outputs. */
  public record Pair(int input, int output) {}

  public static List<Pair> of(Graph g) {
    List<Pair> r = new ArrayList<>();
    List<Value> ins = g.dataInputs(), outs = g.outputs();
    for (int i = 0; i < ins.size(); i++) {
      for (int o = 0; o < outs.size(); o++) {
        if (feeds(outs.get(o).name, ins.get(i).name) && outs.get(o).type().equals(ins.get(i).type())) {
          r.add(new Pair(i, o));
          break;
        }
      }
    }
    return r;
  }

  private static boolean feeds(String out, String in) {
    String o = out.toLowerCase(Locale.ROOT), x = in.toLowerCase(Locale.ROOT);
    if (o.equals(x)) return false;
    if (List.of(x + "n", x + "_out", x + "_new", x + "_next", "new_" + x, "next_" + x).contains(o)) return true;
    return x.endsWith("0") && o.equals(x.substring(0, x.length() - 1) + "n");
  }
}
