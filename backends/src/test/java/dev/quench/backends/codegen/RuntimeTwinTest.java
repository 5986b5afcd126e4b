package dev.quench.backends.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quench.ir.FixedPoint;
import dev.quench.ir.kernel.QMath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The C++ runtime's fixed-point rules and float functions against their Java definitions
 * (FixedPoint, QMath) on random and edge inputs, in one batched native run: the expected values
 * are computed here, written into a C++ program with the runtime headers, compiled with
 * -ffp-contract=off and run; it prints the number of disagreements.
 */
class RuntimeTwinTest {
  @TempDir
  Path tmp;

  /** The Java QuantizeLinear op on one value. */
  private static long quantizeLinear(float x, float scale, long zp, long lo, long hi) {
    dev.quench.ir.Node n = new dev.quench.ir.Node("q", "QuantizeLinear", 13, java.util.List.of(), java.util.List.of(), new dev.quench.ir.Attributes());
    dev.quench.ir.DType t = lo < 0 ? dev.quench.ir.DType.INT8 : dev.quench.ir.DType.UINT8;
    dev.quench.ir.Tensor[] in = {dev.quench.ir.Tensor.ofFloat(new int[] {1}, new float[] {x}), dev.quench.ir.Tensor.ofFloat(new int[0], new float[] {scale}),
        dev.quench.ir.Tensor.ofLong(t, new int[0], new long[] {zp})};
    return dev.quench.ir.op.OpRegistry.get("QuantizeLinear").eval(n, in)[0].l[0];
  }

