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

  /** The RnnAct initializers, from the op's own reading of its activations (Recurrent.activationSpecs). */
  private static String acts(Node n, int dirs) {
    List<String> items = new ArrayList<>();
    for (Recurrent.ActivationSpec a : Recurrent.activationSpecs(n, dirs)) {
      items.add("{" + Recurrent.ACTIVATIONS.indexOf(a.name()) + ", " + Lowering.doubleLiteral(a.alpha()) + ", " + Lowering.doubleLiteral(a.beta()) + "}");
    }
    return "{" + String.join(", ", items) + "}";
  }
}
