package dev.quench.backends.codegen;

import dev.quench.ir.DType;
import dev.quench.ir.Node;
import dev.quench.ir.QuenchException;
import dev.quench.ir.op.ConvTranspose;

/** ConvTranspose in float or quantized, up to three spatial axes (kernels/conv.h, conv_transpose_f32 / conv_transpose_int). */
public final class ConvTransposeLowering implements FamilyLowering {
  /** geom: the ConvTGeom initializer; w, bias: the operands (bias nullptr when absent); activation: activation_f32's first arguments (float); rq: the requantization (quantized). */
  public record Args(String geom, String w, String bias, String activation, Lowering.RequantArgs rq) {}

  @Override
  public Lowered lower(Node n, Lowering l, KernelChoice kernel, boolean npu) {
    boolean quantized = dev.quench.ir.Requant.present(n.attrs);
    QuenchException.check(quantized || Lowering.isFloat(n) && n.input(1).type().dtype() == DType.FLOAT32, "codegen: %s: ConvTranspose in float32 or quantized", n.describe());
    int[] xs = n.input(0).type().shape();
    ConvTranspose.Geo g = ConvTranspose.geometry(n, xs, n.input(1).type().shape());
    int r = g.in().length;
    QuenchException.check(r <= 3, "codegen: %s: ConvTranspose over %d spatial axes (at most 3)", n.describe(), r);
    String geom = "{" + xs[0] + ", " + g.c() + ", " + g.m() + ", " + g.group() + ", " + axes(g.in(), 1) + ", " + axes(g.k(), 1) + ", " + axes(g.s(), 1) + ", "
        + axes(g.d(), 1) + ", " + axes(g.pb(), 0) + ", " + axes(g.out(), 1) + "}";
    String bias = n.inputs().size() > 2 && n.input(2) != null ? l.operand(n.input(2), n.name + "_bias") : "nullptr";
    if (quantized) return new Lowered("conv_transpose_int", "conv_transpose_int", new Args(geom, l.operand(n.input(1), n.name + "_w"), bias, null, l.requant(n)));
    return new Lowered("conv_transpose", "conv_transpose_f32", new Args(geom, l.operand(n.input(1), n.name + "_w"), bias, Lowering.activationF32(n), null));
  }

  /** Up to three axes as a C array initializer, leading axes filled with fill. */
  private static String axes(int[] v, int fill) {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < 3; i++) b.append(i == 0 ? "" : ", ").append(i < 3 - v.length ? fill : v[i - (3 - v.length)]);
    return b.append("}").toString();
  }
}
