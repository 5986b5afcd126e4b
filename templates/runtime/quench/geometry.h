// Quench runtime: the geometry records the generator fills in (literal types, so a step can make
// them constexpr and check its scratch at compile time).
#ifndef QUENCH_GEOMETRY_H
#define QUENCH_GEOMETRY_H

#include "quench/common.h"

namespace quench {

struct ConvGeom {
  int n, c, h, w;       // input NCHW
  int m, kh, kw;        // output channels, kernel
  int sh, sw, dh, dw;   // strides, dilations
  int ph, pw;           // leading pads
  int oh, ow;           // output size
  int group;
  constexpr int cg() const { return c / group; }
  constexpr int mg() const { return m / group; }
  constexpr bool pointwise() const { return kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0 && oh == h && ow == w; }
};

// A transposed convolution of up to three spatial axes (fewer: leading axes of size 1, stride and
// dilation 1, pad 0): input and output NC(D)HW, weights [c][m / group][k...].
struct ConvTGeom {
  int n, c, m, group;
  int in[3], k[3], s[3], d[3], pb[3], out[3];
  constexpr int in_size() const { return in[0] * in[1] * in[2]; }
  constexpr int k_size() const { return k[0] * k[1] * k[2]; }
  constexpr int out_size() const { return out[0] * out[1] * out[2]; }
};

// Pooling over up to three spatial axes (fewer: leading axes of size 1), with Indices: nc planes;
// per axis input, output, kernel, stride, dilation, leading and trailing pads, and the stride the
// Indices count with (row- or column-major, storage_order).
struct PoolNGeom {
  int nc;
  int in[3], out[3], k[3], s[3], d[3], pb[3], pe[3], istr[3];
  int max, include_pad;
};

struct PoolGeom {
  int nc, h, w;
  int kh, kw, sh, sw, dh, dw;
  int pt, pl, pb, pr;  // pads: top, left, bottom, right
  int oh, ow;
  int count_include_pad;
};

// Broadcast geometry: output dims and, per operand, the stride of each output dim (0 where broadcast).
struct Bcast {
  int rank;
  const int32_t* dims;
  const int32_t* a_strides;
  const int32_t* b_strides;
  size_t size;
};

QUENCH_INLINE void bcast_offsets(const Bcast& g, size_t i, size_t* ia, size_t* ib) {
  size_t a = 0, b = 0;
  for (int d = g.rank - 1; d >= 0; --d) {
    const size_t k = i % static_cast<size_t>(g.dims[d]);
    i /= static_cast<size_t>(g.dims[d]);
    a += k * static_cast<size_t>(g.a_strides[d]);
    b += k * static_cast<size_t>(g.b_strides[d]);
  }
  *ia = a;
  *ib = b;
}

}  // namespace quench

#endif
