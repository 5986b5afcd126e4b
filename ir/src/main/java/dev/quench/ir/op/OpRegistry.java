package dev.quench.ir.op;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Every op the IR supports, by ONNX op type (default domain). */
public final class OpRegistry {
  private static final Map<String, Op> OPS = build();

  private OpRegistry() {}

  private static Map<String, Op> build() {
    Map<String, Op> m = new TreeMap<>();
    List<Op> all = List.of(new Unary(), new Binary(), new Clip(), new Where(), new Cast(), new Conv(), new ConvTranspose(),
        new GemmOp(), new MatMul(), new Pool(), new Normalization(), new Softmax(), new Reshape(), new Transpose(), new Concat(),
        new Split(), new Slice(), new Gather(), new Shape(), new Constant(), new Expand(), new Pad(), new Resize(), new Reduce(),
        new Quantize(), new SpaceDepth(), new LocalNorm(), new TopK(), new CumSum(), new Trilu(),
        new ChannelAffine(), new FullyConnected(), new Lut(), new Recurrent(), new Branch());
    for (Op op : all) {
      for (String name : op.onnxNames()) {
        if (m.put(name, op) != null) throw new IllegalStateException("op registered twice: " + name);
      }
    }
    return Collections.unmodifiableMap(m);
  }

  /** The op for an ONNX op type, or null when unsupported. {@code If} is handled at import (constant condition). */
  public static Op get(String onnxType) {
    return OPS.get(onnxType);
  }

  /** What the op type is (empty for an unknown op). */
  public static java.util.Set<Trait> traits(String opType) {
    Op op = OPS.get(opType);
    return op == null ? java.util.Set.of() : op.traits(opType);
  }

  /** Whether an ONNX model may use the op type (Quench's {@link Trait#INTERNAL} ops it may not). */
  public static boolean supports(String onnxType) {
    return (OPS.containsKey(onnxType) && !traits(onnxType).contains(Trait.INTERNAL)) || onnxType.equals("If");
  }

  public static java.util.Set<String> names() {
    return OPS.keySet();
  }
}
