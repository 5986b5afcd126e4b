package dev.quench.ir.op;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quench.ir.Attributes;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import dev.quench.ir.Value;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Op semantics that differ between opsets or are easy to get wrong, worked out by hand. */
class OpsTest {
  /** Runs one node whose inputs are all given; checks infer agrees with eval on the output types. */
  static Tensor[] run(String op, int opset, Attributes attrs, int outputs, Tensor... inputs) {
    List<Value> ins = new ArrayList<>();
    for (int i = 0; i < inputs.length; i++) {
      if (inputs[i] == null) {
        ins.add(null);
        continue;
      }
      Value v = new Value("in" + i);
      v.setData(inputs[i]);
      ins.add(v);
    }
    List<Value> outs = new ArrayList<>();
    for (int i = 0; i < outputs; i++) outs.add(new Value("out" + i));
    Node n = new Node("n", op, opset, ins, outs, attrs);
    Op spec = OpRegistry.get(op);
    List<TensorType> types = spec.infer(n, new InferContext(n));
    Tensor[] r = spec.eval(n, inputs);
    for (int i = 0; i < outputs; i++) assertEquals(types.get(i), r[i].type(), op + " output " + i + ": infer vs eval");
    return r;
  }

  static Tensor f(int[] shape, float... v) {
    return Tensor.ofFloat(shape, v);
  }

  @Test
  void softmaxBefore13FlattensTheTail() {
    Tensor x = f(new int[] {1, 2, 2}, 1, 2, 3, 4);
    float[] old = run("Softmax", 11, new Attributes(), 1, x)[0].f;
    float[] now = run("Softmax", 13, new Attributes().put("axis", 1L), 1, x)[0].f;
    double e = Math.exp(1), s4 = Math.exp(1) + Math.exp(2) + Math.exp(3) + Math.exp(4);
    assertEquals(e / s4, old[0], 1e-6, "opset 11: normalised over all 4 values");
    assertEquals(Math.exp(1) / (Math.exp(1) + Math.exp(3)), now[0], 1e-6, "opset 13: over axis 1 only");
  }

  @Test
  void clipBoundsMovedFromAttributesToInputs() {
    Tensor x = f(new int[] {4}, -8, -1, 3, 9);
    assertArrayEquals(new float[] {0, 0, 3, 6}, run("Clip", 6, new Attributes().put("min", 0f).put("max", 6f), 1, x)[0].f);
    Tensor lo = f(new int[0], 0), hi = f(new int[0], 6);
    assertArrayEquals(new float[] {0, 0, 3, 6}, run("Clip", 13, new Attributes(), 1, x, lo, hi)[0].f);
    assertArrayEquals(new float[] {-8, -1, 3, 6}, run("Clip", 13, new Attributes(), 1, x, null, hi)[0].f);
  }

  @Test
  void reshapeZeroCopiesAndMinusOneInfers() {
    Tensor x = Tensor.zeros(dev.quench.ir.DType.FLOAT32, new int[] {2, 3, 4});
    assertArrayEquals(new int[] {2, 12}, run("Reshape", 13, new Attributes(), 1, x, Tensor.vector(0, -1))[0].shape());
    assertThrows(QuenchException.class, () -> run("Reshape", 13, new Attributes(), 1, x, Tensor.vector(5, -1)));
    assertArrayEquals(new int[] {2, 1, 3, 4}, run("Unsqueeze", 11, new Attributes().put("axes", new long[] {1}), 1, x)[0].shape());
    assertArrayEquals(new int[] {2, 3, 1, 4}, run("Unsqueeze", 13, new Attributes(), 1, x, Tensor.vector(-2))[0].shape());
  }

  @Test
  void sliceWithNegativeStepClamps() {
    Tensor x = f(new int[] {5}, 0, 1, 2, 3, 4);
    Tensor r = run("Slice", 13, new Attributes(), 1, x, Tensor.vector(100), Tensor.vector(-100), Tensor.vector(0), Tensor.vector(-2))[0];
    assertArrayEquals(new float[] {4, 2, 0}, r.f);
    Tensor old = run("Slice", 9, new Attributes().put("starts", new long[] {1}).put("ends", new long[] {-1}), 1, x)[0];
    assertArrayEquals(new float[] {1, 2, 3}, old.f);
  }

