package dev.quench.ir.mw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quench.ir.Graph;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Value;
import org.junit.jupiter.api.Test;

/** The middleware format: every construct survives print -> parse -> print; errors say where and what was expected. */
class MiddlewareTest {
  static final String TEXT = String.join("\n",
      "quench-ir 1",
      "graph \"m\" opset 13",
      "weights \"m.qir.bin\" bytes 0 sha256 \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"",
      "input %x : f32[1,2,2] q(bits=8, frac=[5, 6], axis=1) @0",
      "input %\"odd name: \\\"quoted\\\"\\n\" : f32[1,2,2]",
      "const %lo : f32[] = [-Infinity]",
      "const %big : i64[2] = [9223372036854775807, -9223372036854775808]",
      "node add \"add \\u0001\" (%x, %\"odd name: \\\"quoted\\\"\\n\") -> (%s : f32[1,2,2] @16)",
      "node constant_of_shape \"cos\" (%big) -> (%unused : f32[0,0]) {value=tensor(f32[1], [1.0E-5])}",
      "node clip \"c\" (%s, %lo, _) -> (%y : f32[1,2,2] q(bits=16, frac=[3], unsigned=1) @32) {note=\"a\\tb\", empty=floats[], ints=[], names=[\"p\", \"q\"]}",
      "output %y",
      "");

  @Test
  void everyConstructRoundTrips() {
    Graph g = parseOrSkipCos(TEXT);
    Middleware out = MiddlewarePrinter.print(g, "m.qir.bin");
    Graph again = MiddlewareParser.parse(out.text(), out.weights(), "again");
    assertEquals(out.text(), MiddlewarePrinter.print(again, "m.qir.bin").text());
    Value x = again.value("x");
    assertEquals(0, x.arenaOffset());
    assertArrayEquals(new long[] {5, 6}, x.qparams().frac());
    assertEquals(1, x.qparams().axis());
    assertEquals(dev.quench.ir.QParams.of(16, true, 3), again.value("y").qparams());
    assertTrue(again.value("odd name: \"quoted\"\n") != null);
    assertEquals(Float.NEGATIVE_INFINITY, again.value("lo").data().f[0]);
    assertEquals(Long.MIN_VALUE, g.value("big").data().l[1]);
    assertTrue(again.value("big") == null, "an unused constant is not printed");
    assertEquals("a\tb", again.nodes().get(again.nodes().size() - 1).attrs.getString("note", null));
    assertEquals(0, again.nodes().get(again.nodes().size() - 1).attrs.getFloats("empty").length);
  }

  /** The ConstantOfShape above would allocate 2^63 elements: the parser's inference stops it cleanly, so test without it. */
  private static Graph parseOrSkipCos(String text) {
    QuenchException e = assertThrows(QuenchException.class, () -> MiddlewareParser.parse(text, new byte[0], "t.qir"));
    assertTrue(e.getMessage().startsWith("t.qir:9:"), e.getMessage());
    return MiddlewareParser.parse(text.replaceAll("node constant_of_shape[^\\n]*\\n", ""), new byte[0], "t.qir");
  }

  @Test
  void syntaxErrorsSayWhereAndWhatWasExpected() {
    QuenchException e = assertThrows(QuenchException.class,
        () -> MiddlewareParser.parse("quench-ir 1\ngraph \"m\" opset 13\ninput %x f32[2]\noutput %x\n", new byte[0], "s.qir"));
    assertTrue(e.getMessage().startsWith("s.qir:3:10:") && e.getMessage().contains("missing ':'"), e.getMessage());
    e = assertThrows(QuenchException.class, () -> MiddlewareParser.parse("quench-ir 2\ngraph \"m\" opset 13\noutput %x\n", new byte[0], "v.qir"));
    assertTrue(e.getMessage().contains("v.qir:1:11: middleware version 2"), e.getMessage());
    e = assertThrows(QuenchException.class,
        () -> MiddlewareParser.parse("quench-ir 1\ngraph \"m\" opset 13\ninput %x : f32[2]\nnode relu \"r\" (%z) -> (%y : f32[2])\noutput %y\n", new byte[0], "u.qir"));
    assertTrue(e.getMessage().contains("u.qir:4:16: value %z is not defined"), e.getMessage());
  }

