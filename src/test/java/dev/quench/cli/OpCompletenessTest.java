package dev.quench.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quench.backends.codegen.SdkGenerator;
import dev.quench.ir.Attributes;
import dev.quench.ir.Node;
import dev.quench.ir.op.OpRegistry;
import dev.quench.ir.op.Trait;
import dev.quench.ir.target.Target;
import dev.quench.passes.quant.rules.QuantRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Walks the op registry and names, per op, what it lacks of the path to the device: an integer
 * rule (the quantizer), a lowering (template and C++ kernels), an NPU mapping. Fails when an op
 * says it has an integer form (the INTEGER trait) but the quantizer or the back end has no rule
 * for it (it would silently become a float island, or fail late in codegen), or when the NPU
 * claims an op the back end cannot lower.
 */
class OpCompletenessTest {
  @Test
  void everyIntegerOpHasARuleAndALoweringAndTheReportNamesTheRest() {
    Set<String> npu = Target.named("npu").accelerator().ops();
    List<String> broken = new ArrayList<>(), report = new ArrayList<>();
    int complete = 0;
    for (String op : OpRegistry.names()) {
      // (Lut is the quantizer's own output: born integer, it needs no rule)
      Node probe = new Node("probe", op, 13, List.of(), List.of(), new Attributes());
      boolean integer = probe.is(Trait.INTEGER) || probe.is(Trait.TABLE), rule = QuantRules.of(probe) != null || op.equals(dev.quench.ir.op.Lut.LUT), lowering = SdkGenerator.lowers(op);
      List<String> lacks = new ArrayList<>();
      if (!rule) lacks.add("integer rule");
      if (!lowering) lacks.add("lowering");
      if (!npu.contains(op)) lacks.add("NPU mapping");
      if (integer && (!rule || !lowering)) broken.add(op + " (INTEGER, but lacks " + String.join(", ", lacks) + ")");
      if (npu.contains(op) && (!lowering || !rule)) broken.add(op + " (on the NPU, but lacks " + String.join(", ", lacks) + ")");
      if (lacks.isEmpty()) complete++;
      report.add(String.format("%-24s %s", op, lacks.isEmpty() ? "complete" : "lacks " + String.join(", ", lacks)));
    }
    System.out.println("op completeness (" + OpRegistry.names().size() + " ops, " + complete + " complete):\n  " + String.join("\n  ", report));
    assertTrue(broken.isEmpty(), "ops that claim more than the pipeline has: " + broken);
    assertTrue(complete >= 9, "the NPU's ops are complete end to end: " + complete);
  }
}
