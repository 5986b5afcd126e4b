package dev.quench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quench.ir.Tensor;
import dev.quench.ir.io.Npy;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Calibration (and run / eval inputs) from a directory of PNG / JPEG images: --resize, --mean, --std, --layout, --bgr. */
class ImageCalibrationTest {
  @TempDir
  Path tmp;

  @Test
  void greyPngsGiveTheSameTensorAsTheNpyAndCalibrate() throws Exception {
    Path ex = TestData.example(), dir = tmp.resolve("images");
    Files.createDirectories(dir);
    Tensor all = Npy.read(ex.resolve("test_x.npy"));
    int n = 24, per = 28 * 28;
    float[] bytes = new float[n * per];
    for (int i = 0; i < n; i++) {
      BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
      for (int p = 0; p < per; p++) {
        // the example's images are normalised as (x / 255 - 0.2860) / 0.3530: back to bytes
        int v = Math.max(0, Math.min(255, Math.round((all.f[i * per + p] * 0.3530f + 0.2860f) * 255)));
        img.getRaster().setSample(p % 28, p / 28, 0, v);
        bytes[i * per + p] = (v / 255f - 0.2860f) / 0.3530f;
      }
      ImageIO.write(img, "png", dir.resolve(String.format("img_%03d.png", i)).toFile());
    }
    Path npy = tmp.resolve("x.npy");
    Npy.write(npy, Tensor.ofFloat(new int[] {n, 1, 28, 28}, bytes));
    Path model = ex.resolve("fashion_mobilenet.onnx");
    TestData.Run a = TestData.cli("run", model.toString(), "--input", dir.toString(), "--mean", "0.2860", "--std", "0.3530", "--out-dir", tmp.resolve("a").toString());
    TestData.Run b = TestData.cli("run", model.toString(), "--input", npy.toString(), "--out-dir", tmp.resolve("b").toString());
    assertEquals(0, a.code(), a.err());
    assertEquals(0, b.code(), b.err());
    assertArrayEquals(Files.readAllBytes(tmp.resolve("b/logits.npy")), Files.readAllBytes(tmp.resolve("a/logits.npy")), "images read as the .npy of their bytes");
    // calibrating from the images: a working int8 model
    TestData.Run e = TestData.cli("eval", model.toString(), "--calib", dir.toString(), "--mean", "0.2860", "--std", "0.3530", "--data", ex.resolve("test_x.npy").toString(), "--labels",
        ex.resolve("test_y.npy").toString(), "--json", "--quiet");
    assertEquals(0, e.code(), e.err());
    assertTrue(TestData.number(e.out(), "quant_top1") > 0.85, e.out());
  }

  @Test
  void colourImagesResizeNormaliseAndReorder() throws Exception {
    Path dir = tmp.resolve("rgb");
    Files.createDirectories(dir);
    BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
    int[] px = {0xff0000, 0x00ff00, 0x0000ff, 0x808080};
    for (int i = 0; i < 4; i++) img.setRGB(i % 2, i / 2, px[i]);
    ImageIO.write(img, "png", dir.resolve("a.png").toFile());
    ImageOptions o = new ImageOptions();
    o.mean = "0.5";
    o.std = "0.5,0.25,1";
    Tensor t = ImageFolder.read(dir, o, new int[] {1, 3, 2, 2});
    assertArrayEquals(new int[] {1, 3, 2, 2}, t.shape());
    // red plane: 1, 0, 0, 128/255 -> (p - 0.5) / 0.5
    assertEquals(1f, t.f[0], 1e-6);
    assertEquals(-1f, t.f[1], 1e-6);
    assertEquals((128 / 255f - 0.5f) / 0.5f, t.f[3], 1e-6);
    // green plane divided by 0.25: pixel 1 is green
    assertEquals((1 - 0.5f) / 0.25f, t.f[4 + 1], 1e-6);
    o.bgr = true;
    o.layout = "NHWC";
    Tensor h = ImageFolder.read(dir, o, new int[] {1, 2, 2, 3});
    assertArrayEquals(new int[] {1, 2, 2, 3}, h.shape());
    assertEquals((1 - 0.5f) / 0.5f, h.f[2 * 3 + 0], 1e-6, "pixel 2 is blue, first channel with --bgr");
    o.resize = "3x5";
    assertArrayEquals(new int[] {1, 3, 5, 3}, ImageFolder.read(dir, o, new int[] {1, -1, -1, 3}).shape());
    // JPEG too
    ImageIO.write(img, "jpg", dir.resolve("b.jpg").toFile());
    assertEquals(2, ImageFolder.read(dir, new ImageOptions(), new int[] {1, 3, 2, 2}).dim(0));
  }

  @Test
  void badImageInputsAreOneLineErrors() throws Exception {
    Path model = TestData.example().resolve("fashion_mobilenet.onnx");
    Path empty = tmp.resolve("empty");
    Files.createDirectories(empty);
    TestData.Run r = TestData.cli("run", model.toString(), "--input", empty.toString(), "--out-dir", tmp.resolve("o").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("no PNG or JPEG files") && !r.err().contains("\tat "), r.err());
    Path bad = tmp.resolve("bad");
    Files.createDirectories(bad);
    Files.write(bad.resolve("x.png"), new byte[] {1, 2, 3, 4});
    r = TestData.cli("run", model.toString(), "--input", bad.toString(), "--out-dir", tmp.resolve("o").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("x.png") && r.err().strip().lines().count() == 1, r.err());
    r = TestData.cli("run", model.toString(), "--input", bad.toString(), "--resize", "ax3", "--out-dir", tmp.resolve("o").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--resize must be HxW"), r.err());
  }
}
