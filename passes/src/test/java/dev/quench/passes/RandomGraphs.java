package dev.quench.passes;

import dev.quench.ir.Attributes;
import dev.quench.ir.DType;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import dev.quench.ir.Value;
import dev.quench.ir.op.InferContext;
import dev.quench.ir.op.OpRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random small CNNs of the shapes the passes rewrite: conv (1x1 / 3x3, grouped, strided) with
 * or without BN, RepVGG and QARepVGG blocks, residual adds, per-channel Mul/Add, activations,
 * and a MatMul/Gemm head, all with random weights.
 */
final class RandomGraphs {
  private final Random r;
  private final Graph g = new Graph("random");
  private int counter;

  private RandomGraphs(long seed) {
    this.r = new Random(seed);
  }

  static Graph build(long seed) {
    return new RandomGraphs(seed).make();
  }

  private Graph make() {
    int c = 2 + r.nextInt(3), h = 4 + r.nextInt(4);
    Value x = g.valueFor("x");
    x.setType(new TensorType(DType.FLOAT32, new int[] {1, c, h, h}));
    g.inputs().add(x);
    Value cur = x;
    int blocks = 1 + r.nextInt(5);
    for (int b = 0; b < blocks; b++) {
      int kind = r.nextInt(6);
      Value in = cur;
      switch (kind) {
        case 0 -> cur = convBn(cur, 1 + r.nextInt(4), r.nextBoolean() ? 3 : 1, 1, true);
        case 1 -> cur = repvgg(cur, false);
        case 2 -> cur = repvgg(cur, true);
        case 3 -> {
          Value y = convBn(cur, cur.type().dim(1), 3, 1, r.nextBoolean());
          cur = node("Add", List.of(y, in), new Attributes());
        }
        case 4 -> {
          Value y = convBn(cur, cur.type().dim(1), 1, 1, false);
          cur = node(r.nextBoolean() ? "Mul" : "Add", List.of(y, constant(new int[] {y.type().dim(1), 1, 1}, 0.5f, 1.5f)), new Attributes());
        }
        default -> cur = convBn(cur, cur.type().dim(1), 3, 1 + r.nextInt(2), true);
      }
      cur = activation(cur);
      if (r.nextInt(4) == 0) {
        // an exporter's transpose round trip around an activation
        Value t = node("Transpose", List.of(cur), new Attributes().put("perm", new long[] {0, 2, 3, 1}));
        t = node("Transpose", List.of(node("Relu", List.of(t), new Attributes())), new Attributes().put("perm", new long[] {0, 3, 1, 2}));
        cur = t;
      }
    }
    Value flat = r.nextBoolean() ? node("Flatten", List.of(cur), new Attributes().put("axis", 1L))
        : node("Reshape", List.of(cur, longs(1, -1)), new Attributes());
    // (over fewer than 4 values a LayerNorm is nearly a sign function, ±1 by which value is larger,
    // which no quantizer keeps close when two values lie within a step of each other)
    if (r.nextBoolean() && flat.type().dim(1) >= 4) flat = layerNorm(flat);
    if (r.nextBoolean()) flat = gelu(flat);
    int k = flat.type().dim(1), n = 2 + r.nextInt(3);
    Value y;
    if (r.nextBoolean()) {
      Value mm = node("MatMul", List.of(flat, constant(new int[] {k, n}, -0.5f, 0.5f)), new Attributes());
      y = node("Add", List.of(mm, constant(new int[] {n}, -1, 1)), new Attributes());
    } else {
      y = node("Gemm", List.of(flat, constant(new int[] {n, k}, -0.5f, 0.5f), constant(new int[] {n}, -1, 1)), new Attributes().put("transB", 1L));
    }
    g.outputs().add(y);
    return g;
  }

  private Value convBn(Value x, int m, int k, int stride, boolean bn) {
    int c = x.type().dim(1);
    int group = (k == 3 && c == m && r.nextInt(3) == 0) ? c : 1;
    Attributes a = new Attributes().put("kernel_shape", new long[] {k, k}).put("strides", new long[] {stride, stride});
    if (k == 3) a.put("pads", new long[] {1, 1, 1, 1});
    if (group > 1) a.put("group", (long) group);
    List<Value> ins = new ArrayList<>(List.of(x, constant(new int[] {m, c / group, k, k}, -0.6f, 0.6f)));
    if (r.nextBoolean()) ins.add(constant(new int[] {m}, -0.5f, 0.5f));
    Value y = node("Conv", ins, a);
    return bn ? batchNorm(y) : y;
  }

