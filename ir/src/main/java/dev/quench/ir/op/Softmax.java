package dev.quench.ir.op;

import dev.quench.ir.Node;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import java.util.List;

/**
 * Softmax, LogSoftmax, Hardmax. Before opset 13 the input is coerced to 2-D at {@code axis}
 * (default 1) and normalised over the whole flattened tail; from 13 on over the single
 * {@code axis} (default -1).
 */
public final class Softmax implements Op {
  /** The op type this spec names (referenced by the passes and back ends instead of string literals). */
  public static final String SOFTMAX = "Softmax";

  @Override
  public List<String> onnxNames() {
    return List.of(SOFTMAX, "LogSoftmax", "Hardmax");
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    TensorType t = c.type(0);
    Shapes.axis(n.attrs.getInt("axis", n.opset < 13 ? 1 : -1), t.rank());
    return List.of(t);
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    Tensor x = in[0];
    int[] s = x.shape();
    int axis = Shapes.axis(n.attrs.getInt("axis", n.opset < 13 ? 1 : -1), s.length);
    int outer, len, inner;
    if (n.opset < 13) {
      outer = Shapes.product(s, 0, axis);
      len = Shapes.product(s, axis, s.length);
      inner = 1;
    } else {
      outer = Shapes.product(s, 0, axis);
      len = s.length == 0 ? 1 : s[axis];
      inner = Shapes.product(s, axis + 1, s.length);
    }
    float[] y = new float[x.numel()];
    double[] buf = new double[len];
    float[] fbuf = new float[len];
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        int base = o * len * inner + i;
        double max = Double.NEGATIVE_INFINITY;
        int arg = 0;
        for (int k = 0; k < len; k++) {
          double v = x.f[base + k * inner];
          if (v > max) {
            max = v;
            arg = k;
          }
        }
        if (n.opType.equals("Hardmax")) {
          y[base + arg * inner] = 1;
          continue;
        }
        boolean log = n.opType.equals("LogSoftmax");
        if (!log) {
          // float arithmetic with QMath.exp, summed in index order: the C++ runtime does the same
          float fmax = (float) max, sum = 0;
          for (int k = 0; k < len; k++) {
            float e = dev.quench.ir.kernel.QMath.exp(x.f[base + k * inner] - fmax);
            fbuf[k] = e;
            sum += e;
          }
          for (int k = 0; k < len; k++) y[base + k * inner] = fbuf[k] / sum;
          continue;
        }
        double sum = 0;
        for (int k = 0; k < len; k++) {
          buf[k] = x.f[base + k * inner] - max;
          sum += dev.quench.ir.kernel.DMath.exp(buf[k]);
        }
        double logSum = dev.quench.ir.kernel.DMath.log(sum);
        for (int k = 0; k < len; k++) y[base + k * inner] = (float) (buf[k] - logSum);
      }
    }
    return new Tensor[] {Tensor.ofFloat(x.dtype, s, y)};
  }
}
