package dev.quench.ir.io;

import dev.quench.ir.DType;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy .npy files (format 1.0-3.0), C order, little-endian: float32, float64, float16, int8,
 * uint8, int16, int32, int64 and bool (bfloat16 is written as float32, unsigned 16-64-bit types as int64). Anything else is a clear error naming the file.
 */
public final class Npy {
  private Npy() {}

  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  public static Tensor read(Path file) {
    byte[] b;
    try {
      b = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new QuenchException(file + ": cannot read: " + e.getMessage());
    }
    return parse(b, file.toString());
  }

  public static Tensor parse(byte[] b, String where) {
    if (b.length < 10 || b[0] != (byte) 0x93 || !new String(b, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
      throw new QuenchException(where + ": not a .npy file");
    }
    int major = b[6];
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    long headerLen;
    int start;
    if (major == 1) {
      headerLen = bb.getShort(8) & 0xFFFF;
      start = 10;
    } else if (major == 2 || major == 3) {
      if (b.length < 12) throw new QuenchException(where + ": truncated .npy header");
      headerLen = bb.getInt(8) & 0xFFFFFFFFL;
      start = 12;
    } else {
      throw new QuenchException(where + ": unsupported .npy version " + major);
    }
    if (start + headerLen > b.length) throw new QuenchException(where + ": truncated .npy header");
    String header = new String(b, start, (int) headerLen, StandardCharsets.UTF_8);
    Matcher d = DESCR.matcher(header), f = FORTRAN.matcher(header), s = SHAPE.matcher(header);
    if (!d.find() || !f.find() || !s.find()) throw new QuenchException(where + ": malformed .npy header");
    if (f.group(1).equals("True")) throw new QuenchException(where + ": Fortran-ordered arrays are not supported; save in C order");
    String descr = d.group(1);
    DType dt = switch (descr) {
      case "<f4" -> DType.FLOAT32;
      case "<f8" -> DType.FLOAT64;
      case "<f2" -> DType.FLOAT16;
      case "|i1", "<i1" -> DType.INT8;
      case "|u1", "<u1" -> DType.UINT8;
      case "<i2" -> DType.INT16;
      case "<i4" -> DType.INT32;
      case "<i8" -> DType.INT64;
      case "|b1" -> DType.BOOL;
      default -> throw new QuenchException(where + ": unsupported dtype '" + descr + "' (supported: float32, float64, float16, int8, uint8, int16, int32, int64, bool; little-endian)");
    };
    String[] parts = s.group(1).split(",");
    java.util.List<Integer> dims = new java.util.ArrayList<>();
    for (String p : parts) {
      String t = p.trim();
      if (t.isEmpty()) continue;
      long v;
      try {
        v = Long.parseLong(t.endsWith("L") ? t.substring(0, t.length() - 1) : t);
      } catch (NumberFormatException e) {
        throw new QuenchException(where + ": malformed shape in .npy header");
      }
      if (v < 0 || v > Shapes.MAX_ELEMENTS) throw new QuenchException(where + ": invalid dim " + v);
      dims.add((int) v);
    }
    int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
    long n = Shapes.numelLong(shape);
    if (n > Shapes.MAX_ELEMENTS) throw new QuenchException(where + ": array has more than 2^31 elements");
    int data = start + (int) headerLen;
    if ((long) data + n * dt.bytes != b.length) {
      throw new QuenchException(where + ": data has " + (b.length - data) + " bytes, shape " + Shapes.str(shape) + " of " + descr + " needs " + n * dt.bytes);
    }
    bb.position(data);
    int len = (int) n;
    if (dt.isFloating()) {
      float[] v = new float[len];
      for (int i = 0; i < len; i++) {
        v[i] = switch (dt) {
          case FLOAT32 -> bb.getFloat();
          case FLOAT16 -> dev.quench.ir.Half.toFloat(bb.getShort() & 0xFFFF);
          default -> (float) bb.getDouble();
        };
      }
      return Tensor.ofFloat(dt, shape, v);
    }
    long[] v = new long[len];
    for (int i = 0; i < len; i++) {
      v[i] = switch (dt) {
        case INT8 -> bb.get();
        case UINT8 -> bb.get() & 0xFF;
        case BOOL -> bb.get() != 0 ? 1 : 0;
        case INT16 -> bb.getShort();
        case INT32 -> bb.getInt();
        default -> bb.getLong();
      };
    }
    return Tensor.ofLong(dt, shape, v);
  }

  /** Writes a tensor as .npy 1.0 in its own dtype (bfloat16 is written as float32). */
  public static void write(Path file, Tensor t) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(bytes(t));
    }
  }

  public static byte[] bytes(Tensor t) {
    DType dt = t.dtype;
    String descr = switch (dt) {
      case FLOAT64 -> "<f8";
      case FLOAT16 -> "<f2";
      case INT8 -> "|i1";
      case UINT8 -> "|u1";
      case INT16 -> "<i2";
      case INT32 -> "<i4";
      case BOOL -> "|b1";
      case INT64, UINT32, UINT64, UINT16 -> "<i8";
      default -> "<f4";
    };
    int elem = switch (descr) {
      case "<f8", "<i8" -> 8;
      case "<i2", "<f2" -> 2;
      case "|i1", "|u1", "|b1" -> 1;
      default -> 4;
    };
    int[] shape = t.shape();
    StringBuilder sh = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) sh.append(shape[i]).append(shape.length == 1 ? "," : (i + 1 < shape.length ? ", " : ""));
    sh.append(')');
    StringBuilder header = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + sh + ", }");
    while ((10 + header.length() + 1) % 64 != 0) header.append(' ');
    header.append('\n');
    byte[] h = header.toString().getBytes(StandardCharsets.US_ASCII);
    ByteBuffer bb = ByteBuffer.allocate(10 + h.length + t.numel() * elem).order(ByteOrder.LITTLE_ENDIAN);
    bb.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h);
    for (int i = 0; i < t.numel(); i++) {
      switch (descr) {
        case "<f8" -> bb.putDouble(t.getDouble(i));
        case "<i8" -> bb.putLong(t.getLong(i));
        case "<i4" -> bb.putInt((int) t.getLong(i));
        case "<i2" -> bb.putShort((short) t.getLong(i));
        case "<f2" -> bb.putShort((short) dev.quench.ir.Half.fromFloat((float) t.getDouble(i)));
        case "|i1", "|u1", "|b1" -> bb.put((byte) t.getLong(i));
        default -> bb.putFloat((float) t.getDouble(i));
      }
    }
    return bb.array();
  }
}
