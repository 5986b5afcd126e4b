package dev.quench.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.junit.jupiter.api.Test;

/** The integer semantics, against exact arithmetic. */
class FixedPointTest {
  @Test
  void shiftRoundsHalfUp() {
    assertEquals(1, FixedPoint.shiftRound(1, 1), "0.5 -> 1");
    assertEquals(0, FixedPoint.shiftRound(-1, 1), "-0.5 -> 0 (half up)");
    assertEquals(-1, FixedPoint.shiftRound(-3, 1), "-1.5 -> -1");
    assertEquals(1, FixedPoint.shiftRound(5, 2), "1.25 -> 1");
    assertEquals(2, FixedPoint.shiftRound(6, 2), "1.5 -> 2");
    assertEquals(12, FixedPoint.shiftRound(3, -2), "negative shift is an exact left shift");
  }

  @Test
  void shiftRoundIsExactRoundHalfUp() {
    qt().withExamples(2000).forAll(longs().between(-(1L << 40), 1L << 40), integers().between(-8, 30)).checkAssert((x, s) -> {
      long want = s <= 0 ? x << -s
          : new BigDecimal(x).divide(BigDecimal.valueOf(2).pow(s)).setScale(0, RoundingMode.HALF_UP).longValue();
      // RoundingMode.HALF_UP rounds -0.5 away from zero; ours rounds towards +infinity
      boolean negTie = s > 0 && x < 0 && Math.floorMod(x, 1L << s) == (1L << (s - 1));
      assertEquals(negTie ? want + 1 : want, FixedPoint.shiftRound(x, s), x + " >> " + s);
    });
  }

  @Test
  void saturationAndRanges() {
    assertEquals(127, FixedPoint.saturate(300, 8));
    assertEquals(-128, FixedPoint.saturate(-300, 8));
    assertEquals(255, FixedPoint.hi(8, true));
    assertEquals(0, FixedPoint.lo(8, true));
    assertEquals(32767, FixedPoint.requantize(1L << 30, 10, 16));
  }

  @Test
  void divRoundAndQuantize() {
    assertEquals(3, FixedPoint.divRound(5, 2), "2.5 -> 3");
    assertEquals(-2, FixedPoint.divRound(-5, 2), "-2.5 -> -2 (half up)");
    assertEquals(2, FixedPoint.divRound(7, 3), "2.33 -> 2");
    assertEquals(2, FixedPoint.quantize(0.625, 2, 8), "2.5 -> 2: round half to even at the float boundary");
    assertEquals(127, FixedPoint.quantize(100.0, 2, 8), "saturates");
  }

  @Test
  void accumulatorOverflowIsAnError() {
    assertThrows(QuenchException.class, () -> FixedPoint.checkAcc(1L << 31, "conv1"));
    assertEquals(Integer.MAX_VALUE, FixedPoint.checkAcc(Integer.MAX_VALUE, "x"));
  }

  @Test
  void fracForFitsTheRange() {
    qt().withExamples(500).forAll(integers().between(1, 1_000_000)).checkAssert(m -> {
      double maxAbs = m / 1000.0;
      int f = FixedPoint.fracFor(maxAbs, 8);
      // the largest f with maxAbs * 2^f <= 127 (no value saturates)
      assertEquals(true, Math.scalb(maxAbs, f) <= 127 && Math.scalb(maxAbs, f + 1) > 127, maxAbs + " f=" + f);
    });
  }
}
