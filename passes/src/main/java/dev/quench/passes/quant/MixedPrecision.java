package dev.quench.passes.quant;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses which 8-bit layer outputs to widen to 16 bits under a budget of extra activation bytes
 * (one byte per element of each promoted tensor): layers ranked by sensitivity, most sensitive
 * first, taken greedily while they fit. Layers whose promotion gains nothing measurable (under
 * 0.05 dB with the sqnr measure) are never promoted.
 */
public final class MixedPrecision {
  private MixedPrecision() {}

  /** A promoted tensor and why. */
  public record Promotion(Sensitivity.Layer layer, String measure, long extraBytes, String why) {}

  public static List<Promotion> choose(List<Sensitivity.Layer> layers, String measure, long budgetBytes) {
    boolean sqnr = measure.equals("sqnr");
    List<Sensitivity.Layer> ranked = new ArrayList<>(layers);
    ranked.sort(Comparator.comparingDouble((Sensitivity.Layer l) -> sqnr ? l.gainDb() : l.nuclearNorm()).reversed()
        .thenComparing(Sensitivity.Layer::tensor));
    List<Promotion> r = new ArrayList<>();
    long used = 0;
    for (int rank = 0; rank < ranked.size(); rank++) {
      Sensitivity.Layer l = ranked.get(rank);
      if (sqnr && !(l.gainDb() >= 0.05)) break;
      if (used + l.elements() > budgetBytes) continue;
      used += l.elements();
      String why = sqnr
          ? String.format("alone at 8 bits the outputs' SQNR is %.2f dB, at 16 bits %.2f dB (+%.2f dB, rank %d of %d)", l.sqnr8Db(), l.sqnr16Db(), l.gainDb(), rank + 1,
              ranked.size())
          : String.format("nuclear norm %.4g of its output, rank %d of %d", l.nuclearNorm(), rank + 1, ranked.size());
      r.add(new Promotion(l, measure, l.elements(), why));
    }
    return r;
  }
}