  @Test
  void padModes() {
    Tensor x = f(new int[] {3}, 1, 2, 3);
    Tensor pads = Tensor.vector(2, 2);
    assertArrayEquals(new float[] {3, 2, 1, 2, 3, 2, 1}, run("Pad", 13, new Attributes().put("mode", "reflect"), 1, x, pads)[0].f);
    assertArrayEquals(new float[] {1, 1, 1, 2, 3, 3, 3}, run("Pad", 13, new Attributes().put("mode", "edge"), 1, x, pads)[0].f);
    assertArrayEquals(new float[] {7, 7, 1, 2, 3, 7, 7}, run("Pad", 13, new Attributes(), 1, x, pads, f(new int[0], 7))[0].f);
    assertArrayEquals(new float[] {2}, run("Pad", 13, new Attributes(), 1, x, Tensor.vector(-1, -1))[0].f, "negative pads crop");
  }

  @Test
  void poolCeilModeAndCountIncludePad() {
    Tensor x = f(new int[] {1, 1, 1, 5}, 1, 2, 3, 4, 5);
    Attributes a = new Attributes().put("kernel_shape", new long[] {1, 2}).put("strides", new long[] {1, 2});
    assertArrayEquals(new int[] {1, 1, 1, 2}, run("MaxPool", 13, a, 1, x)[0].shape());
    Attributes ceil = new Attributes().put("kernel_shape", new long[] {1, 2}).put("strides", new long[] {1, 2}).put("ceil_mode", 1L);
    assertArrayEquals(new float[] {2, 4, 5}, run("MaxPool", 13, ceil, 1, x)[0].f);
    Attributes avg = new Attributes().put("kernel_shape", new long[] {1, 3}).put("pads", new long[] {0, 1, 0, 1});
    assertArrayEquals(new float[] {1.5f, 2, 3, 4, 4.5f}, run("AveragePool", 13, avg, 1, x)[0].f);
    avg.put("count_include_pad", 1L);
    assertArrayEquals(new float[] {1, 2, 3, 4, 3}, run("AveragePool", 13, avg, 1, x)[0].f);
  }

  @Test
  void resizeNearestAndLinear() {
    Tensor x = f(new int[] {1, 1, 1, 2}, 1, 3);
    Tensor scales = f(new int[] {4}, 1, 1, 1, 2);
    Tensor empty = f(new int[] {0});
    assertArrayEquals(new float[] {1, 1, 3, 3}, run("Resize", 13, new Attributes(), 1, x, empty, scales)[0].f);
    Attributes lin = new Attributes().put("mode", "linear");
    assertArrayEquals(new float[] {1, 1.5f, 2.5f, 3}, run("Resize", 13, lin, 1, x, empty, scales)[0].f, "half_pixel");
    assertArrayEquals(new float[] {1, 2, 3, 3}, run("Upsample", 9, lin, 1, x, scales)[0].f, "asymmetric");
  }

  @Test
  void resizeOpset18AxesAndAspectRatio() {
    Tensor x = Tensor.zeros(dev.quench.ir.DType.FLOAT32, new int[] {1, 1, 2, 4});
    Tensor empty = f(new int[] {0});
    Attributes axes = new Attributes().put("axes", new long[] {2, 3});
    assertArrayEquals(new int[] {1, 1, 4, 2}, run("Resize", 18, axes, 1, x, empty, empty, Tensor.vector(4, 2))[0].shape());
    Attributes notLarger = new Attributes().put("axes", new long[] {2, 3}).put("keep_aspect_ratio_policy", "not_larger");
    assertArrayEquals(new int[] {1, 1, 2, 4}, run("Resize", 18, notLarger, 1, x, empty, empty, Tensor.vector(4, 4))[0].shape());
    Attributes notSmaller = new Attributes().put("axes", new long[] {2, 3}).put("keep_aspect_ratio_policy", "not_smaller");
    assertArrayEquals(new int[] {1, 1, 4, 8}, run("Resize", 18, notSmaller, 1, x, empty, empty, Tensor.vector(4, 4))[0].shape());
    assertArrayEquals(new int[] {1, 1, 2, 8}, run("Resize", 18, new Attributes().put("axes", new long[] {-1}), 1, x, empty, f(new int[] {1}, 2))[0].shape());
  }

