package dev.quench.backends;

import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.Value;
import dev.quench.ir.op.Trait;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives every activation tensor (graph inputs, node outputs; not constants) an offset in one
 * static arena. Lifetimes run from the producing step to the last reading step (graph outputs
 * live to the end). Tensors are placed largest first at the lowest offset that overlaps no
 * already placed tensor with an overlapping lifetime (greedy by size, as TFLite Micro's planner).
 * In place: an elementwise activation or a reshape whose input dies at that step reuses the
 * input's buffer (same offset), so the pair counts as one tensor.
 *
 * <p>Kernel scratch: a step whose kernel needs working memory gets a buffer that lives during
 * that step only (it overlaps no tensor the step reads or writes, and shares space with every
 * tensor dead by then), so scratch is inside the arena and costs only where it raises the peak.
 *
 * <p>A data-dependent If: buffers written on opposite sides of it may share storage (one side
 * runs), and every step of a branch keeps the conditions that select it alive.
 *
 * <p>The lower bound is the largest number of bytes live at any one step (on any one way through
 * the Ifs); the plan is within {@link Plan#ratio()} of it.
 */
public final class ArenaPlanner {
  /** Buffers are aligned to this many bytes (SIMD loads on Cortex-M55/A and NEON). */
  public static final int ALIGN = 16;

  private ArenaPlanner() {}

  /** The planned arena: size, lower bound, and the offset of each step's scratch (nodes with scratch only). */
  public record Plan(long arenaBytes, long lowerBoundBytes, Map<Node, Long> scratchOffsets) {
    public double ratio() {
      return lowerBoundBytes == 0 ? 1 : (double) arenaBytes / lowerBoundBytes;
    }

    /** The arena offset of node n's scratch; -1 when it has none. */
    public long scratchOffset(Node n) {
      return scratchOffsets.getOrDefault(n, -1L);
    }
  }

  /** A buffer: one tensor, or an in-place chain of tensors sharing storage. */
  private static final class Buffer {
    final List<Value> values = new ArrayList<>();
    long bytes;
    int first, last;
    long offset = -1;
    Node scratchOf;  // a step's kernel scratch (no values)
    dev.quench.ir.Branches.Arm arm;  // the branch every write into it is on (null: the top level)
  }

  /**
   * Whether two buffers are written on opposite sides of one If: only one side runs, so they may
   * share storage whatever their lifetimes (a branch's values are read on it, or by the Merge,
   * which reads the taken side only).
   */
  private static boolean exclusive(Buffer x, Buffer y) {
    for (dev.quench.ir.Branches.Arm a = x.arm; a != null; a = a.parent) {
      for (dev.quench.ir.Branches.Arm b = y.arm; b != null; b = b.parent) if (a.cond == b.cond && a.parent == b.parent && a.then != b.then) return true;
    }
    return false;
  }

  /** Whether a buffer on arm a is written when the conditions are as bit i of {@code way} says for conds[i]. */
  private static boolean on(dev.quench.ir.Branches.Arm a, List<Value> conds, int way) {
    for (; a != null; a = a.parent) if (((way >> conds.indexOf(a.cond)) & 1) != (a.then ? 1 : 0)) return false;
    return true;
  }

  /** The innermost arm that every one of the given arms is within (their common enclosing branch). */
  private static dev.quench.ir.Branches.Arm common(dev.quench.ir.Branches.Arm a, dev.quench.ir.Branches.Arm b) {
    for (dev.quench.ir.Branches.Arm x = a; x != null; x = x.parent) if (b != null && b.within(x)) return x;
    return null;
  }

  public static Plan plan(Graph g) {
    return plan(g, false);
  }

  /**
   * @param callerIo graph inputs and outputs live in the caller's buffers (generated code), not in
   *     the arena: they get no offset (-1)
   */
  public static Plan plan(Graph g, boolean callerIo) {
    return plan(g, callerIo, n -> 0);
  }

  /** @param scratch the bytes of kernel scratch each node's step needs (0: none) */
  public static Plan plan(Graph g, boolean callerIo, java.util.function.ToLongFunction<Node> scratch) {
    List<Node> nodes = g.nodes();
    int end = nodes.size() + 1;
    Map<Value, Buffer> buf = new IdentityHashMap<>();
    List<Buffer> buffers = new ArrayList<>();
    for (Value v : g.dataInputs()) {
      if (callerIo) v.setArenaOffset(-1);
      else buffers.add(newBuffer(buf, v, 0));
    }
    Map<Value, Integer> lastRead = new IdentityHashMap<>();
    for (int i = 0; i < nodes.size(); i++) for (Value in : nodes.get(i).inputs()) if (in != null && !in.isConstant()) lastRead.put(in, i + 1);
    for (Value o : g.outputs()) lastRead.put(o, end);
    // a data-dependent If: every step of a branch reads the conditions that select it
    Map<Node, dev.quench.ir.Branches.Arm> arms = dev.quench.ir.Branches.of(g);
    for (int i = 0; i < nodes.size(); i++) {
      for (dev.quench.ir.Branches.Arm a = arms.get(nodes.get(i)); a != null; a = a.parent) {
        if (!a.cond.isConstant()) lastRead.merge(a.cond, i + 1, Math::max);
      }
    }
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      int step = i + 1;
      for (int k = 0; k < n.outputs().size(); k++) {
        Value o = n.output(k);
        if (o == null || o.isConstant()) continue;
        if (callerIo && g.isOutput(o)) {
          o.setArenaOffset(-1);
          continue;
        }
        Value in = n.inputs().isEmpty() ? null : n.input(0);
        Buffer src = in == null ? null : buf.get(in);
        if (k == 0 && n.is(Trait.ALIAS)) {
          // the input itself (its buffer lives as long as either is read; a caller's buffer: no offset)
          if (src == null) {
            o.setArenaOffset(in.arenaOffset());
          } else {
            src.values.add(o);
            buf.put(o, src);
          }
          continue;
        }
        boolean dead = src != null;  // (every value sharing the input's buffer is read for the last time here)
        if (src != null) for (Value v : src.values) dead &= lastRead.getOrDefault(v, 0) <= step && !g.isOutput(v);
        if (k == 0 && (n.is(Trait.IN_PLACE) || n.is(Trait.VIEW)) && dead && lastRead.getOrDefault(in, 0) == step
            && bytes(o) <= src.bytes && !g.dataInputs().contains(in)) {
          src.values.add(o);
          buf.put(o, src);
        } else {
          buffers.add(newBuffer(buf, o, step));
        }
      }
    }
    for (int i = 0; i < nodes.size(); i++) {
      long bytes = scratch.applyAsLong(nodes.get(i));
      if (bytes <= 0) continue;
      Buffer b = new Buffer();
      b.bytes = align(bytes);
      b.first = i + 1;
      b.scratchOf = nodes.get(i);
      buffers.add(b);
    }
    for (Buffer b : buffers) {
      b.last = b.first;
      for (Value v : b.values) b.last = Math.max(b.last, lastRead.getOrDefault(v, b.first));
      // (a graph input is written before run() starts: the top level)
      b.arm = b.scratchOf != null ? arms.get(b.scratchOf) : b.values.get(0).producer() == null ? null : arms.get(b.values.get(0).producer());
      for (Value v : b.values) if (v.producer() != null && !v.producer().is(Trait.ALIAS)) b.arm = common(b.arm, arms.get(v.producer()));
    }
    // Greedy placement under several orders (TFLite Micro's largest-first among them); keep the smallest arena.
    List<Comparator<Buffer>> orders = List.of(
        Comparator.comparingLong((Buffer b) -> -b.bytes).thenComparingInt(b -> b.first),
        Comparator.comparingLong((Buffer b) -> -b.bytes * (b.last - b.first + 1)).thenComparingInt(b -> b.first),
        Comparator.comparingInt((Buffer b) -> -(b.last - b.first)).thenComparingLong(b -> -b.bytes),
        Comparator.comparingInt((Buffer b) -> b.first).thenComparingLong(b -> -b.bytes));
    long arena = Long.MAX_VALUE;
    long[] best = null;
    for (Comparator<Buffer> order : orders) {
      for (boolean bestFit : new boolean[] {false, true}) {
        long size = place(buffers, order, bestFit);
        if (size < arena) {
          arena = size;
          best = new long[buffers.size()];
          for (int i = 0; i < best.length; i++) best[i] = buffers.get(i).offset;
        }
      }
    }
    Map<Node, Long> scratchOffsets = new IdentityHashMap<>();
    for (int i = 0; i < buffers.size(); i++) {
      for (Value v : buffers.get(i).values) v.setArenaOffset(best[i]);
      if (buffers.get(i).scratchOf != null) scratchOffsets.put(buffers.get(i).scratchOf, best[i]);
    }
    // the lower bound over every way a run can go: each assignment of the If conditions (up to 2^10; beyond, all counted at once)
    List<Value> conds = new ArrayList<>();
    for (Buffer b : buffers) for (dev.quench.ir.Branches.Arm a = b.arm; a != null; a = a.parent) if (!conds.contains(a.cond)) conds.add(a.cond);
    int ways = conds.size() <= 10 ? 1 << conds.size() : 1;
    long lower = 0;
    for (int way = 0; way < ways; way++) {
      for (int step = 0; step <= end; step++) {
        long live = 0;
        for (Buffer b : buffers) if (b.first <= step && step <= b.last && (ways == 1 || on(b.arm, conds, way))) live += b.bytes;
        lower = Math.max(lower, live);
      }
    }
    return new Plan(align(arena), align(lower), scratchOffsets);
  }

  /** Places every buffer in the given order at the lowest (or best-fitting) free offset; returns the arena size. */
  private static long place(List<Buffer> buffers, Comparator<Buffer> order, boolean bestFit) {
    List<Buffer> sorted = new ArrayList<>(buffers);
    sorted.sort(order);
    List<Buffer> placed = new ArrayList<>();
    long arena = 0;
    for (Buffer b : sorted) {
      List<Buffer> conflicts = new ArrayList<>();
      for (Buffer p : placed) if (p.first <= b.last && b.first <= p.last && !exclusive(p, b)) conflicts.add(p);
      conflicts.sort(Comparator.comparingLong(p -> p.offset));
      long offset = -1, gapBest = Long.MAX_VALUE, cursor = 0;
      for (Buffer p : conflicts) {
        long gap = p.offset - cursor;
        if (gap >= b.bytes) {
          if (!bestFit) {
            offset = cursor;
            break;
          }
          if (gap < gapBest) {
            gapBest = gap;
            offset = cursor;
          }
        }
        cursor = Math.max(cursor, align(p.offset + p.bytes));
      }
      if (offset < 0) offset = cursor;
      b.offset = offset;
      placed.add(b);
      arena = Math.max(arena, offset + b.bytes);
    }
    return arena;
  }

  private static Buffer newBuffer(Map<Value, Buffer> buf, Value v, int step) {
    Buffer b = new Buffer();
    b.values.add(v);
    b.bytes = align(bytes(v));
    b.first = step;
    buf.put(v, b);
    return b;
  }

  static long bytes(Value v) {
    int elem = v.type().dtype() == dev.quench.ir.DType.BOOL ? 1 : v.type().dtype().bytes;
    return v.type().numel() * elem;
  }

  static long align(long x) {
    return (x + ALIGN - 1) / ALIGN * ALIGN;
  }
}