  @Test
  void cppRuntimeAgreesWithJavaBitForBit() throws Exception {
    SplittableRandom r = new SplittableRandom(7);
    int n = 20_000;
    StringBuilder cases = new StringBuilder();
    StringBuilder fcases = new StringBuilder();
    for (int i = 0; i < n; i++) {
      long x = switch (i % 4) {
        case 0 -> r.nextInt();
        case 1 -> r.nextInt(1 << 16) - (1 << 15);
        case 2 -> r.nextInt(64) - 32;
        default -> (long) Integer.MAX_VALUE - r.nextInt(1 << 10) * (r.nextBoolean() ? 1 : -1);
      };
      int s = r.nextInt(40) - 8;
      long count = 1 + r.nextInt(400);
      int sl = r.nextInt(17) - 8;
      long sr32 = s >= 1 && s <= 31 ? FixedPoint.shiftRound(x, s) : 0;
      cases.append(String.format("{%dLL, %d, %dLL, %dLL, %dLL, %dLL, %d, %dLL},%n", x, s, FixedPoint.shiftRound(x, s), sr32, count,
          FixedPoint.divRound(x, count), sl, sl >= 0 ? FixedPoint.divRound(x << sl, count) : FixedPoint.divRound(x, count << -sl)));
      float f = switch (i % 3) {
        case 0 -> (float) (r.nextDouble() * 200 - 100);
        case 1 -> (float) (r.nextDouble() * 2 - 1);
        default -> Float.intBitsToFloat(r.nextInt());
      };
      if (i % 7 == 3) f = (r.nextInt(600) - 300 + 0.5f) * 0.0625f;  // quantization ties: x / scale = k + 1/2
      if (i % 97 == 0) f = new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 1e30f, -1e30f, 127.5f, -128.5f}[i / 97 % 9];
      // QuantizeLinear to int8 at scale 2^-4 and to uint8 with zero point 3, as the Java op computes it
      long q8 = quantizeLinear(f, 0.0625f, 0, -128, 127), qu = quantizeLinear(f, 0.0625f, 3, 0, 255);
      // fma against Java's correctly rounded Math.fma, on operands chosen to make the sum cancel or tie
      float fa = (float) (r.nextDouble() * 4 - 2), fb = (float) (r.nextDouble() * 4 - 2);
      float fc = switch (i % 4) {
        case 0 -> -fa * fb;
        case 1 -> (float) (r.nextDouble() * 1e-6);
        case 2 -> Float.intBitsToFloat(r.nextInt());
        default -> (float) (r.nextDouble() * 8 - 4);
      };
      if (i % 50 == 1) {
        // double rounding traps: (1 + 2^-k)(1 + 2^-(24-k)) lies exactly between two floats; a tiny c
        // decides the direction, which a plain double sum loses
        int k = 1 + r.nextInt(23);
        float sgn = r.nextBoolean() ? 1 : -1, scale = Math.scalb(1f, r.nextInt(40) - 20);
        fa = sgn * scale * (1 + Math.scalb(1f, -k));
        fb = 1 + Math.scalb(1f, -(24 - k));
        fc = (r.nextBoolean() ? 1 : -1) * scale * Math.scalb(1f, -40 - r.nextInt(20));
      }
      // square roots (LayerNorm's) against Java's correctly rounded Math.sqrt: all magnitudes, subnormals, edges
      double d = switch (i % 4) {
        case 0 -> r.nextDouble() * 10;
        case 1 -> Double.longBitsToDouble(r.nextLong() & Long.MAX_VALUE);
        case 2 -> Double.longBitsToDouble(r.nextLong(1L << 52));
        default -> Math.scalb(1 + r.nextInt(1 << 20), r.nextInt(200) - 100);  // exact squares and near ties
      };
      if (i % 89 == 0) d = new double[] {0.0, -0.0, -1.0, Double.POSITIVE_INFINITY, Double.NaN, Double.MIN_VALUE, Double.MAX_VALUE, 1e-5, 2.0}[i / 89 % 9];
      fcases.append(String.format("{0x%016xull, 0x%016xull, ", Double.doubleToRawLongBits(d), Double.doubleToRawLongBits(Math.sqrt(d))));
      fcases.append(String.format("0x%08xu, 0x%08xu, 0x%08xu, 0x%08xu, %d, %d, 0x%08xu, 0x%08xu, 0x%08xu, 0x%08xu, ", Float.floatToRawIntBits(f),
          Float.floatToRawIntBits(QMath.exp(f)), Float.floatToRawIntBits(QMath.sigmoid(f)), Float.floatToRawIntBits(QMath.tanh(f)), q8, qu,
          Float.floatToRawIntBits(fa), Float.floatToRawIntBits(fb), Float.floatToRawIntBits(fc), Float.floatToRawIntBits(Math.fma(fa, fb, fc))));
      // float16 / bfloat16 (Cast, the SDK's edges): Half.java and DTypes.round, every NaN the canonical one; and back from a random pattern
      int h = r.nextInt(1 << 16);
      long b16 = Float.isNaN(f) ? 0x7fc0 : Float.floatToRawIntBits(dev.quench.ir.DTypes.round(dev.quench.ir.DType.BFLOAT16, f)) >>> 16;
      fcases.append(String.format("0x%04xu, 0x%04xu, 0x%04xu, 0x%08xu, 0x%08xu, ", GoldenSamples.floatBits(f, dev.quench.ir.DType.FLOAT16), b16, h,
          Float.floatToRawIntBits(dev.quench.ir.Half.toFloat(h)), h << 16));
      // fmod (Mod with fmod=1) against Java's double %: all magnitudes, subnormals, near multiples, signs
      double mx = switch (i % 5) {
        case 0 -> (r.nextDouble() * 200 - 100);
        case 1 -> Double.longBitsToDouble(r.nextLong());
        case 2 -> Double.longBitsToDouble(r.nextLong(1L << 53)) * (r.nextBoolean() ? 1 : -1);
        case 3 -> (r.nextInt(2001) - 1000) * 0.25;
        default -> (float) (r.nextDouble() * 8 - 4);
      };
      double my = switch (i % 4) {
        case 0 -> (r.nextDouble() * 10 - 5);
        case 1 -> Double.longBitsToDouble(r.nextLong());
        case 2 -> Double.longBitsToDouble(r.nextLong(1L << 52));
        default -> (r.nextInt(9) - 4) * 0.5;
      };
      if (i % 83 == 0) my = new double[] {0.0, -0.0, Double.POSITIVE_INFINITY, Double.NaN, Double.MIN_VALUE, mx, -mx}[i / 83 % 7];
      if (i % 89 == 5) mx = new double[] {0.0, -0.0, Double.NEGATIVE_INFINITY, Double.NaN, Double.MIN_VALUE}[i / 89 % 5];
      fcases.append(String.format("0x%016xull, 0x%016xull, 0x%016xull},%n", Double.doubleToRawLongBits(mx), Double.doubleToRawLongBits(my), Double.doubleToRawLongBits(mx % my)));
    }
    String prog = """
        #include <cstdio>
        #include <cstring>
        #include "quench/fixed_point.h"
        #include "quench/qmath.h"
        struct C { long long x; int s; long long sr; long long sr32; long long n; long long dr; int sl; long long mr; };
        static const C kCases[] = {
        %s};
        #include "quench/kernels.h"
        struct F { unsigned long long d, sd; unsigned x, e, sg, th; int q8, qu; unsigned fa, fb, fc, fr, h16, b16, h, hf, bf; unsigned long long mx, my, mr; };
        static const F kF[] = {
        %s};
        static unsigned bits(float f) { unsigned u; std::memcpy(&u, &f, 4); return u; }
        static bool same(unsigned a, unsigned b) {
          // NaN payloads may differ; any NaN equals any NaN
          const bool na = (a & 0x7f800000u) == 0x7f800000u && (a & 0x7fffffu), nb = (b & 0x7f800000u) == 0x7f800000u && (b & 0x7fffffu);
          return na || nb ? na == nb : a == b;
        }
        int main() {
          int bad = 0;
          for (const C& c : kCases) {
            if (quench::shift_round(c.x, c.s) != c.sr) ++bad;
            if (c.s >= 1 && c.s <= 31 && c.x >= -2147483648LL && c.x <= 2147483647LL && quench::shift_round32(static_cast<int>(c.x), c.s) != c.sr32) ++bad;
            if (quench::div_round(c.x, c.n) != c.dr) ++bad;
            if (quench::mean_round(c.x, c.n, c.sl) != c.mr) ++bad;
          }
          for (const F& f : kF) {
            double d, sd;
            std::memcpy(&d, &f.d, 8);
            sd = quench::qmath::sqrt(d);
            unsigned long long sb;
            std::memcpy(&sb, &sd, 8);
            const bool dnan = sd != sd, wnan = (f.sd & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (f.sd & 0xfffffffffffffull);
            if (dnan != wnan || (!dnan && sb != f.sd)) {
              if (bad < 5) std::printf("sqrt %%016llx: %%016llx want %%016llx\\n", f.d, sb, f.sd);
              ++bad;
            }
            float x;
            std::memcpy(&x, &f.x, 4);
            if (!same(bits(quench::qmath::exp(x)), f.e) || !same(bits(quench::qmath::sigmoid(x)), f.sg) || !same(bits(quench::qmath::tanh(x)), f.th)) {
              if (bad < 5) std::printf("x=%%08x exp %%08x/%%08x sigmoid %%08x/%%08x tanh %%08x/%%08x\\n", f.x, bits(quench::qmath::exp(x)), f.e,
                                     bits(quench::qmath::sigmoid(x)), f.sg, bits(quench::qmath::tanh(x)), f.th);
              ++bad;
            }
            signed char q8;
            unsigned char qu;
            const float scale = 0.0625f;
            const unsigned char zp = 3;
            quench::quantize_f32_int<signed char>(&x, 1, &scale, static_cast<const signed char*>(nullptr), 1, 1, &q8);
            quench::quantize_f32_int<unsigned char>(&x, 1, &scale, &zp, 1, 1, &qu);
            float a, b, c;
            std::memcpy(&a, &f.fa, 4);
            std::memcpy(&b, &f.fb, 4);
            std::memcpy(&c, &f.fc, 4);
            if (!same(bits(quench::qmath::fma(a, b, c)), f.fr)) {
              if (bad < 5) std::printf("fma %%08x %%08x %%08x: %%08x want %%08x\\n", f.fa, f.fb, f.fc, bits(quench::qmath::fma(a, b, c)), f.fr);
              ++bad;
            }
            if (quench::f32_to_f16(x) != f.h16 || quench::f32_to_bf16(x) != f.b16 || !same(bits(quench::f16_to_f32(static_cast<uint16_t>(f.h))), f.hf) ||
                bits(quench::bf16_to_f32(static_cast<uint16_t>(f.h))) != f.bf) {
              if (bad < 5) std::printf("half x=%%08x: %%04x/%%04x %%04x/%%04x h=%%04x\\n", f.x, quench::f32_to_f16(x), f.h16, quench::f32_to_bf16(x), f.b16, f.h);
              ++bad;
            }
            {
              double mx, my;
              std::memcpy(&mx, &f.mx, 8);
              std::memcpy(&my, &f.my, 8);
              const double mr = quench::qmath::fmod(mx, my);
              unsigned long long mb;
              std::memcpy(&mb, &mr, 8);
              const bool rn = mr != mr, wn = (f.mr & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (f.mr & 0xfffffffffffffull);
              if (rn != wn || (!rn && mb != f.mr)) {
                if (bad < 5) std::printf("fmod %%016llx %%016llx: %%016llx want %%016llx\\n", f.mx, f.my, mb, f.mr);
                ++bad;
              }
            }
            if (q8 != f.q8 || qu != f.qu) {
              if (bad < 5) std::printf("quantize x=%%08x: %%d/%%d %%d/%%d\\n", f.x, q8, f.q8, qu, f.qu);
              ++bad;
            }
          }
          std::printf("disagreements: %%d\\n", bad);
          return bad != 0;
        }
        """.formatted(cases, fcases);
    Path rt = tmp.resolve("runtime/quench");
    Files.createDirectories(rt);
    for (String f : SdkGenerator.RUNTIME) {
      Path to = tmp.resolve("runtime/" + f);
      Files.createDirectories(to.getParent());
      Files.writeString(to, SdkWriter.resource("runtime/" + f));
    }
    Files.writeString(tmp.resolve("twin.cpp"), prog);
    Process c = new ProcessBuilder("g++", "-std=c++17", "-O2", "-Wall", "-Wextra", "-Werror", "-ffp-contract=off", "-march=x86-64-v3", "-I", tmp.resolve("runtime").toString(),
        tmp.resolve("twin.cpp").toString(), "-o", tmp.resolve("twin").toString()).redirectErrorStream(true).start();
    String cout = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, c.waitFor(), cout);
    Process p = new ProcessBuilder(tmp.resolve("twin").toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    assertTrue(out.contains("disagreements: 0"), out);
  }
}
