package dev.quench.ir.target;

import dev.quench.ir.op.Binary;
import dev.quench.ir.op.Clip;
import dev.quench.ir.op.Conv;
import dev.quench.ir.op.FullyConnected;
import dev.quench.ir.op.Lut;
import dev.quench.ir.op.Pool;
import dev.quench.ir.op.Unary;
import dev.quench.ir.DType;
import dev.quench.ir.QuenchException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A target as data, the one model the passes (layout, segmentation) and the code generator ask:
 * its ISA features, memory (0 = no limit: a Linux target), the CMake toolchain file that
 * cross-builds and emulates it, its kernel variant, its activation layout, and the integer
 * accelerator beside its CPU ({@link Accelerator#NONE}: everything on the CPU).
 */
public record Target(String name, String description, List<String> isa, long flashBytes, long ramBytes, String toolchain, String kernels,
    Accelerator accelerator, String layout) {
  /** Kernel variants: the macro a generated model defines to select them (runtime/quench/isa_dot.h). */
  static final Map<String, String> KERNEL_MACROS = Map.of("portable", "", "arm-dsp", "QUENCH_ISA_ARM_DSP", "arm-mve", "QUENCH_ISA_ARM_MVE", "neon-dot", "QUENCH_ISA_NEON_DOT");

  /** Flash kept for the code of the network, the runtime and the C library. */
  static final long CODE_BYTES = 64L << 10;

  /** A planar (NCHW) CPU target without an accelerator. */
  Target(String name, String description, List<String> isa, long flashBytes, long ramBytes, String toolchain, String kernels) {
    this(name, description, isa, flashBytes, ramBytes, toolchain, kernels, Accelerator.NONE, "NCHW");
  }

  private static final Map<String, Target> ALL = Map.of(
      "host", new Target("host", "the build machine (x86-64 Linux)", List.of("x86-64"), 0, 0, null, "portable"),
      "cortex-a", new Target("cortex-a", "Arm Cortex-A, aarch64 Linux", List.of("armv8.2-a", "neon", "dotprod"), 0, 0, "toolchains/aarch64-linux-gnu.cmake", "neon-dot"),
      "riscv64", new Target("riscv64", "RISC-V 64, Linux", List.of("rv64gc"), 0, 0, "toolchains/riscv64-linux-gnu.cmake", "portable"),
      // the command stream is planar, as the CPU kernels: NCHW
      "npu", new Target("npu", "a virtual integer NPU beside the build machine's CPU (reference HAL: runs the commands on the CPU)", List.of("x86-64", "quench-npu"),
          0, 0, null, "portable", new Accelerator("npu", Set.of(Conv.CONV, FullyConnected.FULLY_CONNECTED, "ChannelAffine", Binary.ADD, Pool.MAX_POOL, "AveragePool", "GlobalAveragePool", Unary.RELU,
              Clip.CLIP, Lut.LUT), Set.of(DType.INT8, DType.UINT8), 32), "NCHW"),
      // the QEMU boards' memories: 512 KiB for code and constants, 512 KiB RAM of which 32 KiB stack
      "cortex-m4", new Target("cortex-m4", "Arm Cortex-M4F, bare metal (QEMU mps2-an386)", List.of("armv7e-m", "dsp", "fpv4-sp"), 512 << 10, 480 << 10,
          "toolchains/cortex-m4.cmake", "arm-dsp"),
      "cortex-m7", new Target("cortex-m7", "Arm Cortex-M7, bare metal (QEMU mps2-an500)", List.of("armv7e-m", "dsp", "fpv5"), 512 << 10, 480 << 10,
          "toolchains/cortex-m7.cmake", "arm-dsp"),
      "cortex-m55", new Target("cortex-m55", "Arm Cortex-M55 with Helium, bare metal (QEMU mps3-an547)", List.of("armv8.1-m", "mve"), 512 << 10, 480 << 10,
          "toolchains/cortex-m55.cmake", "arm-mve"));

  /** The build machine: what quantize, eval and run use. */
  public static final Target HOST = ALL.get("host");

  public static Target named(String name) {
    Target t = ALL.get(name);
    if (t == null) throw new QuenchException("unknown target '" + name + "' (known: " + String.join(", ", names()) + ")", QuenchException.BAD_INPUT, null);
    return t;
  }

  /** Every target's name, sorted. */
  public static List<String> names() {
    return ALL.keySet().stream().sorted().toList();
  }

  /** The same target preferring another activation layout (the layout pass's tests map to NHWC). */
  public Target withLayout(String newLayout) {
    return new Target(name, description, isa, flashBytes, ramBytes, toolchain, kernels, accelerator, newLayout);
  }

  /** The macro selecting this target's kernel variant ("" for the portable kernels). */
  public String kernelMacro() {
    return KERNEL_MACROS.get(kernels);
  }

  /**
   * Refuses a model that does not fit: "needs X KiB RAM, cortex-m4 has Y KiB"; then the golden
   * samples (goldenCount of them, goldenBytes in all), which the selftest keeps in flash.
   */
  public void checkFits(long arenaBytes, long constantBytes, long goldenBytes, int goldenCount) {
    if (ramBytes > 0 && arenaBytes > ramBytes) {
      throw new QuenchException(String.format("the model needs %d KiB RAM (arena and input/output buffers), %s has %d KiB", (arenaBytes + 1023) >> 10, name, ramBytes >> 10), 2, null);
    }
    if (flashBytes > 0 && constantBytes + CODE_BYTES > flashBytes) {
      throw new QuenchException(String.format("the model needs %d KiB flash (constants + ~64 KiB code), %s has %d KiB", (constantBytes + CODE_BYTES + 1023) >> 10,
          name, flashBytes >> 10), 2, null);
    }
    if (flashBytes > 0 && constantBytes + goldenBytes + CODE_BYTES > flashBytes) {
      String what = goldenCount == 1 ? "one golden sample" : goldenCount + " golden samples";
      throw new QuenchException(String.format("the model fits %s, but not with %s (%d KiB of flash, %d KiB left): use fewer --golden-samples", name, what,
          (goldenBytes + 1023) >> 10, (flashBytes - constantBytes - CODE_BYTES) >> 10), 2, null);
    }
  }

  /** How many of {@code wanted} golden samples of {@code sampleBytes} each fit the flash beside the model (at least 1: checkFits names the shortfall). */
  public int goldenSamplesThatFit(long constantBytes, long sampleBytes, int wanted) {
    if (flashBytes == 0 || sampleBytes == 0) return wanted;
    long room = flashBytes - constantBytes - CODE_BYTES;
    return (int) Math.max(1, Math.min(wanted, room / sampleBytes));
  }
}
