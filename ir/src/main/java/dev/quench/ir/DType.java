package dev.quench.ir;

/** Element types the IR knows. Floating types are held as float32 by the float interpreter; integer types and bool as int64. */
public enum DType {
  FLOAT32("f32", 1, 4), UINT8("u8", 2, 1), INT8("i8", 3, 1), UINT16("u16", 4, 2), INT16("i16", 5, 2),
  INT32("i32", 6, 4), INT64("i64", 7, 8), STRING("str", 8, 0), BOOL("bool", 9, 1), FLOAT16("f16", 10, 2),
  FLOAT64("f64", 11, 8), UINT32("u32", 12, 4), UINT64("u64", 13, 8), BFLOAT16("bf16", 16, 2);

  public final String shortName;
  public final int onnxCode;
  public final int bytes;

  DType(String shortName, int onnxCode, int bytes) {
    this.shortName = shortName;
    this.onnxCode = onnxCode;
    this.bytes = bytes;
  }

  public boolean isFloating() {
    return this == FLOAT32 || this == FLOAT16 || this == FLOAT64 || this == BFLOAT16;
  }

  public static DType fromOnnx(int code) {
    for (DType d : values()) if (d.onnxCode == code) return d;
    return null;
  }
}
