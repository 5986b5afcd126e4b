package dev.quench.ir.op;

import dev.quench.ir.DType;
import dev.quench.ir.DTypes;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import dev.quench.ir.kernel.Broadcast;
import java.util.List;

/**
 * Elementwise ops with numpy broadcasting: arithmetic, comparisons, logic, variadic Max/Min/Sum/Mean,
 * PRelu. Comparisons and logic produce bool. Integer tensors compute in int64 with C semantics.
 */
public final class Binary implements Op {
  /** The op types this spec names (referenced by the passes and back ends instead of string literals). */
  public static final String ADD = "Add";
  public static final String MUL = "Mul";

  private static final List<String> COMPARE = List.of("Equal", "Greater", "GreaterOrEqual", "Less", "LessOrEqual", "And", "Or", "Xor");
  /** The comparisons of two numbers: an integer form on activations (both aligned to one frac, compared as integers). */
  public static final List<String> ORDER = COMPARE.subList(0, 5);

  @Override
  public List<String> onnxNames() {
    return List.of(ADD, "Sub", MUL, "Div", "Pow", "Max", "Min", "Sum", "Mean", "Mod", "PRelu", "Equal", "Greater",
        "GreaterOrEqual", "Less", "LessOrEqual", "And", "Or", "Xor", "BitShift");
  }

  @Override
  public java.util.Set<Trait> traits(String opType) {
    return switch (opType) {
      case ADD -> Trait.of(Trait.ELEMENTWISE, Trait.INTEGER, Trait.FUSES_ACTIVATION);
      // (Div: by a constant, the Mul by its reciprocal)
      case "Sub", MUL, "Div", "Max", "Min", "PRelu", "Equal", "Greater", "GreaterOrEqual", "Less", "LessOrEqual" -> Trait.of(Trait.ELEMENTWISE, Trait.INTEGER);
      default -> Trait.of(Trait.ELEMENTWISE);
    };
  }

  @Override
  public boolean commutative(Node n) {
    return n.inputs().size() == 2 && List.of(ADD, MUL, "Max", "Min", "Sum", "Mean", "Equal", "And", "Or", "Xor").contains(n.opType);
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    QuenchException.check(c.count() >= 1, "%s needs inputs", n.describe());
    boolean variadic = List.of("Max", "Min", "Sum", "Mean").contains(n.opType);
    QuenchException.check(variadic || n.inputs().size() == 2 && n.input(0) != null && n.input(1) != null, "%s takes two inputs, got %d", n.describe(),
        n.inputs().size());
    int[] shape = c.shape(0);
    for (int i = 1; i < c.count(); i++) {
      int[] s = c.shape(i);
      try {
        shape = Shapes.broadcast(shape, s);
      } catch (QuenchException e) {
        throw new QuenchException(n.describe() + ": " + e.getMessage());
      }
    }
    DType out = COMPARE.contains(n.opType) ? DType.BOOL : c.dtype(0);
    return List.of(new TensorType(DTypes.outType(n.attrs, out), shape));
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    String op = n.opType;
    // a quantized node (two inputs: Add, Sub, Mul, Max, Min) first: its integers are not the op's values
    if (n.attrs.has(dev.quench.ir.Requant.OUT_BITS)) return new Tensor[] {quantized(n, in[0], in[1])};
    if (ORDER.contains(op) && n.attrs.has("shift_a")) return new Tensor[] {aligned(n, in[0], in[1])};
    Tensor acc = in[0];
    if (op.equals("Mean") || op.equals("Sum") || op.equals("Max") || op.equals("Min")) {
      String step = op.equals("Mean") ? ADD : op.equals("Sum") ? ADD : op;
      for (int i = 1; i < in.length; i++) acc = apply(n, step, acc, in[i]);
      if (op.equals("Mean")) {
        float[] f = acc.f.clone();
        for (int i = 0; i < f.length; i++) f[i] /= in.length;
        acc = Tensor.ofFloat(acc.dtype, acc.shape(), f);
      }
      return new Tensor[] {acc};
    }
    Tensor r = apply(n, op, in[0], in[1]);
    if (r.isFloat() && n.attrs.has(dev.quench.ir.kernel.Activation.ATTR)) {
      float[] y = r.f.clone();
      dev.quench.ir.kernel.Activation.apply(n.attrs, y);
      r = Tensor.ofFloat(r.dtype, r.shape(), y);
    }
    return new Tensor[] {r};
  }

