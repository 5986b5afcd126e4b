package dev.quench.ir;

/** Integer dtype ranges and casts with ONNX (C) semantics. */
public final class DTypes {
  private DTypes() {}

  /** The signed integer type of a quantized tensor with that many bits (8, 16, 32). */
  public static DType signed(int bits) {
    return switch (bits) {
      case 8 -> DType.INT8;
      case 16 -> DType.INT16;
      case 32 -> DType.INT32;
      default -> throw new QuenchException("unsupported quantized width " + bits + " bits");
    };
  }

  /** The integer type of a quantized tensor: signed, or unsigned (non-negative activations). */
  public static DType of(int bits, boolean unsigned) {
    if (!unsigned) return signed(bits);
    return switch (bits) {
      case 8 -> DType.UINT8;
      case 16 -> DType.UINT16;
      default -> throw new QuenchException("unsupported unsigned width " + bits + " bits");
    };
  }

  /** The lowest value of an integer type (FixedPoint's range rule for its width and signedness). */
  public static long lo(DType t) {
    return FixedPoint.lo(t.bytes * 8, isUnsigned(t));
  }

  /** The highest value of an integer type. */
  public static long hi(DType t) {
    return FixedPoint.hi(t.bytes * 8, isUnsigned(t));
  }

  public static boolean isUnsigned(DType t) {
    return t == DType.UINT8 || t == DType.UINT16 || t == DType.UINT32 || t == DType.UINT64;
  }

  /** The output type of a quantized node ({@code out_bits}, {@code out_unsigned}), or null for a float node. */
  public static DType quantizedOut(Attributes a) {
    return a.has(Requant.OUT_BITS) ? of((int) a.getInt(Requant.OUT_BITS, 8), a.getInt(Requant.OUT_UNSIGNED, 0) != 0) : null;
  }

  /** A node's output type: its quantized type when it carries {@code out_bits}, else {@code floatType}. */
  public static DType outType(Attributes a, DType floatType) {
    DType q = quantizedOut(a);
    return q != null ? q : floatType;
  }

  /** Wraps an int64 into the given integer dtype's range, as a C cast does. */
  public static long wrap(DType t, long v) {
    return switch (t) {
      case INT8 -> (byte) v;
      case UINT8 -> v & 0xFF;
      case INT16 -> (short) v;
      case UINT16 -> v & 0xFFFF;
      case INT32 -> (int) v;
      case UINT32 -> v & 0xFFFFFFFFL;
      case BOOL -> v != 0 ? 1 : 0;
      default -> v;
    };
  }

  /** Converts a tensor to another dtype (Cast semantics: float to int truncates toward zero). */
  public static Tensor cast(Tensor t, DType to) {
    if (to.isFloating()) {
      float[] out = new float[t.numel()];
      if (t.f != null) {
        for (int i = 0; i < out.length; i++) out[i] = round(to, t.f[i]);
      } else {
        for (int i = 0; i < out.length; i++) out[i] = round(to, (float) t.l[i]);
      }
      return Tensor.ofFloat(to, t.shape(), out);
    }
    long[] out = new long[t.numel()];
    if (t.f != null) {
      for (int i = 0; i < out.length; i++) {
        float v = t.f[i];
        out[i] = to == DType.BOOL ? (v != 0 ? 1 : 0) : wrap(to, (long) v);
      }
    } else {
      for (int i = 0; i < out.length; i++) out[i] = wrap(to, t.l[i]);
    }
    return Tensor.ofLong(to, t.shape(), out);
  }

  /** Rounds a float32 to the precision of a narrower floating dtype. */
  public static float round(DType t, float v) {
    if (t == DType.FLOAT16) return Half.toFloat(Half.fromFloat(v));
    if (t == DType.BFLOAT16) {
      int bits = Float.floatToRawIntBits(v);
      if (Float.isNaN(v)) return v;
      int rounded = bits + 0x7FFF + ((bits >> 16) & 1);
      return Float.intBitsToFloat(rounded & 0xFFFF0000);
    }
    return v;
  }
}
