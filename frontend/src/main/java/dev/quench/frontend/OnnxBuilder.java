package dev.quench.frontend;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.List;

/** Small helpers to write ONNX models programmatically (tests, exports). */
public final class OnnxBuilder {
  private final GraphProto.Builder graph = GraphProto.newBuilder().setName("g");
  private final int opset;

  public OnnxBuilder(int opset) {
    this.opset = opset;
  }

  public OnnxBuilder input(String name, int elemType, long... dims) {
    graph.addInput(valueInfo(name, elemType, dims));
    return this;
  }

  public OnnxBuilder output(String name, int elemType, long... dims) {
    graph.addOutput(valueInfo(name, elemType, dims));
    return this;
  }

  public OnnxBuilder initializer(String name, long[] dims, float... values) {
    graph.addInitializer(floatTensor(name, dims, values));
    return this;
  }

  public OnnxBuilder initializer(TensorProto t) {
    graph.addInitializer(t);
    return this;
  }

  public OnnxBuilder node(String name, String op, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
    graph.addNode(NodeProto.newBuilder().setName(name).setOpType(op).addAllInput(inputs).addAllOutput(outputs).addAllAttribute(List.of(attrs)));
    return this;
  }

  public GraphProto.Builder graph() {
    return graph;
  }

  public ModelProto build() {
    return ModelProto.newBuilder().setIrVersion(8).setProducerName("quench")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(graph).build();
  }

  public byte[] bytes() {
    return build().toByteArray();
  }

  public static ValueInfoProto valueInfo(String name, int elemType, long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N") : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return ValueInfoProto.newBuilder().setName(name)
        .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape))).build();
  }

  /** A 1-D int64 tensor (pads, starts, axes, ...). */
  public static TensorProto int64Tensor(String name, long... values) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE).addDims(values.length);
    for (long v : values) t.addInt64Data(v);
    return t.build();
  }

  public static TensorProto floatTensor(String name, long[] dims, float... values) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
    for (long d : dims) t.addDims(d);
    for (float v : values) t.addFloatData(v);
    return t.build();
  }

  public static AttributeProto ints(String name, long... v) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long x : v) a.addInts(x);
    return a.build();
  }

  public static AttributeProto intAttr(String name, long v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
  }

  public static AttributeProto stringAttr(String name, String v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING).setS(com.google.protobuf.ByteString.copyFromUtf8(v)).build();
  }

  public static AttributeProto floatAttr(String name, float v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
  }

  public static AttributeProto tensorAttr(String name, TensorProto t) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(t).build();
  }

  public static AttributeProto graphAttr(String name, GraphProto g) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.GRAPH).setG(g).build();
  }
}
