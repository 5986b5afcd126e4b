package dev.quench.backends.codegen;

import dev.quench.ir.QuenchException;
import java.util.List;
import java.util.Map;

/**
 * A code-generation target as data: its ISA features, memory (0 = no limit: a Linux target) and
 * the CMake toolchain file that cross-builds and emulates it. Kernels are the portable ones on
 * every target so far; ISA-specific variants will be selected from {@code isa}.
 */
public record Platform(String name, String description, List<String> isa, long flashBytes, long ramBytes, String toolchain) {
  static final Map<String, Platform> ALL = Map.of(
      "host", new Platform("host", "the build machine (x86-64 Linux)", List.of("x86-64"), 0, 0, null),
      "cortex-a", new Platform("cortex-a", "Arm Cortex-A, aarch64 Linux", List.of("armv8.2-a", "neon", "dotprod"), 0, 0, "toolchains/aarch64-linux-gnu.cmake"),
      "riscv64", new Platform("riscv64", "RISC-V 64, Linux", List.of("rv64gc"), 0, 0, "toolchains/riscv64-linux-gnu.cmake"));

  public static Platform named(String name) {
    Platform p = ALL.get(name);
    if (p == null) throw new QuenchException("unknown target '" + name + "' (known: " + String.join(", ", ALL.keySet().stream().sorted().toList()) + ")", 64, null);
    return p;
  }
}
