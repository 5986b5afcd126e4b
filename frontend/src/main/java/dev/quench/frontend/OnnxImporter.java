package dev.quench.frontend;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.quench.ir.Attributes;
import dev.quench.ir.DType;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.op.Branch;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import dev.quench.ir.Value;
import dev.quench.ir.op.InferContext;
import dev.quench.ir.op.Op;
import dev.quench.ir.op.OpRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ONNX model to Quench IR. In order: parse the protobuf; list every unsupported op (and fail
 * with all of them); convert initializers and inputs (fixing symbolic dims); then visit nodes in
 * topological order, inferring each output type and evaluating nodes whose inputs are all known
 * (the exporters' Shape/Gather/Concat glue), and inlining {@code If} nodes whose condition is known.
 * Every problem with the input is a {@link QuenchException} naming the file and node.
 */
public final class OnnxImporter {
  /** Lowest and highest default-domain opset accepted. */
  public static final int MIN_OPSET = 7, MAX_OPSET = 21;
  /** Largest tensor a model may have (2^28 elements, 1 GiB of float32): far beyond any edge model, and a guard against absurd shapes. */
  public static final long MAX_TENSOR_ELEMENTS = 1L << 28;

  private final Map<String, int[]> inputShapes;
  private final Map<String, Tensor> freezable;
  private boolean shapesOverride;

  /** @param inputShapes fixed shapes for inputs by name (symbolic dims, or an override); batch defaults to 1 */
  public OnnxImporter(Map<String, int[]> inputShapes) {
    this(inputShapes, Map.of());
  }

  /**
   * @param freezable values for graph inputs that may be frozen: when shape inference needs an
   *     input's value (a Reshape shape, Slice starts, Resize scales...), the input becomes that
   *     constant and is no longer a data input
   */
  public OnnxImporter(Map<String, int[]> inputShapes, Map<String, Tensor> freezable) {
    this.inputShapes = inputShapes == null ? Map.of() : inputShapes;
    this.freezable = freezable == null ? Map.of() : freezable;
  }

  /**
   * Inputs fixed to constants (--constant-input): each becomes a constant of its declared type
   * (a value with as many elements as the input, reshaped to it) before any node is read, so the
   * control flow and shapes it drives fold; it is no longer an input of the graph.
   */
  public OnnxImporter withConstantInputs(Map<String, Tensor> constants) {
    this.constantInputs = constants == null ? Map.of() : constants;
    return this;
  }

  private Map<String, Tensor> constantInputs = Map.of();

  /** Lets the given input shapes replace static dims too (test data whose shapes differ from the declared ones). */
  public OnnxImporter overridingStaticShapes() {
    this.shapesOverride = true;
    return this;
  }

  public OnnxImporter() {
    this(Map.of());
  }

  public static Graph load(Path file) {
    return new OnnxImporter().importFile(file);
  }

  public Graph importFile(Path file) {
    return importBytes(readBytes(file), file.toString(), file.toAbsolutePath().getParent());
  }

  /** A model file's bytes; a missing or unreadable file is a user error naming it. */
  public static byte[] readBytes(Path file) {
    try {
      if (!Files.isRegularFile(file)) throw new QuenchException(file + ": no such file");
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new QuenchException(file + ": cannot read: " + e.getMessage());
    }
  }

  /** The parsed protobuf of a model file (for tools that need the raw model). */
  public static ModelProto readModel(Path file) {
    return parse(readBytes(file), file.toString());
  }

  /** Parses only the protobuf (for tools that need the raw model). */
  public static ModelProto parse(byte[] bytes, String where) {
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      in.setRecursionLimit(64);
      in.setSizeLimit(Integer.MAX_VALUE);
      ModelProto m = ModelProto.parseFrom(in);
      in.checkLastTagWas(0);
      return m;
    } catch (InvalidProtocolBufferException e) {
      throw new QuenchException(where + ": not a valid ONNX model (protobuf: " + firstLine(e.getMessage()) + ")");
    } catch (IOException e) {
      throw new QuenchException(where + ": not a valid ONNX model (protobuf: " + firstLine(e.getMessage()) + ")");
    }
  }

  public Graph importBytes(byte[] bytes, String where, Path modelDir) {
    ModelProto model = parse(bytes, where);
    if (!model.hasGraph() || model.getGraph().getNodeCount() == 0 && model.getGraph().getOutputCount() == 0) {
      throw new QuenchException(where + ": not an ONNX model (no graph)");
    }
    List<UnsupportedOpsException.Unsupported> bad = new ArrayList<>();
    collectUnsupported(model.getGraph(), declaredOpset(model), bad);
    if (!bad.isEmpty()) throw new UnsupportedOpsException(where, bad);
    int opset = defaultOpset(model, where);
    Builder b = new Builder(where, opset, new TensorDecoder(modelDir));
    try {
      return b.build(model.getGraph());
    } catch (StackOverflowError e) {
      throw new QuenchException(where + ": graph nesting too deep");
    }
  }

  /** Throws {@link UnsupportedOpsException} listing every unsupported op of the model file, if any. */
  public static void unsupportedIn(Path file) {
    List<UnsupportedOpsException.Unsupported> bad = unsupported(readModel(file), file.toString());
    if (!bad.isEmpty()) throw new UnsupportedOpsException(file.toString(), bad);
  }

  /** Every unsupported op in the model, including those inside subgraphs. */
  public static List<UnsupportedOpsException.Unsupported> unsupported(ModelProto model, String where) {
    List<UnsupportedOpsException.Unsupported> bad = new ArrayList<>();
    collectUnsupported(model.getGraph(), declaredOpset(model), bad);
    return bad;
  }

  /** The default-domain opset the model imports, or -1. */
  static long declaredOpset(ModelProto model) {
    long opset = -1;
    for (OperatorSetIdProto o : model.getOpsetImportList()) {
      if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) opset = o.getVersion();
    }
    return opset;
  }

  static int defaultOpset(ModelProto model, String where) {
    long opset = declaredOpset(model);
    if (opset < 0) throw new QuenchException(where + ": the model imports no default-domain opset");
    if (opset < MIN_OPSET || opset > MAX_OPSET) {
      throw new QuenchException(where + ": opset " + opset + " is outside the supported range " + MIN_OPSET + ".." + MAX_OPSET);
    }
    return (int) opset;
  }

  private static void collectUnsupported(GraphProto g, long opset, List<UnsupportedOpsException.Unsupported> bad) {
    for (int i = 0; i < g.getNodeCount(); i++) {
      NodeProto n = g.getNode(i);
      boolean defaultDomain = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
      if (!defaultDomain || !OpRegistry.supports(n.getOpType())) {
        bad.add(new UnsupportedOpsException.Unsupported(n.getOpType(), n.getDomain(), nodeName(n, i), opset));
      }
      for (AttributeProto a : n.getAttributeList()) {
        if (a.hasG()) collectUnsupported(a.getG(), opset, bad);
        for (GraphProto sub : a.getGraphsList()) collectUnsupported(sub, opset, bad);
      }
    }
  }

  static String nodeName(NodeProto n, int index) {
    return n.getName().isEmpty() ? n.getOpType() + "_" + index : n.getName();
  }

  private static String firstLine(String s) {
    if (s == null) return "unknown error";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Builds one graph; subgraphs of If nodes are inlined into it. */
  private final class Builder {
    final String where;
    final int opset;
    final TensorDecoder decoder;
    final Graph graph = new Graph("main");
    int generated;

    Builder(String where, int opset, TensorDecoder decoder) {
      this.where = where;
      this.opset = opset;
      this.decoder = decoder;
    }

    Graph build(GraphProto gp) {
      graph.setOpset(opset);
      Map<String, Boolean> initNames = new HashMap<>();
      for (TensorProto t : gp.getInitializerList()) {
        if (t.getName().isEmpty()) throw new QuenchException(where + ": initializer without a name");
        if (initNames.put(t.getName(), true) != null) throw new QuenchException(where + ": initializer '" + t.getName() + "' defined twice");
        Value v = graph.valueFor(t.getName());
        v.setData(decoder.decode(t, where + ": initializer '" + t.getName() + "'"));
        v.setParameter(true);
      }
      for (ValueInfoProto vi : gp.getInputList()) {
        if (initNames.containsKey(vi.getName())) continue;
        if (graph.value(vi.getName()) != null) throw new QuenchException(where + ": input '" + vi.getName() + "' declared twice");
        Value v = graph.valueFor(vi.getName());
        v.setType(inputType(vi));
        Tensor fixed = constantInputs.get(vi.getName());
        if (fixed != null) {
          if (fixed.numel() != v.type().numel()) {
            throw new QuenchException(where + ": --constant-input " + vi.getName() + ": " + fixed.numel() + " values for input " + v.type(), QuenchException.BAD_INPUT, null);
          }
          Tensor t = dev.quench.ir.DTypes.cast(fixed, v.type().dtype()).reshape(v.type().shape());
          v.setData(t);
          v.setParameter(true);
          continue;
        }
        graph.inputs().add(v);
      }
      for (String name : constantInputs.keySet()) {
        if (gp.getInputList().stream().noneMatch(vi -> vi.getName().equals(name) && !initNames.containsKey(name))) {
          throw new QuenchException(where + ": --constant-input " + name + ": the model has no input '" + name + "'", QuenchException.BAD_INPUT, null);
        }
      }
      for (ValueInfoProto vi : gp.getInputList()) {
        if (initNames.containsKey(vi.getName())) graph.inputs().add(graph.value(vi.getName()));
      }
      addNodes(gp, "");
      for (ValueInfoProto vo : gp.getOutputList()) {
        Value v = graph.value(vo.getName());
        if (v == null || v.type() == null) throw new QuenchException(where + ": graph output '" + vo.getName() + "' is never produced");
        graph.outputs().add(v);
      }
      if (graph.outputs().isEmpty()) throw new QuenchException(where + ": the graph has no outputs");
      dev.quench.ir.Verifier.verify(graph);
      return graph;
    }

    private TensorType inputType(ValueInfoProto vi) {
      String name = vi.getName();
      if (!vi.hasType() || !vi.getType().hasTensorType()) throw new QuenchException(where + ": input '" + name + "' is not a tensor");
      var tt = vi.getType().getTensorType();
      DType dt = DType.fromOnnx(tt.getElemType());
      if (dt == null || dt == DType.STRING) throw new QuenchException(where + ": input '" + name + "' has unsupported element type " + tt.getElemType());
      int[] fixed = inputShapes.get(name);
      if (!tt.hasShape()) {
        if (fixed != null) return new TensorType(dt, fixed);
        throw new QuenchException(where + ": input '" + name + "' has no shape; give one with --input-shape " + name + "=...");
      }
      TensorShapeProto sp = tt.getShape();
      int[] shape = new int[sp.getDimCount()];
      if (fixed != null && shapesOverride) return new TensorType(dt, fixed);
      if (fixed != null && fixed.length != shape.length) {
        throw new QuenchException(where + ": input '" + name + "' given shape " + Shapes.str(fixed) + " (from --input-shape or the data) has rank " + fixed.length + ", the model's input has rank " + shape.length);
      }
      for (int i = 0; i < shape.length; i++) {
        TensorShapeProto.Dimension d = sp.getDim(i);
        if (d.hasDimValue() && d.getDimValue() >= 0) {
          if (d.getDimValue() > Shapes.MAX_ELEMENTS) throw new QuenchException(where + ": input '" + name + "' dim " + d.getDimValue() + " too large");
          shape[i] = (int) d.getDimValue();
          if (fixed != null && fixed[i] != shape[i] && d.getDimValue() > 0) {
            throw new QuenchException(where + ": input '" + name + "' given shape " + Shapes.str(fixed) + " (from --input-shape or the data) sets dim " + i + " to " + fixed[i] + ", the model fixes it to " + shape[i]);
          }
          if (fixed != null) shape[i] = fixed[i];
        } else if (fixed != null) {
          shape[i] = fixed[i];
        } else if (i == 0) {
          shape[i] = 1;
        } else {
          String sym = d.hasDimParam() ? "'" + d.getDimParam() + "'" : "unknown";
          throw new QuenchException(where + ": input '" + name + "' has a " + sym + " dim at axis " + i + "; fix it with --input-shape " + name + "=...");
        }
      }
      if (Shapes.numelLong(shape) > MAX_TENSOR_ELEMENTS) throw new QuenchException(where + ": input '" + name + "' " + Shapes.str(shape) + " has more than 2^28 elements (Quench's limit per tensor)");
      StringBuilder declared = new StringBuilder();
      boolean dynamic = false;
      for (int i = 0; i < sp.getDimCount(); i++) {
        TensorShapeProto.Dimension d = sp.getDim(i);
        boolean fixedDim = d.hasDimValue() && d.getDimValue() > 0;
        dynamic |= !fixedDim;
        declared.append(i > 0 ? ", " : "[").append(fixedDim ? String.valueOf(d.getDimValue()) : d.hasDimParam() && !d.getDimParam().isEmpty() ? d.getDimParam() : "?");
      }
      if (dynamic) graph.dynamicInputs().put(name, declared.append(']').toString());
      return new TensorType(dt, shape);
    }

    /** Adds a graph's nodes in topological order; names not produced inside must already exist (outer scope). */
    private void addNodes(GraphProto gp, String scope) {
      List<NodeProto> order = TopoSort.sort(gp, graph, where, scope);
      for (int i = 0; i < order.size(); i++) addNode(order.get(i), scope, i);
    }

    private void addNode(NodeProto np, String scope, int index) {
      String name = scope + nodeName(np, index);
      List<Value> ins = new ArrayList<>();
      for (String in : np.getInputList()) {
        if (in.isEmpty()) {
          ins.add(null);
          continue;
        }
        Value v = graph.value(in);
        if (v == null || v.type() == null) throw new QuenchException(where + ": node '" + name + "' (" + np.getOpType() + "): input '" + in + "' is not defined");
        ins.add(view(branch, v));
      }
      while (!ins.isEmpty() && ins.get(ins.size() - 1) == null) ins.remove(ins.size() - 1);
      Attributes attrs = new Attributes();
      for (AttributeProto a : np.getAttributeList()) {
        // ONNX Runtime rejects a node that names an attribute twice; the protobuf allows it
        if (attrs.has(a.getName())) throw new QuenchException(where + ": node '" + name + "' (" + np.getOpType() + "): attribute '" + a.getName() + "' is given twice");
        attrs.put(a.getName(), attribute(a, name));
      }
      if (np.getOpType().equals("If")) {
        importIf(np, name, ins);
        return;
      }
      List<Value> outs = new ArrayList<>();
      for (String o : np.getOutputList()) {
        if (o.isEmpty()) {
          outs.add(null);
          continue;
        }
        outs.add(newValue(o, name));
      }
      while (!outs.isEmpty() && outs.get(outs.size() - 1) == null) outs.remove(outs.size() - 1);
      add(new Node(name, np.getOpType(), opset, ins, outs, attrs));
    }

    /** A value the graph does not have yet (ONNX names are unique across a model and its subgraphs). */
    private Value newValue(String o, String node) {
      if (graph.value(o) != null) throw new QuenchException(where + ": node '" + node + "': value '" + o + "' is produced twice");
      return graph.valueFor(o);
    }

    /** Infers n's output types and appends it; its outputs belong to the branch being read. */
    private void add(Node n) {
      for (Value o : n.outputs()) if (o != null) o.setProducer(n);
      infer(n);
      graph.nodes().add(n);
      if (branch != null) for (Value o : n.outputs()) if (o != null) branch.local.add(o);
    }

    /** The branch of a data-dependent If being read (null: the main graph). */
    private Scope branch;

    /** One side of a data-dependent If: the values made inside, and the Guards that brought outer values in. */
    private final class Scope {
      final Value cond;
      final boolean then;
      final Scope parent;
      final String prefix;
      final java.util.Set<Value> local = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      final Map<Value, Value> entered = new java.util.IdentityHashMap<>();

      Scope(Value cond, boolean then, Scope parent, String prefix) {
        this.cond = cond;
        this.then = then;
        this.parent = parent;
        this.prefix = prefix;
      }
    }

    /**
     * How a node inside branch s sees value v: v itself when s made it or it is a constant, else
     * v as it enters s, through a Guard (made once per value and branch; inside nested branches,
     * one per level).
     */
    private Value view(Scope s, Value v) {
      if (s == null || v.isConstant() || s.local.contains(v)) return v;
      Value seen = s.entered.get(v);
      if (seen != null) return seen;
      Value outer = view(s.parent, v);
      Scope inner = branch;
      branch = s.parent;  // (the Guard itself belongs to the enclosing scope; its output to s)
      Value e = newValue(s.prefix + "enter/" + v.name, s.prefix);
      Attributes a = new Attributes();
      a.put(Branch.BRANCH, s.then ? 1L : 0L);
      add(new Node(s.prefix + "enter/" + v.name, Branch.GUARD, opset, List.of(outer, s.cond), List.of(e), a));
      branch = inner;
      s.entered.put(v, e);
      s.local.add(e);
      return e;
    }

    /**
     * An If: with a condition known at compile time (constants, shapes, --constant-input) the taken
     * branch's nodes join the graph and Identity nodes rename its outputs; otherwise both branches
     * join it behind Guards and a Merge per output picks the taken one (see {@link Branch}).
     */
    private void importIf(NodeProto np, String name, List<Value> ins) {
      if (ins.isEmpty() || ins.get(0) == null) throw new QuenchException(where + ": node '" + name + "' (If): no condition");
      Value condition = ins.get(0);
      if (condition.type().numel() != 1) throw new QuenchException(where + ": node '" + name + "' (If): the condition must have one element");
      Tensor cond = freeze(condition);
      if (cond != null) {
        String taken = cond.getDouble(0) != 0 ? "then_branch" : "else_branch";
        List<Value> outs = readBranch(np, name, taken, null);
        for (int i = 0; i < np.getOutputCount(); i++) {
          String o = np.getOutput(i);
          if (!o.isEmpty()) add(new Node(name + "/out" + i, "Identity", opset, List.of(outs.get(i)), List.of(newValue(o, name)), new Attributes()));
        }
        return;
      }
      List<Value> thens = readBranch(np, name, "then_branch", new Scope(condition, true, branch, name + "/then/"));
      List<Value> elses = readBranch(np, name, "else_branch", new Scope(condition, false, branch, name + "/else/"));
      for (int i = 0; i < np.getOutputCount(); i++) {
        String o = np.getOutput(i);
        if (!o.isEmpty()) add(new Node(name + "/merge" + i, Branch.MERGE, opset, List.of(thens.get(i), elses.get(i), condition), List.of(newValue(o, name)), new Attributes()));
      }
    }

    /** Reads one branch of an If (inside scope s, or inline when null); returns its outputs as the If's scope sees them. */
    private List<Value> readBranch(NodeProto np, String name, String which, Scope s) {
      GraphProto sub = null;
      for (AttributeProto a : np.getAttributeList()) if (a.getName().equals(which) && a.hasG()) sub = a.getG();
      if (sub == null) throw new QuenchException(where + ": node '" + name + "' (If): no " + which);
      if (sub.getOutputCount() != np.getOutputCount()) {
        throw new QuenchException(where + ": node '" + name + "' (If): " + which + " has " + sub.getOutputCount() + " outputs, the node " + np.getOutputCount());
      }
      for (TensorProto t : sub.getInitializerList()) {
        Value v = newValue(t.getName(), name);
        v.setData(decoder.decode(t, where + ": initializer '" + t.getName() + "'"));
        v.setParameter(true);
      }
      Scope outer = branch;
      if (s != null) branch = s;
      addNodes(sub, s != null ? s.prefix : name + "/");
      List<Value> outs = new ArrayList<>();
      for (int i = 0; i < sub.getOutputCount(); i++) {
        Value src = graph.value(sub.getOutput(i).getName());
        if (src == null || src.type() == null) throw new QuenchException(where + ": node '" + name + "' (If): branch output '" + sub.getOutput(i).getName() + "' is not produced");
        outs.add(view(branch, src));
      }
      branch = outer;
      return outs;
    }

    private void infer(Node n) {
      Op op = OpRegistry.get(n.opType);
      try {
        List<dev.quench.ir.TensorType> types = op.infer(n, new InferContext(n, this::freeze));
        if (types.size() < n.outputs().size()) throw new QuenchException("produces " + types.size() + " outputs, the node declares " + n.outputs().size());
        for (int i = 0; i < n.outputs().size(); i++) {
          long e = types.get(i).numel();
          if (e > MAX_TENSOR_ELEMENTS) throw new QuenchException("output " + i + " " + types.get(i) + " has more than 2^28 elements (Quench's limit per tensor)");
          if (n.output(i) != null) n.output(i).setType(types.get(i));
        }
        if (dev.quench.ir.op.KnownValues.propagate(n) && n.opType.equals("Constant")) {
          for (Value o : n.outputs()) if (o != null) o.setParameter(true);
        }
      } catch (QuenchException e) {
        String msg = e.getMessage();
        throw new QuenchException(where + ": " + (msg.startsWith("node '") ? msg : n.describe() + ": " + msg), e);
      } catch (RuntimeException e) {
        throw new QuenchException(where + ": " + n.describe() + ": invalid inputs or attributes (" + e + ")", e);
      }
    }

    /**
     * The value of {@code v} when it can be computed from constants and freezable graph inputs:
     * a freezable input becomes its given constant, and the nodes between it and {@code v} are
     * evaluated (their outputs become known). Null when some input on the way is not freezable.
     */
    private Tensor freeze(Value v) {
      if (v.isConstant()) return v.data();
      if (graph.inputs().contains(v)) {
        Tensor t = freezable.get(v.name);
        if (t == null || !java.util.Arrays.equals(t.shape(), v.type().shape())) return null;
        v.setData(t.dtype == v.type().dtype() ? t : dev.quench.ir.DTypes.cast(t, v.type().dtype()));
        return v.data();
      }
      Node p = v.producer();
      if (p == null || freezable.isEmpty()) return null;
      Tensor[] in = new Tensor[p.inputs().size()];
      for (int i = 0; i < in.length; i++) {
        if (p.input(i) == null) continue;
        in[i] = freeze(p.input(i));
        if (in[i] == null) return null;
      }
      Tensor[] out = OpRegistry.get(p.opType).eval(p, in);
      for (int k = 0; k < p.outputs().size() && k < out.length; k++) if (p.output(k) != null && out[k] != null) p.output(k).setData(out[k]);
      return v.data();
    }

    private Object attribute(AttributeProto a, String node) {
      String at = where + ": node '" + node + "' attribute '" + a.getName() + "'";
      AttributeProto.AttributeType t = a.getType();
      if (t == AttributeProto.AttributeType.UNDEFINED) {
        if (a.getIntsCount() > 0) t = AttributeProto.AttributeType.INTS;
        else if (a.getFloatsCount() > 0) t = AttributeProto.AttributeType.FLOATS;
        else if (a.getStringsCount() > 0) t = AttributeProto.AttributeType.STRINGS;
        else if (a.hasT()) t = AttributeProto.AttributeType.TENSOR;
        else if (a.hasG()) t = AttributeProto.AttributeType.GRAPH;
        else if (a.hasS()) t = AttributeProto.AttributeType.STRING;
        else if (a.hasF()) t = AttributeProto.AttributeType.FLOAT;
        else t = AttributeProto.AttributeType.INT;
      }
      return switch (t) {
        case INT -> a.getI();
        case FLOAT -> a.getF();
        case STRING -> a.getS().toStringUtf8();
        case INTS -> a.getIntsList().stream().mapToLong(Long::longValue).toArray();
        case FLOATS -> {
          float[] f = new float[a.getFloatsCount()];
          for (int i = 0; i < f.length; i++) f[i] = a.getFloats(i);
          yield f;
        }
        case STRINGS -> a.getStringsList().stream().map(s -> s.toStringUtf8()).toArray(String[]::new);
        case TENSOR -> decoder.decode(a.getT(), at);
        case GRAPH -> new Graph(a.getG().getName());
        default -> throw new QuenchException(at + ": unsupported attribute type " + t);
      };
    }
  }
}
