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
import java.util.Map;

/**
 * Writes each node placed on the virtual NPU ({@link dev.quench.ir.target.Accelerator#refusal}) as one
 * command of {@code runtime/quench/npu.h} (a C initializer of {@code quench_npu_command}), from
 * the same lowered data as the CPU step: geometry, weight, bias and shift arrays, clamp range.
 */
final class NpuLowering {
  private NpuLowering() {}

  /** The command of a node the NPU runs, from its lowered data m (the CPU step's map). */
  static String command(Node n, Map<String, Object> m) {
    StringBuilder c = new StringBuilder("{");
    String geom = "{}", weights = "nullptr", bias = "nullptr", shifts = "nullptr";
    String nshifts = "0", lo = "0", hi = "0", shiftA = "0", shiftB = "0";
    Value b = null;
    switch (n.opType) {
      case Conv.CONV, FullyConnected.FULLY_CONNECTED, "ChannelAffine" -> {
        geom = switch (n.opType) {
          case Conv.CONV -> (String) m.get("geom");
          case FullyConnected.FULLY_CONNECTED -> "{" + m.get("rows") + ", " + m.get("k") + ", " + m.get("n_out") + "}";
          default -> "{" + m.get("n") + ", " + m.get("c") + ", " + m.get("inner") + "}";
        };
        weights = (String) m.get("w");
        bias = (String) m.get("bias");
      }
      case Binary.ADD -> {
        b = n.input(1);
        long size = n.output(0).type().numel();
        geom = "{" + size + ", " + (n.input(0).type().numel() == size ? 1 : 0) + ", " + (b.type().numel() == size ? 1 : 0) + "}";
        shiftA = (String) m.get("shift_a");
        shiftB = (String) m.get("shift_b");
      }
      case Pool.MAX_POOL, "AveragePool" -> geom = (String) m.get("geom");
      case "GlobalAveragePool" -> geom = "{" + m.get("nc") + ", " + m.get("inner") + "}";
      case Unary.RELU, Clip.CLIP -> geom = "{" + m.get("size") + "}";
      case Lut.LUT -> {
        geom = "{" + m.get("size") + "}";
        weights = (String) m.get("table");  // int8 bit patterns (Lowering for the NPU)
      }
      default -> throw new IllegalStateException("no NPU command for " + n.opType);
    }
    if (m.containsKey("shifts")) {
      shifts = (String) m.get("shifts");
      nshifts = (String) m.get("nshifts");
    }
    if (m.containsKey("shift_left")) shiftA = (String) m.get("shift_left");
    if (m.containsKey("lo")) {
      lo = (String) m.get("lo");
      hi = (String) m.get("hi");
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
