package dev.quench.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quench.ir.op.OpRegistry;
import dev.quench.ir.op.Trait;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ops' own answers to the trait questions hold together, and the registry answers from them. */
class OpTraitsTest {
  @Test
  void traitsImplyWhatTheySay() {
    List<String> wrong = new ArrayList<>();
    for (String op : OpRegistry.names()) {
      Set<Trait> t = OpRegistry.traits(op);
      if (t.contains(Trait.VIEW) && !t.contains(Trait.MOVES_DATA)) wrong.add(op + ": a view moves data");
      if (t.contains(Trait.MOVES_DATA) && !t.contains(Trait.KEEPS_SCALE)) wrong.add(op + ": moving data keeps the scale");
      if (t.contains(Trait.IN_PLACE) && !t.contains(Trait.ELEMENTWISE)) wrong.add(op + ": in place needs element i read before it is written");
      if (t.contains(Trait.TABLE) && !t.contains(Trait.ELEMENTWISE)) wrong.add(op + ": a table is a function of one element");
      if (t.contains(Trait.TABLE) && t.contains(Trait.INTEGER)) wrong.add(op + ": a table op's integer form is Lut, not its own");
      if (t.contains(Trait.INTERNAL) && OpRegistry.supports(op)) wrong.add(op + ": internal ops are not accepted from ONNX");
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  @Test
  void nodesAskTheirOp() {
    Node relu = new Node("r", "Relu", 13, List.of(), List.of(), new Attributes());
    assertTrue(relu.is(Trait.IN_PLACE) && relu.is(Trait.INTEGER) && relu.is(Trait.KEEPS_SCALE));
    assertFalse(relu.is(Trait.TABLE));
    Node reshape = new Node("s", "Reshape", 13, List.of(), List.of(), new Attributes());
    assertTrue(reshape.is(Trait.VIEW) && reshape.is(Trait.MOVES_DATA));
    assertFalse(new Node("x", "NoSuchOp", 13, List.of(), List.of(), new Attributes()).is(Trait.ELEMENTWISE), "an unknown op has no traits");
    assertEquals(Set.of(), OpRegistry.traits("NoSuchOp"));
    // the ops that only the passes, the quantizer and the importer (a data-dependent If) make: no model may use them
    List<String> internal = OpRegistry.names().stream().filter(op -> OpRegistry.traits(op).contains(Trait.INTERNAL)).toList();
    assertEquals(List.of("ChannelAffine", "FullyConnected", "Guard", "Lut", "Merge"), internal);
    for (String op : internal) assertFalse(OpRegistry.supports(op), op);
    assertTrue(new Node("g", "Guard", 13, List.of(), List.of(), new Attributes()).is(Trait.ALIAS));
  }
}
