package dev.quench.ir;

import dev.quench.ir.op.Conv;
import dev.quench.ir.op.FullyConnected;
import dev.quench.ir.op.GemmOp;
import dev.quench.ir.op.MatMul;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a model is: op histogram, parameter count (elements of floating-point initializers and
 * Constant-node tensors; scalars such as Clip bounds are not counted) and multiply-accumulates per op type. MACs count Conv, ConvTranspose,
 * Gemm and MatMul, one per multiply of the product (bias adds and elementwise ops not counted).
 */
public record ModelStats(Map<String, Integer> opCounts, long parameters, Map<String, Long> macsByOp, long macs) {

  public static ModelStats of(Graph g) {
    Map<String, Integer> ops = new TreeMap<>();
    Map<String, Long> macs = new TreeMap<>();
    long total = 0;
    for (Node n : g.nodes()) {
      ops.merge(n.opType, 1, Integer::sum);
      long m = macs(n);
      if (m > 0) {
        macs.merge(n.opType, m, Long::sum);
        total += m;
      }
    }
    long params = 0;
    for (Value v : g.values().values()) {
      if (v.isParameter() && v.type().dtype().isFloating() && v.type().rank() > 0) params += v.type().numel();
    }
    return new ModelStats(ops, params, macs, total);
  }

  /** Multiply-accumulates of one node (0 for ops that are not products). */
  public static long macs(Node n) {
    if (n.outputs().isEmpty() || n.output(0) == null || n.output(0).type() == null) return 0;
    int[] out = n.output(0).type().shape();
    switch (n.opType) {
      case Conv.CONV: {
        int[] w = n.input(1).type().shape();
        long perOut = Shapes.numelLong(w) / Math.max(1, w[0]);
        return Shapes.numelLong(out) * perOut;
      }
      case "ConvTranspose": {
        int[] x = n.input(0).type().shape(), w = n.input(1).type().shape();
        long perIn = Shapes.numelLong(w) / Math.max(1, w[0]);
        return Shapes.numelLong(x) * perIn;
      }
      case GemmOp.GEMM: {
        int[] a = n.input(0).type().shape();
        long k = n.attrs.getInt("transA", 0) != 0 ? a[0] : a[1];
        return Shapes.numelLong(out) * k;
      }
      case FullyConnected.FULLY_CONNECTED: {
        return Shapes.numelLong(out) * n.input(1).type().dim(1);
      }
      case MatMul.MATMUL: {
        int[] a = n.input(0).type().shape();
        return Shapes.numelLong(out) * a[a.length - 1];
      }
      default:
        return 0;
    }
  }
}
