package dev.quench.backends.codegen;

import dev.quench.ir.op.Conv;
import dev.quench.ir.op.FullyConnected;
import dev.quench.ir.op.Pool;
import dev.quench.ir.op.Softmax;
import dev.quench.ir.DType;
import dev.quench.ir.DTypes;
import dev.quench.ir.Node;
import dev.quench.ir.Shapes;
import dev.quench.ir.Value;
import dev.quench.ir.target.Target;
import java.util.List;

/**
 * The C++ kernel one node runs on the CPU ({@code runtime/quench/kernels/<family>.h}), chosen at
 * compile time for the target's kernel variant, and the scratch it takes from the arena. The
 * formulas mirror the runtime's {@code <kernel>_scratch_bytes} functions; the generated code checks
 * the two agree with a {@code static_assert} ({@link #check}), so a drift is a compile error, not a
 * buffer overrun.
 *
 * @param kernel the runtime function, e.g. {@code conv2d_int_gemm}
 * @param scratchBytes working memory the kernel takes from the arena (0: none)
 * @param check the C++ constant expression of the runtime's scratch size for this call
 * @param weights the layout the kernel reads its weights in
 */
public record KernelChoice(String kernel, long scratchBytes, String check, WeightLayout weights) {
  /** How a kernel reads its weight tensor (the lowering packs them so at compile time). */
  public enum WeightLayout {
    /** As the graph stores them (OIHW, [out][in]). */
    STORED,
    /** [group][ci][kh][kw][o within group]: conv2d_int_oc_inner (Lowering.packOcInner). */
    OC_INNER,
    /**
     * Per group, blocks of four output channels (zero rows fill the last), each row in chunks of
     * sixteen taps (k rounded up with zero taps), a chunk's four rows one after another: the MVE
     * conv2d_int_gemm (runtime gemm_packed_index; Lowering.packRows4).
     */
    ROWS4_TAPS16
  }

  /** A kernel that reads the weights as stored. */
  KernelChoice(String kernel, long scratchBytes, String check) {
    this(kernel, scratchBytes, check, WeightLayout.STORED);
  }

  /** Positions per pass of the portable convolution and max pooling (kConvChunk, kPoolChunk). */
  static final int CHUNK = 256;
  /** The depthwise ISA kernel's band of padded input rows (kDepthwiseBandBytes). */
  static final int BAND_BYTES = 8192;
  /** Inner products longer than this overflow int32 with biased uint8 columns (128 * 128 * k). */
  static final int MAX_BIASED_K = (1 << 17) - 1;

  /** A kernel without scratch. */
  static KernelChoice none(String kernel) {
    return new KernelChoice(kernel, 0, "quench::" + kernel + "_scratch_bytes()");
  }

  /** A 16-byte-aligned piece of scratch (runtime: scratch_piece). */
  static long piece(long bytes) {
    return (bytes + 15) / 16 * 16;
  }

