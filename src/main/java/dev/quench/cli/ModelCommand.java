package dev.quench.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** What every command that reads one model has: the model argument, the model options, --json, and its streams. */
abstract class ModelCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "MODEL", description = "The .onnx model or .qir middleware.")
  Path model;

  @Mixin
  ModelOptions options;

  @Mixin
  OutputOptions flags;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;
}
