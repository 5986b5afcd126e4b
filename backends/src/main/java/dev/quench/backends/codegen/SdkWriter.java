package dev.quench.backends.codegen;

import dev.quench.ir.QuenchException;
import dev.quench.ir.io.Dirs;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Writes the SDK directory from the templates' data: renders the templates, copies the runtime
 * and the middleware, all into a directory beside the destination that is renamed into place (no
 * half-written SDK is ever left).
 */
final class SdkWriter {
  private SdkWriter() {}

  static void write(Path out, String model, Map<String, Object> m, Map<String, Object> summary, boolean npu, Path qir) {
    Path parent = out.toAbsolutePath().getParent();
    Path tmp;
    try {
      Files.createDirectories(parent);
      tmp = Files.createTempDirectory(parent, ".quench-sdk-");
    } catch (IOException e) {
      throw new QuenchException("cannot write " + out + ": " + e.getMessage(), e);
    }
    try {
      Configuration cfg = config();
      write(tmp.resolve("include/" + model + ".h"), render(cfg, "model.h.ftl", m));
      write(tmp.resolve("src/" + model + ".cpp"), render(cfg, "model.cpp.ftl", m));
      write(tmp.resolve("test/golden.h"), render(cfg, "golden.h.ftl", m));
      write(tmp.resolve("test/selftest.cpp"), render(cfg, "selftest.cpp.ftl", m));
      write(tmp.resolve("test/bench.cpp"), render(cfg, "bench.cpp.ftl", m));
      write(tmp.resolve("CMakeLists.txt"), render(cfg, "CMakeLists.txt.ftl", m));
      write(tmp.resolve("README.md"), render(cfg, "README.md.ftl", m));
      write(tmp.resolve("summary.json"), dev.quench.ir.io.Json.write(summary) + "\n");
      for (String r : SdkGenerator.RUNTIME) write(tmp.resolve("runtime/" + r), resource("runtime/" + r));
      if (npu) for (String r : SdkGenerator.NPU_RUNTIME) write(tmp.resolve("runtime/" + r), resource("runtime/" + r));
      // the middleware the SDK was generated from, for provenance and for quench run
      String source = qir.getFileName().toString();
      Files.createDirectories(tmp.resolve("middleware"));
      Files.copy(qir, tmp.resolve("middleware/" + source));
      Path bin = qir.resolveSibling(source + ".bin");
      if (Files.exists(bin)) Files.copy(bin, tmp.resolve("middleware/" + source + ".bin"));
      replace(tmp, out);
    } catch (IOException e) {
      throw new QuenchException("cannot write " + out + ": " + e.getMessage(), e);
    } finally {
      Dirs.deleteTree(tmp);
    }
  }

  private static Configuration config() {
    Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
    cfg.setClassForTemplateLoading(SdkWriter.class, "/quench-templates/sdk");
    cfg.setDefaultEncoding("UTF-8");
    cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
    cfg.setLogTemplateExceptions(false);
    cfg.setNumberFormat("computer");
    cfg.setLocale(java.util.Locale.ROOT);
    cfg.setAPIBuiltinEnabled(false);
    // the steps are records: their components read as properties (s.kernel, s.op.geom); set for
    // every class, so it does not depend on FreeMarker's Java 16 record detection (lost when the
    // CLI jar is shaded without its multi-release classes)
    freemarker.template.DefaultObjectWrapperBuilder wrapper = new freemarker.template.DefaultObjectWrapperBuilder(Configuration.VERSION_2_3_34);
    wrapper.setDefaultZeroArgumentNonVoidMethodPolicy(freemarker.ext.beans.ZeroArgumentNonVoidMethodPolicy.BOTH_METHOD_AND_PROPERTY_UNLESS_BEAN_PROPERTY_READ_METHOD);
    wrapper.setRecordZeroArgumentNonVoidMethodPolicy(freemarker.ext.beans.ZeroArgumentNonVoidMethodPolicy.BOTH_METHOD_AND_PROPERTY_UNLESS_BEAN_PROPERTY_READ_METHOD);
    cfg.setObjectWrapper(wrapper.build());
    return cfg;
  }

  private static String render(Configuration cfg, String name, Map<String, Object> model) throws IOException {
    try {
      Template t = cfg.getTemplate(name);
      StringWriter w = new StringWriter();
      t.process(model, w);
      return w.toString();
    } catch (TemplateException e) {
      throw new IllegalStateException("template " + name + ": " + e.getMessage(), e);
    }
  }

  static String resource(String path) throws IOException {
    try (InputStream in = SdkWriter.class.getResourceAsStream("/quench-templates/" + path)) {
      if (in == null) throw new IllegalStateException("missing template resource " + path);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void write(Path p, String text) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
  }

  /** Swaps the finished directory into place (the old one, if any, is removed first). */
  private static void replace(Path tmp, Path out) throws IOException {
    if (Files.exists(out)) {
      QuenchException.check(Files.isDirectory(out), "codegen: %s exists and is not a directory", out);
      Dirs.deleteTree(out);
    }
    Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
  }
}
