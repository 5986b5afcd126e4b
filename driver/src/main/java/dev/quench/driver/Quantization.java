package dev.quench.driver;

import dev.quench.ir.Graph;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import dev.quench.ir.target.Target;
import dev.quench.passes.PassContext;
import dev.quench.passes.PassManager;
import dev.quench.passes.Pipelines;
import dev.quench.passes.quant.BiasCorrection;
import dev.quench.passes.quant.Calibrator;
import dev.quench.passes.quant.CosineSearch;
import dev.quench.passes.quant.MixedPrecision;
import dev.quench.passes.quant.QdqImport;
import dev.quench.passes.quant.QuantOptions;
import dev.quench.passes.quant.QuantizePow2;
import dev.quench.passes.quant.Sensitivity;
import dev.quench.passes.quant.TensorStats;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Quantization for a target, the steps of {@code quench quantize} and {@code compile}: the
 * target's pass pipeline (the same as {@code optimize --target}), QDQ scales imported, calibration,
 * the cosine search, mixed precision, power-of-two quantization and bias correction.
 */
public final class Quantization {
  private Quantization() {}

  /**
   * What to do beyond the quantizer's options.
   *
   * @param skipPasses passes left out of the pipeline (ablations)
   * @param mixed widen the most sensitive layers to 16 bits within budgetBytes, ranked by sensitivity (sqnr or nuclear)
   */
  public record Settings(QuantOptions options, List<String> skipPasses, boolean biasCorrection, boolean mixed, String sensitivity, long budgetBytes) {}

  /** The optimised float graph and its quantized copy, with what was decided on the way. */
  public record Result(Graph floatGraph, Graph quantGraph, double calibSeconds, int calibSamples, List<MixedPrecision.Promotion> promotions,
      Map<String, Double> biasCorrections, List<QdqImport.Activation> qdq) {}

  /**
   * @param g the float graph (optimised in place)
   * @param progress told how many calibration samples are done
   */
  public static Result run(Graph g, List<Map<String, Tensor>> samples, Settings s, Target target, IntConsumer progress) {
    QuantOptions qo = s.options();
    List<QdqImport.Activation> qdq = QdqImport.strip(g);
    if (!qdq.isEmpty()) qo = qo.withFixedFracs(QdqImport.fracs(qdq));
    for (String p : s.skipPasses()) {
      if (Pipelines.forQuantization().stream().noneMatch(e -> e.pass().name().equals(p))) throw new QuenchException("--skip-pass: no pass '" + p + "'", QuenchException.BAD_INPUT, null);
    }
    List<PassManager.Entry> pipeline = Pipelines.forQuantization().stream().filter(e -> !s.skipPasses().contains(e.pass().name())).toList();
    new PassManager().run(g, pipeline, new PassContext(target));
    long t0 = System.nanoTime();
    Map<String, TensorStats> stats = Calibrator.collect(g, samples, progress::accept);
    double secs = (System.nanoTime() - t0) / 1e9;
    if (qo.method().equals("cosine")) qo = CosineSearch.apply(qo, CosineSearch.search(g, stats, qo, samples));
    List<MixedPrecision.Promotion> promotions = null;
    if (s.mixed()) {
      if (!s.sensitivity().equals("sqnr") && !s.sensitivity().equals("nuclear")) throw new QuenchException("--sensitivity must be sqnr or nuclear", QuenchException.BAD_INPUT, null);
      List<Sensitivity.Layer> sens = Sensitivity.measure(g, stats, qo, samples, s.sensitivity().equals("sqnr"));
      promotions = MixedPrecision.choose(sens, s.sensitivity(), s.budgetBytes());
      Set<String> wide = new HashSet<>(qo.int16Layers());
      for (MixedPrecision.Promotion p : promotions) wide.add(p.layer().tensor());
      qo = qo.withInt16(wide);
    }
    Graph q = QuantizePow2.quantize(g, stats, qo);
    Map<String, Double> corrections = s.biasCorrection() ? BiasCorrection.apply(g, q, samples) : null;
    return new Result(g, q, secs, samples.size(), promotions, corrections, qdq);
  }
}
