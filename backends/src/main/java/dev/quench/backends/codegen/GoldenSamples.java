package dev.quench.backends.codegen;

import dev.quench.ir.DType;
import dev.quench.ir.Graph;
import dev.quench.ir.Interpreter;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The selftest's golden samples: inputs, the Java integer interpreter's outputs, and a hash of every node's output. */
final class GoldenSamples {
  private GoldenSamples() {}

  /**
   * Golden inputs and outputs (float32 bit patterns) and, per sample and step, the FNV-1a 64 hash
   * of the step's first output in its C++ representation (little-endian), which the selftest built
   * with QUENCH_TRACE compares to name the first diverging node. Every NaN is the canonical quiet
   * NaN 0x7fc00000 in both (IEEE leaves a computed NaN's sign and payload to the hardware: x86
   * makes 0/0 negative, Arm positive), so "bit-exact" means every bit but a NaN's payload.
   */
  static List<Constants.Array> arrays(Graph g, List<Map<String, Tensor>> samples) {
    return arrays(g, samples, new java.util.HashSet<>());
  }

  /** As {@link #arrays(Graph, List)}, adding to {@code taken} every branch some sample takes (Arm.describe). */
  static List<Constants.Array> arrays(Graph g, List<Map<String, Tensor>> samples, java.util.Set<String> taken) {
    Interpreter interp = new Interpreter(g);
    List<Constants.Array> r = new ArrayList<>();
    List<StringBuilder> ins = new ArrayList<>(), outs = new ArrayList<>();
    StringBuilder trace = new StringBuilder();
    for (int i = 0; i < g.dataInputs().size(); i++) ins.add(new StringBuilder());
    for (int i = 0; i < g.outputs().size(); i++) outs.add(new StringBuilder());
    List<StatePairs.Pair> states = StatePairs.of(g);
    Map<Node, dev.quench.ir.Branches.Arm> arms = dev.quench.ir.Branches.of(g);
    StringBuilder starts = new StringBuilder(), entrySteps = new StringBuilder();
    long entries = 0;
    Map<String, Tensor> previous = null;
    for (Map<String, Tensor> given : samples) {
      // a streaming model's samples are one chain of calls: each state input is the last call's state output
      Map<String, Tensor> s = new java.util.LinkedHashMap<>(given);
      for (Value v : g.dataInputs()) {
        Tensor t = s.get(v.name);
        if (t != null && t.dtype != v.type().dtype()) s.put(v.name, dev.quench.ir.DTypes.cast(t, v.type().dtype()));
      }
      if (previous != null) {
        for (StatePairs.Pair p : states) s.put(g.dataInputs().get(p.input()).name, previous.get(g.outputs().get(p.output()).name));
      }
      Map<Node, Long> hashes = new java.util.IdentityHashMap<>();
      java.util.Set<Node> skipped = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      // (a node without its first output, as an LSTM without Y, traces zero bytes: the FNV offset basis)
      Map<String, Tensor> res = interp.run(s, new Interpreter.NodeObserver() {
        @Override
        public void after(Node node, Tensor[] o) {
          hashes.put(node, node.output(0) == null ? 0xcbf29ce484222325L : o.length == 0 || o[0] == null ? 0L : fnv(o[0], node.output(0).type().dtype()));
        }

        @Override
        public void skipped(Node node) {
          skipped.add(node);
        }
      });
      previous = res;
      // the steps this sample runs, in order: every step but those of the branches not taken
      starts.append(starts.length() % 100 < 11 ? "\n    " : " ").append(entries).append("u,");
      for (int i = 0; i < g.nodes().size(); i++) {
        Node n = g.nodes().get(i);
        if (skipped.contains(n)) continue;
        if (arms.get(n) != null) taken.add(arms.get(n).describe());
        trace.append(trace.length() % 120 < 24 ? "\n    " : " ").append(String.format("0x%016xull,", hashes.getOrDefault(n, 0L)));
        entrySteps.append(entrySteps.length() % 100 < 11 ? "\n    " : " ").append(i).append("u,");
        entries++;
      }
      for (int i = 0; i < g.dataInputs().size(); i++) bits(ins.get(i), s.get(g.dataInputs().get(i).name));
      int k = 0;
      for (Tensor t : res.values()) bits(outs.get(k++), t);
    }
    for (int i = 0; i < ins.size(); i++) {
      Value v = g.dataInputs().get(i);
      r.add(new Constants.Array("golden_in" + i, goldenType(v), Math.max(1, samples.size() * v.type().numel()), ins.get(i).toString(), 0));
    }
    for (int i = 0; i < outs.size(); i++) {
      Value v = g.outputs().get(i);
      r.add(new Constants.Array("golden_out" + i, goldenType(v), Math.max(1, samples.size() * v.type().numel()), outs.get(i).toString(), 0));  // (no zero-length arrays)
    }
    starts.append(starts.length() % 100 < 11 ? "\n    " : " ").append(entries).append("u,");
    r.add(new Constants.Array("golden_trace", "uint64_t", Math.max(1, entries), entries == 0 ? "0" : trace.toString(), 0));
    // where each sample's steps start in golden_trace (and, when the graph branches, which step each entry is)
    r.add(new Constants.Array("golden_trace_start", "uint32_t", samples.size() + 1L, starts.toString(), 0));
    if (!arms.isEmpty()) r.add(new Constants.Array("golden_trace_step", "uint32_t", Math.max(1, entries), entries == 0 ? "0" : entrySteps.toString(), 0));
    StringBuilder floats = new StringBuilder();
    for (Node n : g.nodes()) floats.append(floats.length() % 100 < 11 ? "\n    " : " ").append(n.output(0) != null && n.output(0).type().dtype() == DType.FLOAT32 ? "1," : "0,");
    r.add(new Constants.Array("golden_trace_float", "uint8_t", g.nodes().size(), floats.toString(), 0));
    return r;
  }

