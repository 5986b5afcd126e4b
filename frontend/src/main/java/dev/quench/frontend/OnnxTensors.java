package dev.quench.frontend;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Serialized TensorProto files (the ONNX test runner's input_*.pb / output_*.pb). */
public final class OnnxTensors {
  private OnnxTensors() {}

  public static Tensor read(Path file) {
    try {
      TensorProto t = TensorProto.parseFrom(Files.readAllBytes(file));
      return new TensorDecoder(file.toAbsolutePath().getParent()).decode(t, file.toString());
    } catch (InvalidProtocolBufferException e) {
      throw new QuenchException(file + ": not a TensorProto");
    } catch (IOException e) {
      throw new QuenchException(file + ": cannot read: " + e.getMessage());
    }
  }
}
