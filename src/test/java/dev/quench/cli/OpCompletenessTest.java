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
 * rule (the quantizer), a C++ lowering of its integer form and of its float form (template and
 * kernels), an NPU mapping. Fails when an op says it has an integer form (the INTEGER trait) but
 * the quantizer or the back end has no integer path for it (it would silently become a float
 * island, or fail late in codegen), when the NPU claims an op the back end cannot lower, or when
 * fewer ops than today have a C++ path (ops folded at compile time need none).
 */
class OpCompletenessTest {
  /** Ops with a C++ path (integer or float) today: the floor the back end may not fall below. */
  private static final int WITH_CPP_PATH = 124;

  @Test
  void everyIntegerOpHasARuleAndALoweringAndTheReportNamesTheRest() {
    Set<String> npu = Target.named("npu").accelerator().ops();
    List<String> broken = new ArrayList<>(), report = new ArrayList<>(), noCpp = new ArrayList<>();
    int complete = 0, cpp = 0;
    for (String op : OpRegistry.names()) {
      // (Lut is the quantizer's own output: born integer, it needs no rule)
      Node probe = new Node("probe", op, 13, List.of(), List.of(), new Attributes());
      boolean folded = probe.is(Trait.COMPILE_TIME);
      boolean integer = probe.is(Trait.INTEGER) || probe.is(Trait.TABLE), rule = QuantRules.of(probe) != null || op.equals(dev.quench.ir.op.Lut.LUT);
      // a table op's integer form is the quantizer's 256-entry Lut
      boolean intCpp = SdkGenerator.lowers(op, false) || (probe.is(Trait.TABLE) && SdkGenerator.lowers(dev.quench.ir.op.Lut.LUT, false));
      boolean floatCpp = SdkGenerator.lowers(op, true);
      List<String> lacks = new ArrayList<>();
      if (folded) {
        report.add(String.format("%-26s folded at compile time", op));
        continue;
      }
      if (!rule) lacks.add("integer rule");
      if (!intCpp) lacks.add("integer C++");
      if (!floatCpp && !op.equals(dev.quench.ir.op.Lut.LUT)) lacks.add("float C++");  // the quantizer's tables are born integer
      if (!npu.contains(op)) lacks.add("NPU mapping");
      if (integer && (!rule || !intCpp)) broken.add(op + " (INTEGER, but lacks " + String.join(", ", lacks) + ")");
      if (npu.contains(op) && (!intCpp || !rule)) broken.add(op + " (on the NPU, but lacks " + String.join(", ", lacks) + ")");
      if (lacks.isEmpty()) complete++;
      if (intCpp || floatCpp) cpp++;
      else noCpp.add(op);
      report.add(String.format("%-26s %s", op, lacks.isEmpty() ? "complete" : "lacks " + String.join(", ", lacks)));
    }
    System.out.println("op completeness (" + OpRegistry.names().size() + " ops, " + complete + " complete, " + cpp + " with a C++ path; none yet: " + noCpp + "):\n  "
        + String.join("\n  ", report));
    assertTrue(broken.isEmpty(), "ops that claim more than the pipeline has: " + broken);
    assertTrue(complete >= 9, "the NPU's ops are complete end to end: " + complete);
    assertTrue(cpp >= WITH_CPP_PATH, cpp + " ops with a C++ path, fewer than " + WITH_CPP_PATH + "; none: " + noCpp);
    assertTrue(noCpp.isEmpty(), "every op the interpreter runs (and the compiler does not fold) has a C++ path; none: " + noCpp);
  }
}
