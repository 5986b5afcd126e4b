package dev.quench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.quench.frontend.OnnxBuilder;
import dev.quench.frontend.OnnxImporter;
import dev.quench.ir.Graph;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import dev.quench.passes.PassContext;
import dev.quench.passes.PassManager;
import dev.quench.passes.Pipelines;
import dev.quench.ir.target.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation fuzzing: ONNX models (byte flips, truncations, insertions, and protobuf-level edits of
 * ops, inputs, attributes, initializers and types), .npy files and .qir text. Every case must
 * end in success or a clean QuenchException (the CLI's exit 2, one line), never another
 * exception (exit 3), a hang or an OutOfMemoryError. Deterministic seeds; bounded in time (each
 * case gets 10 s). A sample of cases also goes through the CLI to check the exit code and the
 * one-line message.
 */
class RobustnessFuzzTest {
  static final int ONNX_CASES = 10_000, NPY_CASES = 1_000, QIR_CASES = 1_000;
  private static final String[] OPS = {"Conv", "Relu", "Add", "MaxPool", "Gemm", "Reshape", "Concat", "Transpose", "Softmax", "BatchNormalization", "Clip",
      "GlobalAveragePool", "Flatten", "Mul", "Slice", "Resize", "Pad", "Split", "MatMul", "Squeeze", "NoSuchOp"};

  @TempDir
  Path tmp;

  /** Outcome counts and the findings (non-clean failures), with what reproduces them. */
  static final class Tally {
    int ok, clean;
    final List<String> findings = new ArrayList<>();
    /** Error messages by kind (quoted names and numbers blanked): what the cases reached. */
    final java.util.Map<String, Integer> kinds = new java.util.TreeMap<>();

    void run(String what, Runnable r, ExecutorService pool) {
      Future<?> f = pool.submit(r);
      try {
        f.get(10, TimeUnit.SECONDS);
        ok++;
      } catch (TimeoutException e) {
        f.cancel(true);
        findings.add(what + ": hang (> 10 s)");
      } catch (java.util.concurrent.ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof QuenchException q && q.getMessage() != null && !q.getMessage().isBlank() && !q.getMessage().contains("\n")) {
          clean++;
          kinds.merge(q.getMessage().replaceAll("'[^']*'", "''").replaceAll("[0-9]+", "N").replaceFirst("^case: ", "").replaceFirst("^node '' \\([A-Za-z]*\\): ", ""), 1, Integer::sum);
        } else {
          StringBuilder at = new StringBuilder();
          for (int k = 0; k < Math.min(4, c.getStackTrace().length); k++) at.append(" at ").append(c.getStackTrace()[k]);
          findings.add(what + ": " + c + at);
        }
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static List<byte[]> bases() throws Exception {
    int f = TensorProto.DataType.FLOAT_VALUE;
    Random r = new Random(1);
    float[] w = new float[8 * 3 * 3 * 3], fc = new float[10 * 8 * 4 * 4];
    for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian() * 0.2f;
    for (int i = 0; i < fc.length; i++) fc[i] = (float) r.nextGaussian() * 0.1f;
    List<byte[]> b = new ArrayList<>();
    b.add(new OnnxBuilder(13).input("x", f, 1, 3, 8, 8).output("y", f, 1, 10).initializer("w", new long[] {8, 3, 3, 3}, w)
        .initializer("fc", new long[] {10, 128}, fc)
        .node("conv", "Conv", List.of("x", "w"), List.of("c"), OnnxBuilder.ints("pads", 1, 1, 1, 1), OnnxBuilder.ints("kernel_shape", 3, 3))
        .node("relu", "Relu", List.of("c"), List.of("r"))
        .node("pool", "MaxPool", List.of("r"), List.of("p"), OnnxBuilder.ints("kernel_shape", 2, 2), OnnxBuilder.ints("strides", 2, 2))
        .node("flat", "Flatten", List.of("p"), List.of("fl"))
        .node("fc", "Gemm", List.of("fl", "fc"), List.of("y"), OnnxBuilder.intAttr("transB", 1)).bytes());
    b.add(new OnnxBuilder(17).input("a", f, 1, 4, 6).input("b", f, 1, 4, 6).output("z", f, 1, 8, 6)
        .node("add", "Add", List.of("a", "b"), List.of("s")).node("mul", "Mul", List.of("s", "a"), List.of("m"))
        .node("cat", "Concat", List.of("s", "m"), List.of("c"), OnnxBuilder.intAttr("axis", 1))
        .node("sm", "Softmax", List.of("c"), List.of("z"), OnnxBuilder.intAttr("axis", -1)).bytes());
    b.add(Files.readAllBytes(TestData.example().resolve("fashion_mobilenet.onnx")));
    return b;
  }

  /** One mutation of a model: raw bytes, or an edit of the parsed protobuf. */
  static byte[] mutate(byte[] base, Random r) throws Exception {
    int kind = r.nextInt(10);
    if (kind < 4) {
      byte[] m = base.clone();
      switch (kind) {
        case 0 -> {
          for (int k = 1 + r.nextInt(8); k > 0; k--) m[r.nextInt(m.length)] ^= (byte) (1 << r.nextInt(8));
        }
        case 1 -> m = java.util.Arrays.copyOf(m, r.nextInt(m.length));
        case 2 -> {
          int at = r.nextInt(m.length);
          byte[] ins = new byte[1 + r.nextInt(16)];
          r.nextBytes(ins);
          byte[] n = new byte[m.length + ins.length];
          System.arraycopy(m, 0, n, 0, at);
          System.arraycopy(ins, 0, n, at, ins.length);
          System.arraycopy(m, at, n, at + ins.length, m.length - at);
          m = n;
        }
        default -> {
          for (int k = 1 + r.nextInt(4); k > 0; k--) m[r.nextInt(m.length)] = (byte) r.nextInt(256);
        }
      }
      return m;
    }
    ModelProto.Builder mb = ModelProto.parseFrom(base).toBuilder();
    var g = mb.getGraphBuilder();
    int nodes = g.getNodeCount();
    NodeProto.Builder n = nodes == 0 ? null : g.getNodeBuilder(r.nextInt(nodes));
    switch (kind) {
      case 4 -> {
        if (n != null) n.setOpType(OPS[r.nextInt(OPS.length)]);
      }
      case 5 -> {
        // an input removed, added, or pointing elsewhere (also forward, making cycles)
        if (n == null) break;
        int c = r.nextInt(3);
        if (c == 0 && n.getInputCount() > 0) {
          List<String> ins = new ArrayList<>(n.getInputList());
          ins.remove(r.nextInt(ins.size()));
          n.clearInput().addAllInput(ins);
        } else if (c == 1) {
          n.addInput(r.nextBoolean() ? "" : "nowhere");
        } else if (n.getInputCount() > 0) {
          NodeProto other = g.getNode(r.nextInt(nodes));
          if (other.getOutputCount() > 0) n.setInput(r.nextInt(n.getInputCount()), other.getOutput(0));
        }
      }
      case 6 -> {
        // attribute values: ints to extreme or random values, wrong kinds
        if (n == null || n.getAttributeCount() == 0) break;
        int i = r.nextInt(n.getAttributeCount());
        AttributeProto.Builder a = n.getAttributeBuilder(i);
        long[] pick = {0, -1, 1, 2, 3, 1L << 31, -(1L << 40), Long.MAX_VALUE, Long.MIN_VALUE, 1000};
        if (a.getIntsCount() > 0) a.setInts(r.nextInt(a.getIntsCount()), pick[r.nextInt(pick.length)]);
        else if (r.nextBoolean()) a.setI(pick[r.nextInt(pick.length)]);
        else a.setType(AttributeProto.AttributeType.forNumber(r.nextInt(12)) == null ? AttributeProto.AttributeType.FLOATS : AttributeProto.AttributeType.forNumber(r.nextInt(12)));
      }
      case 7 -> {
        // initializers: dims, type, data length
        if (g.getInitializerCount() == 0) break;
        TensorProto.Builder t = g.getInitializerBuilder(r.nextInt(g.getInitializerCount()));
        int c = r.nextInt(3);
        if (c == 0 && t.getDimsCount() > 0) t.setDims(r.nextInt(t.getDimsCount()), new long[] {0, -1, 1, 3, 1L << 40}[r.nextInt(5)]);
        else if (c == 1) t.setDataType(r.nextInt(18));
        else if (t.getFloatDataCount() > 1) {
          List<Float> d = new ArrayList<>(t.getFloatDataList());
          d.subList(0, 1 + r.nextInt(d.size() - 1)).clear();
          t.clearFloatData().addAllFloatData(d);
        } else {
          t.setRawData(com.google.protobuf.ByteString.copyFrom(new byte[r.nextInt(64)]));
        }
      }
      case 8 -> {
        // graph inputs/outputs: dims, element types, removal
        if (g.getInputCount() > 0 && r.nextBoolean()) {
          var vi = g.getInputBuilder(r.nextInt(g.getInputCount()));
          var sh = vi.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
          if (sh.getDimCount() > 0) sh.getDimBuilder(r.nextInt(sh.getDimCount())).setDimValue(new long[] {0, -5, 1, 7, 1L << 33}[r.nextInt(5)]);
          else vi.getTypeBuilder().getTensorTypeBuilder().setElemType(r.nextInt(20));
        } else if (g.getOutputCount() > 0) {
          if (r.nextBoolean()) g.removeOutput(r.nextInt(g.getOutputCount()));
          else g.getOutputBuilder(r.nextInt(g.getOutputCount())).setName("not_produced");
        }
      }
      default -> {
        // opset and duplicated or removed nodes
        int c = r.nextInt(3);
        if (c == 0 && mb.getOpsetImportCount() > 0) mb.getOpsetImportBuilder(0).setVersion(new long[] {0, 1, 6, 99, -3}[r.nextInt(5)]);
        else if (c == 1 && n != null) g.addNode(n.build());
        else if (nodes > 0) g.removeNode(r.nextInt(nodes));
      }
    }
    return mb.build().toByteArray();
  }

  @Test
  void mutatedModelsDataAndMiddlewareFailCleanly() throws Exception {
    List<byte[]> bases = bases();
    Random r = new Random(20261122);
    Tally onnx = new Tally();
    ExecutorService pool = Executors.newSingleThreadExecutor(t -> {
      Thread th = new Thread(t, "fuzz");
      th.setDaemon(true);
      return th;
    });
    long t0 = System.nanoTime();
    int cliChecked = 0, compiled = 0;
    for (int i = 0; i < ONNX_CASES; i++) {
      // the small models mostly; the example (200 KB) one case in 20
      byte[] base = bases.get(i % 20 == 19 ? 2 : i % 2);
      byte[] m = mutate(base, r);
      boolean deep = i % 4 == 0;
      List<Value> inputs = new ArrayList<>();
      onnx.run("onnx case " + i, () -> {
        Graph g = new OnnxImporter().importBytes(m, "case", tmp);
        inputs.addAll(g.dataInputs());
        if (deep) {
          new PassManager().run(g, Pipelines.optimize(), new PassContext(Target.HOST));
          Map<String, Tensor> in = new java.util.LinkedHashMap<>();
          for (Value v : g.dataInputs()) {
            QuenchException.check(v.type().numel() <= 1 << 20, "big input");
            in.put(v.name, dev.quench.ir.Tensor.zeros(v.type().dtype(), v.type().shape()));
          }
          new dev.quench.ir.Interpreter(g).run(in);
        }
      }, pool);
      if (i % 16 < 2 && !inputs.isEmpty() && inputs.stream().allMatch(v -> v.type().dtype() == dev.quench.ir.DType.FLOAT32 && v.type().numel() <= 1 << 16)) {
        // a mutant that imports: the whole compile (calibrate, quantize, generate C++) ends in 0 or 2
        Path f = tmp.resolve("valid.onnx");
        Files.write(f, m);
        List<String> args = new ArrayList<>(List.of("compile", f.toString(), "--out", tmp.resolve("sdk").toString(), "--golden-samples", "1", "--quiet"));
        for (Value v : inputs) {
          int[] shape = new int[v.type().rank() + 1];
          shape[0] = 2;
          System.arraycopy(v.type().shape(), 0, shape, 1, v.type().rank());
          float[] data = new float[2 * (int) v.type().numel()];
          for (int k = 0; k < data.length; k++) data[k] = (float) r.nextGaussian();
          Path c = tmp.resolve("calib" + args.size() + ".npy");
          dev.quench.ir.io.Npy.write(c, Tensor.ofFloat(shape, data));
          args.addAll(List.of("--calib", v.name + "=" + c));
        }
        compiled++;
        onnx.run("onnx case " + i + " (compile)", () -> {
          TestData.Run c = TestData.cli(args.toArray(String[]::new));
          if (c.code() == 2) QuenchException.check(false, c.err().strip().lines().count() == 1 ? "clean" : "multi-line error: " + c.err());
          if (c.code() != 0) throw new IllegalStateException("exit " + c.code() + ": " + c.err().strip());
        }, pool);
      }
      if (i % 100 == 0) {
        // through the CLI: exit 0 or 2, and an error is one line
        Path f = tmp.resolve("case.onnx");
        Files.write(f, m);
        TestData.Run c = TestData.cli("inspect", f.toString());
        assertTrue(c.code() == 0 || c.code() == 2, "onnx case " + i + ": exit " + c.code() + " " + c.err());
        if (c.code() == 2) assertEquals(1, c.err().strip().lines().count(), c.err());
        cliChecked++;
      }
    }
    double onnxSecs = (System.nanoTime() - t0) / 1e9;

    // .npy files: header and body mutations, read as run inputs
    Path model = TestData.example().resolve("fashion_mobilenet.onnx");
    Path npy = tmp.resolve("x.npy");
    dev.quench.ir.io.Npy.write(npy, Tensor.ofFloat(new int[] {2, 1, 28, 28}, new float[2 * 784]));
    byte[] npyBase = Files.readAllBytes(npy);
    Tally npyT = new Tally();
    for (int i = 0; i < NPY_CASES; i++) {
      byte[] m = npyBase.clone();
      if (i % 3 == 0) m = java.util.Arrays.copyOf(m, r.nextInt(m.length));
      else for (int k = 1 + r.nextInt(6); k > 0; k--) m[r.nextInt(i % 3 == 1 ? Math.min(m.length, 128) : m.length)] = (byte) r.nextInt(256);
      Path f = tmp.resolve("case.npy");
      Files.write(f, m);
      npyT.run("npy case " + i, () -> dev.quench.ir.io.Npy.read(f), pool);
    }
    TestData.Run badNpy = TestData.cli("run", model.toString(), "--input", tmp.resolve("case.npy").toString(), "--out-dir", tmp.resolve("o").toString());
    assertTrue(badNpy.code() == 0 || badNpy.code() == 2, badNpy.err());

    // .qir text: character and line edits, parsed and (when it parses) run
    Path qir = tmp.resolve("m.qir");
    assertEquals(0, TestData.cli("optimize", model.toString(), "-o", qir.toString()).code());
    String text = Files.readString(qir);
    byte[] bin = Files.readAllBytes(tmp.resolve("m.qir.bin"));
    Tally qirT = new Tally();
    String junk = "%\"{}[]()=:,@ -1 0 99999999999 f32 i8 node param const input output q(bits=8) ";
    for (int i = 0; i < QIR_CASES; i++) {
      StringBuilder s = new StringBuilder(text);
      for (int k = 1 + r.nextInt(3); k > 0; k--) {
        int at = r.nextInt(s.length());
        switch (r.nextInt(4)) {
          case 0 -> s.deleteCharAt(at);
          case 1 -> s.insert(at, junk.charAt(r.nextInt(junk.length())));
          case 2 -> {
            int a = s.lastIndexOf("\n", at) + 1, e = s.indexOf("\n", at);
            if (e > a) s.delete(a, e);
          }
          default -> {
            int e = Math.min(s.length(), at + 1 + r.nextInt(12));
            s.replace(at, e, junk.substring(r.nextInt(junk.length() / 2)).substring(0, Math.min(e - at, junk.length() / 2)));
          }
        }
      }
      Path dir = tmp.resolve("q" + (i % 2));
      Files.createDirectories(dir);
      Path f = dir.resolve("m.qir");
      Files.writeString(f, s.toString());
      Files.write(dir.resolve("m.qir.bin"), bin);
      qirT.run("qir case " + i, () -> {
        Graph g = dev.quench.ir.mw.MiddlewareParser.read(f);
        Map<String, Tensor> in = new java.util.LinkedHashMap<>();
        for (Value v : g.dataInputs()) in.put(v.name, Tensor.zeros(v.type().dtype(), v.type().shape()));
        new dev.quench.ir.Interpreter(g).run(in);
      }, pool);
    }
    pool.shutdownNow();
    System.out.printf("fuzz: onnx %d cases + %d compiles (%d ok, %d clean errors, %d through inspect) in %.1f s; npy %d (%d ok, %d clean); qir %d (%d ok, %d clean)%n",
        ONNX_CASES, compiled, onnx.ok, onnx.clean, cliChecked, onnxSecs, NPY_CASES, npyT.ok, npyT.clean, QIR_CASES, qirT.ok, qirT.clean);
    System.out.println("fuzz: distinct onnx error kinds " + onnx.kinds.size() + ", npy " + npyT.kinds.size() + ", qir " + qirT.kinds.size());
    List<String> all = new ArrayList<>(onnx.findings);
    all.addAll(npyT.findings);
    all.addAll(qirT.findings);
    assertTrue(all.isEmpty(), all.size() + " findings, first: " + all.subList(0, Math.min(12, all.size())));
  }
}
