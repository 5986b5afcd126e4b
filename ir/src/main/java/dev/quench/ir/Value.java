package dev.quench.ir;

/**
 * A named SSA value: a graph input, a node output, or a constant (initializer or folded). Its
 * {@link #type} is set at import by shape inference. {@link #data} is non-null when the value is
 * known at compile time.
 */
public final class Value {
  public final String name;
  private TensorType type;
  private Tensor data;
  private Node producer;
  /** True for initializers and Constant-node outputs: weights the model ships with. */
  private boolean parameter;
  private QParams qparams;
  /** Byte offset in the static arena, or -1 when not planned. */
  private long arenaOffset = -1;

  public Value(String name) {
    this.name = name;
  }

  public TensorType type() {
    return type;
  }

  public void setType(TensorType type) {
    this.type = type;
  }

  public Tensor data() {
    return data;
  }

  public boolean isConstant() {
    return data != null;
  }

  public void setData(Tensor data) {
    this.data = data;
    if (data != null) this.type = data.type();
  }

  public Node producer() {
    return producer;
  }

  public void setProducer(Node producer) {
    this.producer = producer;
  }

  public boolean isParameter() {
    return parameter;
  }

  public void setParameter(boolean parameter) {
    this.parameter = parameter;
  }

  public QParams qparams() {
    return qparams;
  }

  public void setQParams(QParams q) {
    this.qparams = q;
  }

  public long arenaOffset() {
    return arenaOffset;
  }

  public void setArenaOffset(long offset) {
    this.arenaOffset = offset;
  }

  @Override
  public String toString() {
    return "%" + name + ":" + (type == null ? "?" : type.toString());
  }
}
