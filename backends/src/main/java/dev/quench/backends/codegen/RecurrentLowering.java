package dev.quench.backends.codegen;

import dev.quench.ir.DType;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Value;
import dev.quench.ir.op.Recurrent;
import java.util.ArrayList;
import java.util.List;

/** LSTM, GRU and RNN in float (kernels/recurrent.h): weights as stored, optional inputs and outputs as null pointers. */
public final class RecurrentLowering implements FamilyLowering {
  /** geom: the RnnGeom initializer; acts: the RnnAct array; the rest pointers or constant arrays ("nullptr" when absent). */
  public record Args(String geom, String acts, String tw, String w, String wScale, String r, String rScale, String b, String lens, String h0, String c0, String p,
      String yh, String yc) {}

  /** The activations the kernel knows, in its code order (RnnAct.kind). */
  private static final List<String> ACTS = List.of("relu", "tanh", "sigmoid", "softsign", "softplus", "affine", "scaledtanh", "leakyrelu", "thresholdedrelu",
      "hardsigmoid", "elu");

  @Override
  public boolean lowers(String opType, boolean floatForm) {
    return floatForm;
  }

  @Override
  public Lowered lower(Node n, Lowering l, KernelChoice kernel, boolean npu) {
    QuenchException.check(n.input(0).type().dtype() == DType.FLOAT32, "codegen: %s: float %s only", n.describe(), n.opType);
    Recurrent.Geometry g = Recurrent.geometry(n, n.input(0).type().shape(), n.input(1).type().shape());
    String op = n.opType;
    String dir = n.attrs.getString("direction", "forward");
    String geom = Lowering.join(new int[] {op.equals(Recurrent.LSTM) ? 0 : op.equals(Recurrent.GRU) ? 1 : 2, g.seq(), g.batch(), g.input(), g.hidden(), g.dirs(),
        g.batchFirst() ? 1 : 0, List.of("forward", "reverse", "bidirectional").indexOf(dir)});
    geom = geom.substring(0, geom.length() - 1) + ", " + Lowering.floatLiteral(n.attrs.getFloat("clip", Float.POSITIVE_INFINITY)) + ", "
        + n.attrs.getInt("input_forget", 0) + ", " + n.attrs.getInt("linear_before_reset", 0) + "}";
    Value lens = input(n, 4);
    String lensArg = "nullptr";
    if (lens != null) {
      QuenchException.check(lens.isConstant(), "codegen: %s: sequence lengths computed at run time", n.describe());
      lensArg = l.consts.addInts(n.name + "_lens", DType.INT32, lens.data().toLongs());
    }
    boolean int8 = n.input(1).type().dtype() == DType.INT8;
    QuenchException.check(!int8 || (n.input(1).isConstant() && n.input(2).isConstant() && n.input(2).type().dtype() == DType.INT8), "codegen: %s: int8 W and R are constants", n.describe());
    String w = int8 ? l.consts.add(n.name + "_w", n.input(1)) : operand(n, l, 1, "_w"), r = int8 ? l.consts.add(n.name + "_r", n.input(2)) : operand(n, l, 2, "_r");
    return new Lowered("recurrent_f32", "recurrent_f32", new Args(geom, acts(n, g.dirs()), int8 ? "int8_t" : "float", w, int8 ? scales(n, l, Recurrent.W_FRAC) : "nullptr", r,
        int8 ? scales(n, l, Recurrent.R_FRAC) : "nullptr",
        operand(n, l, 3, "_b"), lensArg, operand(n, l, 5, "_h0"), op.equals(Recurrent.LSTM) ? operand(n, l, 6, "_c0") : "nullptr",
        op.equals(Recurrent.LSTM) ? operand(n, l, 7, "_p") : "nullptr", output(n, l, 1), op.equals(Recurrent.LSTM) ? output(n, l, 2) : "nullptr"));
  }

  /** The per-row scales 2^-frac of int8 weights, as float constants (exact). */
  private static String scales(Node n, Lowering l, String attr) {
    long[] f = n.attrs.getInts(attr);
    float[] s = new float[f.length];
    for (int i = 0; i < f.length; i++) s[i] = Math.scalb(1f, (int) -f[i]);
    Value v = new Value(n.name + "_" + attr);
    v.setType(new dev.quench.ir.TensorType(DType.FLOAT32, new int[] {f.length}));
    v.setData(dev.quench.ir.Tensor.ofFloat(new int[] {f.length}, s));
    return l.consts.add(n.name + "_" + attr, v);
  }

  private static Value input(Node n, int i) {
    return i < n.inputs().size() ? n.input(i) : null;
  }

  private static String operand(Node n, Lowering l, int i, String suffix) {
    Value v = input(n, i);
    if (v == null) return "nullptr";
    QuenchException.check(v.type().dtype() == DType.FLOAT32, "codegen: %s: input %d must be float32", n.describe(), i);
    return l.operand(v, n.name + suffix);
  }

  private static String output(Node n, Lowering l, int i) {
    return i < n.outputs().size() && n.output(i) != null ? l.ptr(n.output(i)) : "nullptr";
  }

  /** The RnnAct initializers: per direction the layer's activations (defaults as ONNX), alpha and beta consumed in order as Recurrent.java does. */
  private static String acts(Node n, int dirs) {
    List<String> defaults = n.opType.equals(Recurrent.LSTM) ? List.of("Sigmoid", "Tanh", "Tanh") : n.opType.equals(Recurrent.GRU) ? List.of("Sigmoid", "Tanh") : List.of("Tanh");
    String[] given = n.attrs.has("activations") ? (String[]) n.attrs.raw("activations") : null;
    float[] alpha = n.attrs.has("activation_alpha") ? n.attrs.getFloats("activation_alpha") : new float[0];
    float[] beta = n.attrs.has("activation_beta") ? n.attrs.getFloats("activation_beta") : new float[0];
    List<String> items = new ArrayList<>();
    int ai = 0, bi = 0, per = defaults.size();
    for (int d = 0; d < dirs; d++) {
      for (int k = 0; k < per; k++) {
        String name = (given == null ? defaults.get(k) : given[d * per + k]).toLowerCase(java.util.Locale.ROOT);
        int kind = ACTS.indexOf(name);
        QuenchException.check(kind >= 0, "codegen: %s: unknown activation '%s'", n.describe(), name);
        double al = 0, be = 0;
        if (kind >= 5) {
          al = ai < alpha.length ? alpha[ai++] : name.equals("leakyrelu") ? 0.01 : name.equals("hardsigmoid") ? 0.2 : 1.0;
          if (List.of("affine", "scaledtanh", "hardsigmoid").contains(name)) be = bi < beta.length ? beta[bi++] : name.equals("hardsigmoid") ? 0.5 : 0.0;
        }
        items.add("{" + kind + ", " + Lowering.doubleLiteral(al) + ", " + Lowering.doubleLiteral(be) + "}");
      }
    }
    return "{" + String.join(", ", items) + "}";
  }
}
