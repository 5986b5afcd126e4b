package dev.quench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quench.backends.ArenaPlanner;
import dev.quench.frontend.OnnxImporter;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.Value;
import dev.quench.ir.mw.Middleware;
import dev.quench.ir.mw.MiddlewareParser;
import dev.quench.ir.mw.MiddlewarePrinter;
import dev.quench.passes.PassContext;
import dev.quench.passes.PassManager;
import dev.quench.passes.Pipelines;
import dev.quench.ir.target.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The optimisation pipeline on the shared models: what it removes, the arena, and the middleware round trip. */
class OptimizeTest {
  @TempDir
  Path tmp;

  static Stream<Arguments> models() {
    List<Arguments> r = new ArrayList<>();
    r.add(Arguments.of("example", TestData.example().resolve("fashion_mobilenet.onnx"), Map.of()));
    Path s = TestData.shared();
    if (s == null) return r.stream();
    for (String m : List.of("digits_cnn", "digits_repvgg", "digits_qarepvgg", "digits_mlp", "digits_vit")) {
      r.add(Arguments.of(m, s.resolve("models/digits/" + m + ".onnx"), Map.of()));
    }
    r.add(Arguments.of("fashion_mobilenet", s.resolve("models/fashion/fashion_mobilenet.onnx"), Map.of()));
    for (String m : List.of("mnist_cntk", "squeezenet1.1", "cifar10_tutorial_cnn", "ultraface_slim320", "yunet_n_320")) {
      r.add(Arguments.of(m, s.resolve("models/real/" + m + "/model.onnx"), Map.of()));
    }
    r.add(Arguments.of("ppocr_mobile_v2_cls", s.resolve("models/real/ppocr_mobile_v2_cls/model.onnx"), Map.of("x", new int[] {1, 3, 48, 192})));
    return r.stream();
  }

  static Graph optimized(Path model, Map<String, int[]> shapes) {
    Graph g = new OnnxImporter(shapes).importFile(model);
    new PassManager().run(g, Pipelines.optimize(), new PassContext(Target.HOST));
    return g;
  }

  /** Print -> parse -> print is byte-identical, before and after optimisation; the arena plan is within 10 % of its bound and never overlaps live tensors. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void roundTripAndArena(String name, Path model, Map<String, int[]> shapes) {
    Graph imported = new OnnxImporter(shapes).importFile(model);
    assertRoundTrip(imported, name + " imported");
    Graph g = optimized(model, shapes);
    ArenaPlanner.Plan plan = ArenaPlanner.plan(g);
    assertRoundTrip(g, name + " optimized");
    assertTrue(plan.ratio() <= 1.10, name + ": arena " + plan.arenaBytes() + " vs lower bound " + plan.lowerBoundBytes());
    assertNoOverlap(g, name);
  }

  private static void assertRoundTrip(Graph g, String what) {
    Middleware a = MiddlewarePrinter.print(g, "m.qir.bin");
    Middleware b = MiddlewarePrinter.print(MiddlewareParser.parse(a.text(), a.weights(), what), "m.qir.bin");
    assertEquals(a.text(), b.text(), what);
    assertArrayEquals(a.weights(), b.weights(), what);
  }

  /** Tensors alive at the same step never share bytes, except an in-place op's input and output. */
  static void assertNoOverlap(Graph g, String name) {
    Map<Value, int[]> life = new IdentityHashMap<>();
    for (Value v : g.dataInputs()) life.put(v, new int[] {0, 0});
    List<Node> nodes = g.nodes();
    for (int i = 0; i < nodes.size(); i++) {
      for (Value in : nodes.get(i).inputs()) if (in != null && life.containsKey(in)) life.get(in)[1] = i + 1;
      for (Value o : nodes.get(i).outputs()) if (o != null && !o.isConstant()) life.put(o, new int[] {i + 1, i + 1});
    }
    for (Value o : g.outputs()) if (life.containsKey(o)) life.get(o)[1] = nodes.size() + 1;
    List<Value> vs = new ArrayList<>(life.keySet());
    Set<String> inPlace = Set.of("Relu", "LeakyRelu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity");
    for (int a = 0; a < vs.size(); a++) for (int b = a + 1; b < vs.size(); b++) {
      Value x = vs.get(a), y = vs.get(b);
      int[] lx = life.get(x), ly = life.get(y);
      if (lx[1] < ly[0] || ly[1] < lx[0]) continue;
      long bx = x.type().numel() * x.type().dtype().bytes, by = y.type().numel() * y.type().dtype().bytes;
      boolean overlap = x.arenaOffset() < y.arenaOffset() + by && y.arenaOffset() < x.arenaOffset() + bx;
      if (!overlap) continue;
      boolean alias = x.arenaOffset() == y.arenaOffset() && (chained(x, y, inPlace) || chained(y, x, inPlace));
      assertTrue(alias, name + ": %" + x.name + " and %" + y.name + " are live together and overlap in the arena");
    }
  }

