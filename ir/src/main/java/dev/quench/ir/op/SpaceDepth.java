package dev.quench.ir.op;

import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import dev.quench.ir.TensorType;
import dev.quench.ir.kernel.IndexMap;
import java.util.List;

/** DepthToSpace (DCR or CRD order) and SpaceToDepth on NCHW tensors with {@code blocksize}. */
public final class SpaceDepth implements Op {
  @Override
  public List<String> onnxNames() {
    return List.of("DepthToSpace", "SpaceToDepth");
  }

  @Override
  public java.util.Set<Trait> traits(String opType) {
    return Trait.of(Trait.MOVES_DATA, Trait.KEEPS_SCALE, Trait.INTEGER);
  }

  private static int[] outShape(Node n, int[] s) {
    QuenchException.check(s.length == 4, "%s: input must be NCHW", n.describe());
    long b = n.attrs.getInt("blocksize", 0);
    QuenchException.check(b > 0 && b < 65536, "%s: blocksize must be positive", n.describe());
    int bs = (int) b;
    if (n.opType.equals("DepthToSpace")) {
      QuenchException.check(s[1] % (bs * bs) == 0, "%s: channels %d not divisible by blocksize^2", n.describe(), s[1]);
      return new int[] {s[0], s[1] / (bs * bs), s[2] * bs, s[3] * bs};
    }
    QuenchException.check(s[2] % bs == 0 && s[3] % bs == 0, "%s: H and W must be multiples of blocksize", n.describe());
    return new int[] {s[0], s[1] * bs * bs, s[2] / bs, s[3] / bs};
  }

  @Override
  public List<TensorType> infer(Node n, InferContext c) {
    return List.of(new TensorType(c.dtype(0), outShape(n, c.shape(0))));
  }

  @Override
  public Tensor[] eval(Node n, Tensor[] in) {
    int[] s = in[0].shape(), o = outShape(n, s);
    int bs = (int) n.attrs.getInt("blocksize", 1);
    boolean crd = n.attrs.getString("mode", "DCR").equals("CRD");
    int[] map = new int[in[0].numel()];
    int k = 0;
    for (int b = 0; b < o[0]; b++) for (int c = 0; c < o[1]; c++) for (int y = 0; y < o[2]; y++) for (int x = 0; x < o[3]; x++) {
      int src;
      if (n.opType.equals("DepthToSpace")) {
        int by = y % bs, bx = x % bs;
        int ic = crd ? (c * bs + by) * bs + bx : (by * bs + bx) * o[1] + c;
        src = ((b * s[1] + ic) * s[2] + y / bs) * s[3] + x / bs;
      } else {
        int ic = c % s[1], blk = c / s[1], by = blk / bs, bx = blk % bs;
        src = ((b * s[1] + ic) * s[2] + y * bs + by) * s[3] + x * bs + bx;
      }
      map[k++] = src;
    }
    return new Tensor[] {IndexMap.take(in[0], map, o, 0)};
  }
}
