package dev.quench.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** float16 conversion: every half value survives half -> float -> half; rounding is to nearest even. */
class HalfTest {
  @Test
  void everyHalfRoundTrips() {
    for (int h = 0; h < 0x10000; h++) {
      float f = Half.toFloat(h);
      if (Float.isNaN(f)) continue;
      assertEquals(h, Half.fromFloat(f), "half 0x" + Integer.toHexString(h));
    }
  }

  @Test
  void roundsToNearestEven() {
    assertEquals(1.0f, Half.toFloat(Half.fromFloat(1.0f + 0x1p-11f)), "tie goes to even (1.0)");
    assertEquals(1.0f + 0x1p-9f, Half.toFloat(Half.fromFloat(1.0f + 0x1p-10f + 0x1p-11f)), "tie goes to even (odd neighbour)");
    assertEquals(Float.POSITIVE_INFINITY, Half.toFloat(Half.fromFloat(70000f)));
    assertEquals(0x1p-24f, Half.toFloat(Half.fromFloat(0x1p-24f)), "smallest subnormal");
  }
}
