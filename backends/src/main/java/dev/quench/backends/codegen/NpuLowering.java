package dev.quench.backends.codegen;

import dev.quench.ir.op.Binary;
import dev.quench.ir.op.Clip;
import dev.quench.ir.op.Conv;
import dev.quench.ir.op.FullyConnected;
import dev.quench.ir.op.Lut;
import dev.quench.ir.op.Pool;
import dev.quench.ir.op.Unary;
import dev.quench.ir.DType;
import dev.quench.ir.Node;
import dev.quench.ir.Value;

/**
 * Writes each node placed on the virtual NPU ({@link dev.quench.ir.target.Accelerator#refusal}) as one
 * command of {@code runtime/quench/npu.h} (a C initializer of {@code quench_npu_command}), from
 * the same lowered data as the CPU step: geometry, weight, bias and shift arrays, clamp range.
 */
public final class NpuLowering {
  private NpuLowering() {}

  /** The command of a node the NPU runs, from its lowered step (its family's record). */
  static String command(Node n, Lowering.Step s) {
    StringBuilder c = new StringBuilder("{");
    String geom, weights = "nullptr", bias = "nullptr", shifts = "nullptr";
    String nshifts = "0", lo = "0", hi = "0", shiftA = "0", shiftB = "0";
    Value b = null;
    Object op = s.op();
    Lowering.WeightArgs wa = op instanceof ConvLowering.Args a ? a.weights()
        : op instanceof FullyConnectedLowering.Args a ? a.weights() : op instanceof ChannelAffineLowering.Args a ? a.weights() : null;
    Lowering.RequantArgs rq = wa != null ? wa.rq() : null;
    if (op instanceof ConvLowering.Args a) {
      geom = a.geom();
    } else if (op instanceof FullyConnectedLowering.Args a) {
      geom = "{" + a.rows() + ", " + a.k() + ", " + a.nOut() + "}";
    } else if (op instanceof ChannelAffineLowering.Args a) {
      geom = "{" + a.n() + ", " + a.c() + ", " + a.inner() + "}";
    } else if (op instanceof BinaryLowering.Args a) {
      b = n.input(1);
      long size = n.output(0).type().numel();
      geom = "{" + size + ", " + (n.input(0).type().numel() == size ? 1 : 0) + ", " + (b.type().numel() == size ? 1 : 0) + "}";
      shiftA = a.shiftA();
      shiftB = a.shiftB();
      rq = new Lowering.RequantArgs(a.shifts(), "1", a.lo(), a.hi());
    } else if (op instanceof PoolLowering.Args a) {
      geom = a.geom() != null ? a.geom() : "{" + a.nc() + ", " + a.inner() + "}";
      shiftA = a.shiftLeft();
      lo = a.lo();
      hi = a.hi();
    } else if (op instanceof ActivationLowering.Args a) {
      geom = "{" + s.size() + "}";
      lo = a.lo();
      hi = a.hi();
    } else if (op instanceof LutLowering.Args a) {
      geom = "{" + s.size() + "}";
      weights = a.table();  // int8 bit patterns (Lowering for the NPU)
    } else {
      throw new IllegalStateException("no NPU command for " + n.opType);
    }
    if (wa != null) {
      weights = wa.w();
      bias = wa.bias();
    }
    if (rq != null) {
      shifts = rq.shifts();
      nshifts = rq.nshifts();
      lo = rq.lo();
      hi = rq.hi();
    }
    c.append(opcode(n.opType)).append(", ").append(tensor(n.input(0))).append(", ").append(b == null ? "{0, 0, {0, 0, 0}}" : tensor(b)).append(", ")
        .append(tensor(n.output(0))).append(",\n      ").append(geom).append(", ").append(nshifts).append(", ").append(lo).append(", ").append(hi).append(", ")
        .append(shiftA).append(", ").append(shiftB).append(", ").append(weights).append(", ").append(bias).append(", ").append(shifts).append('}');
    return c.toString();
  }

  private static String opcode(String op) {
    return "QUENCH_NPU_" + switch (op) {
      case Conv.CONV -> "CONV";
      case FullyConnected.FULLY_CONNECTED -> "FULLY_CONNECTED";
      case "ChannelAffine" -> "CHANNEL_AFFINE";
      case Binary.ADD -> "ADD";
      case Pool.MAX_POOL -> "MAX_POOL";
      case "AveragePool" -> "AVG_POOL";
      case "GlobalAveragePool" -> "GLOBAL_AVG_POOL";
      case Unary.RELU, Clip.CLIP -> "CLAMP";
      case Lut.LUT -> "LUT";
      default -> throw new IllegalStateException(op);
    };
  }

  private static String tensor(Value v) {
    dev.quench.ir.QuenchException.check(v.arenaOffset() >= 0, "codegen: NPU tensor '%s' is not in the arena", v.name);
    return "{" + v.arenaOffset() + "u, " + (v.type().dtype() == DType.INT8 ? "QUENCH_NPU_INT8" : "QUENCH_NPU_UINT8") + ", {0, 0, 0}}";
  }
}
