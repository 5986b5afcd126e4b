package dev.quench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quench.frontend.OnnxImporter;
import dev.quench.ir.ModelStats;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** inspect's parameter and MAC counts, checked against counts worked out by hand from the architecture. */
class InspectTest {
  /** MACs of a k x k conv producing an h x h map. */
  private static long conv(int h, int cin, int cout, int k) {
    return (long) h * h * cout * cin * k * k;
  }

  private static long convParams(int cin, int cout, int k) {
    return (long) cout * cin * k * k + cout;
  }

  /** SqueezeNet 1.1: conv1 3->64 3x3/2 (224 -> 111), maxpools to 55, 27, 13, eight fire modules, conv10 512->1000. */
  @Test
  void squeezenetParametersAndMacsByHand() {
    Path shared = TestData.shared();
    assumeTrue(shared != null, "needs ../shared/models");
    Path model = shared.resolve("models/real/squeezenet1.1/model.onnx");
    // fire(in, squeeze, expand) at spatial size h: 1x1 squeeze, then 1x1 and 3x3 expands
    int[][] fires = {{55, 64, 16, 64}, {55, 128, 16, 64}, {27, 128, 32, 128}, {27, 256, 32, 128},
        {13, 256, 48, 192}, {13, 384, 48, 192}, {13, 384, 64, 256}, {13, 512, 64, 256}};
    long macs = conv(111, 3, 64, 3), params = convParams(3, 64, 3);
    for (int[] f : fires) {
      macs += conv(f[0], f[1], f[2], 1) + conv(f[0], f[2], f[3], 1) + conv(f[0], f[2], f[3], 3);
      params += convParams(f[1], f[2], 1) + convParams(f[2], f[3], 1) + convParams(f[2], f[3], 3);
    }
    macs += conv(13, 512, 1000, 1);
    params += convParams(512, 1000, 1);
    assertEquals(1_235_496, params, "hand count agrees with the published parameter count");
    ModelStats s = ModelStats.of(OnnxImporter.load(model));
    assertEquals(params, s.parameters());
    assertEquals(macs, s.macs());
    TestData.Run run = TestData.cli("inspect", model.toString());
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("1,235,496"), run.out());
    assertTrue(run.out().contains(String.format("%,d", macs)), run.out());
  }

  /** The bundled example: 17 convs + 1 Gemm; parameters from the JSON summary agree with ModelStats. */
  @Test
  void jsonSummaryOfExample() {
    Path model = TestData.example().resolve("fashion_mobilenet.onnx");
    TestData.Run run = TestData.cli("inspect", model.toString(), "--json");
    assertEquals(0, run.code(), run.err());
    ModelStats s = ModelStats.of(OnnxImporter.load(model));
    assertTrue(run.out().contains("\"parameters\":" + s.parameters()), run.out());
    assertTrue(run.out().contains("\"macs\":" + s.macs()), run.out());
    assertTrue(run.out().contains("\"Conv\":17"), run.out());
    assertTrue(run.out().contains("\"unsupported\":[]"), run.out());
    assertTrue(s.macsByOp().get("Gemm") == 960L, "Gemm 1x96 by 96x10: " + s.macsByOp());
  }
}
