package dev.quench.backends.codegen;

import dev.quench.ir.Attributes;
import dev.quench.ir.DType;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import dev.quench.ir.Value;
import dev.quench.ir.op.Binary;
import dev.quench.ir.op.OpRegistry;
import dev.quench.ir.op.Unary;
import java.util.ArrayList;
import java.util.List;

/**
 * float64, float16 and bfloat16 in the C++: at the graph's edges only. The interpreter holds every
 * float tensor as float32 values (a float64 one too; a float16 one rounded to half precision where
 * its op rounds: Cast, and Binary / Unary arithmetic), so inside the SDK they are float32 tensors,
 * and the other types appear only where the interpreter rounds and where the graph meets the
 * caller. Before code generation:
 *
 * <pre>
 * input x: f64 / f16 / bf16       -> Cast(to float) x -> x' (float32), read instead of x
 * constant of such a type         -> the same values as float32
 * y = Cast(to f16 / bf16 / f64)   -> y keeps its type (the C++ converts); then Cast(to float) y -> y' for its readers
 * y = Add / Exp ... of f16 / bf16 -> y' (float32); Cast(to f16) y' -> y (the rounding); Cast(to float) as above
 * any other value of such a type  -> float32 (the same values)
 * output y of such a type         -> its producer writes y' (float32); Cast(to the type) y' -> y
 * </pre>
 *
 * The rewritten graph computes, in the interpreter, what the original one does (Cast to float32
 * of a float value is the value; rounding twice to half is rounding once), and the C++ Cast
 * kernels (kernels/select.h, cast_f32_f16 / cast_f16_f32) convert as Half.java and DTypes.round.
 */
final class FloatTypes {
  private FloatTypes() {}

  static boolean narrow(DType t) {
    return t == DType.FLOAT64 || t == DType.FLOAT16 || t == DType.BFLOAT16;
  }

  /** Whether the interpreter rounds n's output to its half-precision type (Binary.java, Unary.java). */
  private static boolean rounds(Node n) {
    Object spec = OpRegistry.get(n.opType);
    return spec instanceof Unary || spec instanceof Binary && n.output(0) != null && n.output(0).type().dtype().isFloating();
  }

  private static boolean isCast(Node n) {
    return n.opType.equals("Cast");
  }

  static void rewrite(Graph g) {
    boolean any = false;
    for (Value v : g.values().values()) any |= v.type() != null && narrow(v.type().dtype());
    if (!any) return;
    // a CastLike is the Cast to its second input's type (which then needs no conversion)
    for (int i = 0; i < g.nodes().size(); i++) {
      Node n = g.nodes().get(i);
      if (!n.opType.equals("CastLike")) continue;
      g.nodes().set(i, n.with("Cast", List.of(n.input(0)), new Attributes().put("to", (long) n.input(1).type().dtype().onnxCode)));
    }
    List<Node> out = new ArrayList<>();
    // inputs: converted once, the graph reads the float32 copy
    for (Value x : g.dataInputs()) {
      if (!narrow(x.type().dtype()) || g.users(x).isEmpty()) continue;
      Value x32 = fresh(g, x.name + "/f32", DType.FLOAT32, x.type().shape());
      g.replaceAllUses(x, x32);
      if (g.isOutput(x32)) g.outputs().set(g.outputs().indexOf(x32), x);  // an input passed straight out stays itself
      out.add(cast(x.name + "/to_f32", x, x32));
    }
    for (Value v : g.values().values()) {
      if (v.isConstant() && narrow(v.data().dtype)) {
        v.setData(Tensor.ofFloat(DType.FLOAT32, v.data().shape(), v.data().f));
        v.setType(new TensorType(DType.FLOAT32, v.type().shape()));
      }
    }
    for (Node n : g.nodes()) {
      List<Value> outs = new ArrayList<>(n.outputs());
      List<Node> after = new ArrayList<>();
      for (int k = 0; k < outs.size(); k++) {
        Value y = outs.get(k);
        if (y == null || y.type() == null || !narrow(y.type().dtype())) continue;
        DType t = y.type().dtype();
        int[] shape = y.type().shape();
        boolean output = g.isOutput(y);
        Value typed;  // the value of type t the node's result becomes (null: none inside)
        if (isCast(n)) {
          typed = y;
        } else if (t != DType.FLOAT64 && rounds(n) && k == 0) {
          Value y32 = fresh(g, y.name + "/unrounded", DType.FLOAT32, shape);
          outs.set(k, y32);
          after.add(cast(y.name + "/round", y32, y));
          typed = y;
        } else if (output) {
          Value y32 = fresh(g, y.name + "/f32", DType.FLOAT32, shape);
          outs.set(k, y32);
          after.add(cast(y.name + "/to_" + t.toString().toLowerCase(java.util.Locale.ROOT), y32, y));
          continue;
        } else {
          y.setType(new TensorType(DType.FLOAT32, shape));
          continue;
        }
        if (!output) {
          // readers inside the graph take the float32 values
          Value r = fresh(g, typed.name + "/f32", DType.FLOAT32, shape);
          for (Node u : g.users(typed)) for (int i = 0; i < u.inputs().size(); i++) if (u.input(i) == typed) u.setInput(i, r);
          after.add(cast(typed.name + "/to_f32", typed, r));
        }
      }
      if (!outs.equals(n.outputs())) {
        Node m = new Node(n.name, n.opType, n.opset, n.inputs(), outs, n.attrs);
        for (Value o : outs) if (o != null) o.setProducer(m);
        out.add(m);
      } else {
        out.add(n);
      }
      out.addAll(after);
    }
    g.nodes().clear();
    g.nodes().addAll(out);
  }

  private static Value fresh(Graph g, String base, DType t, int[] shape) {
    String name = base;
    for (int i = 1; g.value(name) != null; i++) name = base + "." + i;
    Value v = g.valueFor(name);
    v.setType(new TensorType(t, shape));
    return v;
  }

  private static Node cast(String name, Value from, Value to) {
    Node c = new Node(name, "Cast", 13, List.of(from), List.of(to), new Attributes().put("to", (long) to.type().dtype().onnxCode));
    to.setProducer(c);
    return c;
  }
}
