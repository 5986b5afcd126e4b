package dev.quench.frontend;

import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import dev.quench.ir.DType;
import dev.quench.ir.Half;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TensorProto to {@link Tensor}: raw (little-endian) or typed fields, or external data in a file
 * beside the model. Sizes are checked against the declared dims before anything is allocated.
 */
final class TensorDecoder {
  private final Path modelDir;

  TensorDecoder(Path modelDir) {
    this.modelDir = modelDir;
  }

  Tensor decode(TensorProto t, String where) {
    DType dt = DType.fromOnnx(t.getDataType());
    if (dt == null || dt == DType.STRING) {
      throw new QuenchException(where + ": unsupported tensor element type " + t.getDataType());
    }
    int[] shape = new int[t.getDimsCount()];
    for (int i = 0; i < shape.length; i++) {
      long d = t.getDims(i);
      if (d < 0 || d > Shapes.MAX_ELEMENTS) throw new QuenchException(where + ": invalid dim " + d);
      shape[i] = (int) d;
    }
    long numel = Shapes.numelLong(shape);
    if (numel > Shapes.MAX_ELEMENTS) throw new QuenchException(where + ": tensor " + Shapes.str(shape) + " has more than 2^31 elements");
    int n = (int) numel;
    ByteString raw;
    if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
      raw = external(t, where, (long) n * dt.bytes);
    } else if (t.hasRawData()) {
      raw = t.getRawData();
    } else {
      return typed(t, dt, shape, n, where);
    }
    long expect = (long) n * dt.bytes;
    if (raw.size() != expect) {
      throw new QuenchException(where + ": raw data has " + raw.size() + " bytes, " + Shapes.str(shape) + " of " + dt + " needs " + expect);
    }
    ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    if (dt.isFloating()) {
      float[] f = new float[n];
      for (int i = 0; i < n; i++) {
        f[i] = switch (dt) {
          case FLOAT32 -> b.getFloat();
          case FLOAT64 -> (float) b.getDouble();
          case FLOAT16 -> Half.toFloat(b.getShort() & 0xFFFF);
          default -> Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16);
        };
      }
      return Tensor.ofFloat(dt, shape, f);
    }
    long[] l = new long[n];
    for (int i = 0; i < n; i++) {
      l[i] = switch (dt) {
        case INT8 -> b.get();
        case UINT8 -> b.get() & 0xFF;
        case BOOL -> b.get() != 0 ? 1 : 0;
        case INT16 -> b.getShort();
        case UINT16 -> b.getShort() & 0xFFFF;
        case INT32 -> b.getInt();
        case UINT32 -> b.getInt() & 0xFFFFFFFFL;
        default -> b.getLong();
      };
    }
    return Tensor.ofLong(dt, shape, l);
  }

  private static Tensor typed(TensorProto t, DType dt, int[] shape, int n, String where) {
    int have = switch (dt) {
      case FLOAT32 -> t.getFloatDataCount();
      case FLOAT64 -> t.getDoubleDataCount();
      case INT64 -> t.getInt64DataCount();
      case UINT32, UINT64 -> t.getUint64DataCount();
      default -> t.getInt32DataCount();
    };
    if (have != n) throw new QuenchException(where + ": has " + have + " values, shape " + Shapes.str(shape) + " needs " + n);
    if (dt.isFloating()) {
      float[] f = new float[n];
      for (int i = 0; i < n; i++) {
        f[i] = switch (dt) {
          case FLOAT32 -> t.getFloatData(i);
          case FLOAT64 -> (float) t.getDoubleData(i);
          case FLOAT16 -> Half.toFloat(t.getInt32Data(i) & 0xFFFF);
          default -> Float.intBitsToFloat((t.getInt32Data(i) & 0xFFFF) << 16);
        };
      }
      return Tensor.ofFloat(dt, shape, f);
    }
    long[] l = new long[n];
    for (int i = 0; i < n; i++) {
      l[i] = switch (dt) {
        case INT64 -> t.getInt64Data(i);
        case UINT32, UINT64 -> t.getUint64Data(i);
        default -> dev.quench.ir.DTypes.wrap(dt, t.getInt32Data(i));
      };
    }
    return Tensor.ofLong(dt, shape, l);
  }

  /** Reads external data: the location must be a relative path that stays inside the model's folder. */
  private ByteString external(TensorProto t, String where, long expect) {
    String location = null;
    long offset = 0, length = -1;
    for (StringStringEntryProto e : t.getExternalDataList()) {
      try {
        switch (e.getKey()) {
          case "location" -> location = e.getValue();
          case "offset" -> offset = Long.parseLong(e.getValue());
          case "length" -> length = Long.parseLong(e.getValue());
          default -> { }
        }
      } catch (NumberFormatException ex) {
        throw new QuenchException(where + ": external data " + e.getKey() + " '" + e.getValue() + "' is not a number");
      }
    }
    if (location == null || location.isEmpty()) throw new QuenchException(where + ": external data without a location");
    if (modelDir == null) throw new QuenchException(where + ": external data needs the model's folder");
    Path base = modelDir.toAbsolutePath().normalize();
    Path file;
    try {
      file = base.resolve(location).normalize();
    } catch (java.nio.file.InvalidPathException ex) {
      throw new QuenchException(where + ": invalid external data location '" + location + "'");
    }
    if (Path.of(location).isAbsolute() || !file.startsWith(base)) {
      throw new QuenchException(where + ": external data location '" + location + "' escapes the model's folder");
    }
    if (length < 0) length = expect;
    if (offset < 0 || length != expect) {
      throw new QuenchException(where + ": external data length " + length + " does not match the tensor's " + expect + " bytes");
    }
    if (!Files.isRegularFile(file)) throw new QuenchException(where + ": external data file '" + location + "' not found");
    try {
      // a symbolic link inside the folder must not lead out of it either
      if (!file.toRealPath().startsWith(base.toRealPath())) {
        throw new QuenchException(where + ": external data location '" + location + "' escapes the model's folder (through a link)");
      }
    } catch (IOException ex) {
      throw new QuenchException(where + ": cannot resolve external data '" + location + "': " + ex.getMessage());
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      if (f.length() < offset + length) {
        throw new QuenchException(where + ": external data file '" + location + "' is shorter than offset + length");
      }
      byte[] buf = new byte[(int) length];
      f.seek(offset);
      f.readFully(buf);
      return ByteString.copyFrom(buf);
    } catch (IOException ex) {
      throw new QuenchException(where + ": cannot read external data '" + location + "': " + ex.getMessage());
    }
  }
}
