package dev.quench.ir.mw;

import dev.quench.ir.Attributes;
import dev.quench.ir.DType;
import dev.quench.ir.Graph;
import dev.quench.ir.Node;
import dev.quench.ir.OpNames;
import dev.quench.ir.QParams;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Shapes;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import dev.quench.ir.Value;
import dev.quench.ir.Verifier;
import dev.quench.ir.op.InferContext;
import dev.quench.ir.op.OpRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;

/**
 * Reads middleware back into a graph. Syntax errors and semantic errors (unknown op, undefined
 * value, a declared type that shape inference contradicts, a weights file that does not match
 * its checksum) are {@link QuenchException}s of the form {@code file:line:col: message}.
 */
public final class MiddlewareParser {
  private final String where;
  private final Path dir;
  private byte[] bin;
  private Graph graph;

  private MiddlewareParser(String where, Path dir) {
    this.where = where;
    this.dir = dir;
  }

  /** Reads FILE.qir and the weights file it names (beside it). */
  public static Graph read(Path file) {
    String text;
    try {
      if (!Files.isRegularFile(file)) throw new QuenchException(file + ": no such file");
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new QuenchException(file + ": cannot read: " + e.getMessage());
    }
    return new MiddlewareParser(file.toString(), file.toAbsolutePath().getParent()).parse(text, null);
  }

  /** Parses text with its weights given in memory (tests, round trips). */
  public static Graph parse(String text, byte[] weights, String where) {
    return new MiddlewareParser(where, null).parse(text, weights);
  }

  private Graph parse(String text, byte[] weights) {
    QirLexer lexer = new QirLexer(CharStreams.fromString(text, where));
    QirParser parser = new QirParser(new CommonTokenStream(lexer));
    BaseErrorListener errors = new BaseErrorListener() {
      @Override
      public void syntaxError(Recognizer<?, ?> r, Object sym, int line, int col, String msg, RecognitionException e) {
        throw new QuenchException(where + ":" + line + ":" + (col + 1) + ": " + msg);
      }
    };
    lexer.removeErrorListeners();
    lexer.addErrorListener(errors);
    parser.removeErrorListeners();
    parser.addErrorListener(errors);
    QirParser.Module_Context m = parser.module_();
    long version = parseLong(m.INT().getSymbol());
    if (version != MiddlewarePrinter.VERSION) throw error(m.INT().getSymbol(), "middleware version " + version + ", this Quench reads " + MiddlewarePrinter.VERSION);
    graph = new Graph(unquote(m.graphDecl().STRING().getText()));
    graph.setOpset(integer(m.graphDecl().INT().getSymbol()));
    bin = weights(m.weightsDecl(), weights);
    for (QirParser.ItemContext item : m.item()) {
      if (item.inputDecl() != null) input(item.inputDecl());
      else if (item.constDecl() != null) constant(item.constDecl());
      else if (item.nodeDecl() != null) node(item.nodeDecl());
      else graph.outputs().add(lookup(item.outputDecl().ref()));
    }
    if (graph.outputs().isEmpty()) throw new QuenchException(where + ": no output declared");
    try {
      Verifier.verify(graph);
    } catch (Verifier.VerifyException e) {
      throw new QuenchException(where + ": " + e.getMessage());
    }
    return graph;
  }

  private byte[] weights(QirParser.WeightsDeclContext w, byte[] given) {
    if (w == null) return new byte[0];
    long bytes = parseLong(w.INT().getSymbol());
    String sha = unquote(w.STRING(1).getText());
    byte[] data = given;
    if (data == null) {
      String name = unquote(w.STRING(0).getText());
      Path base = dir.normalize(), file = base.resolve(name).normalize();
      if (Path.of(name).isAbsolute() || !file.startsWith(base)) throw error(w.STRING(0).getSymbol(), "weights file '" + name + "' must be beside the .qir");
      try {
        data = Files.readAllBytes(file);
      } catch (IOException e) {
        throw error(w.STRING(0).getSymbol(), "cannot read weights file '" + name + "'");
      }
    }
    if (data.length != bytes) throw error(w.INT().getSymbol(), "weights file has " + data.length + " bytes, the header says " + bytes);
    if (!Weights.sha256(data).equals(sha)) throw error(w.STRING(1).getSymbol(), "weights file does not match its sha256");
    return data;
  }

  private void input(QirParser.InputDeclContext c) {
    Value v = declare(c.valueDecl());
    graph.inputs().add(v);
  }

