package dev.quench.passes;

import dev.quench.passes.PassManager.Entry;
import dev.quench.passes.cleanup.CancelTransposes;
import dev.quench.passes.cleanup.CanonicalizeFlatten;
import dev.quench.passes.cleanup.ConstantsSecond;
import dev.quench.passes.cleanup.EliminateDeadCode;
import dev.quench.passes.cleanup.FoldConstants;
import dev.quench.passes.cleanup.RemoveIdentities;
import dev.quench.passes.cleanup.SplitVariadic;
import dev.quench.passes.fold.FoldAffine;
import dev.quench.passes.fold.FoldBatchNorm;
import dev.quench.passes.fold.FoldPad;
import dev.quench.passes.fold.ToFullyConnected;
import dev.quench.passes.fuse.FuseActivation;
import dev.quench.passes.fuse.RecogniseGelu;
import dev.quench.passes.fuse.RecogniseLayerNorm;
import dev.quench.passes.map.MapLayout;
import dev.quench.passes.reparam.MergeRepBranches;
import dev.quench.passes.segment.PartitionSegments;
import java.util.List;

/** The pass pipelines, as plain lists with the reason for each entry. */
public final class Pipelines {
  private Pipelines() {}

  /** Graph optimisation (stage 2 of the flow). */
  public static List<Entry> optimize() {
    return build(false);
  }

  /**
   * The same for a graph about to be quantized (compile runs this with its target): only Relu and
   * Clip fuse (integer kernels clamp for free); other activations stay nodes and become int8
   * tables with their own calibrated scales. No segmentation: where a node runs depends on the
   * types quantization gives it, so the code generator places the quantized nodes, asking the
   * target's accelerator the same question partition-segments asks.
   */
  public static List<Entry> forQuantization() {
    return build(true);
  }

  /**
   * The same for a float SDK ({@code compile --precision float}): every activation the float
   * kernels apply in place fuses (as for optimize), no quantization and no segmentation (the NPU
   * runs integers only).
   */
  public static List<Entry> forFloat() {
    return build(false).stream().filter(e -> !(e.pass() instanceof PartitionSegments)).toList();
  }

  private static List<Entry> build(boolean quant) {
    List<Entry> pipeline = new java.util.ArrayList<>(List.of(
        new Entry(new FoldConstants(), "exporters' shape glue and Constant nodes become constants once shapes are fixed"),
        new Entry(new RemoveIdentities(), "Identity, inference Dropout, zero Pads and no-op reshapes/casts carry no computation"),
        new Entry(new ConstantsSecond(), "a commutative op's constant operand second: the form the folds and the quantizer match"),
        new Entry(new FoldPad(), "exporters' explicit zero Pads before a conv or pool are that conv's or pool's own padding"),
        new Entry(new SplitVariadic(), "Sum / Mean / Max / Min of n inputs are chains of two-input ops (the kernels' and the quantizer's form)"),
        new Entry(new EliminateDeadCode(), "folding leaves nodes whose results nobody reads"),
        new Entry(new CanonicalizeFlatten(), "a Reshape that flattens is a Flatten: one form for FC matching and layout"),
        new Entry(new CancelTransposes(), "exporters' back-to-back Transposes cancel or merge"),
        new Entry(new RecogniseLayerNorm(), "LayerNorm written out op by op becomes one op (kept in float, quantized apart)"),
        new Entry(new RecogniseGelu(), "Erf-GELU becomes one op (one kernel, one quantization decision)"),
        new Entry(new ToFullyConnected(), "MatMul/Gemm with constant weights become one FC op that BN, bias and activations fold into"),
        new Entry(new FoldBatchNorm(), "BN into the conv/FC before it (else a ChannelAffine), before branches are merged"),
        new Entry(new MergeRepBranches(), "RepVGG 3x3 + 1x1 + identity branches become one conv before quantization"),
        new Entry(new FoldBatchNorm(), "QARepVGG puts BN after the branch sum: it folds into the merged conv"),
        new Entry(new FoldAffine(), "per-channel Mul/Add/ChannelAffine after a conv/FC fold into its weights and bias"),
        new Entry(new FuseActivation(quant), "last: activations fuse into whatever conv/FC/Add the folds above produced"),
        new Entry(new EliminateDeadCode(), "drop what the rewrites left unused"),
        new Entry(new MapLayout(), "mapping: channels-last targets get NHWC convs and pools, transposes only at layout boundaries"),
        new Entry(new CancelTransposes(), "transposes that only move unit dims after mapping become free reshapes"),
        new Entry(new CanonicalizeFlatten(), "and reshapes that flatten become Flatten"),
        new Entry(new RemoveIdentities(), "reshapes to the same shape left by the mapping vanish"),
        new Entry(new FuseActivation(quant), "cancelled transposes can leave an activation right after its conv"),
        new Entry(new EliminateDeadCode(), "drop what the mapping left unused")));
    if (!quant) pipeline.add(new Entry(new PartitionSegments(), "mapping: which executor runs each node (NPU segments, CPU fallback between)"));
    return List.copyOf(pipeline);
  }
}