  /** y (transitively) computed in place from x. */
  private static boolean chained(Value x, Value y, Set<String> inPlace) {
    for (Value v = y; v.producer() != null && inPlace.contains(v.producer().opType); v = v.producer().input(0)) {
      if (v.producer().input(0) == x) return true;
    }
    return false;
  }

  private static long count(Graph g, String op) {
    return g.nodes().stream().filter(n -> n.opType.equals(op)).count();
  }

  /** BN gone; one conv per RepVGG block; no shape computation left; printed for the note. */
  @Test
  void whatThePipelineRemoves() {
    Path s = TestData.shared();
    assumeTrue(s != null, "needs ../shared/models");
    for (String m : List.of("digits/digits_cnn.onnx", "fashion/fashion_mobilenet.onnx", "real/ultraface_slim320/model.onnx")) {
      Graph g = optimized(s.resolve("models/" + m), Map.of());
      assertEquals(0, count(g, "BatchNormalization") + count(g, "ChannelAffine"), m);
    }
    Graph ppocr = optimized(s.resolve("models/real/ppocr_mobile_v2_cls/model.onnx"), Map.of("x", new int[] {1, 3, 48, 192}));
    assertEquals(0, count(ppocr, "BatchNormalization") + count(ppocr, "ChannelAffine"));
    for (String m : List.of("digits_repvgg", "digits_qarepvgg")) {
      Graph before = OnnxImporter.load(s.resolve("models/digits/" + m + ".onnx"));
      Graph after = optimized(s.resolve("models/digits/" + m + ".onnx"), Map.of());
      System.out.printf("%s: %d Conv, %d BN, %d Add before; %d Conv, %d BN, %d Add after%n", m, count(before, "Conv"),
          count(before, "BatchNormalization"), count(before, "Add"), count(after, "Conv"), count(after, "BatchNormalization"), count(after, "Add"));
      // stem + b1 + b2 + down + b3: five convs, one per block, no adds left
      assertEquals(5, count(after, "Conv"), m);
      assertEquals(0, count(after, "Add") + count(after, "BatchNormalization"), m);
    }
    Set<String> shapeOps = Set.of("Shape", "Size", "Gather", "Unsqueeze", "ConstantOfShape", "Cast", "Equal", "Where", "Expand", "Range");
    for (String m : List.of("digits/digits_vit.onnx", "real/ultraface_slim320/model.onnx")) {
      Graph g = optimized(s.resolve("models/" + m), Map.of());
      List<String> left = g.nodes().stream().filter(n -> shapeOps.contains(n.opType)).map(n -> n.opType + " " + n.name).toList();
      assertTrue(left.isEmpty(), m + ": " + left);
      // Concat and Slice that remain read activations (box decoding, qkv split), not shapes
      for (Node n : g.nodes()) {
        if (n.opType.equals("Concat") || n.opType.equals("Slice") || n.opType.equals("Reshape")) {
          assertTrue(n.input(0).type().dtype().isFloating(), m + ": " + n.describe() + " computes on integers");
        }
      }
    }
  }

