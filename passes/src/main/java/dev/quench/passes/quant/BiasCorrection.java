package dev.quench.passes.quant;

import dev.quench.ir.op.Conv;
import dev.quench.ir.op.FullyConnected;
import dev.quench.ir.Attributes;
import dev.quench.ir.DType;
import dev.quench.ir.FixedPoint;
import dev.quench.ir.Graph;
import dev.quench.ir.Interpreter;
import dev.quench.ir.Node;
import dev.quench.ir.QParams;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import dev.quench.ir.op.OpRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Empirical bias correction (after Nagel et al., "Data-Free Quantization", §4.2, measured on data
 * instead of derived from BN statistics). Quantizing weights W to W' = W + dW adds to every output
 * the term conv(x, dW); its mean over the calibration data, per output channel c,
 *
 * <pre>  E[y'_c - y_c] = E[conv(x, dW)_c]</pre>
 *
 * is a systematic shift that the next layers see as a bias error. It is measured here with the
 * float inputs x of the float network (so each layer corrects only the error it adds itself, and
 * the layers can be corrected independently in one pass) and subtracted from the integer bias:
 * {@code b'_c -= round(E_c * 2^(f_x + f_w[c]))}. A layer without bias gets one.
 */
public final class BiasCorrection {
  private BiasCorrection() {}

  /** Corrects {@code quant} in place; returns per corrected layer the largest correction in output units (float). */
  public static Map<String, Double> apply(Graph floatGraph, Graph quant, List<Map<String, Tensor>> samples) {
    Map<String, Node> floatNodes = new HashMap<>();
    for (Node n : floatGraph.nodes()) floatNodes.put(n.name, n);
    List<Node> targets = new ArrayList<>();
    Map<Node, Node> probes = new HashMap<>();
    Set<String> needed = new HashSet<>();
    for (Node q : quant.nodes()) {
      Node f = floatNodes.get(q.name);
      if (!(q.opType.equals(Conv.CONV) || q.opType.equals(FullyConnected.FULLY_CONNECTED)) || f == null || !f.opType.equals(q.opType)) continue;
      Value wq = q.input(1);
      if (wq == null || !wq.isConstant() || wq.data().isFloat() || wq.qparams() == null) continue;
      probes.put(q, probe(f, wq));
      targets.add(q);
      needed.add(f.input(0).name);
    }
    if (targets.isEmpty()) return Map.of();
    List<Map<Node, double[]>> parts = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) parts.add(null);
    Interpreter fi = Interpreter.everyBranch(floatGraph);
    IntStream.range(0, samples.size()).parallel().forEach(i -> {
      Map<String, Tensor> inputs = new HashMap<>(samples.get(i));
      fi.run(samples.get(i), (n, outs) -> {
        for (int k = 0; k < outs.length && k < n.outputs().size(); k++) {
          if (n.output(k) != null && needed.contains(n.output(k).name)) inputs.put(n.output(k).name, outs[k]);
        }
      });
      Map<Node, double[]> sums = new HashMap<>();
      for (Node q : targets) {
        Node p = probes.get(q);
        Tensor x = inputs.get(p.input(0).name);
        Tensor d = OpRegistry.get(p.opType).eval(p, new Tensor[] {x, p.input(1).data()})[0];
        sums.put(q, channelSums(d, q.opType.equals(Conv.CONV)));
      }
      parts.set(i, sums);
    });
    Map<String, Double> result = new LinkedHashMap<>();
    for (Node q : targets) {
      int channels = q.input(1).type().dim(0);
      double[] mean = new double[channels];
      double count = 0;
      for (Map<Node, double[]> p : parts) {
        double[] s = p.get(q);
        for (int c = 0; c < channels; c++) mean[c] += s[c];
        count += s[channels];
      }
      double largest = 0;
      long[] fb = biasFracs(q);
      long[] b = bias(quant, q, fb);
      for (int c = 0; c < channels; c++) {
        mean[c] /= count;
        largest = Math.max(largest, Math.abs(mean[c]));
        long fix = FixedPoint.quantize(mean[c], (int) fb[c], 32);
        b[c] = FixedPoint.clamp(b[c] - fix, -FixedPoint.ACC_MAX / 2, FixedPoint.ACC_MAX / 2);
      }
      result.put(floatNodes.get(q.name).output(0).name, largest);
    }
    return result;
  }

  /** The float node with weights dW = dequantize(W') - W and neither bias nor activation. */
  private static Node probe(Node f, Value wq) {
    Tensor w = f.input(1).data();
    long[] fr = wq.qparams().frac();
    int channels = w.dim(0), per = w.numel() / channels;
    float[] d = new float[w.numel()];
    for (int c = 0; c < channels; c++) {
      int fc = (int) fr[fr.length == 1 ? 0 : c];
      for (int i = 0; i < per; i++) d[c * per + i] = (float) (FixedPoint.dequantize(wq.data().l[c * per + i], fc) - w.f[c * per + i]);
    }
    Value dw = new Value(f.name + ".dW");
    dw.setData(Tensor.ofFloat(w.shape(), d));
    Attributes a = f.attrs.copy().remove("activation").remove("activation_min").remove("activation_max");
    return new Node(f.name, f.opType, f.opset, List.of(f.input(0), dw), f.outputs(), a);
  }

  /** Per output channel sums of t (channel axis 1 for Conv, last for FC), then the count per channel. */
  private static double[] channelSums(Tensor t, boolean conv) {
    int[] s = t.shape();
    int channels = conv ? s[1] : s[s.length - 1];
    int inner = 1;
    if (conv) for (int i = 2; i < s.length; i++) inner *= s[i];
    double[] r = new double[channels + 1];
    for (int i = 0; i < t.numel(); i++) r[conv ? (i / inner) % channels : i % channels] += t.f[i];
    r[channels] = (double) t.numel() / channels;
    return r;
  }

  /** Fractional bits of the layer's bias: f_x + f_w[c]. */
  private static long[] biasFracs(Node q) {
    long fx = q.input(0).qparams().frac0();
    long[] fw = q.input(1).qparams().frac();
    int channels = q.input(1).type().dim(0);
    long[] r = new long[channels];
    for (int c = 0; c < channels; c++) r[c] = fx + fw[fw.length == 1 ? 0 : c];
    return r;
  }

  /** The layer's int32 bias values, writable (a zero bias is added when the layer has none). */
  private static long[] bias(Graph g, Node q, long[] fracs) {
    Value b = q.inputs().size() > 2 ? q.input(2) : null;
    if (b == null) {
      String name = q.name + ".bq";
      for (int i = 1; g.value(name) != null; i++) name = q.name + ".bq." + i;
      b = g.valueFor(name);
      b.setData(Tensor.ofLong(DType.INT32, new int[] {fracs.length}, new long[fracs.length]));
      b.setParameter(true);
      b.setQParams(QParams.perChannel(32, false, fracs, 0));
      q.putInput(2, b);
    }
    return b.data().l;
  }
}
