package dev.quench.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The deepest stack of one inference, from the call graphs GCC writes with
 * {@code -fcallgraph-info=su} (one {@code .ci} file per object: functions with their frame sizes,
 * and the calls between them). The depth of a function is its frame plus the deepest of its
 * callees; functions outside the model library (memcpy, the float helpers of libgcc) have no frame
 * in the graph and count 0. A recursive cycle or a frame of dynamic size has no bound.
 */
final class StackUsage {
  private static final Pattern NODE = Pattern.compile("node: \\{ title: \"([^\"]*)\" label: \"([^\"]*)\"");
  private static final Pattern EDGE = Pattern.compile("edge: \\{ sourcename: \"([^\"]*)\" targetname: \"([^\"]*)\"");
  private static final Pattern FRAME = Pattern.compile("\\\\n(\\d+) bytes \\(([^)]*)\\)");
  /** The generated C entry point, quench_<model>_run. */
  private static final Pattern ROOT = Pattern.compile("quench_\\w+_run");

  /** A generated step function (one node: its kernel and the helpers it calls). */
  private static final Pattern STEP = Pattern.compile("::(step_\\d+)\\(");

  /** The deepest stack of one step, from its entry: the step function and every call below it. */
  record StepStack(String step, long bytes) {}

  private final Map<String, Long> frame = new HashMap<>();
  private final Map<String, String> label = new HashMap<>();
  private final Set<String> dynamic = new HashSet<>();
  private final Map<String, List<String>> calls = new HashMap<>();

  private StackUsage() {}

  /** The deepest stack from the model's run function over the call graphs under dir; empty when there are none or it has no bound. */
  static OptionalLong deepest(Path dir) {
    StackUsage u = of(dir);
    if (u == null) return OptionalLong.empty();
    List<String> roots = u.frame.keySet().stream().filter(n -> ROOT.matcher(n).matches()).sorted().toList();
    if (roots.isEmpty()) return OptionalLong.empty();
    long deepest = 0;
    Map<String, Long> memo = new HashMap<>();
    for (String r : roots) {
      long d = u.depth(r, memo, new HashSet<>());
      if (d < 0) return OptionalLong.empty();
      deepest = Math.max(deepest, d);
    }
    return OptionalLong.of(deepest);
  }

  /**
   * The step with the deepest stack (a kernel with its helpers, each step being one node); empty
   * when there are no call graphs, no steps, or a step's stack has no bound.
   */
  static java.util.Optional<StepStack> deepestStep(Path dir) {
    StackUsage u = of(dir);
    if (u == null) return java.util.Optional.empty();
    StepStack best = null;
    Map<String, Long> memo = new HashMap<>();
    for (String f : u.frame.keySet().stream().sorted().toList()) {
      Matcher m = STEP.matcher(u.label.getOrDefault(f, ""));
      if (!m.find()) continue;
      long d = u.depth(f, memo, new HashSet<>());
      if (d < 0) return java.util.Optional.empty();
      if (best == null || d > best.bytes()) best = new StepStack(m.group(1), d);
    }
    return java.util.Optional.ofNullable(best);
  }

  /** The call graphs under dir; null when they cannot be listed. */
  private static StackUsage of(Path dir) {
    StackUsage u = new StackUsage();
    List<Path> graphs;
    try (Stream<Path> files = Files.walk(dir)) {
      graphs = files.filter(p -> p.toString().endsWith(".ci")).sorted().toList();
    } catch (IOException e) {
      return null;
    }
    for (Path p : graphs) {
      try {
        u.read(Files.readString(p));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return u;
  }

  private void read(String ci) {
    Matcher n = NODE.matcher(ci);
    while (n.find()) {
      Matcher f = FRAME.matcher(n.group(2));
      long bytes = 0;
      if (f.find()) {
        bytes = Long.parseLong(f.group(1));
        if (f.group(2).contains("dynamic") && !f.group(2).contains("bounded")) dynamic.add(n.group(1));
      }
      frame.merge(n.group(1), bytes, Math::max);
      label.putIfAbsent(n.group(1), n.group(2));
    }
    Matcher e = EDGE.matcher(ci);
    while (e.find()) calls.computeIfAbsent(e.group(1), k -> new ArrayList<>()).add(e.group(2));
  }

  /** Frame plus the deepest callee; -1 for no bound (recursion, dynamic frames). */
  private long depth(String f, Map<String, Long> memo, Set<String> onPath) {
    Long known = memo.get(f);
    if (known != null) return known;
    if (!onPath.add(f) || dynamic.contains(f)) return -1;
    long deepest = 0;
    for (String c : calls.getOrDefault(f, List.of())) {
      long d = depth(c, memo, onPath);
      if (d < 0) return -1;
      deepest = Math.max(deepest, d);
    }
    onPath.remove(f);
    long d = frame.getOrDefault(f, 0L) + deepest;
    memo.put(f, d);
    return d;
  }
}