  /**
   * Quantized Add/Sub/Max/Min: both inputs shifted left to a common frac (shift_a, shift_b),
   * summed (or the larger / smaller taken), requantized by shift_right. Mul: the product (frac fa + fb) requantized by shift_right.
   * PRelu: where x >= 0, x shifted left by shift_a (the slope's frac) to the product's frac, else x times the slope; requantized.
   */
  private static Tensor quantized(Node n, Tensor a, Tensor b) {
    int[] shape = Shapes.broadcast(a.shape(), b.shape());
    int[] ma = Broadcast.map(shape, a.shape()), mb = Broadcast.map(shape, b.shape());
    int len = Shapes.numel(shape);
    int sa = (int) n.attrs.getInt("shift_a", 0), sb = (int) n.attrs.getInt("shift_b", 0);
    dev.quench.ir.Requant rq = dev.quench.ir.Requant.of(n.attrs);
    long[] o = new long[len];
    for (int i = 0; i < len; i++) {
      long x = a.l[Broadcast.at(ma, i)], y = b.l[Broadcast.at(mb, i)];
      long acc = switch (n.opType) {
        case ADD -> (x << sa) + (y << sb);
        case "Sub" -> (x << sa) - (y << sb);
        case MUL -> x * y;
        case "Max" -> Math.max(x << sa, y << sb);
        case "Min" -> Math.min(x << sa, y << sb);
        case "PRelu" -> x >= 0 ? x << sa : x * y;
        default -> throw new QuenchException(n.describe() + ": no quantized form");
      };
      o[i] = rq.apply(acc, 0, n.describe());
    }
    return Tensor.ofLong(dev.quench.ir.DTypes.quantizedOut(n.attrs), shape, o);
  }

  /** A quantized comparison: both sides' integers shifted left to one frac (shift_a, shift_b), compared (C++: compare_int). */
  private static Tensor aligned(Node n, Tensor a, Tensor b) {
    int[] shape = Shapes.broadcast(a.shape(), b.shape());
    int[] ma = Broadcast.map(shape, a.shape()), mb = Broadcast.map(shape, b.shape());
    int sa = (int) n.attrs.getInt("shift_a", 0), sb = (int) n.attrs.getInt("shift_b", 0);
    long[] o = new long[Shapes.numel(shape)];
    for (int i = 0; i < o.length; i++) o[i] = cmp(n.opType, a.l[Broadcast.at(ma, i)] << sa, b.l[Broadcast.at(mb, i)] << sb) ? 1 : 0;
    return Tensor.ofLong(DType.BOOL, shape, o);
  }

