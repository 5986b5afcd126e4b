// Quench runtime kernels: portable integer convolution (NCHW, weights OIHW int8, bias int32 or
// null), semantically identical to the Java integer interpreter. Acc is int32_t unless the
// quantizer widened the node (acc_bits=64); its bound on |sum of |w x|| + |b| keeps every partial
// sum inside Acc, and integer sums are exact, so the loop order changes nothing.
#ifndef QUENCH_KERNELS_CONV_H
#define QUENCH_KERNELS_CONV_H

#include "quench/geometry.h"
#include "quench/qmath.h"
#include "quench/requant.h"

namespace quench {

// Output positions accumulated per pass (a row chunk, or a chunk of the plane for pointwise).
constexpr int kConvChunk = 256;

// Pointwise: four accumulator chunks of the plane; otherwise one chunk of an output row.
template <typename Acc>
constexpr size_t conv2d_int_scratch_bytes(const ConvGeom& g) {
  return g.pointwise() ? 4 * scratch_piece(static_cast<size_t>(min_int(g.h * g.w, kConvChunk)) * sizeof(Acc))
                       : scratch_piece(static_cast<size_t>(min_int(g.ow, kConvChunk)) * sizeof(Acc));
}

// Output rows accumulated in chunks with the tap loop outside and the position loop inside
// (contiguous for stride 1, so compilers vectorise it). Pointwise convolutions run as a
// plane-wide product, four output channels per pass over the input plane.
template <typename Acc, typename Tx, typename Ty>
QUENCH_INLINE void conv2d_int(const Tx* x, const int8_t* wt, const int32_t* bias, const ConvGeom& g, const Requant& rq, Ty* y, uint8_t* scratch) {
  const int cg = g.cg(), mg = g.mg();
  Scratch s{scratch};
  if (g.pointwise()) {
    const int plane = g.h * g.w, chunk = min_int(plane, kConvChunk);
    Acc* acc4[4];
    for (int t = 0; t < 4; ++t) acc4[t] = s.take<Acc>(static_cast<size_t>(chunk));
    for (int b = 0; b < g.n; ++b) {
      for (int o = 0; o < g.m;) {
        const int grp = o / mg, take = (o + 4 <= (grp + 1) * mg) ? 4 : 1;
        const Tx* xg = x + static_cast<size_t>(b * g.c + grp * cg) * plane;
        for (int p0 = 0; p0 < plane; p0 += chunk) {
          const int len = plane - p0 < chunk ? plane - p0 : chunk;
          for (int t = 0; t < take; ++t) {
            const Acc b0 = bias ? static_cast<Acc>(bias[o + t]) : 0;
            for (int p = 0; p < len; ++p) acc4[t][p] = b0;
          }
          for (int ci = 0; ci < cg; ++ci) {
            const Tx* xc = xg + static_cast<size_t>(ci) * plane + p0;
            if (take == 4) {
              const Acc w0 = wt[static_cast<size_t>(o) * cg + ci], w1 = wt[static_cast<size_t>(o + 1) * cg + ci];
              const Acc w2 = wt[static_cast<size_t>(o + 2) * cg + ci], w3 = wt[static_cast<size_t>(o + 3) * cg + ci];
              Acc* __restrict a0 = acc4[0];
              Acc* __restrict a1 = acc4[1];
              Acc* __restrict a2 = acc4[2];
              Acc* __restrict a3 = acc4[3];
              for (int p = 0; p < len; ++p) {
                const Acc v = static_cast<Acc>(xc[p]);
                a0[p] += w0 * v;
                a1[p] += w1 * v;
                a2[p] += w2 * v;
                a3[p] += w3 * v;
              }
            } else {
              const Acc w0 = wt[static_cast<size_t>(o) * cg + ci];
              for (int p = 0; p < len; ++p) acc4[0][p] += w0 * static_cast<Acc>(xc[p]);
            }
          }
          for (int t = 0; t < take; ++t) rq.store(acc4[t], len, o + t, y + (static_cast<size_t>(b) * g.m + o + t) * plane + p0, 1);
        }
        o += take;
      }
    }
    return;
  }
  const int chunk = min_int(g.ow, kConvChunk);
  Acc* __restrict acc = s.take<Acc>(static_cast<size_t>(chunk));
  for (int b = 0; b < g.n; ++b) {
    for (int o = 0; o < g.m; ++o) {
      const int grp = o / mg;
      const Acc b0 = bias ? static_cast<Acc>(bias[o]) : 0;
      const int8_t* wo = wt + static_cast<size_t>(o) * cg * g.kh * g.kw;
      const Tx* xg = x + static_cast<size_t>(b * g.c + grp * cg) * g.h * g.w;
      Ty* yo = y + (static_cast<size_t>(b) * g.m + o) * g.oh * g.ow;
      for (int oy = 0; oy < g.oh; ++oy) {
        for (int ox0 = 0; ox0 < g.ow; ox0 += chunk) {
          const int len = g.ow - ox0 < chunk ? g.ow - ox0 : chunk;
          for (int p = 0; p < len; ++p) acc[p] = b0;
          for (int ci = 0; ci < cg; ++ci) {
            const Tx* xc = xg + static_cast<size_t>(ci) * g.h * g.w;
            for (int i = 0; i < g.kh; ++i) {
              const int iy = oy * g.sh - g.ph + i * g.dh;
              if (iy < 0 || iy >= g.h) continue;
              const Tx* xr = xc + static_cast<size_t>(iy) * g.w;
              for (int j = 0; j < g.kw; ++j) {
                const Acc w = wo[(ci * g.kh + i) * g.kw + j];
                if (w == 0) continue;
                // ox with 0 <= ox * sw - pw + j * dw < w, within this chunk
                const int off = j * g.dw - g.pw;
                int lo = off >= 0 ? 0 : (-off + g.sw - 1) / g.sw;
                int hi = (g.w - off + g.sw - 1) / g.sw;
                if (lo < ox0) lo = ox0;
                if (hi > ox0 + len) hi = ox0 + len;
                if (g.sw == 1) {
                  const Tx* xs = xr + off;
                  for (int ox = lo; ox < hi; ++ox) acc[ox - ox0] += w * static_cast<Acc>(xs[ox]);
                } else {
                  for (int ox = lo; ox < hi; ++ox) acc[ox - ox0] += w * static_cast<Acc>(xr[ox * g.sw + off]);
                }
              }
            }
          }
          rq.store(acc, len, o, yo + static_cast<size_t>(oy) * g.ow + ox0, 1);
        }
      }
    }
  }
}

// One accumulator per output channel of a group.
template <typename Acc>
constexpr size_t conv2d_int_oc_inner_scratch_bytes(const ConvGeom& g) {
  return scratch_piece(static_cast<size_t>(g.mg()) * sizeof(Acc));
}

// Conv with the output channel innermost: weights packed [group][ci][kh][kw][mg] by the
// generator, so for each output position the group's mg accumulators take one input value times
// a contiguous weight row (vectorised by the compiler). For convolutions with many output
// channels per group; depthwise ones use conv2d_int. Same integer sums, same results.
template <typename Acc, typename Tx, typename Ty>
QUENCH_INLINE void conv2d_int_oc_inner(const Tx* x, const int8_t* packed, const int32_t* bias, const ConvGeom& g, const Requant& rq, Ty* y, uint8_t* scratch) {
  const int cg = g.cg(), mg = g.mg();
  Acc* __restrict acc = Scratch{scratch}.take<Acc>(static_cast<size_t>(mg));
  for (int b = 0; b < g.n; ++b) {
    for (int grp = 0; grp < g.group; ++grp) {
      const Tx* xg = x + static_cast<size_t>(b * g.c + grp * cg) * g.h * g.w;
      const int8_t* wg = packed + static_cast<size_t>(grp) * cg * g.kh * g.kw * mg;
      for (int oy = 0; oy < g.oh; ++oy) {
        for (int ox = 0; ox < g.ow; ++ox) {
          for (int o = 0; o < mg; ++o) acc[o] = bias ? static_cast<Acc>(bias[grp * mg + o]) : 0;
          for (int ci = 0; ci < cg; ++ci) {
            for (int i = 0; i < g.kh; ++i) {
              const int iy = oy * g.sh - g.ph + i * g.dh;
              if (iy < 0 || iy >= g.h) continue;
              for (int j = 0; j < g.kw; ++j) {
                const int ix = ox * g.sw - g.pw + j * g.dw;
                if (ix < 0 || ix >= g.w) continue;
                const Acc xv = static_cast<Acc>(xg[(static_cast<size_t>(ci) * g.h + iy) * g.w + ix]);
                if (xv == 0) continue;
                const int8_t* wr = wg + static_cast<size_t>((ci * g.kh + i) * g.kw + j) * mg;
                for (int o = 0; o < mg; ++o) acc[o] += xv * static_cast<Acc>(wr[o]);
              }
            }
          }
          for (int o = 0; o < mg; ++o) {
            const int oc = grp * mg + o;
            y[((static_cast<size_t>(b) * g.m + oc) * g.oh + oy) * g.ow + ox] = static_cast<Ty>(rq.apply(acc[o], oc));
          }
        }
      }
    }
  }
}

constexpr size_t conv2d_f32_scratch_bytes() { return 0; }

// Float convolution, the twin of ir/.../kernel/ConvKernels.java: one input channel per group and
// per output channel (depthwise) sums acc += x * w over the taps inside the input, in tap order;
// every other convolution is the fma chain over the cg * kh * kw taps from 0, padding taps
// included as 0 (as the Java im2col's zero columns: a padded tap can turn -0 into +0), then the
// bias added. Weights OIHW.
QUENCH_INLINE void conv2d_f32(const float* x, const float* wt, const float* bias, const ConvGeom& g, float* y) {
  const int cg = g.cg(), mg = g.mg(), plane = g.oh * g.ow;
  const bool depthwise = cg == 1 && mg == 1;
  for (int b = 0; b < g.n; ++b)
    for (int o = 0; o < g.m; ++o) {
      const int grp = o / mg;
      const float* wo = wt + static_cast<size_t>(o) * cg * g.kh * g.kw;
      float* yo = y + (static_cast<size_t>(b) * g.m + o) * plane;
      for (int oy = 0; oy < g.oh; ++oy)
        for (int ox = 0; ox < g.ow; ++ox) {
          float acc = 0.0f;
          for (int ci = 0; ci < cg; ++ci) {
            const float* xc = x + (static_cast<size_t>(b) * g.c + static_cast<size_t>(grp) * cg + ci) * g.h * g.w;
            for (int i = 0; i < g.kh; ++i) {
              const int iy = oy * g.sh - g.ph + i * g.dh;
              for (int j = 0; j < g.kw; ++j) {
                const int ix = ox * g.sw - g.pw + j * g.dw;
                const bool inside = iy >= 0 && iy < g.h && ix >= 0 && ix < g.w;
                const float wv = wo[(static_cast<size_t>(ci) * g.kh + i) * g.kw + j];
                if (depthwise) {
                  if (inside) acc += xc[static_cast<size_t>(iy) * g.w + ix] * wv;
                } else {
                  acc = qmath::fma(wv, inside ? xc[static_cast<size_t>(iy) * g.w + ix] : 0.0f, acc);
                }
              }
            }
          }
          yo[oy * g.ow + ox] = acc;
        }
      if (bias)
        for (int p = 0; p < plane; ++p) yo[p] += bias[o];
    }
}

// The scatter of one batch of a transposed convolution, the order of ir/.../op/ConvTranspose.java:
// every input element (input channel, then output channel of its group, then position) adds
// x * w[tap] into the output positions its taps reach, skipping zero inputs. acc: m * out_size
// accumulators, zeroed here (float: the output itself; integers: Acc scratch).
template <typename Tx, typename Tw, typename Acc>
QUENCH_INLINE void conv_transpose_scatter(const Tx* xb, const Tw* wt, const ConvTGeom& g, Acc* acc) {
  const int in_size = g.in_size(), k_size = g.k_size(), out_size = g.out_size(), cg = g.c / g.group, mg = g.m / g.group;
  for (size_t t = 0; t < static_cast<size_t>(g.m) * out_size; ++t) acc[t] = 0;
  for (int ci = 0; ci < g.c; ++ci)
    for (int oc = 0; oc < mg; ++oc) {
      const Tx* xc = xb + static_cast<size_t>(ci) * in_size;
      const Tw* wo = wt + (static_cast<size_t>(ci) * mg + oc) * k_size;
      Acc* ao = acc + static_cast<size_t>(ci / cg * mg + oc) * out_size;
      for (int i = 0; i < in_size; ++i) {
        const Acc v = static_cast<Acc>(xc[i]);
        if (v == 0) continue;
        const int i2 = i % g.in[2], i1 = i / g.in[2] % g.in[1], i0 = i / (g.in[2] * g.in[1]);
        for (int k = 0; k < k_size; ++k) {
          const int k2 = k % g.k[2], k1 = k / g.k[2] % g.k[1], k0 = k / (g.k[2] * g.k[1]);
          const int o0 = i0 * g.s[0] - g.pb[0] + k0 * g.d[0], o1 = i1 * g.s[1] - g.pb[1] + k1 * g.d[1], o2 = i2 * g.s[2] - g.pb[2] + k2 * g.d[2];
          if (o0 < 0 || o0 >= g.out[0] || o1 < 0 || o1 >= g.out[1] || o2 < 0 || o2 >= g.out[2]) continue;
          ao[(static_cast<size_t>(o0) * g.out[1] + o1) * g.out[2] + o2] += v * static_cast<Acc>(wo[k]);
        }
      }
    }
}

constexpr size_t conv_transpose_f32_scratch_bytes() { return 0; }

// Float transposed convolution, the twin of ir/.../op/ConvTranspose.java: the scatter into the
// output, the bias after.
QUENCH_INLINE void conv_transpose_f32(const float* x, const float* wt, const float* bias, const ConvTGeom& g, float* y) {
  const int in_size = g.in_size(), out_size = g.out_size();
  for (int b = 0; b < g.n; ++b) {
    float* yb = y + static_cast<size_t>(b) * g.m * out_size;
    conv_transpose_scatter(x + static_cast<size_t>(b) * g.c * in_size, wt, g, yb);
    if (bias)
      for (int o = 0; o < g.m; ++o)
        for (int p = 0; p < out_size; ++p) yb[static_cast<size_t>(o) * out_size + p] += bias[o];
  }
}

template <typename Acc>
constexpr size_t conv_transpose_int_scratch_bytes(int m, int out_size) { return scratch_piece(sizeof(Acc) * static_cast<size_t>(m) * static_cast<size_t>(out_size)); }

// Quantized transposed convolution (ConvTranspose.java's quantized path): the scatter on integers
// into Acc accumulators (scratch, one batch at a time), the bias added, one requantization.
template <typename Acc, typename Tx, typename Ty>
QUENCH_INLINE void conv_transpose_int(const Tx* x, const int8_t* wt, const int32_t* bias, const ConvTGeom& g, const Requant& rq, Ty* y, uint8_t* scratch) {
  const int in_size = g.in_size(), out_size = g.out_size();
  Scratch s{scratch};
  Acc* acc = s.take<Acc>(static_cast<size_t>(g.m) * out_size);
  for (int b = 0; b < g.n; ++b) {
    conv_transpose_scatter(x + static_cast<size_t>(b) * g.c * in_size, wt, g, acc);
    Ty* yb = y + static_cast<size_t>(b) * g.m * out_size;
    for (int o = 0; o < g.m; ++o)
      for (int p = 0; p < out_size; ++p) {
        const size_t at = static_cast<size_t>(o) * out_size + p;
        yb[at] = static_cast<Ty>(rq.apply(static_cast<int64_t>(acc[at]) + (bias ? bias[o] : 0), 0));
      }
  }
}

}  // namespace quench

#endif
