package dev.quench.driver;

import dev.quench.backends.ArenaPlanner;
import dev.quench.backends.codegen.SdkGenerator;
import dev.quench.ir.Graph;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import dev.quench.ir.io.Dirs;
import dev.quench.ir.mw.Middleware;
import dev.quench.ir.mw.MiddlewarePrinter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A quantized graph to an SDK, the last step of {@code quench compile}: the graph is written as
 * middleware (the SDK is always generated from that file, as {@code quench codegen} would, and
 * carries a copy of it), then the code generator writes the SDK directory.
 */
public final class SdkCompiler {
  private SdkCompiler() {}

  /**
   * The graph of a float SDK ({@code compile --precision float}): optimised (in place) by the
   * float pipeline for the target, nothing quantized; every node runs its float C++ kernel, the
   * twin of the interpreter's float kernel.
   */
  public static Graph optimizeFloat(Graph g, dev.quench.ir.target.Target target) {
    QuenchException.check(target.accelerator() == dev.quench.ir.target.Accelerator.NONE, "--precision float: %s runs integers only (compile for its CPU target instead)", target.name());
    new dev.quench.passes.PassManager().run(g, dev.quench.passes.Pipelines.forFloat(), new dev.quench.passes.PassContext(target));
    return g;
  }

  /**
   * @param stem the model's name (C++ namespace and file names)
   * @param golden inputs of the golden samples
   * @param fitGolden keep as many golden samples as fit the target's flash (at least one); false: all or an error
   */
  public static SdkGenerator.Summary compile(Graph quantGraph, String stem, String target, Path out, List<Map<String, Tensor>> golden, boolean fitGolden) {
    QuenchException.check(!stem.isBlank() && !stem.contains("/") && !stem.contains("\\"), "--name: '%s' is not a plain name", stem);
    ArenaPlanner.plan(quantGraph);
    Path work;
    try {
      work = Files.createTempDirectory("quench-compile-");
    } catch (IOException e) {
      throw new QuenchException("cannot create a temporary directory: " + e.getMessage(), e);
    }
    try {
      Path qir = work.resolve(stem + ".qir");
      Middleware mw = MiddlewarePrinter.print(quantGraph, qir.getFileName() + ".bin");
      Files.write(qir.resolveSibling(stem + ".qir.bin"), mw.weights());
      Files.writeString(qir, mw.text(), StandardCharsets.UTF_8);
      return SdkGenerator.generate(qir, target, out, golden, fitGolden);
    } catch (IOException e) {
      throw new QuenchException("cannot write the middleware: " + e.getMessage(), e);
    } finally {
      Dirs.deleteTree(work);
    }
  }
}
