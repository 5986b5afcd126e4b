package dev.quench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host SDK end to end: quench compile + quench verify bit-exact on every shared model (the
 * C++ outputs equal the Java integer interpreter's, bit for bit), arena within 10 % of its lower
 * bound, -Wall -Wextra -Werror under gcc and clang, ASan+UBSan clean, and regeneration
 * byte-identical.
 */
class CodegenTest {
  @TempDir
  Path tmp;

  private Path compile(String name, String model, String calib) {
    Path out = tmp.resolve(name);
    TestData.Run r = TestData.cli("compile", model, "--calib", calib, "--out", out.toString(), "--quiet");
    assertEquals(0, r.code(), name + ": " + r.err());
    return out;
  }

  private static void verify(Path sdk, String... extra) {
    List<String> args = new ArrayList<>(List.of("verify", sdk.toString(), "--json"));
    args.addAll(List.of(extra));
    TestData.Run v = TestData.cli(args.toArray(String[]::new));
    assertEquals(0, v.code(), sdk.getFileName() + " " + List.of(extra) + ": " + v.out() + v.err());
    assertTrue(v.out().contains("\"bit_exact\":true") && v.out().contains("\"samples\":4,\"exact_samples\":4"), v.out());
  }

  @Test
  void everySharedModelIsBitExactWithATightArena() throws Exception {
    Path s = TestData.shared();
    assumeTrue(s != null, "needs ../shared/models");
    Path d = s.resolve("models/digits"), r = s.resolve("models/real");
    String dc = d.resolve("digits_calib_x.npy").toString();
    String[][] models = {
        {"digits_cnn", d.resolve("digits_cnn.onnx").toString(), dc},
        {"digits_mlp", d.resolve("digits_mlp.onnx").toString(), dc},
        {"digits_repvgg", d.resolve("digits_repvgg.onnx").toString(), dc},
        {"digits_qarepvgg", d.resolve("digits_qarepvgg.onnx").toString(), dc},
        {"digits_vit", d.resolve("digits_vit.onnx").toString(), dc},
        {"fashion_mobilenet", s.resolve("models/fashion/fashion_mobilenet.onnx").toString(), s.resolve("models/fashion/fashion_calib_x.npy").toString()},
        {"cifar10", r.resolve("cifar10_tutorial_cnn/model.onnx").toString(), r.resolve("cifar10_tutorial_cnn/in_modelInput.npy").toString()},
        {"mnist", r.resolve("mnist_cntk/model.onnx").toString(), r.resolve("mnist_cntk/in_Input3.npy").toString()},
        {"ppocr", r.resolve("ppocr_mobile_v2_cls/model.onnx").toString(), "x=" + r.resolve("ppocr_mobile_v2_cls/in_x.npy")},
        {"squeezenet", r.resolve("squeezenet1.1/model.onnx").toString(), "data_0=" + r.resolve("squeezenet1.1/in_data_0.npy")},
        {"ultraface", r.resolve("ultraface_slim320/model.onnx").toString(), "input=" + r.resolve("ultraface_slim320/in_input.npy")},
        {"yunet", r.resolve("yunet_n_320/model.onnx").toString(), "input=" + r.resolve("yunet_n_320/in_input.npy")}};
    for (String[] m : models) {
      Path sdk = compile(m[0], m[1], m[2]);
      verify(sdk);
      String summary = Files.readString(sdk.resolve("summary.json"));
      double ratio = TestData.number(summary, "arena_bytes") / TestData.number(summary, "arena_lower_bound_bytes");
      System.out.printf("%s: bit-exact, arena %.0f bytes (%.3f x lower bound), constants %.0f bytes%n", m[0], TestData.number(summary, "arena_bytes"), ratio,
          TestData.number(summary, "weights_bytes"));
      assertTrue(ratio <= 1.10, m[0] + ": arena / lower bound = " + ratio);
      Files.walk(sdk).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void generatedCodeIsWarningFreeUnderGccAndClangAndSanitizerClean() throws Exception {
    assertTrue(Processes.onPath("g++") && Processes.onPath("clang++") && Processes.onPath("cmake"), "scripts/test installs g++, clang and cmake");
    Path ex = TestData.example();
    Path sdk = compile("fm", ex.resolve("fashion_mobilenet.onnx").toString(), ex.resolve("calib_x.npy").toString());
    verify(sdk, "--cxx", "g++");
    verify(sdk, "--cxx", "clang++");
    verify(sdk, "--sanitize");
    StringBuilder cpp = new StringBuilder(Files.readString(sdk.resolve("src/fashion_mobilenet.cpp")));
    try (var files = Files.walk(sdk.resolve("runtime"))) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) cpp.append(Files.readString(f));
    }
    for (String heap : new String[] {"malloc", "new ", "std::vector", "throw", "typeid", "dynamic_cast"}) assertFalse(cpp.toString().contains(heap), "no " + heap);
    Path s = TestData.shared();
    assumeTrue(s != null, "the other two sanitizer models need ../shared/models");
    Path d = s.resolve("models/digits");
    verify(compile("vit", d.resolve("digits_vit.onnx").toString(), d.resolve("digits_calib_x.npy").toString()), "--sanitize", "--cxx", "clang++");
    Path mn = s.resolve("models/real/mnist_cntk");
    verify(compile("mnist", mn.resolve("model.onnx").toString(), mn.resolve("in_Input3.npy").toString()), "--sanitize");
  }

  @Test
  void aCompilerWithoutItsSanitizerRuntimeIsNamedInOneLine() throws Exception {
    assertTrue(Processes.onPath("clang++"), "scripts/test installs clang");
    // clang++ as on a machine without libclang-rt-N-dev: compiles as usual, links look for the
    // runtime in an empty resource directory (the same linker error as the missing package)
    Path cxx = tmp.resolve("clang-without-rt++");
    Files.writeString(cxx, "#!/bin/sh\nfor a in \"$@\"; do [ \"$a\" = -c ] && exec clang++ \"$@\"; done\nexec clang++ -resource-dir=" + tmp.resolve("no-resources")
        + " \"$@\"\n");
    assertTrue(cxx.toFile().setExecutable(true));
    Path ex = TestData.example();
    Path sdk = compile("fm", ex.resolve("fashion_mobilenet.onnx").toString(), ex.resolve("calib_x.npy").toString());
    TestData.Run v = TestData.cli("verify", sdk.toString(), "--sanitize", "--cxx", cxx.toString());
    assertEquals(2, v.code(), v.out() + v.err());
    String err = v.err().strip();
    assertFalse(err.contains("\n"), "one line: " + err);
    assertTrue(err.matches("quench: error: " + Pattern.quote(cxx.toString()) + " cannot link -fsanitize=address,undefined builds: its sanitizer runtime libclang_rt\\.asan[\\w.-]*-x86_64\\.a is missing"),
        err);
    // without --sanitize the same compiler builds and is bit-exact
    verify(sdk, "--cxx", cxx.toString());
  }

  @Test
  void sanitizerRuntimeMessagesOfClangAndGcc() {
    String clang = "-- Check for working CXX compiler: /usr/bin/clang++ - skipped\n/usr/bin/ld: cannot find /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/"
        + "libclang_rt.asan_static-x86_64.a: No such file or directory\nclang: error: linker command failed";
    assertEquals("clang++ cannot link -fsanitize=address,undefined builds: its sanitizer runtime libclang_rt.asan_static-x86_64.a is missing; "
        + "on Debian: apt-get install libclang-rt-14-dev", sanitizerError(clang, null));
    String gcc = "-- Check for working CXX compiler: /usr/bin/c++ - skipped\n/usr/bin/ld: cannot find libasan_preinit.o: No such file or directory\n"
        + "/usr/bin/ld: cannot find -lasan: No such file or directory";
    assertEquals("g++-12 cannot link -fsanitize=address,undefined builds: its sanitizer runtime libasan_preinit.o is missing; "
        + "on Debian: apt-get install the libasan / libubsan of your g++", sanitizerError(gcc, "g++-12"));
    assertEquals("c++ cannot link -fsanitize=address,undefined builds: its sanitizer runtime libubsan is missing; on Debian: apt-get install the libasan / libubsan of your g++",
        sanitizerError("Check for working CXX compiler: /usr/bin/c++\nld: cannot find -lubsan", null));
    // any other build failure stays a build failure
    VerifyCommand.missingSanitizerRuntime("src/m.cpp:3:1: error: expected ';'\n/usr/bin/ld: cannot find -lfoo", "g++");
  }

  private static String sanitizerError(String log, String cxx) {
    return org.junit.jupiter.api.Assertions.assertThrows(dev.quench.ir.QuenchException.class, () -> VerifyCommand.missingSanitizerRuntime(log, cxx)).getMessage();
  }

  @Test
  void regenerationIsByteIdentical() throws Exception {
    Path ex = TestData.example();
    Path qir = tmp.resolve("fm.qir");
    assertEquals(0, TestData.cli("quantize", ex.resolve("fashion_mobilenet.onnx").toString(), "--calib", ex.resolve("calib_x.npy").toString(), "-o",
        qir.toString(), "--quiet").code());
    Path a = tmp.resolve("a"), b = tmp.resolve("b");
    assertEquals(0, TestData.cli("codegen", qir.toString(), "--out", a.toString()).code());
    assertEquals(0, TestData.cli("codegen", qir.toString(), "--out", b.toString()).code());
    List<Path> fa = files(a), fb = files(b);
    assertEquals(fa.stream().map(a::relativize).toList(), fb.stream().map(b::relativize).toList());
    assertTrue(fa.size() >= 9, fa.toString());
    for (int i = 0; i < fa.size(); i++) assertArrayEquals(Files.readAllBytes(fa.get(i)), Files.readAllBytes(fb.get(i)), fa.get(i).toString());
    // and the codegen output verifies too (pseudo-random golden inputs)
    verify(a);
  }

  @Test
  void aCorruptedWeightIsCaughtAndItsNodeNamed() throws Exception {
    Path ex = TestData.example();
    Path sdk = compile("bad", ex.resolve("fashion_mobilenet.onnx").toString(), ex.resolve("calib_x.npy").toString());
    Path cpp = sdk.resolve("src/fashion_mobilenet.cpp");
    String src = Files.readString(cpp);
    // the weights of the fifth convolution: change their first value by one
    Matcher w = Pattern.compile("const int8_t (k_\\w+_Conv_w_\\w+)\\[\\d+\\] = \\{\\n    (-?\\d+),").matcher(src);
    for (int i = 0; i < 5; i++) assertTrue(w.find(), "five conv weight arrays");
    int v = Integer.parseInt(w.group(2));
    Files.writeString(cpp, src.substring(0, w.start(2)) + (v < 127 ? v + 1 : v - 1) + src.substring(w.end(2)));
    TestData.Run r = TestData.cli("verify", sdk.toString(), "--json");
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("\"bit_exact\":false") && r.out().contains("mismatch: sample "), r.out());
    String node = w.group(1).replaceAll("^k_f_f_(\\d)_body_body_(\\d)_body_(\\d)_(\\d)_Conv_w_\\w+$", "/f/f.$1/body/body.$2/body.$3.$4/Conv");
    assertTrue(r.out().contains("\"first_divergent_node\":\"" + node + "\""), node + " in " + r.out());
  }

  private static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
