package dev.quench.frontend;

import static dev.quench.frontend.OnnxBuilder.floatTensor;
import static dev.quench.frontend.OnnxBuilder.graphAttr;
import static dev.quench.frontend.OnnxBuilder.intAttr;
import static dev.quench.frontend.OnnxBuilder.ints;
import static dev.quench.frontend.OnnxBuilder.tensorAttr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import dev.quench.ir.Graph;
import dev.quench.ir.Interpreter;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import dev.quench.ir.Verifier;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxImporterTest {
  @TempDir
  Path tmp;

  private static Graph load(OnnxBuilder b) {
    return new OnnxImporter().importBytes(b.bytes(), "m.onnx", null);
  }

  private static String error(OnnxBuilder b) {
    return assertThrows(QuenchException.class, () -> load(b)).getMessage();
  }

  private static Tensor run(Graph g, String input, Tensor x) {
    return new Interpreter(g).run(Map.of(input, x)).values().iterator().next();
  }

  @Test
  void nodesOutOfOrderAreSortedAndVerified() {
    Graph g = load(new OnnxBuilder(13).input("x", 1, 1, 2).output("z", 1, 1, 2)
        .node("second", "Neg", List.of("y"), List.of("z"))
        .node("first", "Relu", List.of("x"), List.of("y")));
    Verifier.verify(g);
    assertEquals("first", g.nodes().get(0).name);
    assertArrayEquals(new float[] {-0f, -2f}, run(g, "x", Tensor.ofFloat(new int[] {1, 2}, new float[] {-1, 2})).f);
  }

  @Test
  void cyclesAndDanglingNamesAreNamed() {
    String cycle = error(new OnnxBuilder(13).input("x", 1, 2).output("z", 1, 2)
        .node("a", "Add", List.of("x", "z"), List.of("y"))
        .node("b", "Relu", List.of("y"), List.of("z")));
    assertTrue(cycle.contains("cycle") && cycle.contains("node 'a'"), cycle);
    String dangling = error(new OnnxBuilder(13).input("x", 1, 2).output("z", 1, 2).node("a", "Add", List.of("x", "nowhere"), List.of("z")));
    assertTrue(dangling.contains("node 'a' (Add): input 'nowhere' is not produced"), dangling);
  }

  @Test
  void tensorSizesAreCheckedBeforeAllocation() {
    TensorProto huge = TensorProto.newBuilder().setName("w").setDataType(1).addDims(1L << 20).addDims(1L << 20).addFloatData(1).build();
    String e = error(new OnnxBuilder(13).input("x", 1, 1).output("z", 1, 1).initializer(huge).node("a", "Add", List.of("x", "w"), List.of("z")));
    assertTrue(e.contains("initializer 'w'") && e.contains("more than 2^31 elements"), e);
    TensorProto shortRaw = TensorProto.newBuilder().setName("w").setDataType(1).addDims(4).setRawData(ByteString.copyFrom(new byte[12])).build();
    e = error(new OnnxBuilder(13).input("x", 1, 4).output("z", 1, 4).initializer(shortRaw).node("a", "Add", List.of("x", "w"), List.of("z")));
    assertTrue(e.contains("raw data has 12 bytes") && e.contains("needs 16"), e);
  }

  @Test
  void absurdComputedShapesAreRejectedBeforeAllocation() {
    TensorProto shape = TensorProto.newBuilder().setName("s").setDataType(7).addDims(2).addInt64Data(1 << 20).addInt64Data(1 << 20).build();
    String e = error(new OnnxBuilder(13).output("z", 1, 1).initializer(shape).node("big", "ConstantOfShape", List.of("s"), List.of("z")));
    assertTrue(e.contains("node 'big' (ConstantOfShape)") && e.contains("more than 2^31 elements"), e);
    TensorProto large = TensorProto.newBuilder().setName("s").setDataType(7).addDims(2).addInt64Data(1 << 15).addInt64Data(1 << 14).build();
    e = error(new OnnxBuilder(13).output("z", 1, 1).initializer(large).node("big", "ConstantOfShape", List.of("s"), List.of("z")));
    assertTrue(e.contains("more than 2^28 elements"), e);
  }

  @Test
  void externalDataStaysInsideTheModelFolder() throws IOException {
    ByteBuffer bb = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : new float[] {1, 2, 3, 4}) bb.putFloat(v);
    Files.write(tmp.resolve("weights.bin"), bb.array());
    OnnxBuilder ok = external("weights.bin");
    Path model = tmp.resolve("m.onnx");
    Files.write(model, ok.bytes());
    Graph g = OnnxImporter.load(model);
    assertArrayEquals(new float[] {2, 3, 4, 5}, run(g, "x", Tensor.ofFloat(new int[] {4}, new float[] {1, 1, 1, 1})).f);
    for (String bad : List.of("../weights.bin", "/etc/passwd", "sub/../../x.bin")) {
      Files.write(model, external(bad).bytes());
      String e = assertThrows(QuenchException.class, () -> OnnxImporter.load(model)).getMessage();
      assertTrue(e.contains("escapes the model's folder"), bad + ": " + e);
    }
    Files.write(model, external("missing.bin").bytes());
    assertTrue(assertThrows(QuenchException.class, () -> OnnxImporter.load(model)).getMessage().contains("not found"));
    // a link inside the folder that leads out of it
    Path outside = Files.createTempFile("quench-outside", ".bin");
    try {
      Files.write(outside, bb.array());
      Files.createSymbolicLink(tmp.resolve("link.bin"), outside);
      Files.write(model, external("link.bin").bytes());
      String e = assertThrows(QuenchException.class, () -> OnnxImporter.load(model)).getMessage();
      assertTrue(e.contains("escapes the model's folder (through a link)"), e);
    } finally {
      Files.deleteIfExists(outside);
    }
  }

  private static OnnxBuilder external(String location) {
    TensorProto w = TensorProto.newBuilder().setName("w").setDataType(1).addDims(4)
        .setDataLocation(TensorProto.DataLocation.EXTERNAL)
        .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location)).build();
    return new OnnxBuilder(13).input("x", 1, 4).output("z", 1, 4).initializer(w).node("a", "Add", List.of("x", "w"), List.of("z"));
  }

  @Test
  void constantNodesInAllForms() {
    AttributeProto vf = AttributeProto.newBuilder().setName("value_float").setType(AttributeProto.AttributeType.FLOAT).setF(2.5f).build();
    AttributeProto vints = OnnxBuilder.ints("value_ints", 2, 2);
    Graph g = load(new OnnxBuilder(13).input("x", 1, 4).output("z", 1, 2, 2)
        .node("c1", "Constant", List.of(), List.of("k"), vf)
        .node("c2", "Constant", List.of(), List.of("shape"), vints)
        .node("c3", "Constant", List.of(), List.of("t"), tensorAttr("value", floatTensor("t", new long[] {1}, 1f)))
        .node("mul", "Mul", List.of("x", "k"), List.of("y"))
        .node("add", "Add", List.of("y", "t"), List.of("y2"))
        .node("reshape", "Reshape", List.of("y2", "shape"), List.of("z")));
    Tensor z = run(g, "x", Tensor.ofFloat(new int[] {4}, new float[] {0, 1, 2, 3}));
    assertArrayEquals(new int[] {2, 2}, z.shape());
    assertArrayEquals(new float[] {1, 3.5f, 6, 8.5f}, z.f);
  }

  @Test
  void ifWithConstantConditionIsInlined() {
    GraphProto then = GraphProto.newBuilder().setName("then").addOutput(OnnxBuilder.valueInfo("t_out", 1, 2))
        .addNode(ai.onnx.proto.OnnxMl.NodeProto.newBuilder().setName("neg").setOpType("Neg").addInput("x").addOutput("t_out")).build();
    GraphProto otherwise = GraphProto.newBuilder().setName("else").addOutput(OnnxBuilder.valueInfo("e_out", 1, 2))
        .addNode(ai.onnx.proto.OnnxMl.NodeProto.newBuilder().setName("relu").setOpType("Relu").addInput("x").addOutput("e_out")).build();
    TensorProto cond = TensorProto.newBuilder().setName("cond").setDataType(9).addInt32Data(1).build();
    Graph g = load(new OnnxBuilder(13).input("x", 1, 2).output("z", 1, 2).initializer(cond)
        .node("if", "If", List.of("cond"), List.of("z"), graphAttr("then_branch", then), graphAttr("else_branch", otherwise)));
    Verifier.verify(g);
    assertArrayEquals(new float[] {1, -2}, run(g, "x", Tensor.ofFloat(new int[] {2}, new float[] {-1, 2})).f);
    assertFalse(g.nodes().stream().anyMatch(n -> n.opType.equals("If")));
  }

  @Test
  void symbolicDimsAndOpsets() {
    OnnxBuilder dyn = new OnnxBuilder(13).input("x", 1, -1, 3, -1).output("y", 1, -1, 3, -1).node("r", "Relu", List.of("x"), List.of("y"));
    String e = error(dyn);
    assertTrue(e.contains("input 'x' has a 'N' dim at axis 2") && e.contains("--input-shape x="), e);
    Graph g = new OnnxImporter(Map.of("x", new int[] {2, 3, 5})).importBytes(dyn.bytes(), "m", null);
    assertArrayEquals(new int[] {2, 3, 5}, g.outputs().get(0).type().shape());
    e = error(new OnnxBuilder(22).input("x", 1, 2).output("y", 1, 2).node("r", "Relu", List.of("x"), List.of("y")));
    assertTrue(e.contains("opset 22 is outside the supported range 7..21"), e);
    g = load(new OnnxBuilder(13).input("x", 1, -1, 4).output("y", 1, -1, 4).node("r", "Relu", List.of("x"), List.of("y")));
    assertArrayEquals(new int[] {1, 4}, g.inputs().get(0).type().shape(), "batch defaults to 1");
  }

  @Test
  void badAttributesNameTheNode() {
    String e = error(new OnnxBuilder(13).input("x", 1, 1, 1, 4, 4).output("y", 1, 1, 1, 2, 2)
        .initializer("w", new long[] {1, 1, 3, 3}, new float[9])
        .node("conv7", "Conv", List.of("x", "w"), List.of("y"), intAttr("group", 0)));
    assertTrue(e.contains("node 'conv7' (Conv)") && e.contains("group 0"), e);
  }

  @Test
  void anAttributeGivenTwiceIsRefusedNamingNodeAndAttribute() {
    String e = error(new OnnxBuilder(13).input("x", 1, 1, 1, 4, 4).output("y", 1, 1, 1, 2, 2)
        .node("pool3", "MaxPool", List.of("x"), List.of("y"), ints("kernel_shape", 2, 2), ints("strides", 2, 2), ints("kernel_shape", 3, 3)));
    assertEquals("m.onnx: node 'pool3' (MaxPool): attribute 'kernel_shape' is given twice", e);
    // the same attribute once is fine; distinct attributes are not duplicates
    load(new OnnxBuilder(13).input("x", 1, 1, 1, 4, 4).output("y", 1, 1, 1, 2, 2)
        .node("pool3", "MaxPool", List.of("x"), List.of("y"), ints("kernel_shape", 2, 2), ints("strides", 2, 2)));
  }
}
