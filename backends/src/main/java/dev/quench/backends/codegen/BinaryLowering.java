package dev.quench.backends.codegen;

import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Value;
import dev.quench.ir.op.Binary;
import java.util.List;

/** Add, Sub, Mul (integer, requantized) and Add, Sub, Mul, Div (float), with broadcasting (kernels/elementwise.h). */
public final class BinaryLowering implements FamilyLowering {
  /** a, b: the operands (pointers or constant arrays); opcode: Add 0, Sub 1, Mul 2, Div 3; shifts .. hi for integers. */
  public record Args(String a, String b, String tb, String bcast, String opcode, String shiftA, String shiftB, String shifts, String lo, String hi) {}

  @Override
  public Lowered lower(Node n, Lowering l, KernelChoice kernel, boolean npu) {
    String op = n.opType;
    Value x = n.input(0), b = n.input(1), y = n.output(0);
    String a = x.isConstant() ? l.consts.add(n.name + "_a", x) : l.ptr(x), bp = b.isConstant() ? l.consts.add(n.name + "_b", b) : l.ptr(b);
    String bcast = l.broadcast(n, x.type().shape(), b.type().shape(), y.type().shape());
    String opcode = Integer.toString(List.of(Binary.ADD, "Sub", Binary.MUL, "Div").indexOf(op));
    if (y.type().dtype().isFloating()) return new Lowered("binary_f32", "binary_f32", new Args(a, bp, Lowering.ctype(b.type().dtype()), bcast, opcode, null, null, null, null, null));
    QuenchException.check(!op.equals("Div"), "codegen: %s: integer Div", n.describe());
    Lowering.RequantArgs rq = l.requant(n);
    return new Lowered("binary_int", "binary_int", new Args(a, bp, Lowering.ctype(b.type().dtype()), bcast, opcode, Long.toString(n.attrs.getInt("shift_a", 0)),
        Long.toString(n.attrs.getInt("shift_b", 0)), rq.shifts(), rq.lo(), rq.hi()));
  }
}
