package dev.quench.ir.op;

import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import dev.quench.ir.kernel.IndexMap;
import java.util.List;

/**
 * Pad with mode constant, reflect, edge or wrap. Pads are an attribute before opset 11 and an
 * input from 11 on (with optional axes from 18); negative pads crop.
 */
public final class Pad implements Op {
  /** The op type this spec names (referenced by the passes and back ends instead of string literals). */
  public static final String PAD = "Pad";

  @Override
  public List<String> onnxNames() {
    return List.of(PAD);
  }

  /** Every output element is an input element or the fill value: a data move, exact on integers. */
  @Override
  public java.util.Set<Trait> traits(String opType) {
    return Trait.of(Trait.MOVES_DATA, Trait.KEEPS_SCALE, Trait.INTEGER);
  }

  /** Before opset 11 the fill is a float attribute: an integer form only when it is 0. */
  @Override
  public boolean hasIntegerForm(Node n) {
    return n.opset >= 11 || n.attrs.getFloat("value", 0f) == 0f;
  }

  /** The fill value (input 2 from opset 11) is data: quantized with the padded tensor. */
  @Override
  public boolean dataInput(Node n, int i) {
    return n.opset >= 11 && i == 2;
  }

  /** Every pad zero (known at compile time): the output is the input. */
  @Override
  public boolean passesThrough(Node n) {
    int[] p = constantPads(n);
    return p != null && java.util.Arrays.stream(p).allMatch(v -> v == 0);
  }

  /** The begin/end pads of every dim (begins first, as ONNX orders them) when known at compile time, else null. */
  public static int[] constantPads(Node n) {
    if (n.input(0) == null || n.input(0).type() == null) return null;
    Tensor[] in = new Tensor[n.inputs().size()];
    if (n.opset >= 11) {
      if (n.input(1) == null || !n.input(1).isConstant()) return null;
      in[1] = n.input(1).data();
      if (n.inputs().size() > 3 && n.input(3) != null) {
        if (!n.input(3).isConstant()) return null;
        in[3] = n.input(3).data();
      }
    }
    return pads(n, n.input(0).type().shape().length, in);
  }

  /** The fill of a constant-mode Pad when known at compile time (0 when absent), else NaN; NaN for the other modes. */
  public static double constantFill(Node n) {
    if (!n.attrs.getString("mode", "constant").equals("constant")) return Double.NaN;
    if (n.opset < 11) return n.attrs.getFloat("value", 0f);
    if (n.inputs().size() < 3 || n.input(2) == null) return 0;
    if (!n.input(2).isConstant()) return Double.NaN;
    Tensor v = n.input(2).data();
    return v.numel() == 0 ? 0 : v.getDouble(0);
  }

  private static int[] pads(Node n, int r, Tensor[] in) {
    long[] p;
    long[] axes = null;
    if (n.opset < 11) {
      p = n.attrs.getInts(n.opset < 2 ? "paddings" : "pads");
    } else {
      p = in[1].toLongs();
      if (in.length > 3 && in[3] != null) axes = in[3].toLongs();
    }
    QuenchException.check(p != null, "%s: pads required", n.describe());
    int[] full = new int[2 * r];
    if (axes == null) {
      QuenchException.check(p.length == 2 * r, "%s: %d pads for rank %d", n.describe(), p.length, r);
      for (int i = 0; i < 2 * r; i++) full[i] = (int) p[i];
    } else {
      QuenchException.check(p.length == 2 * axes.length, "%s: pads do not match axes", n.describe());
      for (int i = 0; i < axes.length; i++) {
        int ax = Shapes.axis(axes[i], r);
        full[ax] = (int) p[i];
        full[ax + r] = (int) p[i + axes.length];
      }
    }
    return full;
  }

  private static int[] outShape(Node n, int[] s, int[] p) {
    int[] out = new int[s.length];
    for (int i = 0; i < s.length; i++) {
      long d = (long) s[i] + p[i] + p[i + s.length];
      QuenchException.check(d >= 0 && d <= Integer.MAX_VALUE, "%s: padded dim %d invalid", n.describe(), d);
      out[i] = (int) d;
    }
    Shapes.numel(out);
    return out;
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    Tensor[] in = new Tensor[c.count()];
    if (n.opset >= 11) {
      in[1] = c.need(1, "pads");
      if (c.has(3)) in[3] = c.need(3, "axes");
    }
    int[] s = c.shape(0);
    return List.of(new TensorType(c.dtype(0), outShape(n, s, pads(n, s.length, in))));
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    Tensor x = in[0];
    int[] s = x.shape();
    int r = s.length;
    int[] p = pads(n, r, in), out = outShape(n, s, p);
    String mode = n.attrs.getString("mode", "constant");
    double value = n.opset < 11 ? n.attrs.getFloat("value", 0f) : (in.length > 2 && in[2] != null && in[2].numel() > 0 ? in[2].getDouble(0) : 0);
    int[] st = Shapes.strides(s), pos = new int[r];
    int len = Shapes.numel(out);
    int[] map = new int[len];
    for (int k = 0; k < len; k++) {
      int idx = 0;
      for (int d = 0; d < r; d++) {
        int i = pos[d] - p[d];
        int dim = s[d];
        if (i < 0 || i >= dim) {
          switch (mode) {
            case "constant" -> i = -1;
            case "edge" -> i = i < 0 ? 0 : dim - 1;
            case "reflect" -> {
              QuenchException.check(dim > 1 || i == 0, "%s: reflect pad needs a dim > 1", n.describe());
              int period = 2 * (dim - 1);
              i = Math.floorMod(i, Math.max(period, 1));
              if (i >= dim) i = period - i;
            }
            case "wrap" -> i = Math.floorMod(i, dim);
            default -> throw new QuenchException(n.describe() + ": unknown mode '" + mode + "'");
          }
        }
        if (i < 0) {
          idx = -1;
          break;
        }
        idx += i * st[d];
      }
      map[k] = idx;
      for (int d = r - 1; d >= 0; d--) {
        if (++pos[d] < out[d]) break;
        pos[d] = 0;
      }
    }
    return new Tensor[] {IndexMap.take(x, map, out, value)};
  }
}
