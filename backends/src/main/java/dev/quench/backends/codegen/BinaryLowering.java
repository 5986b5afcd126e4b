package dev.quench.backends.codegen;

import dev.quench.ir.op.Binary;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Value;
import java.util.List;
import java.util.Map;

/** Add, Sub, Mul (integer, requantized) and Add, Sub, Mul, Div (float), with broadcasting (kernels/elementwise.h). */
final class BinaryLowering implements FamilyLowering {
  @Override
  public void lower(Node n, Lowering l, KernelChoice kernel, boolean npu, Map<String, Object> m) {
    String op = n.opType;
    Value x = n.inputs().isEmpty() ? null : n.input(0), y = n.output(0);
    Value b = n.input(1);
    m.put("b", b.isConstant() ? l.consts.add(n.name + "_b", b) : l.ptr(b));
    m.put("tb", Lowering.ctype(b.type().dtype()));
    if (x.isConstant()) m.put("x", l.consts.add(n.name + "_a", x));
    if (x.isConstant()) m.put("tx", Lowering.ctype(x.type().dtype()));
    m.put("bcast", l.broadcast(n, x.type().shape(), b.type().shape(), y.type().shape()));
    m.put("opcode", Integer.toString(List.of(Binary.ADD, "Sub", Binary.MUL, "Div").indexOf(op)));
    if (y.type().dtype().isFloating()) {
      Lowering.template(m, "binary_f32", "binary_f32");
    } else {
      QuenchException.check(!op.equals("Div"), "codegen: %s: integer Div", n.describe());
      Lowering.template(m, "binary_int", "binary_int");
      m.put("shift_a", Long.toString(n.attrs.getInt("shift_a", 0)));
      m.put("shift_b", Long.toString(n.attrs.getInt("shift_b", 0)));
      l.requant(n, m, 1);
    }
  }
}