  private void constant(QirParser.ConstDeclContext c) {
    Value v = declare(c.valueDecl());
    v.setData(data(c.data(), v.type(), c.valueDecl().ref().getStart()));
    v.setParameter(c.kind.getText().equals("param"));
  }

  private void node(QirParser.NodeDeclContext c) {
    String op = OpNames.opType(c.opName.getText());
    if (op == null) throw error(c.opName, "unknown op '" + c.opName.getText() + "'");
    String name = unquote(c.STRING().getText());
    int opset = c.INT() == null ? graph.opset() : integer(c.INT().getSymbol());
    List<Value> ins = new ArrayList<>();
    for (QirParser.OperandContext o : c.operand()) ins.add(o.ref() == null ? null : lookup(o.ref()));
    List<Value> outs = new ArrayList<>();
    // '_': an optional output the node does not produce
    for (QirParser.ResultContext r : c.result()) outs.add(r.valueDecl() == null ? null : declare(r.valueDecl()));
    Attributes attrs = new Attributes();
    if (c.attrs() != null) for (QirParser.AttrContext a : c.attrs().attr()) attrs.put(a.ID().getText(), attrValue(a.attrValue()));
    Node n = new Node(name, op, opset, ins, outs, attrs);
    for (Value o : outs) if (o != null) o.setProducer(n);
    if (dev.quench.ir.Requant.present(attrs)) {
      // the quantization contract: shifts in range, as many as the op takes (one per channel, per input)
      Token at = c.getStart();
      for (QirParser.AttrContext a : c.attrs().attr()) if (a.ID().getText().equals(dev.quench.ir.Requant.SHIFT_RIGHT)) at = a.getStart();
      try {
        dev.quench.ir.Requant.of(attrs).checkCount(OpRegistry.get(op).shiftCounts(n));
      } catch (QuenchException e) {
        throw error(at, "node '" + name + "': " + e.getMessage());
      } catch (RuntimeException e) {
        throw error(at, "node '" + name + "': invalid quantization attributes (" + e + ")");
      }
    }
    List<TensorType> inferred;
    try {
      inferred = OpRegistry.get(op).infer(n, new InferContext(n));
    } catch (QuenchException e) {
      throw error(c.getStart(), e.getMessage());
    } catch (RuntimeException e) {
      throw error(c.getStart(), "node '" + name + "': invalid inputs or attributes (" + e + ")");
    }
    for (int i = 0; i < outs.size() && i < inferred.size(); i++) {
      if (outs.get(i) != null && !inferred.get(i).equals(outs.get(i).type())) {
        throw error(c.result(i).getStart(), "node '" + name + "' output " + outs.get(i).name + " is declared " + outs.get(i).type() + ", shape inference gives " + inferred.get(i));
      }
    }
    // values the exporter's shape glue computes at compile time, for the shape inference of later nodes
    try {
      dev.quench.ir.op.KnownValues.propagate(n);
    } catch (QuenchException e) {
      throw error(c.getStart(), e.getMessage());
    } catch (RuntimeException e) {
      throw error(c.getStart(), "node '" + name + "': cannot evaluate (" + e + ")");
    }
    graph.nodes().add(n);
  }

  private Value declare(QirParser.ValueDeclContext d) {
    String name = refName(d.ref());
    if (graph.value(name) != null) throw error(d.getStart(), "value %" + name + " is defined twice");
    Value v = graph.valueFor(name);
    v.setType(type(d.type()));
    if (d.qparams() != null) {
      Attributes q = new Attributes();
      for (QirParser.AttrContext a : d.qparams().attr()) q.put(a.ID().getText(), attrValue(a.attrValue()));
      try {
        QParams p = QParams.parse(q);
        p.check(v.type());
        v.setQParams(p);
      } catch (QuenchException e) {
        throw error(d.qparams().getStart(), "value %" + name + ": " + e.getMessage());
      }
    }
    if (d.arena() != null) v.setArenaOffset(parseLong(d.arena().INT().getSymbol()));
    return v;
  }

  private TensorType type(QirParser.TypeContext t) {
    DType dt = null;
    for (DType d : DType.values()) if (d.shortName.equals(t.dtype.getText())) dt = d;
    if (dt == null || dt == DType.STRING) throw error(t.dtype, "unknown element type '" + t.dtype.getText() + "'");
    int[] shape = new int[t.INT().size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = integer(t.INT(i).getSymbol());
      if (shape[i] < 0) throw error(t.INT(i).getSymbol(), "negative dim");
    }
    if (Shapes.numelLong(shape) > Shapes.MAX_ELEMENTS) throw error(t.getStart(), "more than 2^31 elements");
    return new TensorType(dt, shape);
  }

