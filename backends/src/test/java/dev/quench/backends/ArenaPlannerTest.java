package dev.quench.backends;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.Value;
import dev.quench.ir.mw.MiddlewareParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Kernel scratch is planned into the arena: one step's buffer, clear of that step's tensors, shared with dead ones. */
class ArenaPlannerTest {
  private static final String CHAIN = """
      quench-ir 1
      graph "t" opset 13
      input %x : f32[1,64]
      node relu "a" (%x) -> (%a : f32[1,64])
      node sigmoid "b" (%a) -> (%b : f32[1,64])
      node tanh "c" (%b) -> (%c : f32[1,64])
      node sigmoid "d" (%c) -> (%d : f32[1,64])
      output %d
      """;

  private static boolean overlap(long a, long an, long b, long bn) {
    return a < b + bn && b < a + an;
  }

  @Test
  void scratchIsClearOfItsStepsTensorsAndCountedInTheArena() {
    Graph g = MiddlewareParser.parse(CHAIN, new byte[0], "chain.qir");
    List<Node> nodes = g.nodes();
    Node c = nodes.get(2);
    ArenaPlanner.Plan without = ArenaPlanner.plan(g, true);
    ArenaPlanner.Plan with = ArenaPlanner.plan(g, true, n -> n == c ? 1000 : 0);
    long off = with.scratchOffset(c);
    assertTrue(off >= 0 && off % ArenaPlanner.ALIGN == 0, "scratch offset " + off);
    assertEquals(-1, with.scratchOffset(nodes.get(0)));
    for (Value v : List.of(c.input(0), c.output(0))) {
      if (v.arenaOffset() < 0) continue;
      assertTrue(!overlap(off, 1008, v.arenaOffset(), 256), "scratch of " + c.name + " overlaps " + v.name);
    }
    assertTrue(with.arenaBytes() >= off + 1000, "the arena holds the scratch");
    assertTrue(with.arenaBytes() >= without.arenaBytes() && with.arenaBytes() <= without.arenaBytes() + 1008, with + " vs " + without);
    assertTrue(with.lowerBoundBytes() >= 256 + 256 + 1008 - 256, "the lower bound counts the scratch: " + with);
  }

  @Test
  void scratchOfDifferentStepsSharesSpace() {
    Graph g = MiddlewareParser.parse(CHAIN, new byte[0], "chain.qir");
    List<Node> nodes = g.nodes();
    ArenaPlanner.Plan one = ArenaPlanner.plan(g, true, n -> n == nodes.get(1) ? 4096 : 0);
    ArenaPlanner.Plan both = ArenaPlanner.plan(g, true, n -> n == nodes.get(1) || n == nodes.get(2) ? 4096 : 0);
    // steps b and c never run at once: their scratch takes no more room than one of them
    assertEquals(one.arenaBytes(), both.arenaBytes(), one + " vs " + both);
  }

  /** A data-dependent If: x enters each side (no copy), each side makes a 4 KB tensor, a Merge picks one. */
  private static final String BRANCHES = """
      quench-ir 1
      graph "t" opset 13
      input %x : f32[1,1024]
      input %c : bool[1]
      node guard "t/enter" (%x, %c) -> (%xt : f32[1,1024]) {branch=1}
      node relu "t/relu" (%xt) -> (%a : f32[1,1024])
      node sigmoid "t/sig" (%a) -> (%a2 : f32[1,1024])
      node guard "e/enter" (%x, %c) -> (%xe : f32[1,1024]) {branch=0}
      node neg "e/neg" (%xe) -> (%b : f32[1,1024])
      node tanh "e/tanh" (%b) -> (%b2 : f32[1,1024])
      node merge "m" (%a2, %b2, %c) -> (%y : f32[1,1024])
      output %y
      """;

  @Test
  void theTwoSidesOfAnIfShareStorageAndTheConditionLivesThroughBoth() {
    Graph g = MiddlewareParser.parse(BRANCHES, new byte[0], "branches.qir");
    ArenaPlanner.Plan p = ArenaPlanner.plan(g, false);
    Value x = g.value("x"), c = g.value("c");
    assertEquals(x.arenaOffset(), g.value("xt").arenaOffset(), "a Guard's output is its input");
    assertEquals(x.arenaOffset(), g.value("xe").arenaOffset(), "a Guard's output is its input");
    // x lives until the else side entered it: nothing of the then side may lie on it
    for (String v : List.of("a", "a2")) assertTrue(!overlap(g.value(v).arenaOffset(), 4096, x.arenaOffset(), 4096), v + " overlaps x");
    // the condition is read by every step of both sides (they run under it): nothing lies on it
    for (String v : List.of("a", "a2", "b", "b2", "y")) assertTrue(!overlap(g.value(v).arenaOffset(), 4096, c.arenaOffset(), 16), v + " overlaps c");
    assertTrue(p.lowerBoundBytes() <= p.arenaBytes(), p.toString());
    // each side is one in-place chain (a -> a2, b -> b2); a2 lives until the Merge while the else side
    // runs, two 4 KB buffers at once on one straight line, but only one side runs: one buffer
    // suffices (x, c and y with the caller)
    ArenaPlanner.Plan io = ArenaPlanner.plan(g, true);
    assertEquals(4096, io.arenaBytes(), io.toString());
    assertEquals(4096, io.lowerBoundBytes(), "the lower bound of either way through: " + io);
  }
}