  /** FNV-1a 64 over a tensor's bytes as the C++ stores it (little-endian, the node's element type). */
  static long fnv(Tensor t, DType type) {
    long h = 0xcbf29ce484222325L;
    int bytes = type.bytes;
    for (int i = 0; i < t.numel(); i++) {
      long v = t.isFloat() ? floatBits(t.f[i], type) : t.l[i];
      for (int b = 0; b < bytes; b++) {
        h ^= (v >>> (8 * b)) & 0xff;
        h *= 0x100000001b3L;
      }
    }
    return h;
  }

  /** The C type of a golden array: float32 and float64 as their bit patterns, every other type as its values (float16 / bfloat16: their bits). */
  private static String goldenType(Value v) {
    DType t = v.type().dtype();
    return t == DType.FLOAT32 ? "uint32_t" : t == DType.FLOAT64 ? "uint64_t" : Lowering.ctype(t);
  }

  /** A float value's bits in the C++ type of a tensor of type t, every NaN the canonical one (as the selftest compares). */
  static long floatBits(float f, DType t) {
    return switch (t) {
      case FLOAT64 -> Double.doubleToLongBits(f);
      case FLOAT16 -> Float.isNaN(f) ? 0x7e00 : dev.quench.ir.Half.fromFloat(f);
      case BFLOAT16 -> Float.isNaN(f) ? 0x7fc0 : Float.floatToRawIntBits(f) >>> 16;
      default -> Float.floatToIntBits(f) & 0xffffffffL;
    };
  }

  private static void bits(StringBuilder sb, Tensor t) {
    QuenchException.check(t != null, "codegen: a golden tensor is missing");
    for (int i = 0; i < t.numel(); i++) {
      sb.append(sb.length() % 100 < 11 ? "\n    " : " ");
      if (t.dtype == DType.FLOAT64) sb.append(String.format("0x%016xull,", floatBits(t.f[i], t.dtype)));
      else if (t.isFloat()) sb.append(String.format("0x%04xu,", floatBits(t.f[i], t.dtype)));
      else if (t.dtype == DType.UINT64) sb.append(Long.toUnsignedString(t.l[i])).append("ull,");
      else sb.append(t.l[i] == Long.MIN_VALUE ? "INT64_MIN" : Long.toString(t.l[i])).append(',');
    }
  }
}
