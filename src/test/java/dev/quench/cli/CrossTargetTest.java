package dev.quench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross targets under QEMU: the SDK cross-built with toolchains/*.cmake for cortex-a (aarch64)
 * and riscv64 (qemu-user), cortex-m4, -m7 and -m55 (bare metal, qemu-system-arm with
 * semihosting), its selftest run through the emulator by ctest, bit-exact with the Java
 * interpreter. The bundled example always; with ../shared, digits_cnn, mnist_cntk,
 * cifar10_tutorial_cnn and digits_vit (float islands) too, and squeezenet refused on Cortex-M with a clear message.
 */
class CrossTargetTest {
  @TempDir
  Path tmp;

  @Test
  void everyCpuTargetIsBitExactUnderQemu() {
    for (String tool : new String[] {"aarch64-linux-gnu-g++", "riscv64-linux-gnu-g++", "qemu-aarch64", "qemu-riscv64", "arm-none-eabi-g++", "qemu-system-arm"}) {
      assertTrue(Processes.onPath(tool), tool + " (scripts/test installs it)");
    }
    Path ex = TestData.example();
    List<String[]> models = new ArrayList<>();
    models.add(new String[] {"fashion_mobilenet", ex.resolve("fashion_mobilenet.onnx").toString(), ex.resolve("calib_x.npy").toString()});
    Path s = TestData.shared();
    if (s != null) {
      Path d = s.resolve("models/digits"), r = s.resolve("models/real");
      models.add(new String[] {"digits_cnn", d.resolve("digits_cnn.onnx").toString(), d.resolve("digits_calib_x.npy").toString()});
      models.add(new String[] {"mnist", r.resolve("mnist_cntk/model.onnx").toString(), r.resolve("mnist_cntk/in_Input3.npy").toString()});
      models.add(new String[] {"cifar10", r.resolve("cifar10_tutorial_cnn/model.onnx").toString(), r.resolve("cifar10_tutorial_cnn/in_modelInput.npy").toString()});
      // float islands (LayerNorm, Softmax, MatMul with the own fma, exp) on every target
      models.add(new String[] {"digits_vit", d.resolve("digits_vit.onnx").toString(), d.resolve("digits_calib_x.npy").toString()});
    }
    String[][] targets = {{"cortex-a", "aarch64-linux-gnu.cmake"}, {"riscv64", "riscv64-linux-gnu.cmake"}, {"cortex-m4", "cortex-m4.cmake"},
        {"cortex-m7", "cortex-m7.cmake"}, {"cortex-m55", "cortex-m55.cmake"}};
    for (String[] t : targets) {
      for (String[] m : models) {
        Path out = tmp.resolve(t[0] + "-" + m[0]);
        TestData.Run c = TestData.cli("compile", m[1], "--target", t[0], "--calib", m[2], "--out", out.toString(), "--quiet", "--json");
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().contains("\"target\":\"" + t[0] + "\""), c.out());
        TestData.Run v = TestData.cli("verify", out.toString(), "--toolchain", TestData.root().resolve("toolchains/" + t[1]).toString(), "--json");
        assertEquals(0, v.code(), t[0] + " " + m[0] + ": " + v.out() + v.err());
        assertTrue(v.out().contains("\"bit_exact\":true") && v.out().contains("\"exact_samples\":4"), v.out());
        // the deepest stack of one inference, measured from the build's call graph, and counted in ram_bytes
        java.util.regex.Matcher st = java.util.regex.Pattern.compile("\"stack_bytes\":(\\d+)").matcher(v.out());
        assertTrue(st.find(), "verify measures the stack: " + v.out());
        long stack = Long.parseLong(st.group(1));
        String summary = read(out.resolve("summary.json"));
        java.util.regex.Matcher mem = java.util.regex.Pattern.compile("\"arena_bytes\":(\\d+),\"io_bytes\":(\\d+),\"stack_bytes\":(\\d+),\"ram_bytes\":(\\d+)").matcher(summary);
        assertTrue(mem.find(), summary);
        assertEquals(stack, Long.parseLong(mem.group(3)), summary);
        assertEquals(Long.parseLong(mem.group(1)) + Long.parseLong(mem.group(2)) + stack, Long.parseLong(mem.group(4)), "ram_bytes = arena + I/O + stack");
        assertTrue(stack > 0 && stack <= 2048, t[0] + " " + m[0] + ": stack " + stack + " bytes (kernel scratch is in the arena)");
        // on the microcontrollers no kernel (a step: one node's kernel and the helpers it calls)
        // keeps more than 256 bytes on the stack; the 64-bit application processors' figure
        // (8-byte registers, auto-vectorised portable loops) is reported, not bounded here
        java.util.regex.Matcher step = java.util.regex.Pattern.compile("\"deepest_step\":\\{\"step\":\"(step_\\d+)\",\"stack_bytes\":(\\d+)\\}").matcher(v.out());
        assertTrue(step.find(), "verify names the deepest step: " + v.out());
        long deepest = Long.parseLong(step.group(2));
        assertTrue(deepest > 0 && deepest <= stack, "the deepest step lies within the deepest stack: " + v.out());
        if (t[0].startsWith("cortex-m")) assertTrue(deepest <= 256, t[0] + " " + m[0] + ": " + step.group(1) + " keeps " + deepest + " bytes on the stack");
        System.out.println(t[0] + " " + m[0] + ": bit-exact 4/4 under QEMU, stack " + stack + " bytes, deepest step " + step.group(1) + " " + step.group(2) + " bytes");
      }
    }
    // bare metal: the model code needs nothing of the C library but memcpy / memset (the rest is
    // the compiler's own runtime, libgcc's __aeabi_* helpers); digits_vit has every float island
    Path bare = tmp.resolve(s != null ? "cortex-m4-digits_vit" : "cortex-m4-fashion_mobilenet");
    String stem = s != null ? "digits_vit" : "fashion_mobilenet";
    Path obj = tmp.resolve("model.o");
    StringBuilder log = new StringBuilder();
    assertEquals(0, Processes.run(List.of("arm-none-eabi-g++", "-std=c++17", "-O2", "-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16", "-fno-exceptions",
        "-fno-rtti", "-I", bare.resolve("include").toString(), "-I", bare.resolve("runtime").toString(), "-c", bare.resolve("src/" + stem + ".cpp").toString(), "-o",
        obj.toString()), log), log.toString());
    for (String sym : Processes.output(List.of("arm-none-eabi-nm", "-u", obj.toString())).split("\\s+")) {
      assertTrue(sym.isEmpty() || sym.equals("U") || sym.equals("memcpy") || sym.equals("memset") || sym.startsWith("__aeabi_"), "bare-metal model needs " + sym);
    }
    // instruction counts under QEMU (Quench's plugin): per node, deterministic, never below the ISA bound
    Path m4 = tmp.resolve("cortex-m4-fashion_mobilenet");
    String tc = TestData.root().resolve("toolchains/cortex-m4.cmake").toString();
    TestData.Run p1 = TestData.cli("verify", m4.toString(), "--toolchain", tc, "--profile", "--json");
    TestData.Run p2 = TestData.cli("verify", m4.toString(), "--toolchain", tc, "--profile", "--json");
    assertEquals(0, p1.code(), p1.out() + p1.err());
    java.util.regex.Matcher total = java.util.regex.Pattern.compile("\"instructions_per_inference\":(\\d+)").matcher(p1.out());
    assertTrue(total.find() && Long.parseLong(total.group(1)) > 1_000_000, p1.out());
    assertEquals(p1.out(), p2.out(), "instruction counts are repeatable");
    java.util.regex.Matcher conv = java.util.regex.Pattern.compile("\"op\":\"Conv\",\"instructions\":(\\d+),\"macs\":(\\d+)").matcher(p1.out());
    int convs = 0;
    while (conv.find()) {
      convs++;
      // Cortex-M4 SMLAD: two MACs per instruction at best
      assertTrue(Long.parseLong(conv.group(1)) >= Long.parseLong(conv.group(2)) / 2, conv.group());
    }
    assertEquals(17, convs, "fashion_mobilenet has 17 convolutions");
    if (s != null) {
      // squeezenet does not fit a Cortex-M board: a clear refusal before any file is written
      Path sq = s.resolve("models/real/squeezenet1.1");
      Path out = tmp.resolve("m4-squeezenet");
      TestData.Run big = TestData.cli("compile", sq.resolve("model.onnx").toString(), "--target", "cortex-m4", "--calib", "data_0=" + sq.resolve("in_data_0.npy"),
          "--out", out.toString(), "--quiet");
      assertEquals(2, big.code(), big.err());
      assertTrue(big.err().matches("(?s)quench: error: the model needs \\d+ KiB RAM \\(arena and input/output buffers\\), cortex-m4 has 480 KiB\\s*"), big.err());
      assertTrue(!Files.exists(out), "nothing written");
    }
    // an SDK with ISA kernels built for the host: one line naming the toolchain to give
    TestData.Run host = TestData.cli("verify", m4.toString());
    assertEquals(2, host.code(), host.out() + host.err());
    assertEquals("quench: error: " + m4 + ": an SDK for cortex-m4 (arm-dsp kernels) builds with its cross toolchain: give --toolchain toolchains/cortex-m4.cmake",
        host.err().strip());
    TestData.Run bad = TestData.cli("compile", ex.resolve("fashion_mobilenet.onnx").toString(), "--target", "pdp-11", "--calib", ex.resolve("calib_x.npy").toString(),
        "--out", tmp.resolve("x").toString(), "--quiet");
    assertEquals(2, bad.code(), bad.err());
    assertTrue(bad.err().contains("unknown target 'pdp-11' (known: cortex-a, cortex-m4, cortex-m55, cortex-m7, host, npu, riscv64)"), bad.err());
  }

  /**
   * Golden samples live in flash beside the model: by default the SDK takes as many as fit (at
   * least one) and says so; an explicit --golden-samples N that does not fit is refused.
   */
  @Test
  void goldenSamplesShrinkToTheFlashUnlessGivenExplicitly() throws Exception {
    Path ex = TestData.example();
    Path big = tmp.resolve("m4-fashion-1000");
    TestData.Run many = TestData.cli("compile", ex.resolve("fashion_mobilenet.onnx").toString(), "--target", "cortex-m4", "--calib", ex.resolve("calib_x.npy").toString(),
        "--golden", ex.resolve("test_x.npy").toString(), "--golden-samples", "500", "--out", big.toString());
    assertEquals(2, many.code(), many.err());
    assertTrue(many.err().strip().matches("quench: error: the model fits cortex-m4, but not with 500 golden samples \\(\\d+ KiB of flash, \\d+ KiB left\\): use fewer --golden-samples"),
        many.err());
    assertTrue(!Files.exists(big), "nothing written");
    Path s = TestData.shared();
    org.junit.jupiter.api.Assumptions.assumeTrue(s != null, "vww_mobilenet needs ../shared/models");
    // MobileNetV1 0.25 at 96x96: 217 KiB of constants, 110 KiB per golden input, so 2 of the 4 default samples fit the 512 KiB
    Path vww = s.resolve("models/mlperf_tiny/vww_mobilenet");
    Path out = tmp.resolve("m4-vww");
    List<String> compile = List.of("compile", vww.resolve("model.onnx").toString(), "--target", "cortex-m4", "--calib", "input=" + vww.resolve("in_input.npy"));
    TestData.Run c = TestData.cli(java.util.stream.Stream.concat(compile.stream(), java.util.stream.Stream.of("--out", out.toString())).toArray(String[]::new));
    assertEquals(0, c.code(), c.err());
    assertTrue(c.err().contains("quench: 2 of 4 golden samples fit cortex-m4's flash beside the model; the selftest uses 2"), c.err());
    TestData.Run v = TestData.cli("verify", out.toString(), "--toolchain", TestData.root().resolve("toolchains/cortex-m4.cmake").toString(), "--json");
    assertEquals(0, v.code(), v.out() + v.err());
    assertTrue(v.out().contains("\"bit_exact\":true") && v.out().contains("\"samples\":2,\"exact_samples\":2"), v.out());
    Path four = tmp.resolve("m4-vww-4");
    TestData.Run explicit = TestData.cli(java.util.stream.Stream.concat(compile.stream(), java.util.stream.Stream.of("--golden-samples", "4", "--out", four.toString()))
        .toArray(String[]::new));
    assertEquals(2, explicit.code(), explicit.err());
    assertTrue(explicit.err().contains("the model fits cortex-m4, but not with 4 golden samples"), explicit.err());
    assertTrue(!Files.exists(four), "nothing written");
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
