package dev.quench.cli;

import dev.quench.ir.QuenchException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Instruction counts of a cross-built SDK under its emulator: Quench's QEMU plugin
 * (toolchains/qemu-icount/icount.c, built here with the host gcc) counts the instructions executed
 * in each generated step function (one per node; kernels are inlined into them), whose address
 * ranges come from the toolchain's nm. Counts are exact and repeatable; divided by the selftest's
 * samples they give instructions per inference per node, and per MAC for conv / FC layers.
 */
final class Profiler {
  private Profiler() {}

  /** One node's figures. */
  record Layer(int step, String node, String op, double instructions, long macs) {
    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("node", node);
      m.put("op", op);
      m.put("instructions", Math.round(instructions));
      m.put("macs", macs);
      m.put("instructions_per_mac", macs == 0 ? null : Math.round(instructions / macs * 1000) / 1000.0);
      return m;
    }
  }

  static List<Layer> profile(Path sdk, Path build, String ctestOutput, int samples) {
    QuenchException.check(samples > 0, "profile: the selftest did not run");
    try {
      Path exe;
      try (var s = Files.list(build)) {
        exe = s.filter(p -> p.getFileName().toString().endsWith("_selftest")).findFirst().orElseThrow(() -> new QuenchException("profile: no selftest"));
      }
      Matcher cmd = Pattern.compile("Test command: ([^\\n]*)").matcher(ctestOutput);
      QuenchException.check(cmd.find(), "profile: cannot find the test command");
      List<String> run = new ArrayList<>();
      Matcher tok = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(cmd.group(1));
      while (tok.find()) run.add(tok.group(1) != null ? tok.group(1) : tok.group(2));
      QuenchException.check(run.size() > 1 && run.get(0).contains("qemu"), "profile needs an emulated target (verify --toolchain toolchains/<target>.cmake)");
      String cache = Files.readString(build.resolve("CMakeCache.txt"));
      Matcher cxx = Pattern.compile("CMAKE_CXX_COMPILER:\\w+=(\\S+)").matcher(cache);
      String nm = cxx.find() && cxx.group(1).matches(".*[gc]\\+\\+$") ? cxx.group(1).replaceAll("[gc]\\+\\+$", "nm") : "nm";
      // step function ranges
      String syms = Processes.output(List.of(nm, "-S", "-C", "--defined-only", exe.toString()));
      Map<Integer, long[]> ranges = new TreeMap<>();
      Matcher sm = Pattern.compile("(?m)^([0-9a-f]+) ([0-9a-f]+) [tT] .*::step_(\\d+)\\(").matcher(syms);
      while (sm.find()) {
        long lo = Long.parseLong(sm.group(1), 16) & ~1L;
        ranges.put(Integer.parseInt(sm.group(3)), new long[] {lo, lo + Long.parseLong(sm.group(2), 16)});
      }
      QuenchException.check(!ranges.isEmpty(), "profile: no step functions in %s", exe);
      Path work = Files.createTempDirectory("quench-profile-");
      try {
        Path src = work.resolve("icount.c"), lib = work.resolve("libicount.so"), list = work.resolve("ranges"), log = work.resolve("icount.log");
        try (InputStream in = Profiler.class.getResourceAsStream("/quench-tools/icount.c")) {
          QuenchException.check(in != null, "profile: the instruction counter's source is missing from the jar");
          Files.write(src, in.readAllBytes());
        }
        Processes.output(List.of("gcc", "-O2", "-shared", "-fPIC", "-fvisibility=hidden", "-o", lib.toString(), src.toString()));
        StringBuilder rl = new StringBuilder();
        List<Integer> order = new ArrayList<>(ranges.keySet());
        for (int k : order) rl.append(String.format("%x %x%n", ranges.get(k)[0], ranges.get(k)[1]));
        Files.writeString(list, rl.toString());
        List<String> withPlugin = new ArrayList<>(run);
        withPlugin.addAll(1, List.of("-plugin", lib + ",ranges=" + list, "-d", "plugin", "-D", log.toString()));
        // the selftest's own status does not matter here, only the counts in the log
        Processes.run(withPlugin, new StringBuilder());
        String counts = Files.readString(log);
        String summary = Files.readString(sdk.resolve("summary.json"));
        List<Layer> layers = new ArrayList<>();
        Matcher lm = Pattern.compile("\\{\"node\":\"((?:[^\"\\\\]|\\\\.)*)\",\"op\":\"([^\"]*)\",\"bits\":\\d+,\"float\":(?:true|false),\"macs\":(\\d+)\\}").matcher(summary);
        List<String[]> meta = new ArrayList<>();
        while (lm.find()) meta.add(new String[] {lm.group(1), lm.group(2), lm.group(3)});
        for (int r = 0; r < order.size(); r++) {
          Matcher c = Pattern.compile("icount range " + r + " (\\d+)").matcher(counts);
          QuenchException.check(c.find(), "profile: no count for range %d", r);
          int step = order.get(r);
          String[] md = step < meta.size() ? meta.get(step) : new String[] {"step " + step, "?", "0"};
          layers.add(new Layer(step, md[0], md[1], Long.parseLong(c.group(1)) / (double) samples, Long.parseLong(md[2])));
        }
        return layers;
      } finally {
        dev.quench.ir.io.Dirs.deleteTree(work);
      }
    } catch (IOException e) {
      throw new QuenchException("profile: " + e.getMessage(), e);
    }
  }
}