  private Tensor data(QirParser.DataContext d, TensorType t, Token at) {
    if (d instanceof QirParser.BinDataContext b) {
      return Weights.read(bin, parseLong(b.INT(0).getSymbol()), parseLong(b.INT(1).getSymbol()), t.dtype(), t.shape(),
          where + ":" + at.getLine() + ":" + (at.getCharPositionInLine() + 1));
    }
    List<QirParser.NumberContext> nums = ((QirParser.InlineDataContext) d).number();
    if (nums.size() != t.numel()) throw error(d.getStart(), nums.size() + " values for " + t);
    Tensor r = Tensor.zeros(t.dtype(), t.shape());
    for (int i = 0; i < nums.size(); i++) {
      String s = nums.get(i).getText();
      if (r.isFloat()) r.f[i] = Float.parseFloat(s);
      else if (nums.get(i).INT() != null) r.l[i] = parseLong(nums.get(i).INT().getSymbol());
      else throw error(nums.get(i).getStart(), "integer expected for " + t.dtype().shortName);
    }
    return r;
  }

  private Object attrValue(QirParser.AttrValueContext v) {
    if (v instanceof QirParser.ScalarValueContext s) {
      return s.number().INT() != null ? (Object) parseLong(s.number().INT().getSymbol()) : (Object) Float.parseFloat(s.getText());
    }
    if (v instanceof QirParser.StringValueContext s) return unquote(s.STRING().getText());
    if (v instanceof QirParser.EmptyFloatsContext) return new float[0];
    if (v instanceof QirParser.TensorValueContext t) {
      TensorType type = type(t.type());
      return data(t.data(), type, t.getStart());
    }
    List<QirParser.AttrValueContext> items = ((QirParser.ListValueContext) v).attrValue();
    if (items.isEmpty()) return new long[0];
    if (items.get(0) instanceof QirParser.StringValueContext) {
      String[] r = new String[items.size()];
      for (int i = 0; i < r.length; i++) {
        if (!(items.get(i) instanceof QirParser.StringValueContext s)) throw error(items.get(i).getStart(), "mixed list");
        r[i] = unquote(s.STRING().getText());
      }
      return r;
    }
    boolean floats = false;
    for (QirParser.AttrValueContext i : items) {
      if (!(i instanceof QirParser.ScalarValueContext s)) throw error(i.getStart(), "nested lists are not attributes");
      floats |= s.number().FLOAT() != null;
    }
    if (floats) {
      float[] r = new float[items.size()];
      for (int i = 0; i < r.length; i++) r[i] = Float.parseFloat(items.get(i).getText());
      return r;
    }
    long[] r = new long[items.size()];
    for (int i = 0; i < r.length; i++) r[i] = parseLong(((QirParser.ScalarValueContext) items.get(i)).number().INT().getSymbol());
    return r;
  }

  private Value lookup(QirParser.RefContext r) {
    Value v = graph.value(refName(r));
    if (v == null || v.type() == null) throw error(r.getStart(), "value " + r.getText() + " is not defined before this use");
    return v;
  }

  private static String refName(QirParser.RefContext r) {
    String t = r.REF().getText().substring(1);
    return t.startsWith("\"") ? unquote(t) : t;
  }

  private int integer(Token t) {
    long v = parseLong(t);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw error(t, "number out of range");
    return (int) v;
  }

  private long parseLong(Token t) {
    try {
      return Long.parseLong(t.getText());
    } catch (NumberFormatException e) {
      throw error(t, "number out of range");
    }
  }

  private QuenchException error(Token t, String msg) {
    return new QuenchException(where + ":" + t.getLine() + ":" + (t.getCharPositionInLine() + 1) + ": " + msg);
  }

  static String unquote(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i < s.length() - 1; i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          String hex = i + 5 <= s.length() - 1 ? s.substring(i + 1, i + 5) : "";
          if (!hex.matches("[0-9a-fA-F]{4}")) throw new QuenchException("bad \\u escape in " + s);
          sb.append((char) Integer.parseInt(hex, 16));
          i += 4;
        }
        default -> sb.append(e);
      }
    }
    return sb.toString();
  }
}