  private static Tensor apply(Node n, String op, Tensor a, Tensor b) {
    int[] shape = Shapes.broadcast(a.shape(), b.shape());
    int[] ma = Broadcast.map(shape, a.shape()), mb = Broadcast.map(shape, b.shape());
    int len = Shapes.numel(shape);
    boolean compare = COMPARE.contains(op);
    if (a.isFloat() && b.isFloat() && !compare) {
      float[] fa = a.f, fb = b.f, o = new float[len];
      switch (op) {
        case ADD -> { for (int i = 0; i < len; i++) o[i] = fa[Broadcast.at(ma, i)] + fb[Broadcast.at(mb, i)]; }
        case "Sub" -> { for (int i = 0; i < len; i++) o[i] = fa[Broadcast.at(ma, i)] - fb[Broadcast.at(mb, i)]; }
        case MUL -> { for (int i = 0; i < len; i++) o[i] = fa[Broadcast.at(ma, i)] * fb[Broadcast.at(mb, i)]; }
        case "Div" -> { for (int i = 0; i < len; i++) o[i] = fa[Broadcast.at(ma, i)] / fb[Broadcast.at(mb, i)]; }
        default -> {
          for (int i = 0; i < len; i++) o[i] = (float) floatOp(n, op, fa[Broadcast.at(ma, i)], fb[Broadcast.at(mb, i)]);
        }
      }
      if (a.dtype == DType.FLOAT16 || a.dtype == DType.BFLOAT16) for (int i = 0; i < len; i++) o[i] = DTypes.round(a.dtype, o[i]);
      return Tensor.ofFloat(a.dtype, shape, o);
    }
    if (compare) {
      long[] o = new long[len];
      boolean asFloat = a.isFloat() || b.isFloat();
      for (int i = 0; i < len; i++) {
        int ia = Broadcast.at(ma, i), ib = Broadcast.at(mb, i);
        boolean r = asFloat ? cmp(op, a.getDouble(ia), b.getDouble(ib)) : cmp(op, a.l[ia], b.l[ib]);
        o[i] = r ? 1 : 0;
      }
      return Tensor.ofLong(DType.BOOL, shape, o);
    }
    if (a.isFloat()) {
      // float base with integer exponent (Pow) or integer slope: compute in double
      float[] o = new float[len];
      for (int i = 0; i < len; i++) o[i] = (float) floatOp(n, op, a.getDouble(Broadcast.at(ma, i)), b.getDouble(Broadcast.at(mb, i)));
      return Tensor.ofFloat(a.dtype, shape, o);
    }
    long[] o = new long[len];
    for (int i = 0; i < len; i++) {
      long x = a.l[Broadcast.at(ma, i)];
      long y = b.isFloat() ? (long) b.getDouble(Broadcast.at(mb, i)) : b.l[Broadcast.at(mb, i)];
      long r = switch (op) {
        case ADD -> x + y;
        case "Sub" -> x - y;
        case MUL -> x * y;
        case "Div" -> {
          if (y == 0) throw new QuenchException(n.describe() + ": integer division by zero");
          yield x / y;
        }
        case "Pow" -> (long) dev.quench.ir.kernel.DMath.pow(x, b.isFloat() ? b.getDouble(Broadcast.at(mb, i)) : y);  // Quench's own pow (C++: dmath::pow)
        case "Max" -> Math.max(x, y);
        case "Min" -> Math.min(x, y);
        case "Mod" -> {
          if (y == 0) throw new QuenchException(n.describe() + ": integer modulo by zero");
          yield n.attrs.getInt("fmod", 0) != 0 ? x % y : Math.floorMod(x, y);
        }
        case "PRelu" -> x >= 0 ? x : x * y;
        case "BitShift" -> n.attrs.getString("direction", "").equals("LEFT") ? x << y : x >>> y;
        default -> throw new QuenchException(n.describe() + ": not defined for integer tensors");
      };
      o[i] = DTypes.wrap(a.dtype, r);
    }
    return Tensor.ofLong(a.dtype, shape, o);
  }

  private static double floatOp(Node n, String op, double x, double y) {
    return switch (op) {
      case ADD -> x + y;
      case "Sub" -> x - y;
      case MUL -> x * y;
      case "Div" -> x / y;
      case "Pow" -> dev.quench.ir.kernel.DMath.pow(x, y);
      case "Max" -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.max(x, y);
      case "Min" -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.min(x, y);
      case "Mod" -> n.attrs.getInt("fmod", 0) != 0 ? x % y : x - Math.floor(x / y) * y;
      case "PRelu" -> x >= 0 ? x : x * y;
      default -> throw new QuenchException(n.describe() + ": not defined for float tensors");
    };
  }

  private static boolean cmp(String op, double x, double y) {
    return cmp(op, x < y ? -1 : (x > y ? 1 : 0), x != 0, y != 0, Double.isNaN(x) || Double.isNaN(y));
  }

  private static boolean cmp(String op, long x, long y) {
    return cmp(op, Long.compare(x, y), x != 0, y != 0, false);
  }

  /** A comparison or logic op from the operands' order and truth; with a NaN operand every comparison is false. */
  private static boolean cmp(String op, int order, boolean xt, boolean yt, boolean unordered) {
    return switch (op) {
      case "Equal" -> !unordered && order == 0;
      case "Greater" -> !unordered && order > 0;
      case "GreaterOrEqual" -> !unordered && order >= 0;
      case "Less" -> !unordered && order < 0;
      case "LessOrEqual" -> !unordered && order <= 0;
      case "And" -> xt && yt;
      case "Or" -> xt || yt;
      case "Xor" -> xt != yt;
      default -> throw new IllegalStateException(op);
    };
  }
}
