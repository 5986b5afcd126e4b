package dev.quench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each ISA kernel variant (runtime/quench/isa/: Arm DSP on Cortex-M4 and M7, Helium on
 * Cortex-M55, NEON dot product on Cortex-A) against the portable kernels on about 500 random
 * convolution and fully-connected cases (shapes, strides, dilations, pads, groups, int8 / uint8
 * inputs, 8- and 16-bit outputs, per-channel shifts, clamps), cross-built and run under QEMU:
 * src/test/cpp/kernel_twin.
 */
class IsaKernelTwinTest {
  @TempDir
  Path tmp;

  @Test
  void everyIsaVariantMatchesThePortableKernelsUnderQemu() {
    Path root = TestData.root(), src = root.resolve("src/test/cpp/kernel_twin");
    String[][] variants = {{"cortex-m4", "QUENCH_ISA_ARM_DSP", "arm-dsp"}, {"cortex-m7", "QUENCH_ISA_ARM_DSP", "arm-dsp"},
        {"cortex-m55", "QUENCH_ISA_ARM_MVE", "arm-mve"}, {"aarch64-linux-gnu", "QUENCH_ISA_NEON_DOT", "neon-dot"}};
    for (String[] v : variants) {
      Path build = tmp.resolve(v[0]);
      StringBuilder log = new StringBuilder();
      int rc = Processes.run(List.of("cmake", "-S", src.toString(), "-B", build.toString(), "-DCMAKE_TOOLCHAIN_FILE=" + root.resolve("toolchains/" + v[0] + ".cmake"),
          "-DQUENCH_RUNTIME=" + root.resolve("templates/runtime"), "-DQUENCH_ISA=" + v[1]), log);
      assertEquals(0, rc, log.toString());
      assertEquals(0, Processes.run(List.of("cmake", "--build", build.toString()), log), log.toString());
      StringBuilder out = new StringBuilder();
      rc = Processes.run(List.of("ctest", "--test-dir", build.toString(), "-V"), out);
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("kernel twin " + v[2] + ": (\\d+) cases, (\\d+) mismatches").matcher(out);
      assertTrue(m.find(), v[0] + ": " + out);
      assertEquals(0, rc, out.toString());
      assertEquals("0", m.group(2), out.toString());
      assertTrue(Integer.parseInt(m.group(1)) > 300, m.group());
      System.out.println(v[0] + ": " + m.group());
    }
  }
}
