package dev.quench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --report FILE.html (quantize, eval, compile): one self-contained file (no scripts, no external
 * resources) with the summary, the layer table and the SVG plots, rendered by headless Chromium
 * without console errors into a screenshot that is not blank.
 */
class HtmlReportTest {
  @TempDir
  Path tmp;

  @Test
  void reportRendersInHeadlessChromium() throws Exception {
    assertTrue(Processes.onPath("chromium"), "chromium (scripts/test installs it)");
    Path ex = TestData.example(), report = tmp.resolve("report.html");
    TestData.Run e = TestData.cli("eval", ex.resolve("fashion_mobilenet.onnx").toString(), "--calib", ex.resolve("calib_x.npy").toString(), "--data",
        ex.resolve("test_x.npy").toString(), "--labels", ex.resolve("test_y.npy").toString(), "--report", report.toString(), "--quiet");
    assertEquals(0, e.code(), e.err());
    String html = Files.readString(report);
    // self-contained: nothing to fetch, nothing to run
    for (String bad : List.of("<script", "<link", "src=", "http://", "https://", "@import")) assertFalse(html.contains(bad), "report contains " + bad);
    for (String id : List.of("id=\"summary\"", "id=\"layers\"", "id=\"weight-sqnr\"", "id=\"accumulated-sqnr\"", "class=\"plot arena\"", "id=\"macs\"", "id=\"bytes\"",
        "class=\"plot histogram\"")) {
      assertTrue(html.contains(id), "report has " + id);
    }
    // the DOM Chromium builds has the plots (parsed as SVG), and the page logs no errors
    StringBuilder log = new StringBuilder();
    // no background networking (this machine's network is closed), a fresh profile
    List<String> chrome = List.of("chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--user-data-dir=" + tmp.resolve("chromium-profile"), "--hide-scrollbars", "--enable-logging=stderr", "--v=0");
    List<String> dump = new java.util.ArrayList<>(chrome);
    dump.addAll(List.of("--dump-dom", report.toUri().toString()));
    assertEquals(0, Processes.run(dump, log), log.toString());
    String dom = log.toString();
    int svgs = dom.split("<svg", -1).length - 1;
    assertTrue(svgs >= 6, "at least six plots in the DOM, found " + svgs);
    for (String line : dom.split("\n")) {
      assertFalse(line.contains("CONSOLE") && (line.contains("Error") || line.contains("Uncaught")), "console error: " + line);
      assertFalse(line.contains("Failed to load resource"), line);
    }
    Path png = tmp.resolve("report.png");
    List<String> shot = new java.util.ArrayList<>(chrome);
    shot.addAll(List.of("--window-size=1280,3000", "--screenshot=" + png, report.toUri().toString()));
    StringBuilder slog = new StringBuilder();
    assertEquals(0, Processes.run(shot, slog), slog.toString());
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(1280, img.getWidth());
    Set<Integer> colours = new HashSet<>();
    long inked = 0;
    for (int y = 0; y < img.getHeight(); y += 2) {
      for (int x = 0; x < img.getWidth(); x += 2) {
        int c = img.getRGB(x, y) & 0xffffff;
        colours.add(c);
        if (c != 0xffffff) inked++;
      }
    }
    long total = (long) (img.getWidth() / 2) * (img.getHeight() / 2);
    System.out.printf("report: %d bytes, %d SVG plots; screenshot %dx%d, %d colours, %.1f %% inked%n", html.length(), svgs, img.getWidth(), img.getHeight(), colours.size(),
        100.0 * inked / total);
    assertTrue(colours.size() > 20 && inked > total / 20, "not blank: " + colours.size() + " colours, " + inked + "/" + total + " inked");
  }

  @Test
  void quantizeAndCompileWriteTheReportToo() {
    Path ex = TestData.example();
    Path r1 = tmp.resolve("q.html"), r2 = tmp.resolve("c.html");
    assertEquals(0, TestData.cli("quantize", ex.resolve("fashion_mobilenet.onnx").toString(), "--calib", ex.resolve("calib_x.npy").toString(), "-o",
        tmp.resolve("q.qir").toString(), "--report", r1.toString(), "--quiet").code());
    assertEquals(0, TestData.cli("compile", ex.resolve("fashion_mobilenet.onnx").toString(), "--calib", ex.resolve("calib_x.npy").toString(), "--out",
        tmp.resolve("sdk").toString(), "--report", r2.toString(), "--quiet").code());
    assertTrue(Files.exists(r1) && Files.exists(r2));
  }
}
