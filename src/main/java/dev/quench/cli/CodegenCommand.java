package dev.quench.cli;

import dev.quench.backends.codegen.SdkGenerator;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import dev.quench.ir.io.Json;
import dev.quench.ir.mw.MiddlewareParser;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code quench codegen OUT.qir --target host --out DIR}: the C++ SDK of a quantized middleware file. */
@Command(name = "codegen", mixinStandardHelpOptions = true, description = "Generate the C++ SDK of a quantized .qir.")
final class CodegenCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "OUT.qir", description = "Quantized middleware (from quench quantize).")
  Path qir;

  @Option(names = "--target", defaultValue = "host", description = "Target: host, cortex-a, riscv64, cortex-m4, cortex-m7, cortex-m55, npu (default: ${DEFAULT-VALUE}).")
  String target;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "The SDK directory (replaced).")
  Path out;

  @Option(names = "--golden", paramLabel = "[NAME=]X.npy", description = "Golden inputs (first axis: samples); default: pseudo-random inputs in the quantized range.")
  List<String> golden;

  @Option(names = "--golden-samples", paramLabel = "N", description = GOLDEN_SAMPLES_HELP)
  Integer goldenSamples;

  @picocli.CommandLine.Mixin
  OutputOptions flags;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  static final int DEFAULT_GOLDEN_SAMPLES = 4;
  static final String GOLDEN_SAMPLES_HELP = "Golden samples in test/ (default: " + DEFAULT_GOLDEN_SAMPLES
      + ", or as many as fit the target's flash, at least one; an explicit N that does not fit is an error).";

  @Override
  public Integer call() {
    int n = goldenCount(goldenSamples);
    List<Map<String, Tensor>> inputs;
    if (golden == null) {
      inputs = randomInputs(MiddlewareParser.read(qir), n);
    } else {
      List<Map<String, Tensor>> all = SampleData.samples(SampleData.read(qir, golden));
      inputs = all.subList(0, Math.min(n, all.size()));
    }
    SdkGenerator.Summary s = SdkGenerator.generate(qir, target, out, inputs, goldenSamples == null);
    noteGolden(flags.progress(spec), s, inputs.size(), target);
    print(spec.commandLine().getOut(), flags.json, s, out);
    return 0;
  }

  /** The golden samples asked for: --golden-samples N (1..1000), or the default when it is not given. */
  static int goldenCount(Integer option) {
    QuenchException.check(option == null || (option >= 1 && option <= 1000), "--golden-samples must be 1..1000");
    return option == null ? DEFAULT_GOLDEN_SAMPLES : option;
  }

  /** Says on stderr when fewer golden samples than there were went into the SDK (they did not fit the flash). */
  static void noteGolden(PrintWriter progress, SdkGenerator.Summary s, int offered, String target) {
    if (s.goldenSamples() < offered) {
      progress.printf("quench: %d of %d golden samples fit %s's flash beside the model; the selftest uses %d%n", s.goldenSamples(), offered,
          target, s.goldenSamples());
    }
    for (String b : s.untakenBranches()) {
      progress.printf("quench: no golden sample takes the %s; the selftest checks only the branches its samples take (--golden inputs that take it)%n", b);
    }
  }

  static void print(PrintWriter w, boolean json, SdkGenerator.Summary s, Path out) {
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>(s.json());
      m.put("out", out.toString());
      w.println(Json.write(m));
    } else {
      w.printf("wrote %s: %d steps, %,d bytes of constants, arena %,d bytes (lower bound %,d)%n", out, s.steps(), s.weightsBytes(), s.arenaBytes(),
          s.arenaLowerBoundBytes());
    }
  }

  /** Deterministic inputs spread over the range the model's first quantization can represent. */
  static List<Map<String, Tensor>> randomInputs(Graph g, int n) {
    SplittableRandom r = new SplittableRandom(20261122L);
    List<Map<String, Tensor>> samples = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      Map<String, Tensor> m = new LinkedHashMap<>();
      for (Value v : g.dataInputs()) {
        double lo = -1, hi = 1;
        for (Node q : g.users(v)) {
          if (q.opType.equals("QuantizeLinear") && q.output(0).qparams() != null) {
            double step = Math.scalb(1.0, (int) -q.output(0).qparams().frac0());
            boolean uns = q.output(0).qparams().unsigned();
            int bits = (int) q.output(0).qparams().bits();
            hi = step * ((1L << (uns ? bits : bits - 1)) - 1);
            lo = uns ? 0 : -hi;
          }
        }
        float[] x = new float[(int) v.type().numel()];
        for (int i = 0; i < x.length; i++) x[i] = (float) (lo + (hi - lo) * r.nextDouble());
        m.put(v.name, Tensor.ofFloat(v.type().shape(), x));
      }
      samples.add(m);
    }
    return samples;
  }
}
