package dev.quench.ir.op;

import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Ops that only change the shape: Reshape (0 copies a dim unless allowzero, -1 infers one),
 * Flatten, Squeeze and Unsqueeze (axes as attribute before opset 13, as input from 13 on).
 */
public final class Reshape implements Op {
  /** The op type this spec names (referenced by the passes and back ends instead of string literals). */
  public static final String RESHAPE = "Reshape";

  @Override
  public List<String> onnxNames() {
    return List.of(RESHAPE, "Flatten", "Squeeze", "Unsqueeze");
  }

  @Override
  public java.util.Set<Trait> traits(String opType) {
    return Trait.of(Trait.MOVES_DATA, Trait.KEEPS_SCALE, Trait.VIEW, Trait.INTEGER);
  }

  static int[] outShape(Node n, int[] in, Tensor second) {
    switch (n.opType) {
      case RESHAPE: {
        long[] req = n.opset < 5 ? n.attrs.getInts("shape") : need(n, second, "shape");
        QuenchException.check(req != null, "%s: no target shape", n.describe());
        boolean allowZero = n.attrs.getInt("allowzero", 0) != 0;
        int[] out = new int[req.length];
        int infer = -1;
        long known = 1;
        for (int i = 0; i < req.length; i++) {
          long d = req[i];
          if (d == 0 && !allowZero) {
            QuenchException.check(i < in.length, "%s: 0 at position %d beyond input rank", n.describe(), i);
            d = in[i];
          }
          if (d == -1) {
            QuenchException.check(infer < 0, "%s: more than one -1 in shape", n.describe());
            infer = i;
            continue;
          }
          QuenchException.check(d >= 0 && d <= Integer.MAX_VALUE, "%s: invalid dim %d", n.describe(), d);
          out[i] = (int) d;
          known *= d;
        }
        long total = Shapes.numelLong(in);
        if (infer >= 0) {
          QuenchException.check(known > 0 && total % known == 0, "%s: cannot reshape %s to %s", n.describe(), Shapes.str(in), Arrays.toString(req));
          out[infer] = (int) (total / known);
        }
        QuenchException.check(Shapes.numelLong(out) == total, "%s: cannot reshape %s to %s", n.describe(), Shapes.str(in), Arrays.toString(req));
        return out;
      }
      case "Flatten": {
        long a = n.attrs.getInt("axis", 1);
        int axis = (int) (a < 0 ? a + in.length : a);
        QuenchException.check(axis >= 0 && axis <= in.length, "%s: axis %d out of range", n.describe(), a);
        return new int[] {Shapes.product(in, 0, axis), Shapes.product(in, axis, in.length)};
      }
      case "Squeeze": {
        long[] axes = n.opset < 13 ? n.attrs.getInts("axes") : (second == null && n.input(1) == null ? null : need(n, second, "axes"));
        boolean[] drop = new boolean[in.length];
        if (axes == null) {
          for (int i = 0; i < in.length; i++) drop[i] = in[i] == 1;
        } else {
          for (long a : axes) {
            int ax = Shapes.axis(a, in.length);
            QuenchException.check(in[ax] == 1, "%s: cannot squeeze axis %d of size %d", n.describe(), a, in[ax]);
            drop[ax] = true;
          }
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < in.length; i++) if (!drop[i]) out.add(in[i]);
        return out.stream().mapToInt(Integer::intValue).toArray();
      }
      default: {
        long[] axes = n.opset < 13 ? n.attrs.getInts("axes") : need(n, second, "axes");
        QuenchException.check(axes != null, "%s: axes required", n.describe());
        int r = in.length + axes.length;
        boolean[] ins = new boolean[r];
        for (long a : axes) {
          int ax = Shapes.axis(a, r);
          QuenchException.check(!ins[ax], "%s: repeated axis %d", n.describe(), a);
          ins[ax] = true;
        }
        int[] out = new int[r];
        for (int i = 0, j = 0; i < r; i++) out[i] = ins[i] ? 1 : in[j++];
        return out;
      }
    }
  }

  private static long[] need(Node n, Tensor t, String what) {
    if (t == null) throw new QuenchException(n.describe() + ": " + what + " must be a compile-time constant");
    return t.toLongs();
  }

  /** A shape op (or Cast) whose output type is its input's moves nothing. */
  @Override
  public boolean passesThrough(Node n) {
    return Op.sameType(n);
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    Tensor second = c.has(1) ? c.known(1) : null;
    if (c.has(1) && second == null) second = c.need(1, n.opType.equals(RESHAPE) ? "shape" : "axes");
    return List.of(new TensorType(c.dtype(0), outShape(n, c.shape(0), second)));
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    return new Tensor[] {in[0].reshape(outShape(n, in[0].shape(), in.length > 1 ? in[1] : null))};
  }
}
