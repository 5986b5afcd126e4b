package dev.quench.ir.op;

import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import java.util.List;

/** Constant (value, value_float(s), value_int(s)), ConstantOfShape and Range: values fixed at compile time. */
public final class Constant implements Op {
  @Override
  public List<String> onnxNames() {
    return List.of("Constant", "ConstantOfShape", "Range");
  }

  /** The Constant node's value, from whichever attribute form it uses. */
  public static Tensor constantValue(Node n) {
    var a = n.attrs;
    if (a.has("value")) return a.getTensor("value");
    if (a.has("value_float")) return Tensor.ofFloat(new int[0], new float[] {a.getFloat("value_float", 0)});
    if (a.has("value_floats")) {
      float[] v = a.getFloats("value_floats");
      return Tensor.ofFloat(new int[] {v.length}, v.clone());
    }
    if (a.has("value_int")) return Tensor.scalarLong(a.getInt("value_int", 0));
    if (a.has("value_ints")) return Tensor.vector(a.getInts("value_ints"));
    throw new QuenchException(n.describe() + ": no supported value attribute (sparse and string constants are not supported)");
  }

  private static Tensor compute(Node n, Tensor[] in) {
    switch (n.opType) {
      case "Constant":
        return constantValue(n);
      case "ConstantOfShape": {
        long[] dims = in[0].toLongs();
        int[] s = new int[dims.length];
        for (int i = 0; i < s.length; i++) {
          QuenchException.check(dims[i] >= 0 && dims[i] <= Integer.MAX_VALUE, "%s: invalid dim %d", n.describe(), dims[i]);
          s[i] = (int) dims[i];
        }
        Tensor v = n.attrs.has("value") ? n.attrs.getTensor("value") : Tensor.ofFloat(new int[] {1}, new float[] {0});
        QuenchException.check(v.numel() == 1, "%s: value must have one element", n.describe());
        Tensor out = Tensor.zeros(v.dtype, s);
        for (int i = 0; i < out.numel(); i++) out.set(i, v.getDouble(0));
        return out;
      }
      default: {
        double start = in[0].getDouble(0), limit = in[1].getDouble(0), delta = in[2].getDouble(0);
        QuenchException.check(delta != 0, "%s: delta is 0", n.describe());
        long count = Math.max(0, (long) Math.ceil((limit - start) / delta));
        QuenchException.check(count <= Shapes.MAX_ELEMENTS, "%s: too many elements", n.describe());
        Tensor out = Tensor.zeros(in[0].dtype, new int[] {(int) count});
        for (int i = 0; i < count; i++) {
          if (out.isFloat()) out.f[i] = (float) (in[0].f[0] + i * (double) in[2].f[0]);
          else out.l[i] = in[0].l[0] + i * in[2].l[0];
        }
        return out;
      }
    }
  }

  /** Folded at compile time (shapes are static): no C++ kernel. */
  @Override
  public java.util.Set<Trait> traits(String opType) {
    return Trait.of(Trait.COMPILE_TIME);
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    Tensor[] in = new Tensor[c.count()];
    for (int i = 0; i < in.length; i++) in[i] = c.need(i, "input");
    // sizes first, so that an absurd shape is an error before anything is allocated
    if (n.opType.equals("ConstantOfShape")) {
      long[] dims = in[0].toLongs();
      int[] s = new int[dims.length];
      for (int i = 0; i < s.length; i++) {
        QuenchException.check(dims[i] >= 0 && dims[i] <= Integer.MAX_VALUE, "%s: invalid dim %d", n.describe(), dims[i]);
        s[i] = (int) dims[i];
      }
      Shapes.numel(s);
      Tensor v = n.attrs.has("value") ? n.attrs.getTensor("value") : null;
      return List.of(new TensorType(v == null ? dev.quench.ir.DType.FLOAT32 : v.dtype, s));
    }
    if (n.opType.equals("Range")) {
      double start = in[0].getDouble(0), limit = in[1].getDouble(0), delta = in[2].getDouble(0);
      QuenchException.check(delta != 0, "%s: delta is 0", n.describe());
      double count = Math.max(0, Math.ceil((limit - start) / delta));
      QuenchException.check(count <= Shapes.MAX_ELEMENTS, "%s: too many elements", n.describe());
      return List.of(new TensorType(in[0].dtype, new int[] {(int) count}));
    }
    return List.of(compute(n, in).type());
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    return new Tensor[] {compute(n, in)};
  }
}
