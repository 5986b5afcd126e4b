package dev.quench.ir.kernel;

import dev.quench.ir.Attributes;
import dev.quench.ir.QuenchException;
import java.util.Arrays;

/**
 * Sliding-window geometry shared by Conv and the pools: kernel, strides, dilations, begin/end pads
 * (explicit or from auto_pad) and the output spatial size (floor, or ceil with ceil_mode).
 */
public record Window(int[] kernel, int[] strides, int[] dilations, int[] padBegin, int[] padEnd, int[] out) {

  public static Window of(Attributes a, int[] in, int[] kernel, boolean ceilMode, String what) {
    int r = in.length;
    int[] s = a.getIntArray("strides", filled(r, 1));
    int[] d = a.getIntArray("dilations", filled(r, 1));
    int[] pads = a.getIntArray("pads", new int[2 * r]);
    QuenchException.check(s.length == r && d.length == r && pads.length == 2 * r && kernel.length == r,
        "%s: strides/dilations/pads/kernel_shape do not match %d spatial dims", what, r);
    String autoPad = a.getString("auto_pad", "NOTSET");
    int[] pb = new int[r], pe = new int[r], out = new int[r];
    for (int i = 0; i < r; i++) {
      QuenchException.check(s[i] > 0 && d[i] > 0 && kernel[i] > 0, "%s: strides, dilations and kernel must be positive", what);
      QuenchException.check(pads[i] >= 0 && pads[i + r] >= 0, "%s: negative pads", what);
      long eff = (long) (kernel[i] - 1) * d[i] + 1;
      switch (autoPad) {
        case "SAME_UPPER", "SAME_LOWER" -> {
          out[i] = (in[i] + s[i] - 1) / s[i];
          int total = (int) Math.max(0, (long) (out[i] - 1) * s[i] + eff - in[i]);
          int small = total / 2, big = total - small;
          pb[i] = autoPad.equals("SAME_UPPER") ? small : big;
          pe[i] = total - pb[i];
        }
        case "VALID" -> out[i] = (int) Math.floorDiv(in[i] - eff, (long) s[i]) + 1;
        case "NOTSET", "" -> {
          pb[i] = pads[i];
          pe[i] = pads[i + r];
          long span = in[i] + (long) pb[i] + pe[i] - eff;
          long o = ceilMode ? Math.floorDiv(span + s[i] - 1, s[i]) + 1 : Math.floorDiv(span, s[i]) + 1;
          // with ceil_mode the last window must start inside the input or the begin pad
          if (ceilMode && (o - 1) * s[i] >= in[i] + pb[i]) o--;
          out[i] = (int) o;
        }
        default -> throw new QuenchException(what + ": unknown auto_pad '" + autoPad + "'");
      }
      QuenchException.check(out[i] > 0, "%s: window larger than the padded input (dim %d: in %d, kernel %d)", what, i, in[i], kernel[i]);
    }
    return new Window(kernel, s, d, pb, pe, out);
  }

  static int[] filled(int n, int v) {
    int[] r = new int[n];
    Arrays.fill(r, v);
    return r;
  }

  public int outSize() {
    int p = 1;
    for (int o : out) p *= o;
    return p;
  }
}
