package dev.quench.passes;

import dev.quench.ir.target.Target;
import java.util.ArrayList;
import java.util.List;

/** What a pass may read besides the graph (the target) and where it reports what it did. */
public final class PassContext {
  private final Target target;
  private final List<String> log = new ArrayList<>();

  public PassContext(Target target) {
    this.target = target;
  }

  public Target target() {
    return target;
  }

  public void report(String pass, String message) {
    log.add(pass + ": " + message);
  }

  public List<String> log() {
    return log;
  }
}
