package dev.quench.ir.mw;

import dev.quench.ir.DType;
import dev.quench.ir.Half;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Tensor bytes in the {@code .qir.bin} side file: little-endian, each tensor 16-byte aligned. */
final class Weights {
  private Weights() {}

  static final int ALIGN = 16;

  static int bytesOf(DType t) {
    return t == DType.BOOL ? 1 : t.bytes;
  }

  /** Appends the tensor (padded to the alignment first) and returns its offset. */
  static long append(ByteArrayOutputStream out, Tensor t) {
    while (out.size() % ALIGN != 0) out.write(0);
    long offset = out.size();
    int w = bytesOf(t.dtype);
    ByteBuffer b = ByteBuffer.allocate(t.numel() * w).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < t.numel(); i++) {
      switch (t.dtype) {
        case FLOAT32 -> b.putFloat(t.f[i]);
        case FLOAT64 -> b.putDouble(t.f[i]);
        case FLOAT16 -> b.putShort((short) Half.fromFloat(t.f[i]));
        case BFLOAT16 -> b.putShort((short) (Float.floatToRawIntBits(t.f[i]) >>> 16));
        case INT8, UINT8, BOOL -> b.put((byte) t.l[i]);
        case INT16, UINT16 -> b.putShort((short) t.l[i]);
        case INT32, UINT32 -> b.putInt((int) t.l[i]);
        default -> b.putLong(t.l[i]);
      }
    }
    out.writeBytes(b.array());
    return offset;
  }

  static Tensor read(byte[] bin, long offset, long length, DType dt, int[] shape, String where) {
    int n = dev.quench.ir.Shapes.numel(shape);
    long need = (long) n * bytesOf(dt);
    if (length != need) throw new QuenchException(where + ": bin(" + offset + ", " + length + ") but " + dt.shortName + dev.quench.ir.Shapes.str(shape) + " needs " + need + " bytes");
    if (offset < 0 || offset + length > bin.length) throw new QuenchException(where + ": bin(" + offset + ", " + length + ") is outside the weights file (" + bin.length + " bytes)");
    ByteBuffer b = ByteBuffer.wrap(bin, (int) offset, (int) length).order(ByteOrder.LITTLE_ENDIAN);
    Tensor t = Tensor.zeros(dt, shape);
    for (int i = 0; i < n; i++) {
      switch (dt) {
        case FLOAT32 -> t.f[i] = b.getFloat();
        case FLOAT64 -> t.f[i] = (float) b.getDouble();
        case FLOAT16 -> t.f[i] = Half.toFloat(b.getShort() & 0xFFFF);
        case BFLOAT16 -> t.f[i] = Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16);
        case INT8 -> t.l[i] = b.get();
        case UINT8 -> t.l[i] = b.get() & 0xFF;
        case BOOL -> t.l[i] = b.get() != 0 ? 1 : 0;
        case INT16 -> t.l[i] = b.getShort();
        case UINT16 -> t.l[i] = b.getShort() & 0xFFFF;
        case INT32 -> t.l[i] = b.getInt();
        case UINT32 -> t.l[i] = b.getInt() & 0xFFFFFFFFL;
        default -> t.l[i] = b.getLong();
      }
    }
    return t;
  }

  static String sha256(byte[] data) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(data);
      StringBuilder sb = new StringBuilder();
      for (byte x : d) sb.append(String.format("%02x", x));
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
