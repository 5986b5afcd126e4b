package dev.quench.passes.quant.rules;

import dev.quench.ir.Attributes;
import dev.quench.ir.DType;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.Tensor;
import dev.quench.ir.Value;
import dev.quench.passes.quant.QuantOptions;
import java.util.List;
import java.util.function.IntToLongFunction;

/** What a quantization rule may ask of and do to the quantizer (the driver, QuantizePow2). */
public interface QuantContext {
  Graph graph();

  QuantOptions options();

  /** The integer version of an activation (a QuantizeLinear at its first integer reader). */
  Value intIn(Value v);

  /** Whether v is an activation of the float graph (quantized already or not). */
  boolean activation(Value v);

  /** Whether v is already quantized (an integer value of the new graph). */
  boolean quantized(Value v);

  /** The frac of a quantized value. */
  int frac(Value q);

  void setFrac(Value q, int frac);

  /** The bit-width policy: the bits a float value gets. */
  int bitsOf(Value v);

  /** The frac calibration gives a value at these bits. */
  int statFrac(Value v, int bits);

  /** Whether an activation is stored unsigned (8-bit, never negative in calibration). */
  boolean unsigned(Value v, int bits);

  /** The width and signedness an already quantized value was given. */
  int intBits(Value q);

  boolean isUnsigned(Value q);

  /** The largest |q| a quantized value reaches (constants) or its type allows. */
  long maxAbs(Value q);

  /** Per-channel weight fracs, lowered where the int32 bias would overflow. */
  int[] weightFracs(String node, Tensor w, int channels, int fx, float[] bias);

  /** A quantized constant (a fresh name from name), fracs per index of axis (or one). */
  Value constant(String name, Tensor t, int[] fracs, int axis, int bits);

  /** A float constant as an activation of the given bits, at the finest frac its values allow, at most maxFrac (a comparison's threshold). */
  Value constantAt(String name, Value c, int bits, int maxFrac);

  /** A float constant read as an activation: int per tensor with its own frac. */
  Value constantActivation(String name, Value c);

  Value constantScalar(String name, long value, DType t);

  /** An unused value name from base. */
  String fresh(String base);

  /** The node's attributes with its requantization; a fused activation becomes the clamp in output units. */
  Attributes requantAttrs(Node n, long[] shifts, int bits, int fy, boolean uns);

  /** Widens the node to 64-bit accumulation when bound(c) (the largest |accumulator| of channel c) exceeds int32. */
  void accumulator(Attributes a, IntToLongFunction bound, int channels);

  /** n in integer form with its outputs as they are (indices, bools; a rule marks any it quantizes): the new node, added. */
  Node emitKeepingOutputs(Node n, List<Value> ins, Attributes a);

  /** Emits n's integer form (same name and op) with output y at (fy, bits, uns). */
  void emit(Node n, List<Value> ins, Attributes a, Value y, int fy, int bits, boolean uns);

  /** Gives v its integer type and quantization, produced by producer. */
  void markInt(Value v, int f, int bits, boolean uns, Node producer);

  /** Adds a node to the quantized graph. */
  void add(Node n);

  /** An op that moves integers at their scale and has an integer form. */
  boolean integerMove(Node n);
}
