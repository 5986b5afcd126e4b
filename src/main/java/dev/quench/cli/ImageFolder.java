package dev.quench.cli;

import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A directory of PNG / JPEG images as one input tensor [N, C, H, W] (or [N, H, W, C]): files in
 * name order, each scaled to H x W (bilinear), pixels to [0, 1], then (p - mean[c]) / std[c];
 * one channel is the luma (0.299 R + 0.587 G + 0.114 B), three are R, G, B (or B, G, R).
 */
final class ImageFolder {
  private ImageFolder() {}

  static boolean isImageDir(Path p) {
    return Files.isDirectory(p);
  }

  /** @param declared the model input's declared shape (batch first; -1 where symbolic), or null */
  static Tensor read(Path dir, ImageOptions o, int[] declared) {
    boolean nhwc = o.nhwc();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(png|jpe?g)$")).sorted().toList();
    } catch (IOException e) {
      throw new QuenchException(dir + ": cannot list the directory: " + e.getMessage(), QuenchException.BAD_INPUT, e);
    }
    QuenchException.check(!files.isEmpty(), "%s: no PNG or JPEG files", dir);
    QuenchException.check(declared == null || declared.length == 4, "%s: images feed 4-D inputs, the model's is %d-D", dir, declared == null ? 0 : declared.length);
    int channels = declared == null ? -1 : declared[nhwc ? 3 : 1];
    int[] size = o.size();
    int h = size != null ? size[0] : declared == null ? -1 : declared[nhwc ? 1 : 2];
    int w = size != null ? size[1] : declared == null ? -1 : declared[nhwc ? 2 : 3];
    QuenchException.check(h > 0 && w > 0, "%s: the model does not fix the image size; give --resize HxW", dir);
    if (channels <= 0) channels = 3;
    QuenchException.check(channels == 1 || channels == 3, "%s: images give 1 or 3 channels, the model input has %d (check --layout)", dir, channels);
    float[] mean = ImageOptions.perChannel("--mean", o.mean, 0f, channels), std = ImageOptions.perChannel("--std", o.std, 1f, channels);
    for (float v : std) QuenchException.check(v != 0, "--std must not be 0");
    int n = files.size(), plane = h * w;
    float[] data = new float[n * channels * plane];
    for (int i = 0; i < n; i++) {
      BufferedImage img = decode(files.get(i));
      // grey images stay grey (Java's grey is linear: converting it to sRGB would change the values)
      boolean grey = img.getType() == BufferedImage.TYPE_BYTE_GRAY;
      BufferedImage scaled = scale(img, h, w, grey);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float r, g, b;
          if (grey) {
            r = g = b = scaled.getRaster().getSample(x, y, 0) / 255f;
          } else {
            int rgb = scaled.getRGB(x, y);
            r = ((rgb >> 16) & 0xff) / 255f;
            g = ((rgb >> 8) & 0xff) / 255f;
            b = (rgb & 0xff) / 255f;
          }
          float luma = grey ? r : (float) (0.299 * r + 0.587 * g + 0.114 * b);
          float[] px = channels == 1 ? new float[] {luma} : o.bgr ? new float[] {b, g, r} : new float[] {r, g, b};
          for (int c = 0; c < channels; c++) {
            int at = nhwc ? ((i * h + y) * w + x) * channels + c : ((i * channels + c) * h + y) * w + x;
            data[at] = (px[c] - mean[c]) / std[c];
          }
        }
      }
    }
    return Tensor.ofFloat(nhwc ? new int[] {n, h, w, channels} : new int[] {n, channels, h, w}, data);
  }

  private static BufferedImage decode(Path f) {
    BufferedImage img;
    try {
      img = ImageIO.read(f.toFile());
    } catch (IOException | RuntimeException e) {
      throw new QuenchException(f + ": not a readable PNG or JPEG image (" + e.getMessage() + ")", QuenchException.BAD_INPUT, e);
    }
    QuenchException.check(img != null, "%s: not a PNG or JPEG image", f);
    QuenchException.check((long) img.getWidth() * img.getHeight() <= (1L << 28), "%s: image too large (%dx%d)", f, img.getWidth(), img.getHeight());
    return img;
  }

  /** The image in sRGB (or grey) at h x w, bilinear (an exact copy when the size already matches). */
  private static BufferedImage scale(BufferedImage img, int h, int w, boolean grey) {
    BufferedImage out = new BufferedImage(w, h, grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      if (img.getWidth() != w || img.getHeight() != h) g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(img, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return out;
  }
}
