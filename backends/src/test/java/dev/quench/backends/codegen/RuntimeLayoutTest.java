package dev.quench.backends.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runtime as a kernel library: every file is shipped (SdkGenerator's lists name all of them),
 * none is over 400 lines, every kernel follows the naming convention and has its
 * {@code _scratch_bytes}, and no kernel keeps an array on the stack.
 */
class RuntimeLayoutTest {
  private static final Path RUNTIME = Path.of("..", "templates", "runtime");

  private static List<Path> files() throws IOException {
    try (Stream<Path> s = Files.walk(RUNTIME)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  @Test
  void everyRuntimeFileIsShippedAndNoneIsOver400Lines() throws IOException {
    Set<String> shipped = new TreeSet<>(SdkGenerator.RUNTIME);
    shipped.addAll(SdkGenerator.NPU_RUNTIME);
    Set<String> present = new TreeSet<>();
    for (Path f : files()) {
      present.add(RUNTIME.relativize(f).toString().replace('\\', '/'));
      long lines = Files.readAllLines(f).size();
      assertTrue(lines <= 400, f + ": " + lines + " lines");
    }
    assertEquals(present, shipped, "the runtime files and SdkGenerator.RUNTIME / NPU_RUNTIME");
    assertTrue(present.size() >= 15, "the runtime is split by family: " + present);
  }

  /** A kernel: a QUENCH_INLINE function in kernels/, returning void. */
  private static final Pattern KERNEL = Pattern.compile("QUENCH_INLINE void (\\w+)\\(");
  private static final Pattern NAME = Pattern.compile("[a-z0-9]+(_[a-z0-9]+)*_(int|f32|any|f32_int|int_f32|f32_f16|f16_f32|int_gemm|int_oc_inner|int_isa)|copy_bytes|gather_strided|gather_axes");
  /** An array declared in a function body: "Type name[N];" (not a parameter). */
  private static final Pattern STACK_ARRAY = Pattern.compile("^\\s+(?:alignas\\(\\d+\\)\\s+)?(?:const\\s+)?[\\w:<>]+\\*?\\s+\\w+\\[([^\\]]+)\\](\\[[^\\]]+\\])?(\\s*=.*)?;", Pattern.MULTILINE);

  @Test
  void everyKernelIsNamedByConventionAndHasItsScratchFunction() throws IOException {
    List<String> kernels = new ArrayList<>();
    for (Path f : files()) {
      if (!f.getParent().getFileName().toString().equals("kernels")) continue;
      String src = Files.readString(f);
      Matcher m = KERNEL.matcher(src);
      while (m.find()) {
        String k = m.group(1);
        // helpers, not kernels: of conv2d_int_gemm, and the scatter both conv_transpose kernels share
        if (k.equals("gather_column") || k.equals("gemm_bases") || k.equals("conv_transpose_scatter")) continue;
        kernels.add(k);
        assertTrue(NAME.matcher(k).matches(), f + ": kernel " + k + " is not named <op>_<form>[_<variant>]");
        assertTrue(src.contains(" " + k + "_scratch_bytes("), f + ": kernel " + k + " has no " + k + "_scratch_bytes");
      }
    }
    assertTrue(kernels.size() >= 25, "kernels found: " + kernels);
  }

  @Test
  void kernelsKeepNoArrayOver64BytesOnTheStack() throws IOException {
    for (Path f : files()) {
      // the NPU HAL's static scratch stands for the NPU's SRAM; npu.h declares the command format (struct fields)
      if (f.toString().endsWith("npu_reference.cpp") || f.toString().endsWith("npu.h")) continue;
      Matcher m = STACK_ARRAY.matcher(Files.readString(f));
      while (m.find()) {
        // only small fixed arrays of accumulators, pointers and registers (at most 8 elements of 8 bytes)
        String n = m.group(1).strip();
        assertTrue(n.matches("\\d+|NC|NW|NW \\* NC|kGemmBlock") && (!n.matches("\\d+") || Integer.parseInt(n) <= 8), f + ": array on the stack: " + m.group().strip());
      }
    }
  }
}
