package dev.quench.cli;

import dev.quench.ir.QuenchException;
import picocli.CommandLine.Option;

/** How a directory of images becomes an input tensor (--calib DIR, --input DIR, --data DIR, --golden DIR). */
final class ImageOptions {
  @Option(names = "--resize", paramLabel = "HxW", description = "Image size for the model (default: the model input's height and width).")
  String resize;

  @Option(names = "--mean", paramLabel = "M[,M,M]", description = "Per-channel mean subtracted from pixels scaled to [0, 1] (default: 0).")
  String mean;

  @Option(names = "--std", paramLabel = "S[,S,S]", description = "Per-channel divisor after the mean (default: 1).")
  String std;

  @Option(names = "--layout", paramLabel = "NCHW|NHWC", description = "Image tensor layout (default: NCHW).")
  String layout;

  @Option(names = "--bgr", description = "Channels in B, G, R order (default: R, G, B).")
  boolean bgr;

  boolean nhwc() {
    if (layout == null) return false;
    return switch (layout.toUpperCase(java.util.Locale.ROOT)) {
      case "NCHW" -> false;
      case "NHWC" -> true;
      default -> throw new QuenchException("--layout must be NCHW or NHWC, got '" + layout + "'", QuenchException.BAD_INPUT, null);
    };
  }

  /** --resize as {height, width}, or null. */
  int[] size() {
    if (resize == null) return null;
    String[] p = resize.toLowerCase(java.util.Locale.ROOT).split("x");
    try {
      QuenchException.check(p.length == 2, "");
      int h = Integer.parseInt(p[0].trim()), w = Integer.parseInt(p[1].trim());
      QuenchException.check(h > 0 && w > 0 && h <= 16384 && w <= 16384, "");
      return new int[] {h, w};
    } catch (RuntimeException e) {
      throw new QuenchException("--resize must be HxW with positive sizes, like 224x224; got '" + resize + "'", QuenchException.BAD_INPUT, null);
    }
  }

  /** Per-channel values of --mean / --std: one value for all channels, or one per channel. */
  static float[] perChannel(String option, String text, float def, int channels) {
    float[] r = new float[channels];
    java.util.Arrays.fill(r, def);
    if (text == null) return r;
    String[] p = text.split(",");
    QuenchException.check(p.length == 1 || p.length == channels, "%s: give 1 or %d values, got %d", option, channels, p.length);
    for (int c = 0; c < channels; c++) {
      try {
        r[c] = Float.parseFloat(p[p.length == 1 ? 0 : c].trim());
      } catch (NumberFormatException e) {
        throw new QuenchException(option + ": '" + p[p.length == 1 ? 0 : c] + "' is not a number", QuenchException.BAD_INPUT, null);
      }
      QuenchException.check(Float.isFinite(r[c]), "%s: values must be finite", option);
    }
    return r;
  }
}
