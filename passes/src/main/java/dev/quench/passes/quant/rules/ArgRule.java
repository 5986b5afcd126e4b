package dev.quench.passes.quant.rules;

import dev.quench.ir.Node;
import dev.quench.ir.Value;
import java.util.List;

/**
 * ArgMax and ArgMin of an activation: they read its integers. A power-of-two scale is positive, so
 * the integers are in the order of the values they stand for (ties included), and the indices are
 * the float graph's; the int64 output is no quantized tensor.
 */
public final class ArgRule implements QuantRule {
  @Override
  public boolean quantize(Node n, Value x, Value y, QuantContext q) {
    if (!q.activation(x) || n.inputs().size() != 1) return false;
    Node m = new Node(n.name, n.opType, n.opset, List.of(q.intIn(x)), n.outputs(), n.attrs.copy());
    for (Value v : n.outputs()) if (v != null) v.setProducer(m);
    q.add(m);
    return true;
  }
}
