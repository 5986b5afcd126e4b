package dev.quench.passes.quant;

import dev.quench.ir.Graph;
import dev.quench.ir.Interpreter;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Runs the float interpreter over the calibration samples (in parallel) and collects
 * {@link TensorStats} for every float tensor: graph inputs and node outputs. Each sample
 * contributes a strided subsample of each tensor, so the result does not depend on thread
 * scheduling.
 */
public final class Calibrator {
  /** Values kept per tensor over all samples. */
  static final int SAMPLE = 1 << 15;

  private Calibrator() {}

  /** @param progress called with the number of samples done so far (may be called from any thread) */
  public static Map<String, TensorStats> collect(Graph g, List<Map<String, Tensor>> samples, IntConsumer progress) {
    int n = samples.size();
    if (n == 0) throw new dev.quench.ir.QuenchException("calibration needs at least one sample");
    int per = Math.max(1, SAMPLE / n);
    List<Map<String, Partial>> parts = new ArrayList<>();
    for (int i = 0; i < n; i++) parts.add(null);
    Interpreter interp = Interpreter.everyBranch(g);
    AtomicInteger done = new AtomicInteger();
    IntStream.range(0, n).parallel().forEach(i -> {
      Map<String, Partial> m = new HashMap<>();
      Map<String, Tensor> in = samples.get(i);
      for (Value v : g.dataInputs()) observe(m, v.name, in.get(v.name), per, i);
      interp.run(in, (node, outs) -> {
        for (int k = 0; k < outs.length && k < node.outputs().size(); k++) {
          Value o = node.output(k);
          if (o != null && outs[k] != null) observe(m, o.name, outs[k], per, i);
        }
      });
      parts.set(i, m);
      progress.accept(done.incrementAndGet());
    });
    Map<String, TensorStats> result = new HashMap<>();
    for (String name : parts.get(0).keySet()) {
      double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
      int total = 0;
      for (Map<String, Partial> m : parts) {
        Partial p = m.get(name);
        min = Math.min(min, p.min);
        max = Math.max(max, p.max);
        total += p.sample.length;
      }
      float[] all = new float[total];
      int at = 0;
      for (Map<String, Partial> m : parts) {
        float[] s = m.get(name).sample;
        System.arraycopy(s, 0, all, at, s.length);
        at += s.length;
      }
      result.put(name, new TensorStats(min, max, Math.max(Math.abs(min), Math.abs(max)), all));
    }
    return result;
  }

  private record Partial(double min, double max, float[] sample) {}

  /** Min, max and a pseudo-random subsample (seeded by sample index and tensor name: deterministic, not aligned with channels). */
  private static void observe(Map<String, Partial> m, String name, Tensor t, int per, int sampleIndex) {
    if (t == null || !t.isFloat() || t.numel() == 0) return;
    float[] f = t.f;
    double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
    for (float v : f) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    int k = Math.min(per, f.length);
    float[] s = new float[k];
    if (k == f.length) {
      System.arraycopy(f, 0, s, 0, k);
    } else {
      java.util.SplittableRandom r = new java.util.SplittableRandom(name.hashCode() * 31L + sampleIndex);
      for (int i = 0; i < k; i++) s[i] = f[r.nextInt(f.length)];
    }
    m.put(name, new Partial(min, max, s));
  }
}