  /** The kernel of a CPU node on target t, for the kernels that may take scratch; null for the others (no scratch). */
  public static KernelChoice of(Node n, Target t) {
    Value x = n.inputs().isEmpty() ? null : n.input(0), y = n.output(0);
    boolean acc64 = n.attrs.getInt(dev.quench.ir.Requant.ACC_BITS, 32) == 64;
    String acc = acc64 ? "int64_t" : "int32_t";
    int accBytes = acc64 ? 8 : 4;
    String isa = t.kernels();
    boolean isaKernels = !t.kernelMacro().isEmpty(), byteInput = x != null && x.type().dtype().bytes == 1;
    if (Lowering.isFloat(n) && (n.opType.equals(Conv.CONV) || n.opType.equals(FullyConnected.FULLY_CONNECTED) || n.opType.equals(Pool.MAX_POOL))) {
      return null;  // the float forms take no scratch
    }
    switch (n.opType) {
      case Conv.CONV -> {
        int[] g = Lowering.convGeom(n);
        String geom = "quench::ConvGeom" + Lowering.join(g);
        int c = g[1], h = g[2], w = g[3], m = g[4], kh = g[5], kw = g[6], sh = g[7], sw = g[8], dh = g[9], dw = g[10], ph = g[11], pw = g[12], oh = g[13], ow = g[14],
            group = g[15];
        int cg = c / group, mg = m / group;
        boolean pointwise = kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0 && oh == h && ow == w;
        String tx = Lowering.ctype(x.type().dtype());
        if (isaKernels && !acc64 && byteInput) {
          DType ty = y.type().dtype();
          // the vector requantizations (depthwise rows, the MVE tile): 8-bit or int16 outputs, shifts -16..31
          boolean vectorRequant = (ty.bytes == 1 || ty == DType.INT16) && shiftsFit(n);
          if (cg == 1) {
            if (vectorRequant) {
              int wp = (ow - 1) * sw + (kw - 1) * dw + sw, eh = (kh - 1) * dh + 1;
              int band = Math.min(oh, BAND_BYTES / wp >= eh ? (BAND_BYTES / wp - eh) / sh + 1 : 1);
              long bytes = piece((long) ((band - 1) * sh + eh) * wp);
              return new KernelChoice("depthwise_conv2d_int_isa", bytes, "quench::depthwise_conv2d_int_isa_scratch_bytes<" + tx + ">(" + geom + ")");
            }
          } else if (!(biased(isa, x.type().dtype()) && (long) cg * kh * kw > MAX_BIASED_K) && (vectorRequant || !isa.equals("arm-mve"))) {
            long k = (long) cg * kh * kw;
            int block = isa.equals("arm-mve") ? 8 : 4;
            long bytes = block * piece(k + 16) + (isa.equals("arm-dsp") ? piece(4 * k) : 0) + piece((m + 4L) * 4);
            return new KernelChoice("conv2d_int_gemm", bytes, "quench::conv2d_int_gemm_scratch_bytes<" + tx + ">(" + geom + ")",
                isa.equals("arm-mve") ? WeightLayout.ROWS4_TAPS16 : WeightLayout.STORED);
          }
        }
        // many output channels per group (not 1x1, which conv2d_int runs as a plane-wide product):
        // the output-channel-innermost kernel on repacked weights
        if (!isaKernels && !pointwise && mg >= 8 && mg <= 1024) {
          return new KernelChoice("conv2d_int_oc_inner", piece((long) mg * accBytes), "quench::conv2d_int_oc_inner_scratch_bytes<" + acc + ">(" + geom + ")",
              WeightLayout.OC_INNER);
        }
        long bytes = pointwise ? 4 * piece((long) Math.min(h * w, CHUNK) * accBytes) : piece((long) Math.min(ow, CHUNK) * accBytes);
        return new KernelChoice("conv2d_int", bytes, "quench::conv2d_int_scratch_bytes<" + acc + ">(" + geom + ")");
      }
      case FullyConnected.FULLY_CONNECTED -> {
        int k = n.input(1).type().dim(1), nOut = n.input(1).type().dim(0);
        if (isaKernels && !acc64 && byteInput && !(biased(isa, x.type().dtype()) && k > MAX_BIASED_K)) {
          long row = isa.equals("arm-dsp") ? piece(2L * k) : biased(isa, x.type().dtype()) ? piece(k) : 0;
          return new KernelChoice("fully_connected_int_gemm", piece(4L * nOut) + row,
              "quench::fully_connected_int_gemm_scratch_bytes<" + Lowering.ctype(x.type().dtype()) + ">(" + k + ", " + nOut + ")");
        }
        return none("fully_connected_int");
      }
      case Pool.MAX_POOL -> {
        int[] g = Lowering.poolGeom(n);
        int ow = g[14], chunk = Math.min(ow, CHUNK);
        return new KernelChoice("max_pool_int", piece((long) chunk * y.type().dtype().bytes) + piece(chunk),
            "quench::max_pool_int_scratch_bytes<" + Lowering.ctype(y.type().dtype()) + ">(quench::PoolGeom" + Lowering.join(g) + ")");
      }
      case dev.quench.ir.op.Recurrent.LSTM, dev.quench.ir.op.Recurrent.GRU, dev.quench.ir.op.Recurrent.RNN -> {
        dev.quench.ir.op.Recurrent.Geometry g = dev.quench.ir.op.Recurrent.geometry(n, x.type().shape(), n.input(1).type().shape());
        int gc = dev.quench.ir.op.Recurrent.gates(n.opType);
        String geom = "quench::RnnGeom{" + (n.opType.equals(dev.quench.ir.op.Recurrent.LSTM) ? 0 : n.opType.equals(dev.quench.ir.op.Recurrent.GRU) ? 1 : 2) + ", 0, 0, "
            + g.input() + ", " + g.hidden() + ", 0, 0, 0, 0.0f, 0, 0}";
        return new KernelChoice("recurrent_f32", piece(4L * (gc * g.hidden() + g.input() + 6L * g.hidden())), "quench::recurrent_f32_scratch_bytes(" + geom + ")");
      }
      case Softmax.SOFTMAX, "LogSoftmax", "Hardmax" -> {
        int len = Lowering.softmaxLen(n);
        if (n.attrs.has(Softmax.EXP_LOW)) return new KernelChoice("softmax_int", piece(4L * len), "quench::softmax_int_scratch_bytes(" + len + ")");
        return new KernelChoice("softmax_f32", piece(8L * len), "quench::softmax_f32_scratch_bytes(" + len + ")");
      }
      case "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceSumSquare", "ReduceL2", "ReduceL1", "ReduceLogSum", "ReduceLogSumExp" -> {
        long out = Shapes.numel(y.type().shape());
        if (n.attrs.has(dev.quench.ir.Requant.OUT_BITS)) return new KernelChoice("reduce_int", piece(8 * out), "quench::reduce_int_scratch_bytes(" + out + ")");
        return new KernelChoice("reduce_f32", 2 * piece(8 * out), "quench::reduce_f32_scratch_bytes(" + out + ")");
      }
      case "ConvTranspose" -> {
        if (!dev.quench.ir.Requant.present(n.attrs)) return null;
        dev.quench.ir.op.ConvTranspose.Geo g = dev.quench.ir.op.ConvTranspose.geometry(n, x.type().shape(), n.input(1).type().shape());
        long out = Shapes.product(g.out(), 0, g.out().length);
        return new KernelChoice("conv_transpose_int", piece(accBytes * g.m() * out), "quench::conv_transpose_int_scratch_bytes<" + acc + ">(" + g.m() + ", " + out + ")");
      }
      case "MeanVarianceNormalization" -> {
        long groups = FloatIslandLowering.mvnGroups(n, x.type().shape());
        return new KernelChoice("mvn_f32", 2 * piece(8 * groups), "quench::mvn_f32_scratch_bytes(" + groups + "u)");
      }
      case "Resize", "Upsample" -> {
        if (!MovementLowering.interpolates(n)) return null;
        List<dev.quench.ir.op.Resize.AxisPass> passes = MovementLowering.resizePasses(n);
        long b0 = MovementLowering.resizeBuffer(passes, 0), b1 = MovementLowering.resizeBuffer(passes, 1);
        return new KernelChoice("resize_axis_f32", piece(4 * b0) + piece(4 * b1), "quench::resize_axis_f32_scratch_bytes(" + b0 + "u, " + b1 + "u)");
      }
      default -> {
        return null;  // a kernel without scratch: Lowering names it
      }
    }
  }

  /** Whether every shift of n's requantization is one the vector shifts (VQRSHL / SQRSHL by -16..31) take. */
  private static boolean shiftsFit(Node n) {
    if (!dev.quench.ir.Requant.present(n.attrs)) return false;
    for (long s : dev.quench.ir.Requant.of(n.attrs).shiftRight()) if (s < -16 || s > 31) return false;
    return true;
  }

  /** NEON SDOT and MVE VMLADAV take int8 columns: uint8 inputs are stored biased by -128. */
  private static boolean biased(String isa, DType in) {
    return (isa.equals("neon-dot") || isa.equals("arm-mve")) && DTypes.isUnsigned(in);
  }
}
