package dev.quench.ir.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** QMath against java.lang.Math (double, then rounded): the own approximations stay within a few float ulps. */
class QMathTest {
  private static double ulps(float got, double want) {
    float w = (float) want;
    return Math.abs(got - want) / Math.ulp(w == 0 ? Float.MIN_NORMAL : w);
  }

  @Test
  void expWithinTwoUlpAcrossTheNormalRange() {
    double worst = 0;
    for (int i = 0; i <= 2_000_000; i++) {
      float x = -87f + 175.7f * i / 2_000_000f;
      worst = Math.max(worst, ulps(QMath.exp(x), Math.exp(x)));
    }
    System.out.println("QMath.exp worst error " + worst + " ulp");
    assertTrue(worst <= 2, "worst " + worst + " ulp");
  }

  @Test
  void expSpecialValuesAndSubnormals() {
    assertEquals(1f, QMath.exp(0f));
    assertEquals(Float.POSITIVE_INFINITY, QMath.exp(89f));
    assertEquals(0f, QMath.exp(-104f));
    assertEquals(0f, QMath.exp(Float.NEGATIVE_INFINITY));
    assertTrue(Float.isNaN(QMath.exp(Float.NaN)));
    for (float x = -103.5f; x < -87.4f; x += 0.37f) {
      double want = Math.exp(x);
      assertTrue(Math.abs(QMath.exp(x) - want) <= Float.MIN_VALUE * 1.01 + want * 1e-6, "exp(" + x + ")");
    }
  }

  @Test
  void sigmoidAndTanhAreAccurateAndOdd() {
    double worstS = 0, worstT = 0;
    for (int i = -400_000; i <= 400_000; i++) {
      float x = i / 20_000f;
      worstS = Math.max(worstS, Math.abs(QMath.sigmoid(x) - 1 / (1 + Math.exp(-x))) / (1 / (1 + Math.exp(-x))));
      double t = Math.tanh(x);
      worstT = Math.max(worstT, t == 0 ? Math.abs(QMath.tanh(x)) : Math.abs(QMath.tanh(x) - t) / Math.abs(t));
      assertTrue(-QMath.tanh(x) == QMath.tanh(-x), "tanh is odd at " + x);
    }
    System.out.println("QMath.sigmoid worst relative error " + worstS + ", tanh " + worstT);
    assertTrue(worstS < 5e-7 && worstT < 5e-7, worstS + " " + worstT);
  }
}
