package dev.quench.passes.fold;

import dev.quench.ir.op.Binary;
import dev.quench.ir.op.FullyConnected;
import dev.quench.ir.op.GemmOp;
import dev.quench.ir.op.MatMul;
import dev.quench.ir.Attributes;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import dev.quench.ir.kernel.Gemm;
import dev.quench.passes.Pass;
import dev.quench.passes.PassContext;
import dev.quench.passes.Rewrites;
import java.util.ArrayList;
import java.util.List;

/**
 * MatMul with constant 2-D weights (optionally followed by an Add of a constant bias) and Gemm
 * with constant B (transA = 0) become FullyConnected with weights [N, K] and bias [N].
 * Gemm: y = alpha * A * op(B) + beta * C gives W = alpha * op(B)^T and b = beta * C (C must be
 * one value per output column). MatMul: W = B^T; a following Add of a per-column constant
 * becomes the bias.
 *
 * <pre>
 * before: %z = MatMul(%x, %w[K,N]); %y = Add(%z, %b[N])
 * after:  %y = FullyConnected(%x, %wT[N,K], %b)
 * </pre>
 */
public final class ToFullyConnected implements Pass {
  @Override
  public String name() {
    return "to-fully-connected";
  }

  @Override
  public boolean run(Graph g, PassContext ctx) {
    boolean changed = false;
    for (Node n : new ArrayList<>(g.nodes())) {
      if (!g.nodes().contains(n) || n.attrs.has("activation")) continue;
      if (n.opType.equals(GemmOp.GEMM)) changed |= gemm(g, n);
      else if (n.opType.equals(MatMul.MATMUL)) changed |= matmul(g, n);
    }
    if (changed) g.pruneValues();
    return changed;
  }

  private static boolean gemm(Graph g, Node n) {
    Value b = n.input(1), c = n.input(2);
    if (b == null || !b.isConstant() || n.attrs.getInt("transA", 0) != 0 || !b.type().dtype().isFloating()) return false;
    boolean tb = n.attrs.getInt("transB", 0) != 0;
    Tensor bt = b.data();
    int nOut = tb ? bt.dim(0) : bt.dim(1), k = tb ? bt.dim(1) : bt.dim(0);
    float alpha = n.attrs.getFloat("alpha", 1f), beta = n.attrs.getFloat("beta", 1f);
    float[] bias = null;
    if (c != null) {
      bias = PerChannel.of(c, nOut, 1, 2);
      if (bias == null) return false;
      for (int i = 0; i < nOut; i++) bias[i] *= beta;
    }
    float[] w = tb ? bt.f.clone() : Gemm.transpose(bt.f, 0, k, nOut);
    if (alpha != 1f) for (int i = 0; i < w.length; i++) w[i] *= alpha;
    List<Value> ins = new ArrayList<>(List.of(n.input(0), Rewrites.constant(g, n.name + ".weight", Tensor.ofFloat(bt.dtype, new int[] {nOut, k}, w))));
    if (bias != null) ins.add(Rewrites.constant(g, n.name + ".bias", Tensor.ofFloat(new int[] {nOut}, bias)));
    g.nodes().set(g.nodes().indexOf(n), n.with(FullyConnected.FULLY_CONNECTED, ins, new Attributes()));
    return true;
  }

  private static boolean matmul(Graph g, Node n) {
    Value b = n.input(1);
    if (b == null || !b.isConstant() || b.type().rank() != 2 || n.input(0).type().rank() < 2 || !b.type().dtype().isFloating()) return false;
    Tensor bt = b.data();
    int k = bt.dim(0), nOut = bt.dim(1);
    Value w = Rewrites.constant(g, n.name + ".weight", Tensor.ofFloat(bt.dtype, new int[] {nOut, k}, Gemm.transpose(bt.f, 0, k, nOut)));
    List<Value> ins = new ArrayList<>(List.of(n.input(0), w));
    Node add = Rewrites.soleUser(g, n.output(0));
    float[] bias = null;
    if (add != null && add.opType.equals(Binary.ADD) && !add.attrs.has("activation")) {
      Value other = add.input(0) == n.output(0) ? add.input(1) : add.input(0);
      int rank = n.output(0).type().rank();
      bias = PerChannel.of(other, nOut, rank - 1, rank);
      if (bias != null && !add.output(0).type().equals(n.output(0).type())) bias = null;
    }
    if (bias != null) {
      ins.add(Rewrites.constant(g, n.name + ".bias", Tensor.ofFloat(new int[] {nOut}, bias)));
      Node fc = n.with(FullyConnected.FULLY_CONNECTED, ins, new Attributes());
      Rewrites.replaceChain(g, n, add, fc);
    } else {
      g.nodes().set(g.nodes().indexOf(n), n.with(FullyConnected.FULLY_CONNECTED, ins, new Attributes()));
    }
    return true;
  }
}
