package dev.quench.ir.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.quench.ir.DType;
import dev.quench.ir.DTypes;
import dev.quench.ir.QuenchException;
import dev.quench.ir.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** .npy write then read is the identity for every supported dtype and shape; bad files are clear errors. */
class NpyProperties {
  private static final DType[] TYPES = {DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.INT8, DType.UINT8, DType.INT16, DType.INT32, DType.INT64, DType.BOOL};

  @Test
  void writeThenReadIsIdentity() {
    qt().withExamples(200).forAll(integers().between(0, TYPES.length - 1), integers().between(0, 4), integers().all()).checkAssert((ti, rank, seed) -> {
      Random r = new Random(seed);
      int[] shape = new int[rank];
      for (int i = 0; i < rank; i++) shape[i] = r.nextInt(5);
      DType t = TYPES[ti];
      Tensor x = Tensor.zeros(t, shape);
      for (int i = 0; i < x.numel(); i++) {
        if (x.isFloat()) x.f[i] = DTypes.round(t, (float) r.nextGaussian() * 100);
        else x.l[i] = DTypes.wrap(t, r.nextLong());
      }
      Tensor y = Npy.parse(Npy.bytes(x), "mem");
      assertEquals(t, y.dtype);
      assertArrayEquals(shape, y.shape());
      for (int i = 0; i < x.numel(); i++) assertEquals(x.getDouble(i), y.getDouble(i));
    });
  }

  @Test
  void headerIsPaddedTo64Bytes() {
    byte[] b = Npy.bytes(Tensor.ofFloat(new int[] {3}, new float[] {1, 2, 3}));
    int headerLen = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
    assertEquals(0, (10 + headerLen) % 64);
    assertTrue(new String(b, 10, headerLen).contains("'shape': (3,)"));
  }

  @Test
  void rejectsWhatItCannotRead() {
    byte[] good = Npy.bytes(Tensor.ofFloat(new int[] {2, 2}, new float[4]));
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
    QuenchException e = assertThrows(QuenchException.class, () -> Npy.parse(truncated, "t.npy"));
    assertTrue(e.getMessage().startsWith("t.npy: data has"), e.getMessage());
    String fortran = new String(good, java.nio.charset.StandardCharsets.ISO_8859_1).replace("'fortran_order': False", "'fortran_order': True ");
    e = assertThrows(QuenchException.class, () -> Npy.parse(fortran.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), "f.npy"));
    assertTrue(e.getMessage().contains("Fortran"), e.getMessage());
    String complex = new String(good, java.nio.charset.StandardCharsets.ISO_8859_1).replace("<f4", "<c8");
    e = assertThrows(QuenchException.class, () -> Npy.parse(complex.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), "c.npy"));
    assertTrue(e.getMessage().contains("unsupported dtype '<c8'"), e.getMessage());
  }
}