  /** The quantization contract: a conv with 3 output channels takes 1 or 3 shifts; q() fields are typed and fit their tensor. */
  private static final String QCONV = String.join("\n",
      "quench-ir 1",
      "graph \"m\" opset 13",
      "input %x : i8[1,2,4,4] q(bits=8, frac=[4])",
      "param %w : i8[3,2,1,1] q(bits=8, frac=[6, 6, 7], axis=0) = [1, 2, 3, 4, 5, 6]",
      "node conv \"c\" (%x, %w) -> (%y : i8[1,3,4,4] q(bits=8, frac=[3])) {kernel_shape=[1, 1], SHIFTS, out_bits=8}",
      "output %y",
      "");

  @Test
  void theQuantizationContractIsCheckedWhereItIsWritten() {
    Graph ok = MiddlewareParser.parse(QCONV.replace("SHIFTS", "shift_right=[7, 7, 8]"), new byte[0], "q.qir");
    assertEquals(3, dev.quench.ir.Requant.of(ok.nodes().get(0).attrs).shifts());
    MiddlewareParser.parse(QCONV.replace("SHIFTS", "shift_right=[7]"), new byte[0], "q.qir");
    QuenchException e = assertThrows(QuenchException.class, () -> MiddlewareParser.parse(QCONV.replace("SHIFTS", "shift_right=[7, 7]"), new byte[0], "q.qir"));
    assertEquals("q.qir:5:88: node 'c': 2 shifts in shift_right, expected 1 or 3", e.getMessage());
    e = assertThrows(QuenchException.class, () -> MiddlewareParser.parse(QCONV.replace("SHIFTS", "shift_right=[7, 99, 8]"), new byte[0], "q.qir"));
    assertTrue(e.getMessage().startsWith("q.qir:5:88: node 'c': shift_right: shift 99 is not -64..63"), e.getMessage());
    String fewFracs = QCONV.replace("SHIFTS", "shift_right=[7]").replace("frac=[6, 6, 7], axis=0", "frac=[6, 6], axis=0");
    e = assertThrows(QuenchException.class, () -> MiddlewareParser.parse(fewFracs, new byte[0], "q.qir"));
    assertEquals("q.qir:4:24: value %w: q(): 2 fracs for 3 channels on axis 0", e.getMessage());
    String unknown = QCONV.replace("SHIFTS", "shift_right=[7]").replace("q(bits=8, frac=[4])", "q(bits=8, frac=[4], scale=0.5)");
    e = assertThrows(QuenchException.class, () -> MiddlewareParser.parse(unknown, new byte[0], "q.qir"));
    assertEquals("q.qir:3:24: value %x: q(): unknown field 'scale'", e.getMessage());
  }

  @Test
  void weightsAreCheckedAgainstTheirChecksum() {
    byte[] bin = new byte[32];
    String text = "quench-ir 1\ngraph \"m\" opset 13\nweights \"m.qir.bin\" bytes 32 sha256 \"" + Weights.sha256(bin) + "\"\n"
        + "input %x : f32[2,2,2]\nparam %w : f32[2,2,2] = bin(0, 32)\nnode add \"a\" (%x, %w) -> (%y : f32[2,2,2])\noutput %y\n";
    Graph g = MiddlewareParser.parse(text, bin, "w.qir");
    assertEquals(8, g.value("w").data().numel());
    bin[3] = 1;
    QuenchException e = assertThrows(QuenchException.class, () -> MiddlewareParser.parse(text, bin, "w.qir"));
    assertTrue(e.getMessage().contains("w.qir:3:") && e.getMessage().contains("sha256"), e.getMessage());
    String outside = text.replace("bin(0, 32)", "bin(16, 32)").replace("bytes 32", "bytes 32");
    e = assertThrows(QuenchException.class, () -> MiddlewareParser.parse(outside, new byte[32], "w.qir"));
    assertTrue(e.getMessage().contains("outside the weights file"), e.getMessage());
  }
}
