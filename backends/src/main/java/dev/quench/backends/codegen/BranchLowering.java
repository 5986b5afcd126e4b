package dev.quench.backends.codegen;

import dev.quench.ir.Node;
import dev.quench.ir.Requant;
import dev.quench.ir.Value;
import dev.quench.ir.op.Branch;

/**
 * A data-dependent If (ir/op/Branch.java). Which steps run is decided in run(): each step of a
 * branch is called under the conditions of its arms (SdkPlan, from ir/Branches.java), so the
 * steps themselves do not branch. A Guard moves nothing (its output is its input: the arena
 * planner's ALIAS); a Merge copies the taken branch's value to the If's output, requantized when
 * quantized (kernels/select.h; the integer form is movement.h's concat_int of the taken side).
 */
public final class BranchLowering implements FamilyLowering {
  /** Merge: the condition's element, the then / else operands, and (integer form) their shifts and the clamp. */
  public record MergeArgs(String cond, String a, String b, String shiftA, String shiftB, String lo, String hi) {}

  @Override
  public Lowered lower(Node n, Lowering l, KernelChoice kernel, boolean npu) {
    if (n.opType.equals(Branch.GUARD)) return new Lowered("guard", "guard_any", null);
    Value a = n.input(0), b = n.input(1);
    String cond = "(" + l.operand(n.input(2), n.name + "_cond") + ")[0] != 0";
    String pa = l.operand(a, n.name + "_then"), pb = l.operand(b, n.name + "_else");
    if (!Requant.present(n.attrs)) return new Lowered("merge", "merge_any", new MergeArgs(cond, pa, pb, null, null, null, null));
    Requant rq = Requant.of(n.attrs);
    return new Lowered("merge", "concat_int", new MergeArgs(cond, pa, pb, Long.toString(rq.shift(0)), Long.toString(rq.shift(1)), Long.toString(rq.lo()), Long.toString(rq.hi())));
  }
}
