package dev.quench.ir.op;

import dev.quench.ir.Node;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import java.util.List;

/** CumSum along an axis given as input, with {@code exclusive} and {@code reverse}. */
public final class CumSum implements Op {
  @Override
  public List<String> onnxNames() {
    return List.of("CumSum");
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    Shapes.axis(c.need(1, "axis").getLong(0), c.type(0).rank());
    return List.of(c.type(0));
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    Tensor x = in[0];
    int[] s = x.shape();
    int axis = Shapes.axis(in[1].getLong(0), s.length);
    boolean exclusive = n.attrs.getInt("exclusive", 0) != 0, reverse = n.attrs.getInt("reverse", 0) != 0;
    int outer = Shapes.product(s, 0, axis), dim = s[axis], inner = Shapes.product(s, axis + 1, s.length);
    Tensor y = Tensor.zeros(x.dtype, s);
    for (int a = 0; a < outer; a++) for (int b = 0; b < inner; b++) {
      double acc = 0;
      long lacc = 0;
      for (int t = 0; t < dim; t++) {
        int i = reverse ? dim - 1 - t : t;
        int at = (a * dim + i) * inner + b;
        if (y.isFloat()) {
          if (exclusive) y.f[at] = (float) acc;
          acc += x.f[at];
          if (!exclusive) y.f[at] = (float) acc;
        } else {
          if (exclusive) y.l[at] = lacc;
          lacc += x.l[at];
          if (!exclusive) y.l[at] = lacc;
        }
      }
    }
    return new Tensor[] {y};
  }
}
