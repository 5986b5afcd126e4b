package dev.quench.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.quench.frontend.OnnxImporter;
import dev.quench.ir.Graph;
import dev.quench.ir.Interpreter;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * Batch-1 latency of the Java float interpreter next to ONNX Runtime (CPU, Java API), in the same
 * JVM and run, alternating rounds so both see the same machine load. Not a test: run it with
 * scripts/bench-latency. Prints the median and 10th/90th percentiles per model and engine.
 *
 * <p>Arguments: MODEL.onnx ... (default: squeezenet1.1 and fashion_mobilenet from ../shared or examples/).
 */
public final class LatencyBench {
  private LatencyBench() {}

  public static void main(String[] args) throws Exception {
    int warmup = Integer.getInteger("bench.warmup", 20), iters = Integer.getInteger("bench.iters", 50);
    String[] models = args.length > 0 ? args : new String[] {"../shared/models/real/squeezenet1.1/model.onnx", "examples/fashion_mobilenet/fashion_mobilenet.onnx"};
    System.out.printf("threads: %d available processors; ORT intra-op threads = same; %d warm-up + %d timed runs each%n",
        Runtime.getRuntime().availableProcessors(), warmup, iters);
    System.out.printf("%-28s %-10s %10s %10s %10s%n", "model", "engine", "p10 ms", "median ms", "p90 ms");
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    for (String m : models) {
      Graph g = OnnxImporter.load(Path.of(m));
      Interpreter interp = new Interpreter(g);
      Value in = g.dataInputs().get(0);
      int[] shape = in.type().shape();
      float[] data = new float[Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
      Random r = new Random(1);
      for (int i = 0; i < data.length; i++) data[i] = (float) r.nextGaussian();
      Tensor x = Tensor.ofFloat(shape, data);
      OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
      opts.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
      try (OrtSession session = env.createSession(m, opts);
          OnnxTensor ox = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), Arrays.stream(shape).asLongStream().toArray())) {
        double[] quench = new double[iters], ort = new double[iters];
        for (int i = 0; i < warmup + iters; i++) {
          long t0 = System.nanoTime();
          interp.run(Map.of(in.name, x));
          long t1 = System.nanoTime();
          try (OrtSession.Result res = session.run(Map.of(in.name, ox))) {
            res.get(0);
          }
          long t2 = System.nanoTime();
          if (i >= warmup) {
            quench[i - warmup] = (t1 - t0) / 1e6;
            ort[i - warmup] = (t2 - t1) / 1e6;
          }
        }
        String name = Path.of(m).getParent().getFileName() + "/" + Path.of(m).getFileName();
        print(name, "quench", quench);
        print(name, "onnxruntime", ort);
      }
    }
  }

  private static void print(String model, String engine, double[] t) {
    double[] s = t.clone();
    Arrays.sort(s);
    System.out.printf("%-28s %-10s %10.2f %10.2f %10.2f%n", model, engine, s[s.length / 10], s[s.length / 2], s[s.length * 9 / 10]);
  }
}
