package dev.quench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CMake integration: examples/firmware_cortex_m4 calls quench_add_model (cmake/Quench.cmake),
 * which runs Quench at build time; the firmware links the generated library, is cross-built for
 * Cortex-M4 and runs on QEMU through ctest, classifying its images bit-exactly as the Java
 * interpreter. A changed calibration file regenerates the SDK on the next build.
 */
class FirmwareExampleTest {
  @TempDir
  Path tmp;

  @Test
  void firmwareBuildsWithQuenchAtBuildTimeAndRunsOnQemu() throws Exception {
    Path root = TestData.root(), build = tmp.resolve("build");
    // this JVM's Quench, so that the build does not need the packaged launcher
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String command = String.join(";", java, "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), "dev.quench.cli.Main");
    StringBuilder log = new StringBuilder();
    assertEquals(0, Processes.run(List.of("cmake", "-S", root.resolve("examples/firmware_cortex_m4").toString(), "-B", build.toString(),
        "-DCMAKE_TOOLCHAIN_FILE=" + root.resolve("toolchains/cortex-m4.cmake"), "-DQUENCH_COMMAND=" + command), log), log.toString());
    assertEquals(0, Processes.run(List.of("cmake", "--build", build.toString()), log), log.toString());
    assertTrue(log.toString().contains("Quench: compiling"), "the model is compiled by the build: " + log);
    assertTrue(Files.exists(build.resolve("fashion_sdk/summary.json")));
    StringBuilder run = new StringBuilder();
    int rc = Processes.run(List.of("ctest", "--test-dir", build.toString(), "-V"), run);
    assertEquals(0, rc, run.toString());
    assertTrue(run.toString().contains("firmware: 8/8 images classified bit-exactly as the Java interpreter did"), run.toString());
    assertTrue(run.toString().contains("image 0: "), run.toString());
    // nothing changed: the model is not compiled again
    StringBuilder again = new StringBuilder();
    assertEquals(0, Processes.run(List.of("cmake", "--build", build.toString()), again), again.toString());
    assertTrue(!again.toString().contains("Quench: compiling"), again.toString());
  }
}
