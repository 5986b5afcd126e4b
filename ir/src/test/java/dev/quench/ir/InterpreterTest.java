package dev.quench.ir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The interpreter on a hand-built graph, and the verifier's invariants. */
class InterpreterTest {
  /** y = Relu(x * w + b) as Mul, Add, Relu nodes. */
  private static Graph graph() {
    Graph g = new Graph("t");
    Value x = g.valueFor("x");
    x.setType(new TensorType(DType.FLOAT32, new int[] {1, 3}));
    g.inputs().add(x);
    Value w = g.valueFor("w");
    w.setData(Tensor.ofFloat(new int[] {3}, new float[] {1, -2, 3}));
    w.setParameter(true);
    Value b = g.valueFor("b");
    b.setData(Tensor.ofFloat(new int[] {1}, new float[] {-1}));
    Value m = g.valueFor("m"), a = g.valueFor("a"), y = g.valueFor("y");
    TensorType t = new TensorType(DType.FLOAT32, new int[] {1, 3});
    for (Value v : List.of(m, a, y)) v.setType(t);
    g.nodes().add(new Node("mul", "Mul", 13, List.of(x, w), List.of(m), new Attributes()));
    g.nodes().add(new Node("add", "Add", 13, List.of(m, b), List.of(a), new Attributes()));
    g.nodes().add(new Node("relu", "Relu", 13, List.of(a), List.of(y), new Attributes()));
    g.outputs().add(y);
    return g;
  }

  @Test
  void runsNodesInOrderAndReportsEachOutput() {
    Graph g = graph();
    Verifier.verify(g);
    List<String> seen = new ArrayList<>();
    Map<String, Tensor> out = new Interpreter(g).run(Map.of("x", Tensor.ofFloat(new int[] {1, 3}, new float[] {2, 2, 2})), (n, o) -> seen.add(n.name));
    assertArrayEquals(new float[] {1, 0, 5}, out.get("y").f);
    assertEquals(List.of("mul", "add", "relu"), seen);
  }

  @Test
  void wrongInputShapeIsAUserError() {
    QuenchException e = assertThrows(QuenchException.class,
        () -> new Interpreter(graph()).run(Map.of("x", Tensor.ofFloat(new int[] {1, 4}, new float[4]))));
    assertTrue(e.getMessage().contains("input 'x' has shape 1x4"), e.getMessage());
  }

  @Test
  void verifierNamesUseBeforeDefinition() {
    Graph g = graph();
    java.util.Collections.swap(g.nodes(), 0, 2);
    Verifier.VerifyException e = assertThrows(Verifier.VerifyException.class, () -> Verifier.verify(g));
    assertTrue(e.getMessage().contains("node 'relu' (Relu): input 'a' is used before it is defined"), e.getMessage());
  }

  @Test
  void verifierChecksRecordedTypesAgainstInference() {
    Graph g = graph();
    g.value("a").setType(new TensorType(DType.FLOAT32, new int[] {3}));
    Verifier.VerifyException e = assertThrows(Verifier.VerifyException.class, () -> Verifier.verify(g));
    assertTrue(e.getMessage().contains("shape inference gives f32[1x3]"), e.getMessage());
  }
}