  @Test
  void optimizeCliWritesMiddlewareThatRunsLikeTheModel() throws Exception {
    Path ex = TestData.example();
    Path qir = tmp.resolve("fm.qir");
    TestData.Run r = TestData.cli("optimize", ex.resolve("fashion_mobilenet.onnx").toString(), "-o", qir.toString(), "--json");
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.exists(tmp.resolve("fm.qir.bin")));
    assertTrue(r.out().contains("\"arena_bytes\":"), r.out());
    TestData.Run a = TestData.cli("run", ex.resolve("fashion_mobilenet.onnx").toString(), "--input", ex.resolve("test_x.npy").toString(), "--out-dir", tmp.resolve("a").toString());
    TestData.Run b = TestData.cli("run", qir.toString(), "--input", ex.resolve("test_x.npy").toString(), "--out-dir", tmp.resolve("b").toString());
    assertEquals(0, a.code(), a.err());
    assertEquals(0, b.code(), b.err());
    float[] fa = dev.quench.ir.io.Npy.read(tmp.resolve("a/logits.npy")).f, fb = dev.quench.ir.io.Npy.read(tmp.resolve("b/logits.npy")).f;
    for (int i = 0; i < fa.length; i++) assertEquals(fa[i], fb[i], 1e-4 * (1 + Math.abs(fa[i])), "logit " + i);
    TestData.Run json = TestData.cli("inspect", qir.toString(), "--json");
    assertTrue(json.out().contains("\"arena_bytes\":") && json.out().contains("\"arena_lower_bound_bytes\":"), json.out());
    TestData.Run dump = TestData.cli("optimize", ex.resolve("fashion_mobilenet.onnx").toString(), "-o", tmp.resolve("d.qir").toString(), "--dump-after", "fold-batch-norm");
    assertEquals(0, dump.code(), dump.err());
    assertTrue(dump.out().contains("// after fold-batch-norm") && dump.out().contains("quench-ir 1") && !dump.out().contains("batch_normalization"), dump.out().substring(0, 300));
    TestData.Run bad = TestData.cli("optimize", ex.resolve("fashion_mobilenet.onnx").toString(), "-o", tmp.resolve("e.qir").toString(), "--dump-after", "no-such-pass");
    assertEquals(2, bad.code(), bad.err());
  }

  @Test
  void middlewareErrorsPointAtLineAndColumn() throws Exception {
    Path f = tmp.resolve("bad.qir");
    Files.writeString(f, "quench-ir 1\ngraph \"g\" opset 13\ninput %x : f32[2]\nnode frobnicate \"n\" (%x) -> (%y : f32[2])\noutput %y\n");
    TestData.Run r = TestData.cli("inspect", f.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("bad.qir:4:6: unknown op 'frobnicate'"), r.err());
    Files.writeString(f, "quench-ir 1\ngraph \"g\" opset 13\ninput %x : f32[2]\nnode relu \"n\" (%x) -> (%y : f32[3])\noutput %y\n");
    r = TestData.cli("inspect", f.toString());
    assertTrue(r.err().contains("bad.qir:4:24:") && r.err().contains("declared f32[3], shape inference gives f32[2]"), r.err());
    Files.writeString(f, "quench-ir 1\ngraph \"g\" opset 13\ninput %x : f32[2]\nnode relu \"n\" (%x) -> (%y : f32[2]\noutput %y\n");
    r = TestData.cli("inspect", f.toString());
    assertTrue(r.err().contains("bad.qir:5:1:"), r.err());
    Files.writeString(f, "quench-ir 1\ngraph \"g\" opset 13\nweights \"bad.qir.bin\" bytes 4 sha256 \"00\"\ninput %x : f32[2]\nnode relu \"n\" (%x) -> (%y : f32[2])\noutput %y\n");
    Files.write(tmp.resolve("bad.qir.bin"), new byte[4]);
    r = TestData.cli("inspect", f.toString());
    assertTrue(r.err().contains("bad.qir:3:") && r.err().contains("does not match its sha256"), r.err());
  }
}