  private Value batchNorm(Value x) {
    int c = x.type().dim(1);
    return node("BatchNormalization", List.of(x, constant(new int[] {c}, 0.5f, 1.5f), constant(new int[] {c}, -0.5f, 0.5f),
        constant(new int[] {c}, -0.5f, 0.5f), constant(new int[] {c}, 0.5f, 2f)), new Attributes());
  }

  /** RepVGG: BN(conv3x3) + BN(conv1x1) + BN(x); QARepVGG: BN(conv3x3) + conv1x1 + x, then BN. */
  private Value repvgg(Value x, boolean qa) {
    int c = x.type().dim(1);
    Value a = convBn(x, c, 3, 1, true), b = convBn(x, c, 1, 1, !qa);
    Value s = node("Add", List.of(a, b), new Attributes());
    Value id = qa ? x : batchNorm(x);
    Value sum = node("Add", List.of(s, id), new Attributes());
    return qa ? batchNorm(sum) : sum;
  }

  private Value activation(Value x) {
    return switch (r.nextInt(6)) {
      case 0 -> node("Relu", List.of(x), new Attributes());
      case 1 -> node("Clip", List.of(x, scalar(0f), scalar(6f)), new Attributes());
      case 2 -> node("LeakyRelu", List.of(x), new Attributes().put("alpha", 0.1f));
      case 3 -> node("HardSwish", List.of(x), new Attributes());
      case 4 -> {
        Value hs = node("HardSigmoid", List.of(x), new Attributes().put("alpha", 1 / 6f).put("beta", 0.5f));
        yield node("Mul", List.of(x, hs), new Attributes());
      }
      default -> x;
    };
  }

  /** LayerNorm over the last axis, written out as exporters do. */
  private Value layerNorm(Value x) {
    int c = x.type().dim(x.type().rank() - 1);
    Attributes last = new Attributes().put("axes", new long[] {-1});
    Value mean = node("ReduceMean", List.of(x), last);
    Value d = node("Sub", List.of(x, mean), new Attributes());
    Value v = node("ReduceMean", List.of(node("Pow", List.of(d, scalar(2f)), new Attributes())), last.copy());
    Value s = node("Sqrt", List.of(node("Add", List.of(v, scalar(1e-5f)), new Attributes())), new Attributes());
    Value n = node("Div", List.of(d, s), new Attributes());
    return node("Add", List.of(node("Mul", List.of(n, constant(new int[] {c}, 0.5f, 1.5f)), new Attributes()), constant(new int[] {c}, -0.5f, 0.5f)), new Attributes());
  }

  /** 0.5 * x * (1 + erf(x / sqrt 2)). */
  private Value gelu(Value x) {
    Value e = node("Erf", List.of(node("Div", List.of(x, scalar((float) Math.sqrt(2))), new Attributes())), new Attributes());
    Value a = node("Add", List.of(e, scalar(1f)), new Attributes());
    return node("Mul", List.of(node("Mul", List.of(x, a), new Attributes()), scalar(0.5f)), new Attributes());
  }

  private Value longs(long... v) {
    Value c = g.valueFor("s" + counter++);
    c.setData(Tensor.vector(v));
    return c;
  }

  private Value scalar(float v) {
    Value c = g.valueFor("k" + counter++);
    c.setData(Tensor.ofFloat(new int[0], new float[] {v}));
    return c;
  }

  private Value constant(int[] shape, float lo, float hi) {
    Tensor t = Tensor.zeros(DType.FLOAT32, shape);
    for (int i = 0; i < t.numel(); i++) t.f[i] = lo + r.nextFloat() * (hi - lo);
    Value v = g.valueFor("w" + counter++);
    v.setData(t);
    v.setParameter(true);
    return v;
  }

  private Value node(String op, List<Value> ins, Attributes a) {
    Value out = g.valueFor("v" + counter++);
    Node n = new Node(op.toLowerCase() + counter, op, 13, ins, List.of(out), a);
    out.setProducer(n);
    out.setType(OpRegistry.get(op).infer(n, new InferContext(n)).get(0));
    g.nodes().add(n);
    return out;
  }
}
