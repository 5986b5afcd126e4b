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
}
