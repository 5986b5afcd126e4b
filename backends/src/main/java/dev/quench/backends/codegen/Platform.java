package dev.quench.backends.codegen;

import dev.quench.ir.DType;
import dev.quench.ir.QuenchException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A code-generation target as data: its ISA features, memory (0 = no limit: a Linux target), the
 * CMake toolchain file that cross-builds and emulates it, and for an accelerator the ops its
 * command stream runs ({@link Npu}; empty: everything on the CPU).
 */
public record Platform(String name, String description, List<String> isa, long flashBytes, long ramBytes, String toolchain, String kernels, Npu npu) {
  /** Kernel variants: the macro a generated model defines to select them (runtime/quench/isa_dot.h). */
  static final Map<String, String> KERNEL_MACROS = Map.of("portable", "", "arm-dsp", "QUENCH_ISA_ARM_DSP", "arm-mve", "QUENCH_ISA_ARM_MVE", "neon-dot", "QUENCH_ISA_NEON_DOT");

  /** The macro selecting this target's kernel variant ("" for the portable kernels). */
  public String kernelMacro() {
    return KERNEL_MACROS.get(kernels);
  }

  /**
   * A virtual integer NPU: the ops it runs, on int8 / uint8 activations with int32 accumulators
   * and shift-only requantization (power-of-two scales); nodes outside this fall back to the CPU.
   */
  public record Npu(Set<String> ops, Set<DType> activations, int accBits) {
    static final Npu NONE = new Npu(Set.of(), Set.of(), 0);

    public boolean present() {
      return !ops.isEmpty();
    }
  }

  Platform(String name, String description, List<String> isa, long flashBytes, long ramBytes, String toolchain, String kernels) {
    this(name, description, isa, flashBytes, ramBytes, toolchain, kernels, Npu.NONE);
  }

  static final Map<String, Platform> ALL = Map.of(
      "host", new Platform("host", "the build machine (x86-64 Linux)", List.of("x86-64"), 0, 0, null, "portable"),
      "cortex-a", new Platform("cortex-a", "Arm Cortex-A, aarch64 Linux", List.of("armv8.2-a", "neon", "dotprod"), 0, 0, "toolchains/aarch64-linux-gnu.cmake", "neon-dot"),
      "riscv64", new Platform("riscv64", "RISC-V 64, Linux", List.of("rv64gc"), 0, 0, "toolchains/riscv64-linux-gnu.cmake", "portable"),
      "npu", new Platform("npu", "a virtual integer NPU beside the build machine's CPU (reference HAL: runs the commands on the CPU)", List.of("x86-64", "quench-npu"),
          0, 0, null, "portable", new Npu(Set.of("Conv", "FullyConnected", "ChannelAffine", "Add", "MaxPool", "AveragePool", "GlobalAveragePool", "Relu", "Clip", "Lut"),
              Set.of(DType.INT8, DType.UINT8), 32)),
      // the QEMU boards' memories: 512 KiB for code and constants, 512 KiB RAM of which 32 KiB stack
      "cortex-m4", new Platform("cortex-m4", "Arm Cortex-M4F, bare metal (QEMU mps2-an386)", List.of("armv7e-m", "dsp", "fpv4-sp"), 512 << 10, 480 << 10,
          "toolchains/cortex-m4.cmake", "arm-dsp"),
      "cortex-m7", new Platform("cortex-m7", "Arm Cortex-M7, bare metal (QEMU mps2-an500)", List.of("armv7e-m", "dsp", "fpv5"), 512 << 10, 480 << 10,
          "toolchains/cortex-m7.cmake", "arm-dsp"),
      "cortex-m55", new Platform("cortex-m55", "Arm Cortex-M55 with Helium, bare metal (QEMU mps3-an547)", List.of("armv8.1-m", "mve"), 512 << 10, 480 << 10,
          "toolchains/cortex-m55.cmake", "arm-mve"));

  /** Flash kept for the code of the network, the runtime and the C library. */
  static final long CODE_BYTES = 64L << 10;

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

  public static Platform named(String name) {
    Platform p = ALL.get(name);
    if (p == null) throw new QuenchException("unknown target '" + name + "' (known: " + String.join(", ", ALL.keySet().stream().sorted().toList()) + ")", dev.quench.ir.QuenchException.BAD_INPUT, null);
    return p;
  }
}
