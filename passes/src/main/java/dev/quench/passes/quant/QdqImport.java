package dev.quench.passes.quant;

import dev.quench.ir.DType;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the QuantizeLinear → DequantizeLinear pairs of a model quantized by a QAT tool and takes
 * them out of the float graph, keeping what they say: an activation pair on tensor t with scale
 * s and zero point 0 becomes a fixed fractional width for t, f = round(-log2 s) (the nearest
 * power of two in the log domain), used instead of calibration; its relative scale error
 * 2^-f / s - 1 is reported. Pairs with a non-zero zero point are reported and left to calibration
 * (Quench's activations are symmetric). Dequantized weight initializers
 * (DequantizeLinear of a constant) stay in the graph, where constant folding turns them into
 * float weights that the quantizer re-quantizes per channel with power-of-two scales: exact when
 * the tool's scales were powers of two, otherwise the report's weight SQNR shows the cost.
 */
public final class QdqImport {
  private QdqImport() {}

  /** One activation pair: the tensor, the tool's scale, the power-of-two frac used, and what happened. */
  public record Activation(String tensor, double scale, long zeroPoint, DType type, Integer frac, String note) {
    public double relativeError() {
      return frac == null ? Double.NaN : Math.scalb(1.0, -frac) / scale - 1;
    }
  }

  /** Removes the activation pairs from {@code g}; returns them in graph order. */
  public static List<Activation> strip(Graph g) {
    List<Activation> found = new ArrayList<>();
    for (Node q : new ArrayList<>(g.nodes())) {
      if (!q.opType.equals("QuantizeLinear") || q.input(0) == null || q.input(0).isConstant()) continue;
      Value x = q.input(0), qv = q.output(0);
      List<Node> readers = g.users(qv);
      if (g.isOutput(qv) || readers.isEmpty() || !readers.stream().allMatch(r -> r.opType.equals("DequantizeLinear") && r.input(0) == qv)) continue;
      Value scale = q.input(1), zp = q.input(2);
      if (scale == null || !scale.isConstant() || scale.data().numel() != 1 || (zp != null && (!zp.isConstant() || zp.data().numel() != 1))) {
        found.add(new Activation(x.name, Double.NaN, 0, qv.type().dtype(), null, "per-axis or non-constant activation scale: calibrated instead"));
        continue;
      }
      double s = scale.data().getDouble(0);
      long z = zp == null ? 0 : (long) zp.data().getDouble(0);
      for (Node dq : readers) {
        Value d = dq.output(0);
        if (g.isOutput(d)) {
          // keep the graph output's name: the pair collapses to Identity
          Node id = new Node(dq.name, "Identity", 13, List.of(x), List.of(d), new dev.quench.ir.Attributes());
          g.nodes().set(g.nodes().indexOf(dq), id);
          d.setProducer(id);
        } else {
          g.replaceAllUses(d, x);
          g.nodes().remove(dq);
        }
      }
      g.nodes().remove(q);
      boolean ok = s > 0 && Double.isFinite(s) && z == 0;
      Integer f = ok ? (int) Math.round(-Math.log(s) / Math.log(2)) : null;
      String note = ok ? "scale rounded to 2^-" + f : (z != 0 ? "zero point " + z + " (asymmetric): calibrated instead" : "invalid scale: calibrated instead");
      found.add(new Activation(x.name, s, z, qv.type().dtype(), f, note));
    }
    g.pruneValues();
    return found;
  }

  /** The fixed fracs for {@link QuantOptions#withFixedFracs}: tensor name → frac, for the usable pairs. */
  public static Map<String, Integer> fracs(List<Activation> pairs) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (Activation a : pairs) if (a.frac() != null) m.put(a.tensor(), a.frac());
    return m;
  }
}