  @Test
  void matmulBroadcastsBatchAndPromotesVectors() {
    Tensor a = f(new int[] {2, 1, 2}, 1, 2, 3, 4);
    Tensor b = f(new int[] {2, 1}, 10, 1);
    Tensor r = run("MatMul", 13, new Attributes(), 1, a, b)[0];
    assertArrayEquals(new int[] {2, 1, 1}, r.shape());
    assertArrayEquals(new float[] {12, 34}, r.f);
    Tensor v = run("MatMul", 13, new Attributes(), 1, f(new int[] {2}, 1, 2), f(new int[] {2, 3}, 1, 2, 3, 4, 5, 6))[0];
    assertArrayEquals(new int[] {3}, v.shape());
    assertArrayEquals(new float[] {9, 12, 15}, v.f);
  }

  @Test
  void integerDivisionTruncatesAndModFollowsDivisor() {
    Tensor a = Tensor.ofLong(new int[] {2}, new long[] {-7, 7}), b = Tensor.ofLong(new int[] {2}, new long[] {2, -2});
    assertArrayEquals(new long[] {-3, -3}, run("Div", 13, new Attributes(), 1, a, b)[0].l);
    assertArrayEquals(new long[] {1, -1}, run("Mod", 13, new Attributes(), 1, a, b)[0].l);
    assertArrayEquals(new long[] {-1, 1}, run("Mod", 13, new Attributes().put("fmod", 1L), 1, a, b)[0].l);
  }

  @Test
  void comparisonsWithNaNAreFalse() {
    Tensor a = f(new int[] {3}, Float.NaN, 1, 2), b = f(new int[] {3}, 1, Float.NaN, 2);
    for (String op : List.of("Greater", "Less", "Equal")) {
      long[] r = run(op, 13, new Attributes(), 1, a, b)[0].l;
      assertEquals(0, r[0], op);
      assertEquals(0, r[1], op);
      assertEquals(op.equals("Equal") ? 1 : 0, r[2], op);
    }
    assertArrayEquals(new long[] {0, 0, 1}, run("GreaterOrEqual", 13, new Attributes(), 1, a, b)[0].l);
  }

  @Test
  void reductionsAndArgMax() {
    Tensor x = f(new int[] {2, 3}, 1, 5, 2, 7, 0, 7);
    assertArrayEquals(new float[] {8, 14}, run("ReduceSum", 13, new Attributes().put("keepdims", 0L), 1, x, Tensor.vector(1))[0].f);
    assertArrayEquals(new float[] {4, 2.5f, 4.5f}, run("ReduceMean", 13, new Attributes().put("axes", new long[] {0}), 1, x)[0].f);
    assertArrayEquals(new long[] {1, 0}, run("ArgMax", 13, new Attributes().put("axis", 1L).put("keepdims", 0L), 1, x)[0].l);
    assertArrayEquals(new long[] {1, 2}, run("ArgMax", 13, new Attributes().put("axis", 1L).put("keepdims", 0L).put("select_last_index", 1L), 1, x)[0].l);
  }

  @Test
  void registryCoversTheIssueList() {
    String[] required = {"Conv", "ConvTranspose", "BatchNormalization", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Pow", "Sqrt", "Exp",
        "Log", "Erf", "Neg", "Abs", "Max", "Min", "Relu", "LeakyRelu", "PRelu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh",
        "Softmax", "LogSoftmax", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "Flatten", "Reshape", "Transpose", "Concat",
        "Split", "Slice", "Squeeze", "Unsqueeze", "Gather", "Shape", "Constant", "ConstantOfShape", "Identity", "Dropout", "Cast",
        "ReduceMean", "ReduceMax", "ReduceSum", "LayerNormalization", "Resize", "Upsample", "Pad", "Expand", "Equal", "Greater",
        "GreaterOrEqual", "Less", "Where", "If"};
    List<String> missing = new ArrayList<>();
    for (String op : required) if (!OpRegistry.supports(op)) missing.add(op);
    assertTrue(missing.isEmpty(), "unsupported: " + missing);
  }
}
