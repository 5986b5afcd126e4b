package dev.quench.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.quench.cli.Main;
import java.io.PrintWriter;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Latency of one inference (batch 1, one thread) of the generated int8 C++ SDK, built with
 * {@code -O3 -march=x86-64-v3}, next to ONNX Runtime (Java API, float model, one intra-op
 * thread) measured in the same run — ORT before and after the C++ runs, the better of the two
 * kept — and the time per node of the C++ (a -DQUENCH_TRACE build). Not a test: run it with
 * scripts/bench-sdk [NAME=MODEL.onnx=CALIB ...].
 */
public final class SdkBench {
  private SdkBench() {}

  public static void main(String[] args) throws Exception {
    int iters = Integer.getInteger("bench.iters", 300);
    List<String[]> models = new ArrayList<>();
    if (args.length == 0) {
      String s = "../shared/models/";
      models.add(new String[] {"fashion_mobilenet", "examples/fashion_mobilenet/fashion_mobilenet.onnx", "examples/fashion_mobilenet/calib_x.npy"});
      models.add(new String[] {"squeezenet1.1", s + "real/squeezenet1.1/model.onnx", "data_0=" + s + "real/squeezenet1.1/in_data_0.npy"});
      models.add(new String[] {"ultraface_slim320", s + "real/ultraface_slim320/model.onnx", "input=" + s + "real/ultraface_slim320/in_input.npy"});
    } else {
      for (String a : args) models.add(a.split("=", 3));
    }
    Path work = Files.createTempDirectory("quench-bench-");
    System.out.printf("%-20s %14s %14s %8s%n", "model", "C++ int8 ms", "ORT float ms", "speed-up");
    List<String> breakdowns = new ArrayList<>();
    for (String[] m : models) {
      Path sdk = work.resolve(m[0]);
      int rc = Main.execute(new String[] {"compile", m[1], "--calib", m[2], "--out", sdk.toString(), "--quiet"}, new PrintWriter(System.err, true),
          new PrintWriter(System.err, true));
      if (rc != 0) throw new IllegalStateException("compile " + m[0] + " failed");
      double ort1 = ort(m[1], iters);
      double cpp = cpp(sdk, m[0], false, iters, null);
      double ort2 = ort(m[1], iters);
      double ort = Math.min(ort1, ort2);
      System.out.printf("%-20s %14.3f %14.3f %7.2fx%n", m[0], cpp, ort, ort / cpp);
      StringBuilder b = new StringBuilder();
      cpp(sdk, m[0], true, Math.max(20, iters / 5), b);
      breakdowns.add(m[0] + ": time per node (C++, -DQUENCH_TRACE build, top 8)\n" + b);
    }
    for (String b : breakdowns) System.out.println(b);
  }

  /** Median ms of ORT on the float model, one thread, random input. */
  static double ort(String model, int iters) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions o = new OrtSession.SessionOptions();
    o.setIntraOpNumThreads(1);
    o.setInterOpNumThreads(1);
    try (OrtSession s = env.createSession(model, o)) {
      var info = s.getInputInfo().values().iterator().next();
      long[] shape = ((ai.onnxruntime.TensorInfo) info.getInfo()).getShape();
      for (int i = 0; i < shape.length; i++) if (shape[i] < 0) shape[i] = 1;
      float[] data = new float[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
      Random r = new Random(1);
      for (int i = 0; i < data.length; i++) data[i] = (float) r.nextGaussian();
      try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape)) {
        double[] t = new double[iters];
        for (int i = 0; i < iters + 20; i++) {
          long t0 = System.nanoTime();
          try (OrtSession.Result res = s.run(Map.of(info.getName(), x))) {
            res.get(0);
          }
          if (i >= 20) t[i - 20] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return t[t.length / 2];
      }
    }
  }

  /** Builds the SDK's bench (-O3 -march=x86-64-v3), runs it; median ms. With trace, appends the slowest nodes. */
  static double cpp(Path sdk, String name, boolean trace, int iters, StringBuilder breakdown) throws Exception {
    Path build = sdk.resolveSibling(sdk.getFileName() + (trace ? "-trace" : "-build"));
    run(List.of("cmake", "-S", sdk.toString(), "-B", build.toString(), "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release", "-DCMAKE_CXX_FLAGS=-O3 -march=x86-64-v3",
        "-DQUENCH_TRACE=" + (trace ? "ON" : "OFF")));
    run(List.of("cmake", "--build", build.toString()));
    String model = sdk.getFileName().toString();
    Path exe = Files.list(build).filter(p -> p.getFileName().toString().endsWith("_bench")).findFirst().orElseThrow();
    String out = run(List.of(exe.toString(), Integer.toString(iters)));
    double median = Double.parseDouble(out.replaceAll("(?s).*median_us ([0-9.]+).*", "$1")) / 1000;
    if (breakdown != null) {
      List<String[]> steps = new ArrayList<>();
      for (String line : out.split("\n")) if (line.startsWith("step ")) steps.add(line.split(" ", 4));
      steps.sort((a, b) -> Double.compare(Double.parseDouble(b[2]), Double.parseDouble(a[2])));
      double total = steps.stream().mapToDouble(s -> Double.parseDouble(s[2])).sum();
      for (String[] s : steps.subList(0, Math.min(8, steps.size()))) {
        breakdown.append(String.format("  %8.1f us %5.1f%%  %s%n", Double.parseDouble(s[2]), 100 * Double.parseDouble(s[2]) / total, s[3]));
      }
    }
    return median;
  }

  private static String run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
    return out;
  }
}
