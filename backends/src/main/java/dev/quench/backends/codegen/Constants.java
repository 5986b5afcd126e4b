package dev.quench.backends.codegen;

import dev.quench.ir.DType;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The constant arrays of a generated model (weights, biases, shifts, tables, geometry): one
 * {@code static const} array each, 16-byte aligned, in the order they were asked for, named
 * uniquely. Values are written exactly: integers in decimal, floats as hex literals.
 */
final class Constants {
  /** One array: C name, element type, element count, and its initialiser text. */
  record Array(String name, String ctype, long count, String body, long bytes) {}

  private final CppNames names;
  private final List<Array> arrays = new ArrayList<>();
  private final Map<Value, String> byValue = new IdentityHashMap<>();
  private final Map<String, String> byContent = new LinkedHashMap<>();

  Constants(CppNames names) {
    this.names = names;
  }

  List<Array> arrays() {
    return arrays;
  }

  long bytes() {
    return arrays.stream().mapToLong(Array::bytes).sum();
  }

  /** The array holding a constant value's data. */
  String add(String hint, Value v) {
    String known = byValue.get(v);
    if (known != null) return known;
    Tensor t = v.data();
    QuenchException.check(t != null, "codegen: '%s' is not a constant", v.name);
    String n;
    if (t.isFloat()) {
      QuenchException.check(t.dtype == DType.FLOAT32, "codegen: constant '%s' of type %s", v.name, t.dtype);
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < t.numel(); i++) {
        sb.append(i % 8 == 0 ? "\n    " : " ").append(Lowering.floatLiteral(t.f[i])).append(',');
      }
      n = put(hint, "float", t.numel(), sb.toString(), 4L * t.numel());
    } else {
      n = addInts(hint, t.dtype, t.l);
    }
    byValue.put(v, n);
    return n;
  }

  /** A double array (identical contents share one array). */
  String addDoubles(String hint, double[] values) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < values.length; i++) sb.append(i % 6 == 0 ? "\n    " : " ").append(Lowering.doubleLiteral(values[i])).append(',');
    String key = "double:" + sb;
    String known = byContent.get(key);
    if (known != null) return known;
    String n = put(hint, "double", values.length, sb.toString(), 8L * values.length);
    byContent.put(key, n);
    return n;
  }

  /** An integer array of the given type (identical contents share one array). */
  String addInts(String hint, DType t, long[] values) {
    String ctype = Lowering.ctype(t);
    StringBuilder sb = new StringBuilder();
    long lo = dev.quench.ir.DTypes.lo(t), hi = dev.quench.ir.DTypes.hi(t);
    for (int i = 0; i < values.length; i++) {
      long v = values[i];
      boolean u64 = t == DType.UINT64;  // every long is the bits of a uint64
      QuenchException.check(u64 || v >= lo && v <= hi, "codegen: constant %s: %d does not fit %s", hint, v, ctype);
      sb.append(i % 24 == 0 ? "\n    " : " ");
      // INT32_MIN has no literal form; the others are plain decimals
      sb.append(u64 ? Long.toUnsignedString(v) + "ull" : v == Long.MIN_VALUE ? "INT64_MIN" : v == Integer.MIN_VALUE ? "INT32_MIN" : Long.toString(v)).append(',');
    }
    String key = ctype + ":" + sb;
    String known = byContent.get(key);
    if (known != null) return known;
    String n = put(hint, ctype, values.length, sb.toString(), (long) values.length * t.bytes);
    byContent.put(key, n);
    return n;
  }

  private String put(String hint, String ctype, long count, String body, long bytes) {
    String n = names.name("k_" + hint);
    arrays.add(new Array(n, ctype, Math.max(count, 1), count == 0 ? "0" : body, bytes));
    return n;
  }
}
