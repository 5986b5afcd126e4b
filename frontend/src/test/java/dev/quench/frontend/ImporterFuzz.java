package dev.quench.frontend;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.quench.ir.QuenchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Feeds mutated and truncated variants of real models to the importer. Each must end in a clean
 * {@link QuenchException} or a successful load: no other exception, no hang over 10 s, no
 * OutOfMemoryError. Byte-level mutations exercise the protobuf layer; structured mutations
 * (dims, data types, attributes, names, node order) exercise the importer's own checks.
 */
class ImporterFuzz {
  /** At least 2,000 (the acceptance bar); more with -Dquench.fuzz.variants=N, another seed with -Dquench.fuzz.seed=S. */
  private static final int VARIANTS = Integer.getInteger("quench.fuzz.variants", 6000);
  private static final long SEED = Long.getLong("quench.fuzz.seed", 20261121L);
  private static ExecutorService pool;

  @BeforeAll
  static void start() {
    pool = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(null, r, "fuzz", 64 << 20);
      t.setDaemon(true);
      return t;
    });
  }

  @AfterAll
  static void stop() {
    pool.shutdownNow();
  }

  static List<Path> models() throws IOException {
    List<Path> r = new ArrayList<>();
    Path root = Path.of("").toAbsolutePath().getParent();
    r.add(root.resolve("examples/fashion_mobilenet/fashion_mobilenet.onnx"));
    String shared = System.getProperty("quench.shared");
    if (shared != null && Files.isDirectory(Path.of(shared, "models"))) {
      try (Stream<Path> s = Files.walk(Path.of(shared, "models"))) {
        s.filter(p -> p.toString().endsWith(".onnx")).sorted().forEach(r::add);
      }
    }
    return r;
  }

  @Test
  void mutatedModelsFailCleanly() throws Exception {
    List<Path> models = models();
    List<byte[]> originals = new ArrayList<>();
    for (Path m : models) originals.add(Files.readAllBytes(m));
    Random rnd = new Random(SEED);
    int loaded = 0, rejected = 0;
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < VARIANTS; i++) {
      int m = i % models.size();
      byte[] variant = i % 2 == 0 ? bytewise(originals.get(m), rnd) : structured(originals.get(m), rnd);
      String label = models.get(m).getFileName() + " variant " + i;
      Future<Boolean> f = pool.submit(() -> {
        new OnnxImporter().importBytes(variant, label, models.get(m).getParent());
        return true;
      });
      try {
        f.get(10, TimeUnit.SECONDS);
        loaded++;
      } catch (TimeoutException e) {
        f.cancel(true);
        failures.add(label + ": hang over 10 s");
      } catch (java.util.concurrent.ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof QuenchException q) {
          rejected++;
          if (q.getMessage() == null || q.getMessage().isBlank() || q.getMessage().contains("\n")) failures.add(label + ": unclear message '" + q.getMessage() + "'");
        } else {
          failures.add(label + ": " + c);
        }
      }
      if (failures.size() > 20) break;
    }
    System.out.printf("fuzz: %d variants, %d loaded, %d rejected cleanly%n", VARIANTS, loaded, rejected);
    assertTrue(failures.isEmpty(), String.join("\n", failures));
    assertTrue(loaded + rejected == VARIANTS);
    assertTrue(rejected > VARIANTS / 4, "the mutations must actually break models: " + rejected);
  }

  private static byte[] bytewise(byte[] b, Random rnd) {
    byte[] r;
    switch (rnd.nextInt(5)) {
      case 0 -> r = java.util.Arrays.copyOf(b, rnd.nextInt(b.length));
      case 1 -> {
        r = b.clone();
        for (int k = 1 + rnd.nextInt(8); k > 0; k--) r[rnd.nextInt(r.length)] ^= (byte) (1 << rnd.nextInt(8));
      }
      case 2 -> {
        r = b.clone();
        byte[] special = {0, (byte) 0xFF, 0x7F, (byte) 0x80, 0x01};
        // bias towards the header, where the graph structure (not the weights) lives
        int span = Math.min(r.length, rnd.nextBoolean() ? 4096 : r.length);
        for (int k = 1 + rnd.nextInt(4); k > 0; k--) r[rnd.nextInt(span)] = special[rnd.nextInt(special.length)];
      }
      case 3 -> {
        int at = rnd.nextInt(b.length);
        byte[] ins = new byte[1 + rnd.nextInt(16)];
        rnd.nextBytes(ins);
        r = new byte[b.length + ins.length];
        System.arraycopy(b, 0, r, 0, at);
        System.arraycopy(ins, 0, r, at, ins.length);
        System.arraycopy(b, at, r, at + ins.length, b.length - at);
      }
      default -> {
        int at = rnd.nextInt(b.length), len = Math.min(b.length - at, 1 + rnd.nextInt(64));
        r = new byte[b.length - len];
        System.arraycopy(b, 0, r, 0, at);
        System.arraycopy(b, at + len, r, at, b.length - at - len);
      }
    }
    return r;
  }

  private static final long[] ODD = {0, -1, -7, 1, 3, Integer.MAX_VALUE, 1L << 31, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE};

  private static byte[] structured(byte[] b, Random rnd) throws IOException {
    ModelProto.Builder m = ModelProto.parseFrom(b).toBuilder();
    GraphProto.Builder g = m.getGraphBuilder();
    int nodes = g.getNodeCount(), inits = g.getInitializerCount();
    switch (rnd.nextInt(9)) {
      case 0 -> { // a dim of an initializer
        if (inits > 0) {
          TensorProto.Builder t = g.getInitializerBuilder(rnd.nextInt(inits));
          if (t.getDimsCount() > 0) t.setDims(rnd.nextInt(t.getDimsCount()), ODD[rnd.nextInt(ODD.length)]);
          else t.addDims(ODD[rnd.nextInt(ODD.length)]);
        }
      }
      case 1 -> { // data type of an initializer
        if (inits > 0) g.getInitializerBuilder(rnd.nextInt(inits)).setDataType(rnd.nextInt(20));
      }
      case 2 -> { // an int or ints attribute
        if (nodes > 0) {
          NodeProto.Builder n = g.getNodeBuilder(rnd.nextInt(nodes));
          if (n.getAttributeCount() > 0) {
            AttributeProto.Builder a = n.getAttributeBuilder(rnd.nextInt(n.getAttributeCount()));
            long v = ODD[rnd.nextInt(ODD.length)];
            if (a.getIntsCount() > 0) a.setInts(rnd.nextInt(a.getIntsCount()), v);
            else if (rnd.nextBoolean()) a.setI(v).setType(AttributeProto.AttributeType.INT);
            else a.setType(AttributeProto.AttributeType.forNumber(rnd.nextInt(15)) == null ? AttributeProto.AttributeType.STRINGS : AttributeProto.AttributeType.forNumber(rnd.nextInt(15)));
          }
        }
      }
      case 3 -> { // rename an input: dangling reference
        if (nodes > 0) {
          NodeProto.Builder n = g.getNodeBuilder(rnd.nextInt(nodes));
          if (n.getInputCount() > 0) n.setInput(rnd.nextInt(n.getInputCount()), "dangling_" + rnd.nextInt(100));
        }
      }
      case 4 -> { // feed a node its own output or a later one: cycle
        if (nodes > 1) {
          int a = rnd.nextInt(nodes), later = a + rnd.nextInt(nodes - a);
          NodeProto.Builder n = g.getNodeBuilder(a);
          if (n.getInputCount() > 0 && g.getNode(later).getOutputCount() > 0) n.setInput(rnd.nextInt(n.getInputCount()), g.getNode(later).getOutput(0));
        }
      }
      case 5 -> { // shuffle node order (a valid graph must still import)
        List<NodeProto> list = new ArrayList<>(g.getNodeList());
        java.util.Collections.shuffle(list, rnd);
        g.clearNode().addAllNode(list);
      }
      case 6 -> { // drop a node or an initializer
        if (rnd.nextBoolean() && nodes > 0) g.removeNode(rnd.nextInt(nodes));
        else if (inits > 0) g.removeInitializer(rnd.nextInt(inits));
      }
      case 7 -> { // input dims and element type
        if (g.getInputCount() > 0) {
          var in = g.getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder();
          if (rnd.nextBoolean()) in.setElemType(rnd.nextInt(20));
          else if (in.getShape().getDimCount() > 0) in.getShapeBuilder().getDimBuilder(rnd.nextInt(in.getShape().getDimCount())).setDimValue(ODD[rnd.nextInt(ODD.length)]);
        }
      }
      default -> { // opset and op type
        if (rnd.nextBoolean() && m.getOpsetImportCount() > 0) m.getOpsetImportBuilder(0).setVersion(rnd.nextInt(30));
        else if (nodes > 0) g.getNodeBuilder(rnd.nextInt(nodes)).setOpType(List.of("Conv", "Reshape", "Gemm", "Concat", "Slice", "Resize", "Pad").get(rnd.nextInt(7)));
      }
    }
    return m.build().toByteArray();
  }
}
