package dev.quench.ir.kernel;

import java.util.Arrays;

/** Index maps for numpy broadcasting: for each output element, the flat index into one input. */
public final class Broadcast {
  private Broadcast() {}

  /** Flat input index per output element, or null when the input already has the output's shape. */
  public static int[] map(int[] outShape, int[] inShape) {
    if (Arrays.equals(outShape, inShape)) return null;
    int r = outShape.length;
    int[] inStride = new int[r];
    int acc = 1;
    for (int i = inShape.length - 1; i >= 0; i--) {
      int o = i + (r - inShape.length);
      inStride[o] = inShape[i] == 1 ? 0 : acc;
      acc *= inShape[i];
    }
    return IndexMap.strided(outShape, inStride);
  }

  public static int at(int[] map, int k) {
    return map == null ? k : map[k];
  }
}
