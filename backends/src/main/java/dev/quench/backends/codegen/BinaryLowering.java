package dev.quench.backends.codegen;

import dev.quench.ir.DType;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Value;
import dev.quench.ir.op.Binary;
import java.util.List;

/** Add, Sub, Mul (integer, requantized) and Add, Sub, Mul, Div, Max, Min, PRelu (float, the fused activation after), with broadcasting (kernels/elementwise.h). */
public final class BinaryLowering implements FamilyLowering {
  /** a, b: the operands (pointers or constant arrays); opcode: Add 0, Sub 1, Mul 2, Div 3, Max 4, Min 5, PRelu 6, Pow 7; shifts .. hi for integers; activation for floats. */
  public record Args(String a, String b, String tb, String bcast, String opcode, String shiftA, String shiftB, String shifts, String lo, String hi, String activation) {}

  /** compare_any's opcodes (kernels/select.h): comparisons and logic, bool results. */
  private static final List<String> COMPARE = List.of("Equal", "Greater", "GreaterOrEqual", "Less", "LessOrEqual", "And", "Or", "Xor");

  /** integer_any's opcodes (kernels/select.h): arithmetic on unquantized integer tensors, as Binary.java's integer path. */
  private static final List<String> INTEGER_OPS = List.of(Binary.ADD, "Sub", Binary.MUL, "Div", "Max", "Min", "Mod", "PRelu", "BitShift", "Pow");

  /** integer_any's operands: opcode, fmod (Mod) or the shift direction (BitShift: 1 left). */
  public record IntegerArgs(String a, String b, String bcast, String opcode, String flag) {}

  /** The comparison's operands and its opcode (and, quantized, the shifts aligning both sides). */
  public record CompareArgs(String a, String b, String bcast, String opcode, String shiftA, String shiftB) {}

  /** The float opcodes of binary_f32, in order. */
  private static final List<String> FLOAT_OPS = List.of(Binary.ADD, "Sub", Binary.MUL, "Div", "Max", "Min", "PRelu", "Pow", "Mod");

  @Override
  public boolean lowers(String opType, boolean floatForm) {
    if (Binary.ORDER.contains(opType)) return true;  // on unquantized values (compare_any) and aligned integers (compare_int)
    if (COMPARE.contains(opType)) return floatForm;  // And, Or, Xor: on bools
    // Mod and BitShift: on unquantized integer tensors (integer_any), reported with the float forms
    if (opType.equals("Mod") || opType.equals("BitShift")) return floatForm;
    // Sum and Mean (and Max / Min of n inputs) arrive as chains of two-input ops (passes: split-variadic)
    if (floatForm && (opType.equals("Sum") || opType.equals("Mean"))) return true;
    int i = FLOAT_OPS.indexOf(opType);
    // (an integer Div, by a constant, is the Mul by its reciprocal the quantizer makes)
    return i >= 0 && (floatForm || i <= 6);
  }

  @Override
  public Lowered lower(Node n, Lowering l, KernelChoice kernel, boolean npu) {
    String op = n.opType;
    Value x = n.input(0), b = n.input(1), y = n.output(0);
    String a = l.operand(x, n.name + "_a"), bp = l.operand(b, n.name + "_b");
    String bcast = l.broadcast(n, x.type().shape(), b.type().shape(), y.type().shape());
    if (Binary.ORDER.contains(op) && n.attrs.has("shift_a")) {
      return new Lowered("compare_int", "compare_int", new CompareArgs(a, bp, bcast, Integer.toString(COMPARE.indexOf(op)), Long.toString(n.attrs.getInt("shift_a", 0)),
          Long.toString(n.attrs.getInt("shift_b", 0))));
    }
    if (COMPARE.contains(op)) return new Lowered("compare", "compare_any", new CompareArgs(a, bp, bcast, Integer.toString(COMPARE.indexOf(op)), null, null));
    if (!y.type().dtype().isFloating() && !dev.quench.ir.Requant.present(n.attrs) && INTEGER_OPS.contains(op)) {
      // an integer tensor as it is, not a quantized one (index arithmetic, integer models)
      // (a Pow's exponent may be a float32)
      boolean exponent = op.equals("Pow") && b.type().dtype() == DType.FLOAT32;
      QuenchException.check(!x.type().dtype().isFloating() && (exponent || !b.type().dtype().isFloating()) && x.type().dtype() == y.type().dtype(),
          "codegen: %s: integer %s on %s and %s", n.describe(), op, x.type().dtype(), b.type().dtype());
      String flag = op.equals("Mod") ? Long.toString(n.attrs.getInt("fmod", 0)) : op.equals("BitShift") ? (n.attrs.getString("direction", "").equals("LEFT") ? "1" : "0") : "0";
      return new Lowered("integer", "integer_any", new IntegerArgs(a, bp, bcast, Integer.toString(INTEGER_OPS.indexOf(op)), flag));
    }
    QuenchException.check(n.inputs().size() == 2 && FLOAT_OPS.contains(op), "codegen: %s: no C++ kernel for %s with %d inputs yet", n.describe(), op, n.inputs().size());
    // (Mod: 8 for fmod, 9 for the floored form)
    String opcode = Integer.toString(FLOAT_OPS.indexOf(op) + (op.equals("Mod") && n.attrs.getInt("fmod", 0) == 0 ? 1 : 0));
    if (y.type().dtype().isFloating()) {
      QuenchException.check(x.type().dtype() == DType.FLOAT32 && (b.type().dtype() == DType.FLOAT32 || !b.type().dtype().isFloating()),
          "codegen: %s: float32 operands (or an integer second one)", n.describe());
      return new Lowered("binary_f32", "binary_f32", new Args(a, bp, Lowering.ctype(b.type().dtype()), bcast, opcode, null, null, null, null, null, Lowering.activationF32(n)));
    }
    int code = FLOAT_OPS.indexOf(op);
    QuenchException.check(code <= 2 || code == 4 || code == 5 || code == 6, "codegen: %s: integer %s", n.describe(), op);
    QuenchException.check(!op.equals("Div"), "codegen: %s: integer Div (the quantizer makes a Div by a constant a Mul)", n.describe());
    Lowering.RequantArgs rq = l.requant(n);
    return new Lowered("binary_int", "binary_int", new Args(a, bp, Lowering.ctype(b.type().dtype()), bcast, opcode, Long.toString(n.attrs.getInt("shift_a", 0)),
        Long.toString(n.attrs.getInt("shift_b", 0)), rq.shifts(), rq.lo(), rq.hi(), null));
  }
}
