package dev.quench.bench;

import dev.quench.cli.Main;
import dev.quench.frontend.OnnxBuilder;
import dev.quench.ir.Tensor;
import dev.quench.ir.io.Npy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Instructions per MAC of single layers on emulated Cortex-M boards, for the four shapes the
 * issue compares with Arm's CMSIS-NN (measured by Arm's kernels on the same QEMU boards): conv 3x3
 * 16->32 on 16x16, depthwise 3x3 with 64 channels on 16x16, pointwise 64->64 on 16x16, FC 256->128.
 * Each shape becomes a one-layer ONNX model with random weights, is compiled for the target and
 * profiled with quench verify --profile. Not a test: scripts/bench-kernels.
 */
public final class KernelShapesBench {
  private KernelShapesBench() {}

  public static void main(String[] args) throws Exception {
    String[] targets = args.length > 0 ? args : new String[] {"cortex-m4", "cortex-m55"};
    Path work = Files.createTempDirectory("quench-shapes-");
    // name, CMSIS-NN instr/MAC on M4 and M55 (from the issue)
    Object[][] shapes = {{"conv3x3_16to32_16x16", 2.14, 0.33}, {"depthwise3x3_64_16x16", 8.61, 2.30}, {"pointwise_64to64_16x16", 2.07, 0.39}, {"fc_256to128", 2.07, 0.52}};
    System.out.printf("%-26s %-11s %12s %14s%n", "shape", "target", "Quench i/MAC", "CMSIS-NN i/MAC");
    for (Object[] s : shapes) {
      Path model = work.resolve(s[0] + ".onnx"), calib = work.resolve(s[0] + "_calib.npy");
      build((String) s[0], model, calib);
      for (int t = 0; t < targets.length; t++) {
        Path sdk = work.resolve(s[0] + "-" + targets[t]);
        run("compile", model.toString(), "--target", targets[t], "--calib", calib.toString(), "--out", sdk.toString(), "--golden-samples", "1", "--quiet");
        String out = run("verify", sdk.toString(), "--toolchain", "toolchains/" + targets[t] + ".cmake", "--profile", "--json");
        Matcher m = Pattern.compile("\"op\":\"(Conv|FullyConnected)\",\"instructions\":(\\d+),\"macs\":(\\d+)").matcher(out);
        if (!m.find()) throw new IllegalStateException(out);
        double ipm = Double.parseDouble(m.group(2)) / Double.parseDouble(m.group(3));
        Object ref = targets[t].equals("cortex-m4") ? s[1] : targets[t].equals("cortex-m55") ? s[2] : "-";
        System.out.printf("%-26s %-11s %12.2f %14s%n", s[0], targets[t], ipm, ref);
      }
    }
  }

  private static String run(String... args) {
    StringWriter out = new StringWriter(), err = new StringWriter();
    int rc = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    if (rc != 0) throw new IllegalStateException(String.join(" ", args) + ": " + out + err);
    return out.toString();
  }

  private static float[] random(Random r, int n, double std) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = (float) (std * r.nextGaussian());
    return v;
  }

  /** A one-layer model of the named shape and 16 calibration samples. */
  static void build(String name, Path model, Path calib) throws Exception {
    Random r = new Random(name.hashCode());
    int f = ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT_VALUE;
    OnnxBuilder b = new OnnxBuilder(13);
    long[] in;
    switch (name) {
      case "conv3x3_16to32_16x16" -> {
        in = new long[] {1, 16, 16, 16};
        b.input("x", f, in).output("y", f, 1, 32, 16, 16).initializer("w", new long[] {32, 16, 3, 3}, random(r, 32 * 16 * 9, 0.1))
            .initializer("b", new long[] {32}, random(r, 32, 0.1))
            .node("conv", "Conv", List.of("x", "w", "b"), List.of("y"), OnnxBuilder.ints("pads", 1, 1, 1, 1), OnnxBuilder.ints("kernel_shape", 3, 3));
      }
      case "depthwise3x3_64_16x16" -> {
        in = new long[] {1, 64, 16, 16};
        b.input("x", f, in).output("y", f, 1, 64, 16, 16).initializer("w", new long[] {64, 1, 3, 3}, random(r, 64 * 9, 0.3))
            .initializer("b", new long[] {64}, random(r, 64, 0.1))
            .node("dw", "Conv", List.of("x", "w", "b"), List.of("y"), OnnxBuilder.ints("pads", 1, 1, 1, 1), OnnxBuilder.ints("kernel_shape", 3, 3),
                OnnxBuilder.intAttr("group", 64));
      }
      case "pointwise_64to64_16x16" -> {
        in = new long[] {1, 64, 16, 16};
        b.input("x", f, in).output("y", f, 1, 64, 16, 16).initializer("w", new long[] {64, 64, 1, 1}, random(r, 64 * 64, 0.1))
            .initializer("b", new long[] {64}, random(r, 64, 0.1))
            .node("pw", "Conv", List.of("x", "w", "b"), List.of("y"), OnnxBuilder.ints("kernel_shape", 1, 1));
      }
      default -> {
        in = new long[] {1, 256};
        b.input("x", f, in).output("y", f, 1, 128).initializer("w", new long[] {256, 128}, random(r, 256 * 128, 0.06))
            .initializer("b", new long[] {128}, random(r, 128, 0.1))
            .node("fc", "Gemm", List.of("x", "w", "b"), List.of("y"));
      }
    }
    Files.write(model, b.bytes());
    int per = 1;
    for (int i = 1; i < in.length; i++) per *= (int) in[i];
    int[] shape = new int[in.length];
    shape[0] = 16;
    for (int i = 1; i < in.length; i++) shape[i] = (int) in[i];
    Npy.write(calib, Tensor.ofFloat(shape, random(r, 16 * per, 1.0)));
  }
}
