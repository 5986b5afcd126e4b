package dev.quench.frontend;

import dev.quench.ir.op.Binary;
import dev.quench.ir.op.Clip;
import dev.quench.ir.op.Concat;
import dev.quench.ir.op.Conv;
import dev.quench.ir.op.FullyConnected;
import dev.quench.ir.op.Gather;
import dev.quench.ir.op.GemmOp;
import dev.quench.ir.op.Lut;
import dev.quench.ir.op.Pool;
import dev.quench.ir.op.Reshape;
import dev.quench.ir.op.Unary;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.quench.ir.DType;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a quantized graph (a .qir: integer tensors with power-of-two scales 2^-frac) as standard
 * ONNX with QuantizeLinear / DequantizeLinear (opset 21), for Netron and ONNX Runtime. Every
 * integer tensor keeps its integer type; a consumer computing in float reads it through
 * DequantizeLinear(scale 2^-frac, zero point 0; per channel along the weights' axis 0), and an
 * integer op becomes its float op on dequantized inputs followed by QuantizeLinear to the output's
 * type and scale (with a Clip for a fused activation narrower than the type; Conv and FC biases
 * carry half an accumulator unit so that ties round up as in Quench). Ops that only move
 * data (Reshape, Transpose, Slice, MaxPool at one scale, ...) run on the integers themselves; a
 * 256-entry LUT becomes a Gather on its table (exact). Float islands stay float. The result
 * differs from Quench's integer arithmetic only by rounding where float arithmetic is not exact
 * and in the ops without a bias (Add, pools: QuantizeLinear rounds ties to even, Quench up).
 */
public final class QdqExporter {
  static final int OPSET = 21;

  private final Graph g;
  private final GraphProto.Builder out = GraphProto.newBuilder();
  private final Map<Value, String> floats = new HashMap<>();
  private final Set<String> initializers = new HashSet<>();
  private int fresh;

  private QdqExporter(Graph g) {
    this.g = g;
  }

  /** The ONNX model for quantized graph g. */
  public static ModelProto export(Graph g) {
    return new QdqExporter(g).run();
  }

  private ModelProto run() {
    out.setName("quench_qdq");
    for (Value v : g.dataInputs()) out.addInput(OnnxBuilder.valueInfo(v.name, v.type().dtype().onnxCode, dims(v)));
    for (Node n : g.nodes()) node(n);
    for (Value v : g.outputs()) out.addOutput(OnnxBuilder.valueInfo(v.name, v.type().dtype().onnxCode, dims(v)));
    return ModelProto.newBuilder().setIrVersion(10).setProducerName("quench").setProducerVersion("0.1.0")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET)).setGraph(out).build();
  }

  private void node(Node n) {
    String op = n.opType;
    Value x = n.inputs().isEmpty() ? null : n.input(0), y = n.output(0);
    boolean integerOut = y != null && !y.type().dtype().isFloating();
    if (op.equals("QuantizeLinear") || op.equals("DequantizeLinear") || !integerOut && allFloat(n)) {
      copy(n, op);  // the graph's own Q/DQ edges and float islands
      return;
    }
    if (n.is(dev.quench.ir.op.Trait.MOVES_DATA) && sameScale(n)) {
      copy(n, op);
      return;
    }
    if (op.equals(Lut.LUT)) {
      lut(n);
      return;
    }
    if (op.equals("ArgMax") || op.equals("ArgMin")) {
      // indices of the float values (a positive scale keeps their order), the int64 output as it is
      emit(n.name, op, List.of(dq(x)), List.of(y.name), attrs(n, "axis", "keepdims", "select_last_index"));
      return;
    }
    if (op.equals("TopK") && n.inputs().size() == 2) {
      // the float values' top k (their order is the integers'), quantized back; the indices as they are
      String vals = tmp(n.name + "_values");
      Value k = n.input(1), ix = n.outputs().size() > 1 ? n.output(1) : null;
      emit(n.name, op, List.of(dq(x), k.isConstant() ? initializer(k) : k.name), List.of(vals, ix == null ? "" : ix.name), attrs(n, "axis", "largest", "sorted"));
      quantize(n, vals, y);
      return;
    }
    if (Binary.ORDER.contains(op)) {
      // a comparison of two quantized tensors: their float values compared, the bool output as it is
      emit(n.name, op, List.of(dq(x), dq(n.input(1))), List.of(y.name), List.of());
      return;
    }
    List<String> ins = new ArrayList<>();
    String result = tmp(n.name + "_f");
    switch (op) {
      case Conv.CONV -> {
        emit(n.name, Conv.CONV, List.of(dq(x), dq(n.input(1)), bias(n)), List.of(result),
            attrs(n, "dilations", "group", "kernel_shape", "pads", "strides"));
      }
      case FullyConnected.FULLY_CONNECTED -> {
        // rows x k times (n_out x k)^T, on the input flattened to rows and reshaped back
        int k = n.input(1).type().dim(1);
        String flat = tmp(n.name + "_rows"), gemm = tmp(n.name + "_gemm");
        emit(n.name + "_rows", Reshape.RESHAPE, List.of(dq(x), constInts(n.name + "_rows_shape", -1, k)), List.of(flat), List.of());
        List<String> gi = new ArrayList<>(List.of(flat, dq(n.input(1))));
        String b = bias(n);
        if (!b.isEmpty()) gi.add(b);
        emit(n.name, GemmOp.GEMM, gi, List.of(gemm), List.of(OnnxBuilder.intAttr("transB", 1)));
        emit(n.name + "_shape", Reshape.RESHAPE, List.of(gemm, constInts(n.name + "_out_shape", toLongs(y.type().shape()))), List.of(result), List.of());
      }
      case "ChannelAffine" -> {
        // y = x * scale[c] + bias[c] along axis 1
        int rank = x.type().rank();
        long[] shape = new long[rank - 1];
        java.util.Arrays.fill(shape, 1);
        shape[0] = -1;
        String s = tmp(n.name + "_scale"), m = tmp(n.name + "_mul");
        emit(n.name + "_scale", Reshape.RESHAPE, List.of(dq(n.input(1)), constInts(n.name + "_cshape", shape)), List.of(s), List.of());
        emit(n.name + "_mul", Binary.MUL, List.of(dq(x), s), List.of(m), List.of());
        String b = tmp(n.name + "_bias");
        emit(n.name + "_bias", Reshape.RESHAPE, List.of(dq(n.input(2)), constInts(n.name + "_cshape2", shape)), List.of(b), List.of());
        emit(n.name, Binary.ADD, List.of(m, b), List.of(result), List.of());
      }
      case Binary.ADD, "Sub", Binary.MUL, Concat.CONCAT, Unary.RELU, Clip.CLIP, Pool.MAX_POOL, "AveragePool", "GlobalAveragePool" -> {
        for (Value v : n.inputs()) ins.add(v == null ? "" : dq(v));
        if (op.equals(Clip.CLIP)) ins = ins.subList(0, 1);  // the clamp is the output's range, below
        emit(n.name, op.equals(Clip.CLIP) ? "Identity" : op, ins, List.of(result), attrs(n, "axis", "kernel_shape", "pads", "strides", "dilations", "ceil_mode",
            "count_include_pad", "auto_pad"));
      }
      case "Max", "Min", "PRelu", "MatMul" -> emit(n.name, op, List.of(dq(x), dq(n.input(1))), List.of(result), List.of());
      case "Softmax" -> emit(n.name, op, List.of(dq(x)), List.of(result), attrs(n, "axis"));
      case "LayerNormalization" -> emit(n.name, op, n.input(2) == null ? List.of(dq(x), dq(n.input(1))) : List.of(dq(x), dq(n.input(1)), dq(n.input(2))), List.of(result),
          attrs(n, "axis", "epsilon"));
      case "ConvTranspose" -> emit(n.name, op, List.of(dq(x), dq(n.input(1)), bias(n)), List.of(result),
          attrs(n, "dilations", "group", "kernel_shape", "pads", "strides", "output_padding", "output_shape", "auto_pad"));
      case "Where" -> emit(n.name, op, List.of(n.input(0).isConstant() ? initializer(n.input(0)) : n.input(0).name, dq(n.input(1)), dq(n.input(2))), List.of(result), List.of());
      case "ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin" -> {
        // (opset 21: the axes are an input)
        boolean[] red = dev.quench.ir.op.Reduce.reduced(n, x.type().rank());
        List<Long> axes = new ArrayList<>();
        for (int d = 0; red != null && d < red.length; d++) if (red[d]) axes.add((long) d);
        emit(n.name, op, List.of(dq(x), constInts(n.name + "_axes", axes.stream().mapToLong(Long::longValue).toArray())), List.of(result), attrs(n, "keepdims"));
      }
      default -> throw new QuenchException("export-qdq: " + n.describe() + ": no QDQ form for integer " + op + " yet", QuenchException.BAD_INPUT, null);
    }
    quantize(n, result, y);
  }

  /**
   * The bias of a Conv / FullyConnected, plus half a unit of the accumulator on every channel that
   * shifts right: Quench rounds the accumulator's shift half up, QuantizeLinear half to even; the
   * accumulator is an integer, so + 1/2 moves exactly the ties up and nothing else. Written as
   * int32 2b + 1 at half the bias scale (still a plain DequantizeLinear); "" without a bias to
   * carry it (and no shifts).
   */
  private String bias(Node n) {
    Value b = n.input(2);
    if (b == null || !dev.quench.ir.Requant.present(n.attrs)) return b == null ? "" : dq(b);
    dev.quench.ir.Requant rq = dev.quench.ir.Requant.of(n.attrs);
    long[] f = frac(b);
    Tensor t = b.data();
    TensorProto.Builder bp = TensorProto.newBuilder().setName(b.name + "_half_up").setDataType(TensorProto.DataType.INT32_VALUE).addDims(t.numel());
    float[] scales = new float[t.numel()];
    for (int c = 0; c < t.numel(); c++) {
      long v = 2 * t.l[c] + (rq.shift(c) >= 1 ? 1 : 0);
      if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) return dq(b);  // no room: ties stay half to even
      bp.addInt32Data((int) v);
      scales[c] = (float) Math.scalb(1.0, (int) -(f[f.length == 1 ? 0 : c] + 1));
    }
    addInitializer(bp.build());
    String r = tmp(b.name + "_dq");
    emit(b.name + "_dq", "DequantizeLinear", List.of(bp.getName(), constFloatVector(b.name + "_half_scale", scales)), List.of(r),
        scales.length > 1 ? List.of(OnnxBuilder.intAttr("axis", 0)) : List.of());
    return r;
  }

  /** QuantizeLinear of a float result to y's integer type and scale, clamped to a fused activation's range first. */
  private void quantize(Node n, String result, Value y) {
    double scale = Math.scalb(1.0, (int) -frac(y)[0]);
    String r = result;
    double nudge = halfUpNudge(n);
    if (nudge > 0) {
      String t = tmp(n.name + "_half_up");
      emit(n.name + "_half_up", Binary.ADD, List.of(r, constFloat(n.name + "_nudge", (float) (nudge * scale))), List.of(t), List.of());
      r = t;
    }
    long lo = dev.quench.ir.DTypes.lo(y.type().dtype()), hi = dev.quench.ir.DTypes.hi(y.type().dtype());
    // a requantized node's fused clamp (the output type's range when none)
    long aLo = dev.quench.ir.Requant.present(n.attrs) ? dev.quench.ir.Requant.of(n.attrs).lo() : lo, aHi = dev.quench.ir.Requant.present(n.attrs) ? dev.quench.ir.Requant.of(n.attrs).hi() : hi;
    if (n.opType.equals(Unary.RELU)) aLo = Math.max(aLo, 0);
    if (n.opType.equals(Clip.CLIP)) {
      // an integer Clip's bounds are in the output's units already
      if (n.input(1) != null) aLo = Math.max(aLo, (long) n.input(1).data().getDouble(0));
      if (n.input(2) != null) aHi = Math.min(aHi, (long) n.input(2).data().getDouble(0));
    }
    if (aLo > lo || aHi < hi) {
      String c = tmp(n.name + "_act");
      emit(n.name + "_act", Clip.CLIP, List.of(r, constFloat(n.name + "_lo", (float) (aLo * scale)), constFloat(n.name + "_hi", (float) (aHi * scale))), List.of(c),
          List.of());
      r = c;
    }
    TensorProto zp = TensorProto.newBuilder().setName(n.name + "_zp").setDataType(y.type().dtype().onnxCode).addInt32Data(0).build();
    addInitializer(zp);
    emit(n.name + "_q", "QuantizeLinear", List.of(r, constFloat(n.name + "_yscale", (float) scale), zp.getName()), List.of(y.name), List.of());
  }

  /**
   * For ops whose rounding Quench does half up without a bias to carry the correction: a value
   * (in output units) below the gap between a tie and the next representable result, so that
   * adding it moves exactly the ties up. Add: the sum has shift_right fewer fractional bits to
   * lose, results are multiples of 2^-s; pools: means are multiples of 1/count. 0 for the rest.
   */
  private static double halfUpNudge(Node n) {
    switch (n.opType) {
      case Binary.ADD, "Sub" -> {
        if (!dev.quench.ir.Requant.present(n.attrs)) return 0;
        dev.quench.ir.Requant rq = dev.quench.ir.Requant.of(n.attrs);
        return rq.shifts() == 1 && rq.shift(0) >= 1 && rq.shift(0) < 24 ? Math.scalb(1.0, (int) -(rq.shift(0) + 1)) : 0;
      }
      case "GlobalAveragePool" -> {
        int[] xs = n.input(0).type().shape();
        long count = 1;
        for (int d = 2; d < xs.length; d++) count *= xs[d];
        return 1.0 / (4.0 * count);
      }
      case "AveragePool" -> {
        long count = 1;
        for (long k : n.attrs.getInts("kernel_shape")) count *= k;
        return 1.0 / (4.0 * count);
      }
      default -> {
        return 0;
      }
    }
  }

  /** A LUT as a Gather on its table: index = x - first (first = -128 for int8 inputs, 0 for uint8). */
  private void lut(Node n) {
    Value x = n.input(0), y = n.output(0);
    long[] table = n.attrs.getInts("table");
    TensorProto.Builder t = TensorProto.newBuilder().setName(n.name + "_table").setDataType(y.type().dtype().onnxCode).addDims(table.length);
    for (long v : table) t.addInt32Data((int) v);
    addInitializer(t.build());
    String wide = tmp(n.name + "_i32"), idx = tmp(n.name + "_index");
    emit(n.name + "_cast", "Cast", List.of(x.name), List.of(wide), List.of(OnnxBuilder.intAttr("to", TensorProto.DataType.INT32_VALUE)));
    int first = x.type().dtype() == DType.INT8 ? -128 : 0;
    TensorProto off = TensorProto.newBuilder().setName(n.name + "_first").setDataType(TensorProto.DataType.INT32_VALUE).addInt32Data(-first).build();
    addInitializer(off);
    emit(n.name + "_offset", Binary.ADD, List.of(wide, off.getName()), List.of(idx), List.of());
    emit(n.name, Gather.GATHER, List.of(t.getName(), idx), List.of(y.name), List.of(OnnxBuilder.intAttr("axis", 0)));
  }

  /** A node copied as it is (its constants as initializers). */
  private void copy(Node n, String op) {
    QuenchException.check(!n.attrs.has("activation"), "export-qdq: %s: a fused activation on a float node has no QDQ form yet", n.describe());
    QuenchException.check(!op.equals(FullyConnected.FULLY_CONNECTED) && !op.equals("ChannelAffine") && !op.equals(Lut.LUT), "export-qdq: %s: float %s has no ONNX form yet",
        n.describe(), op);
    List<String> ins = new ArrayList<>();
    for (Value v : n.inputs()) ins.add(v == null ? "" : v.isConstant() ? initializer(v) : v.name);
    List<String> outs = new ArrayList<>();
    for (Value v : n.outputs()) outs.add(v == null ? "" : v.name);
    List<AttributeProto> a = new ArrayList<>();
    for (var e : n.attrs.asMap().entrySet()) {
      AttributeProto p = attr(e.getKey(), e.getValue());
      if (p != null) a.add(p);
    }
    emit(n.name, op, ins, outs, a);
  }

  private boolean allFloat(Node n) {
    for (Value v : n.inputs()) if (v != null && !v.isConstant() && !v.type().dtype().isFloating()) return false;
    return true;
  }

  private boolean sameScale(Node n) {
    Value x = n.input(0), y = n.output(0);
    if (x == null || x.qparams() == null || y.qparams() == null) return false;
    return java.util.Arrays.equals(frac(x), frac(y)) && x.type().dtype() == y.type().dtype();
  }

  /** The float value of an integer tensor (DequantizeLinear, made once), or a float tensor's own name. */
  private String dq(Value v) {
    if (v.type().dtype().isFloating()) return v.isConstant() ? initializer(v) : v.name;
    String known = floats.get(v);
    if (known != null) return known;
    QuenchException.check(v.qparams() != null, "export-qdq: integer tensor '%s' has no scale", v.name);
    long[] f = frac(v);
    float[] scales = new float[f.length];
    for (int i = 0; i < f.length; i++) scales[i] = (float) Math.scalb(1.0, (int) -f[i]);
    String src = v.isConstant() ? initializer(v) : v.name;
    String s = constFloatVector(v.name + "_scale", scales);
    String r = tmp(v.name + "_dq");
    List<AttributeProto> a = f.length > 1 ? List.of(OnnxBuilder.intAttr("axis", v.qparams().axis())) : List.of();
    List<String> ins = new ArrayList<>(List.of(src, s));
    if (f.length > 1) {
      // per channel: zero points of the scales' shape (ONNX Runtime's QGemm fusion requires them)
      TensorProto.Builder zp = TensorProto.newBuilder().setName(v.name + "_zero_point").setDataType(v.type().dtype().onnxCode).addDims(f.length);
      for (int i = 0; i < f.length; i++) zp.addInt32Data(0);
      addInitializer(zp.build());
      ins.add(v.name + "_zero_point");
    }
    emit(v.name + "_dq", "DequantizeLinear", ins, List.of(r), a);
    floats.put(v, r);
    return r;
  }

  private static long[] frac(Value v) {
    long[] f = v.qparams().frac();
    QuenchException.check(f != null && f.length > 0, "export-qdq: tensor '%s' has no frac", v.name);
    return f;
  }

  private String initializer(Value v) {
    if (initializers.contains(v.name)) return v.name;
    Tensor t = v.data();
    TensorProto.Builder b = TensorProto.newBuilder().setName(v.name).setDataType(v.type().dtype().onnxCode);
    for (int d : t.shape()) b.addDims(d);
    switch (v.type().dtype()) {
      case FLOAT32 -> {
        for (int i = 0; i < t.numel(); i++) b.addFloatData(t.f[i]);
      }
      case INT64 -> {
        for (int i = 0; i < t.numel(); i++) b.addInt64Data(t.l[i]);
      }
      case INT8, UINT8, INT16, UINT16, INT32, BOOL -> {
        for (int i = 0; i < t.numel(); i++) b.addInt32Data((int) t.l[i]);
      }
      default -> throw new QuenchException("export-qdq: constant '" + v.name + "' of type " + v.type().dtype(), QuenchException.BAD_INPUT, null);
    }
    addInitializer(b.build());
    return v.name;
  }

  private void addInitializer(TensorProto t) {
    if (initializers.add(t.getName())) out.addInitializer(t);
  }

  private String constFloat(String name, float v) {
    addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE).addFloatData(v).build());
    return name;
  }

  private String constFloatVector(String name, float[] v) {
    TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
    if (v.length > 1) b.addDims(v.length);
    for (float f : v) b.addFloatData(f);
    addInitializer(b.build());
    return name;
  }

  private String constInts(String name, long... v) {
    TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE).addDims(v.length);
    for (long x : v) b.addInt64Data(x);
    addInitializer(b.build());
    return name;
  }

  private String tmp(String hint) {
    return hint + "__" + (fresh++);
  }

  private void emit(String name, String op, List<String> ins, List<String> outs, List<AttributeProto> attrs) {
    out.addNode(NodeProto.newBuilder().setName(name).setOpType(op).addAllInput(ins).addAllOutput(outs).addAllAttribute(attrs));
  }

  private static List<AttributeProto> attrs(Node n, String... names) {
    List<AttributeProto> r = new ArrayList<>();
    for (String a : names) {
      if (!n.attrs.has(a)) continue;
      AttributeProto p = attr(a, n.attrs.raw(a));
      if (p != null) r.add(p);
    }
    return r;
  }

  /** An ONNX attribute for an IR attribute value; null for Quench's own (quantization) attributes. */
  private static AttributeProto attr(String name, Object v) {
    if (name.startsWith("act_") || name.startsWith("shift") || name.startsWith("out_") || name.equals("acc_bits") || name.equals("table") || name.equals("executor")
        || name.equals("segment") || name.equals("activation")) {
      return null;
    }
    AttributeProto.Builder b = AttributeProto.newBuilder().setName(name);
    if (v instanceof Long l) return b.setType(AttributeProto.AttributeType.INT).setI(l).build();
    if (v instanceof Integer i) return b.setType(AttributeProto.AttributeType.INT).setI(i).build();
    if (v instanceof Float f) return b.setType(AttributeProto.AttributeType.FLOAT).setF(f).build();
    if (v instanceof Double d) return b.setType(AttributeProto.AttributeType.FLOAT).setF(d.floatValue()).build();
    if (v instanceof String s) return b.setType(AttributeProto.AttributeType.STRING).setS(com.google.protobuf.ByteString.copyFromUtf8(s)).build();
    if (v instanceof long[] a) {
      b.setType(AttributeProto.AttributeType.INTS);
      for (long x : a) b.addInts(x);
      return b.build();
    }
    if (v instanceof int[] a) {
      b.setType(AttributeProto.AttributeType.INTS);
      for (int x : a) b.addInts(x);
      return b.build();
    }
    if (v instanceof float[] a) {
      b.setType(AttributeProto.AttributeType.FLOATS);
      for (float x : a) b.addFloats(x);
      return b.build();
    }
    throw new QuenchException("export-qdq: attribute '" + name + "' of kind " + v.getClass().getSimpleName() + " has no ONNX form here", QuenchException.BAD_INPUT, null);
  }

  private static long[] dims(Value v) {
    return toLongs(v.type().shape());
  }

  private static long[] toLongs(int[] s) {
    long[] r = new long[s.length];
    for (int i = 0; i < s.length; i++) r[i] = s[i];
    return r;
  }
}
