package dev.quench.ir.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quench.ir.Attributes;
import dev.quench.ir.DType;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.TensorType;
import dev.quench.ir.Value;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one target model: placement answers with reasons, layouts, memory checks. */
class TargetTest {
  private static Node node(String op, DType in, DType out, int... shape) {
    Graph g = new Graph("t");
    Value x = g.valueFor("x"), y = g.valueFor("y");
    x.setType(new TensorType(in, shape));
    y.setType(new TensorType(out, shape));
    return new Node("n", op, 13, List.of(x), List.of(y), new Attributes());
  }

  @Test
  void theAcceleratorSaysWhyItRefuses() {
    Accelerator npu = Target.named("npu").accelerator();
    assertTrue(npu.present());
    assertNull(npu.refusal(node("Relu", DType.INT8, DType.INT8, 1, 8), false));
    assertEquals("Softmax is not an NPU op", npu.refusal(node("Softmax", DType.INT8, DType.INT8, 1, 8), false));
    assertEquals("output 'y' is INT16", npu.refusal(node("Relu", DType.INT8, DType.INT16, 1, 8), false));
    assertEquals("input 'x' is FLOAT32", npu.refusal(node("Relu", DType.FLOAT32, DType.FLOAT32, 1, 8), false));
    // before quantization the float types are a preview, not a refusal
    assertNull(npu.refusal(node("Relu", DType.FLOAT32, DType.FLOAT32, 1, 8), true));
    assertEquals("not 2-D", npu.refusal(node("Conv", DType.INT8, DType.INT8, 1, 8), false));
    assertFalse(Target.HOST.accelerator().present());
  }

  @Test
  void targetsAreData() {
    assertEquals(List.of("cortex-a", "cortex-m4", "cortex-m55", "cortex-m7", "host", "npu", "riscv64"), Target.names());
    assertEquals("NCHW", Target.named("npu").layout(), "the command stream is planar");
    assertEquals("NHWC", Target.named("npu").withLayout("NHWC").layout());
    assertEquals("QUENCH_ISA_ARM_MVE", Target.named("cortex-m55").kernelMacro());
    String e = assertThrows(QuenchException.class, () -> Target.named("pdp-11")).getMessage();
    assertTrue(e.startsWith("unknown target 'pdp-11' (known: cortex-a,"), e);
    Target m4 = Target.named("cortex-m4");
    assertEquals(2, m4.goldenSamplesThatFit(200 << 10, 100 << 10, 4), "512 KiB - 64 KiB code - 200 KiB constants leave room for two");
    assertEquals(1, m4.goldenSamplesThatFit(440 << 10, 100 << 10, 4), "at least one: checkFits names the shortfall");
    assertEquals(4, Target.HOST.goldenSamplesThatFit(1 << 30, 1 << 20, 4), "no flash limit on the host");
    assertThrows(QuenchException.class, () -> m4.checkFits(0, 200 << 10, 300 << 10, 3));
    m4.checkFits(0, 200 << 10, 200 << 10, 2);
  }
}
