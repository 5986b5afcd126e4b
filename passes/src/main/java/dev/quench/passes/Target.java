package dev.quench.passes;

import java.util.Set;

/**
 * What the passes need to know of a target: its name, the ops its accelerated executor runs
 * (the rest fall back to the CPU), and its preferred activation layout. Targets are data.
 */
public record Target(String name, Set<String> acceleratedOps, String layout) {
  public static final Target HOST = new Target("host", Set.of(), "NCHW");

  /** An integer NPU: convolutions, fully connected, pooling, elementwise add and activations; everything else on the CPU. */
  public static final Target NPU = new Target("npu",
      Set.of("Conv", "Gemm", "FullyConnected", "MaxPool", "AveragePool", "GlobalAveragePool", "Add", "Relu", "Clip", "Concat", "ChannelAffine"), "NHWC");

  public static Target named(String name) {
    return switch (name) {
      case "host" -> HOST;
      case "npu" -> NPU;
      default -> throw new dev.quench.ir.QuenchException("unknown target '" + name + "' (known: host, npu)", dev.quench.ir.QuenchException.BAD_INPUT, null);
    };
  }
}
