// Quench runtime: portable reference kernels, semantically identical to the Java integer
// interpreter (ir/.../kernel/IntKernels.java and the ops' integer paths). Every rescale goes
// through fixed_point.h. No heap, no exceptions, no RTTI, no static constructors.
#ifndef QUENCH_KERNELS_H
#define QUENCH_KERNELS_H

#include <limits>
#include <type_traits>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "quench/fixed_point.h"
#include "quench/qmath.h"

// Profile builds (QUENCH_PROFILE) force the kernels into the generated per-node step functions,
// so that each node's instructions lie in its own address range (instruction counts per layer
// under QEMU); other builds leave inlining to the compiler.
#ifdef QUENCH_PROFILE
#define QUENCH_INLINE inline __attribute__((always_inline))
#else
#define QUENCH_INLINE inline
#endif

#include "quench/isa_dot.h"

namespace quench {

// Requantization of one node: per-channel right shifts (or one), output range narrowed by a fused clamp.
struct Requant {
  const int8_t* shift_right;
  int shifts;  // 1 or the channel count
  int64_t lo, hi;
  QUENCH_INLINE int64_t apply(int64_t acc, int channel) const {
    return clamp(shift_round(acc, shift_right[shifts == 1 ? 0 : channel]), lo, hi);
  }
  // apply for an int32 accumulator: the branch-free shift_round32 for right shifts 1..31 (the
  // same values), with a 32-bit clamp (lo and hi are 8- or 16-bit bounds).
  QUENCH_INLINE int32_t apply32(int32_t acc, int channel) const {
    const int s = shift_right[shifts == 1 ? 0 : channel];
    if (s < 1 || s > 31) return static_cast<int32_t>(apply(acc, channel));
    const int32_t q = shift_round32(acc, s), l = static_cast<int32_t>(lo), h = static_cast<int32_t>(hi);
    return q < l ? l : (q > h ? h : q);
  }
  // y[p * stride] = apply(acc[p], channel) for p < len; int32 accumulators with a right shift take
  // the branch-free shift_round32 (the same values), so the loop vectorises.
  template <typename Acc, typename Ty>
  QUENCH_INLINE void store(const Acc* acc, int len, int channel, Ty* y, size_t stride) const {
    const int s = shift_right[shifts == 1 ? 0 : channel];
    if (sizeof(Acc) == 4 && s >= 1 && s <= 31) {
      const int32_t l = static_cast<int32_t>(lo), h = static_cast<int32_t>(hi);
      for (int p = 0; p < len; ++p) {
        const int32_t q = shift_round32(static_cast<int32_t>(acc[p]), s);
        y[p * stride] = static_cast<Ty>(q < l ? l : (q > h ? h : q));
      }
      return;
    }
    for (int p = 0; p < len; ++p) y[p * stride] = static_cast<Ty>(apply(acc[p], channel));
  }
};

struct ConvGeom {
  int n, c, h, w;       // input NCHW
  int m, kh, kw;        // output channels, kernel
  int sh, sw, dh, dw;   // strides, dilations
  int ph, pw;           // leading pads
  int oh, ow;           // output size
  int group;
};

// Conv on NCHW integer tensors, weights OIHW int8, bias int32 (or null); Acc is int32_t unless
// the quantizer widened the node (acc_bits=64). Output rows are accumulated in chunks of kChunk
// positions with the tap loop outside and the position loop inside (contiguous for stride 1, so
// compilers vectorise it); integer sums are exact, so the order changes nothing, and the
// quantizer's bound on |sum of |w x|| + |b| keeps every partial sum inside Acc.
template <typename Acc, typename Tx, typename Ty>
QUENCH_INLINE void conv2d_portable(const Tx* x, const int8_t* wt, const int32_t* bias, const ConvGeom& g, const Requant& rq, Ty* y) {
  constexpr int kChunk = 256;
  const int cg = g.c / g.group, mg = g.m / g.group;
  const bool pointwise = g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.ph == 0 && g.pw == 0 && g.oh == g.h && g.ow == g.w;
  Acc acc[kChunk];
  if (pointwise) {
    // four output channels per pass over the input plane: each input value loaded once for four products
    Acc acc4[4][kChunk];
    const int plane = g.h * g.w;
    for (int b = 0; b < g.n; ++b) {
      for (int o = 0; o < g.m;) {
        const int grp = o / mg, take = (o + 4 <= (grp + 1) * mg) ? 4 : 1;
        const Tx* xg = x + static_cast<size_t>(b * g.c + grp * cg) * plane;
        for (int p0 = 0; p0 < plane; p0 += kChunk) {
          const int len = plane - p0 < kChunk ? plane - p0 : kChunk;
          for (int t = 0; t < take; ++t) {
            const Acc b0 = bias ? static_cast<Acc>(bias[o + t]) : 0;
            for (int p = 0; p < len; ++p) acc4[t][p] = b0;
          }
          for (int ci = 0; ci < cg; ++ci) {
            const Tx* xc = xg + static_cast<size_t>(ci) * plane + p0;
            if (take == 4) {
              const Acc w0 = wt[static_cast<size_t>(o) * cg + ci], w1 = wt[static_cast<size_t>(o + 1) * cg + ci];
              const Acc w2 = wt[static_cast<size_t>(o + 2) * cg + ci], w3 = wt[static_cast<size_t>(o + 3) * cg + ci];
              for (int p = 0; p < len; ++p) {
                const Acc v = static_cast<Acc>(xc[p]);
                acc4[0][p] += w0 * v;
                acc4[1][p] += w1 * v;
                acc4[2][p] += w2 * v;
                acc4[3][p] += w3 * v;
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
  for (int b = 0; b < g.n; ++b) {
    for (int o = 0; o < g.m; ++o) {
      const int grp = o / mg;
      const Acc b0 = bias ? static_cast<Acc>(bias[o]) : 0;
      const int8_t* wo = wt + static_cast<size_t>(o) * cg * g.kh * g.kw;
      const Tx* xg = x + static_cast<size_t>(b * g.c + grp * cg) * g.h * g.w;
      Ty* yo = y + (static_cast<size_t>(b) * g.m + o) * g.oh * g.ow;
      for (int oy = 0; oy < g.oh; ++oy) {
        for (int ox0 = 0; ox0 < g.ow; ox0 += kChunk) {
          const int len = g.ow - ox0 < kChunk ? g.ow - ox0 : kChunk;
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

// Conv with the output channel innermost: weights packed [group][ci][kh][kw][mg] by the
// generator, so for each output position the group's mg accumulators take one input value times
// a contiguous weight row (vectorised by the compiler). For convolutions with many output
// channels per group; depthwise ones use conv2d. Same integer sums, same results.
template <typename Acc, typename Tx, typename Ty, int kMaxM>
QUENCH_INLINE void conv2d_oc_inner(const Tx* x, const int8_t* packed, const int32_t* bias, const ConvGeom& g, const Requant& rq, Ty* y) {
  const int cg = g.c / g.group, mg = g.m / g.group;
  Acc acc[kMaxM];
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

// y[r, j] = requant(sum_k x[r, k] * w[j, k] + b[j])
template <typename Acc, typename Tx, typename Ty>
QUENCH_INLINE void fully_connected_portable(const Tx* x, int rows, int k, const int8_t* wt, int n_out, const int32_t* bias, const Requant& rq, Ty* y) {
  for (int r = 0; r < rows; ++r) {
    for (int j = 0; j < n_out; ++j) {
      Acc acc = bias ? static_cast<Acc>(bias[j]) : 0;
      const Tx* xr = x + static_cast<size_t>(r) * k;
      const int8_t* wr = wt + static_cast<size_t>(j) * k;
      for (int t = 0; t < k; ++t) acc += static_cast<Acc>(xr[t]) * static_cast<Acc>(wr[t]);
      y[static_cast<size_t>(r) * n_out + j] = static_cast<Ty>(rq.apply(acc, j));
    }
  }
}

// ---- ISA kernels: convolution and fully connected as inner products (isa_dot.h) ----------------
// Used when the model selects an ISA variant, for 8-bit inputs and int32 accumulators; the
// portable kernels otherwise, and for depthwise convolution. Bit-exact with the portable ones
// (tested on random shapes under QEMU: src/test/cpp/kernel_twin.cpp).

// Longest inner product (cg * kh * kw) and most output channels of the ISA convolution: its
// gathered columns and per-channel sums live on the stack (11 KiB on Cortex-M4/M7, 12 KiB on M55, 23 KiB on
// Cortex-A); longer ones take the portable kernel. The bound also keeps biased columns' sums
// inside int32: 2304 * 128 * 128 < 2^31.
#if defined(QUENCH_ISA_ARM_DSP) || defined(QUENCH_ISA_ARM_MVE)
constexpr int kGemmMaxK = 1152;
constexpr int kGemmMaxM = 512;
#else
constexpr int kGemmMaxK = 2304;
constexpr int kGemmMaxM = 1024;
#endif
#if defined(QUENCH_ISA_ARM_MVE)
constexpr int kGemmBlock = 8;  // more column pairs per set-up of four channels
#else
constexpr int kGemmBlock = 4;
#endif

// Per output channel, what its accumulators start from: the bias, plus 128 * sum_t w[o][t] where
// columns are biased uint8 (NEON SDOT, MVE VMLADAV.S8), which is exactly what the bias took away.
template <typename C>
QUENCH_INLINE void gemm_bases(const int8_t* wt, const int32_t* bias, int m, int k, int col_bias, int32_t* base) {
  for (int o = 0; o < m; ++o) base[o] = bias ? bias[o] : 0;
  if (col_bias == 0) return;
  alignas(16) C ones[kGemmMaxK];
  for (int t = 0; t < k; ++t) ones[t] = 1;
  const C* const one[1] = {ones};
  for (int o = 0; o < m; o += 4) {
    const int last = m - o < 4 ? m - 1 : o + 3;
    const int8_t* const w4[4] = {wt + static_cast<size_t>(o) * k, wt + static_cast<size_t>(o + 1 > last ? last : o + 1) * k,
                                 wt + static_cast<size_t>(o + 2 > last ? last : o + 2) * k, wt + static_cast<size_t>(last) * k};
    int32_t sum[4];
    isa::dot<4, 1>(w4, one, k, sum);
    for (int r = 0; o + r <= last; ++r) base[o + r] += col_bias * sum[r];
  }
}

// The column of output position (oy, ox): the cg * kh * kw inputs under the kernel in weight
// (OIHW) order, padding as the column value of 0. Windows inside the input skip the bounds checks;
// inside them, rows of at most four contiguous taps are copied as one 32-bit word when the word
// stays inside the input row (its extra bytes land where the next row starts, or in the column's
// four bytes of slack, and are overwritten or never read).
template <typename Tx, typename C>
QUENCH_INLINE void gather_column(const Tx* xg, const ConvGeom& g, int cg, int oy, int ox, C pad, C* col) {
  const int iy0 = oy * g.sh - g.ph, ix0 = ox * g.sw - g.pw;
  const bool inside = iy0 >= 0 && ix0 >= 0 && iy0 + (g.kh - 1) * g.dh < g.h && ix0 + (g.kw - 1) * g.dw < g.w;
  if (inside && sizeof(Tx) == 1 && g.dw == 1 && g.kw <= 4 && ix0 + 4 <= g.w) {
    const uint32_t flip = isa::kColumnBias<Tx> != 0 ? 0x80808080u : 0u;  // x - 128 on every byte of a uint8 word
    C* dst = col;
    for (int ci = 0; ci < cg; ++ci) {
      const Tx* xr = xg + (static_cast<size_t>(ci) * g.h + iy0) * g.w + ix0;
      for (int i = 0; i < g.kh; ++i, dst += g.kw, xr += static_cast<size_t>(g.dh) * g.w) {
        uint32_t v;
        std::memcpy(&v, xr, 4);
        v ^= flip;
        std::memcpy(dst, &v, 4);
      }
    }
    return;
  }
  for (int ci = 0; ci < cg; ++ci) {
    const Tx* xc = xg + static_cast<size_t>(ci) * g.h * g.w;
    for (int i = 0; i < g.kh; ++i) {
      C* dst = col + (ci * g.kh + i) * g.kw;
      const int iy = iy0 + i * g.dh;
      if (inside) {
        const Tx* xr = xc + static_cast<size_t>(iy) * g.w + ix0;
        for (int j = 0; j < g.kw; ++j) dst[j] = isa::column<Tx>(xr[j * g.dw]);
        continue;
      }
      if (iy < 0 || iy >= g.h) {
        for (int j = 0; j < g.kw; ++j) dst[j] = pad;
        continue;
      }
      const Tx* xr = xc + static_cast<size_t>(iy) * g.w;
      for (int j = 0; j < g.kw; ++j) {
        const int ix = ix0 + j * g.dw;
        dst[j] = ix < 0 || ix >= g.w ? pad : isa::column<Tx>(xr[ix]);
      }
    }
  }
}

// Convolution through gathered columns: for a block of output positions each column holds the
// cg * kh * kw inputs under the kernel (padding as 0) in weight (OIHW) order; then, with MVE,
// every four output channels take their inner products with every pair of columns and each
// position's four are requantized and stored as one vector, elsewhere every pair of output
// channels with every pair of columns.
// False when not applicable.
template <typename Tx, typename Ty>
QUENCH_INLINE bool conv2d_gemm(const Tx* x, const int8_t* wt, const int32_t* bias, const ConvGeom& g, const Requant& rq, Ty* y) {
  using C = isa::Column<Tx>;
  const int cg = g.c / g.group, mg = g.m / g.group, k = cg * g.kh * g.kw, plane = g.oh * g.ow;
  if (k > kGemmMaxK || g.m > kGemmMaxM || (cg == 1 && mg == 1)) return false;
  alignas(16) C cols[kGemmBlock][kGemmMaxK + 16];  // + slack for gather_column's word copies
#if defined(QUENCH_ISA_ARM_DSP)
  alignas(16) uint32_t pair[kGemmMaxK];  // two columns widened and interleaved (isa::widen_pair)
#endif
  alignas(16) int32_t base[kGemmMaxM + 4];
  gemm_bases<C>(wt, bias, g.m, k, isa::kColumnBias<Tx>, base);
  const C pad = isa::column<Tx>(Tx{0});
#if defined(QUENCH_ISA_ARM_MVE)
  bool vector_requant = !std::is_same_v<Ty, uint16_t>;
  for (int o = 0; o < rq.shifts; ++o) vector_requant = vector_requant && rq.shift_right[o] >= -16 && rq.shift_right[o] <= 31;
#endif
  for (int b = 0; b < g.n; ++b)
    for (int grp = 0; grp < g.group; ++grp) {
      const Tx* xg = x + static_cast<size_t>(b * g.c + grp * cg) * g.h * g.w;
      for (int p0 = 0; p0 < plane; p0 += kGemmBlock) {
        const int np = plane - p0 < kGemmBlock ? plane - p0 : kGemmBlock;
        for (int q = 0; q < np; ++q) gather_column(xg, g, cg, (p0 + q) / g.ow, (p0 + q) % g.ow, pad, cols[q]);
#if defined(QUENCH_ISA_ARM_MVE)
        for (int o = 0; o < mg; o += 4) {
          const int oc = grp * mg + o, no = mg - o < 4 ? mg - o : 4;
          const int8_t* const w4[4] = {wt + static_cast<size_t>(oc) * k, wt + static_cast<size_t>(oc + (no > 1 ? 1 : 0)) * k,
                                       wt + static_cast<size_t>(oc + (no > 2 ? 2 : 0)) * k, wt + static_cast<size_t>(oc + (no > 3 ? 3 : 0)) * k};
          const isa::Requant4 rq4 = isa::Requant4::make<Ty>(base + oc, rq.shift_right + (rq.shifts == 1 ? 0 : oc), rq.shifts == 1, no,
                                                            static_cast<int32_t>(rq.lo), static_cast<int32_t>(rq.hi), plane);
          for (int q = 0; q < np; q += 2) {
            const int nq = np - q < 2 ? 1 : 2;
            const C* const c2[2] = {cols[q], cols[q + nq - 1]};
            int32_t acc[8];
            isa::dot<4, 2>(w4, c2, k, acc);  // acc[r * 2 + u]: channel oc + r, position p0 + q + u
            for (int u = 0; u < nq; ++u) {
              Ty* yq = y + (static_cast<size_t>(b) * g.m + oc) * plane + p0 + q + u;
              if (vector_requant) {
                rq4.store(acc[u], acc[2 + u], acc[4 + u], acc[6 + u], yq);
              } else {
                for (int r = 0; r < no; ++r) yq[static_cast<size_t>(r) * plane] = static_cast<Ty>(rq.apply(static_cast<int64_t>(acc[r * 2 + u]) + base[oc + r], oc + r));
              }
            }
          }
        }
#elif defined(QUENCH_ISA_ARM_DSP)
        for (int q = 0; q < np; q += 2) {
          const int nq = np - q < 2 ? 1 : 2;
          isa::widen_pair(cols[q], cols[q + nq - 1], k, pair);
          for (int o = 0; o < mg; o += 2) {
            const int oc = grp * mg + o, no = mg - o < 2 ? 1 : 2;
            int32_t acc[4];
            // the second row is the first one's successor (or, for an odd last channel, computed and dropped)
            isa::dot16_pair(wt + static_cast<size_t>(oc) * k, no == 2 ? k : 0, k, pair, cols[q], cols[q + nq - 1], acc);
            for (int r = 0; r < no; ++r)
              for (int u = 0; u < nq; ++u) {
                y[(static_cast<size_t>(b) * g.m + oc + r) * plane + p0 + q + u] = static_cast<Ty>(rq.apply32(acc[r * 2 + u] + base[oc + r], oc + r));
              }
          }
        }
#else
        for (int o = 0; o < mg; o += 2) {
          const int oc = grp * mg + o, no = mg - o < 2 ? 1 : 2;
          const int8_t* const w2[2] = {wt + static_cast<size_t>(oc) * k, wt + static_cast<size_t>(oc + no - 1) * k};
          for (int q = 0; q < np; q += 2) {
            const int nq = np - q < 2 ? 1 : 2;
            const C* const c2[2] = {cols[q], cols[q + nq - 1]};
            int32_t acc[4];
            isa::dot<2, 2>(w2, c2, k, acc);
            for (int r = 0; r < no; ++r)
              for (int u = 0; u < nq; ++u) {
                y[(static_cast<size_t>(b) * g.m + oc + r) * plane + p0 + q + u] = static_cast<Ty>(rq.apply32(acc[r * 2 + u] + base[oc + r], oc + r));
              }
          }
        }
#endif
      }
    }
  return true;
}

// Fully connected as inner products of each input row with four weight rows at a time. False
// when not applicable (biased columns need a copy of the row: k <= kGemmMaxK).
template <typename Tx, typename Ty>
QUENCH_INLINE bool fully_connected_gemm(const Tx* x, int rows, int k, const int8_t* wt, int n_out, const int32_t* bias, const Requant& rq, Ty* y) {
  using C = isa::Column<Tx>;
#if defined(QUENCH_ISA_ARM_DSP)
  constexpr bool kCopy = true;  // the row widened once (isa::widen_column), then isa::dot16
#else
  constexpr bool kCopy = isa::kColumnBias<Tx> != 0 || sizeof(C) != sizeof(Tx);
#endif
  if ((kCopy && k > kGemmMaxK) || n_out > kGemmMaxM) return false;
  alignas(16) C row[kCopy ? kGemmMaxK : 1];
  alignas(16) int32_t base[kGemmMaxM];
  gemm_bases<C>(wt, bias, n_out, k, isa::kColumnBias<Tx>, base);
  for (int r = 0; r < rows; ++r) {
    const Tx* xr = x + static_cast<size_t>(r) * k;
#if defined(QUENCH_ISA_ARM_DSP)
    (void)row;
    alignas(16) int16_t wide[kGemmMaxK];
    isa::widen_column(xr, k, wide);
    const int16_t* const c1[1] = {wide};
#else
    if (kCopy)
      for (int t = 0; t < k; ++t) row[t] = isa::column<Tx>(xr[t]);
    const C* const c1[1] = {kCopy ? row : reinterpret_cast<const C*>(xr)};
#endif
    for (int j = 0; j < n_out; j += 4) {
      const int nj = n_out - j < 4 ? n_out - j : 4;
      const int8_t* const w4[4] = {wt + static_cast<size_t>(j) * k, wt + static_cast<size_t>(j + (nj > 1 ? 1 : 0)) * k,
                                   wt + static_cast<size_t>(j + (nj > 2 ? 2 : 0)) * k, wt + static_cast<size_t>(j + (nj > 3 ? 3 : 0)) * k};
      int32_t acc[4];
#if defined(QUENCH_ISA_ARM_DSP)
      isa::dot16<4, 1>(w4, c1, k, acc);
#else
      isa::dot<4, 1>(w4, c1, k, acc);
#endif
      for (int u = 0; u < nj; ++u) y[static_cast<size_t>(r) * n_out + j + u] = static_cast<Ty>(rq.apply32(acc[u] + base[j + u], j + u));
    }
  }
  return true;
}

// Depthwise convolution (one input channel per group, any channel multiplier) with the ISA rows
// of isa_dot.h. The input rows a band of output rows reads are copied into a zero-padded band on
// the stack (padding, and the sw - 1 bytes row kernels may read past the last tap, become real
// zeros), so every output position goes through isa::depthwise_row, V at a time; the row
// kernel's remainder is summed below, the same sum. False when not applicable: 8-bit inputs,
// 8-bit or int16 outputs, shifts -16..31, at most 16 kernel rows, a padded row within the band.
template <typename Tx, typename Ty>
QUENCH_INLINE bool depthwise_isa(const Tx* x, const int8_t* wt, const int32_t* bias, const ConvGeom& g, const Requant& rq, Ty* y) {
  constexpr int kMaxRows = 16, kBandBytes = 8192;
  const int cg = g.c / g.group, mg = g.m / g.group;
  const int wp = (g.ow - 1) * g.sw + (g.kw - 1) * g.dw + g.sw;  // padded row length
  const int eh = (g.kh - 1) * g.dh + 1;                           // input rows one output row reads
  if (cg != 1 || g.kh > kMaxRows || kBandBytes / wp < eh) return false;
  const int band = (kBandBytes / wp - eh) / g.sh + 1;  // output rows per band
  for (int o = 0; o < (rq.shifts == 1 ? 1 : g.m); ++o)
    if (rq.shift_right[o] < -16 || rq.shift_right[o] > 31) return false;
  alignas(16) Tx pad[kBandBytes];
  const int32_t lo = static_cast<int32_t>(rq.lo), hi = static_cast<int32_t>(rq.hi);
  for (int b = 0; b < g.n; ++b)
    for (int oy0 = 0; oy0 < g.oh; oy0 += band) {
      const int oy1 = g.oh - oy0 < band ? g.oh : oy0 + band;
      const int iy0 = oy0 * g.sh - g.ph, rows_in = (oy1 - 1 - oy0) * g.sh + eh;
      int filled = -1;
      for (int o = 0; o < g.m; ++o) {
        const int ci = o / mg;
        if (ci != filled) {
          // the band of channel ci: input rows iy0 .. iy0 + rows_in - 1, columns -pw .. wp - pw - 1
          const Tx* xc = x + static_cast<size_t>(b * g.c + ci) * g.h * g.w;
          for (int r = 0; r < rows_in; ++r) {
            Tx* dst = pad + static_cast<size_t>(r) * wp;
            const int iy = iy0 + r;
            if (iy < 0 || iy >= g.h) {
              std::memset(dst, 0, static_cast<size_t>(wp) * sizeof(Tx));
              continue;
            }
            const int left = g.pw < wp ? g.pw : wp, len = g.w < wp - left ? g.w : wp - left;
            std::memset(dst, 0, static_cast<size_t>(left) * sizeof(Tx));
            std::memcpy(dst + left, xc + static_cast<size_t>(iy) * g.w, static_cast<size_t>(len) * sizeof(Tx));
            std::memset(dst + left + len, 0, static_cast<size_t>(wp - left - len) * sizeof(Tx));
          }
          filled = ci;
        }
        const int8_t* wo = wt + static_cast<size_t>(o) * g.kh * g.kw;
        const int32_t b0 = bias ? bias[o] : 0;
        const int s = rq.shift_right[rq.shifts == 1 ? 0 : o];
        Ty* yo = y + (static_cast<size_t>(b) * g.m + o) * g.oh * g.ow;
        for (int oy = oy0; oy < oy1; ++oy) {
          const Tx* rows[kMaxRows];
          const int8_t* wr[kMaxRows];
          for (int i = 0; i < g.kh; ++i) {
            rows[i] = pad + static_cast<size_t>((oy - oy0) * g.sh + i * g.dh) * wp;
            wr[i] = wo + i * g.kw;
          }
          Ty* yr = yo + static_cast<size_t>(oy) * g.ow;
          for (int ox = isa::depthwise_row(rows, wr, g.kh, g.kw, g.dw, g.sw, g.ow, b0, s, lo, hi, yr); ox < g.ow; ++ox) {
            int32_t acc = b0;
            for (int i = 0; i < g.kh; ++i)
              for (int j = 0; j < g.kw; ++j) acc += static_cast<int32_t>(wr[i][j]) * static_cast<int32_t>(rows[i][ox * g.sw + j * g.dw]);
            yr[ox] = static_cast<Ty>(rq.apply32(acc, o));
          }
        }
      }
    }
  return true;
}

// The convolution and fully-connected entry points: the ISA kernel where it applies, else the portable one.
template <typename Acc, typename Tx, typename Ty>
QUENCH_INLINE void conv2d(const Tx* x, const int8_t* wt, const int32_t* bias, const ConvGeom& g, const Requant& rq, Ty* y) {
  if constexpr (isa::kEnabled && sizeof(Acc) == 4 && sizeof(Tx) == 1) {
    if (g.c == g.group) {
      if constexpr (sizeof(Ty) == 1 || std::is_same_v<Ty, int16_t>) {
        if (depthwise_isa(x, wt, bias, g, rq, y)) return;
      }
    } else if (conv2d_gemm(x, wt, bias, g, rq, y)) {
      return;
    }
  }
  conv2d_portable<Acc>(x, wt, bias, g, rq, y);
}

template <typename Acc, typename Tx, typename Ty>
QUENCH_INLINE void fully_connected(const Tx* x, int rows, int k, const int8_t* wt, int n_out, const int32_t* bias, const Requant& rq, Ty* y) {
  if constexpr (isa::kEnabled && sizeof(Acc) == 4 && sizeof(Tx) == 1) {
    if (fully_connected_gemm(x, rows, k, wt, n_out, bias, rq, y)) return;
  }
  fully_connected_portable<Acc>(x, rows, k, wt, n_out, bias, rq, y);
}

// y[n, c, i] = requant(x[n, c, i] * scale[c] + bias[c])
template <typename Acc, typename Tx, typename Ty>
QUENCH_INLINE void channel_affine(const Tx* x, int n, int c, int inner, const int8_t* scale, const int32_t* bias, const Requant& rq, Ty* y) {
  for (int b = 0; b < n; ++b)
    for (int ch = 0; ch < c; ++ch)
      for (int i = 0; i < inner; ++i) {
        const size_t at = (static_cast<size_t>(b) * c + ch) * inner + i;
        y[at] = static_cast<Ty>(rq.apply(static_cast<Acc>(x[at]) * static_cast<Acc>(scale[ch]) + static_cast<Acc>(bias[ch]), ch));
      }
}

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

// Quantized Add (op 0), Sub (1): both inputs shifted left to a common frac, combined, requantized;
// Mul (2): the product requantized.
template <typename Acc, typename Ta, typename Tb, typename Ty>
QUENCH_INLINE void binary_int(int op, const Ta* a, const Tb* b, const Bcast& g, int shift_a, int shift_b, const Requant& rq, Ty* y) {
  const Acc ma = static_cast<Acc>(int64_t{1} << shift_a), mb = static_cast<Acc>(int64_t{1} << shift_b);
  if (g.rank == 1) {
    const size_t sa = static_cast<size_t>(g.a_strides[0]), sb = static_cast<size_t>(g.b_strides[0]);
    for (size_t i = 0; i < g.size; ++i) {
      const Acc x = static_cast<Acc>(a[i * sa]), v = static_cast<Acc>(b[i * sb]);
      const Acc acc = op == 0 ? x * ma + v * mb : (op == 1 ? x * ma - v * mb : x * v);
      y[i] = static_cast<Ty>(rq.apply(acc, 0));
    }
    return;
  }
  for (size_t i = 0; i < g.size; ++i) {
    size_t ia, ib;
    bcast_offsets(g, i, &ia, &ib);
    const Acc x = static_cast<Acc>(a[ia]), v = static_cast<Acc>(b[ib]);
    const Acc acc = op == 0 ? x * ma + v * mb : (op == 1 ? x * ma - v * mb : x * v);
    y[i] = static_cast<Ty>(rq.apply(acc, 0));
  }
}

// Float Add (0), Sub (1), Mul (2), Div (3) with broadcasting.
QUENCH_INLINE void binary_f32(int op, const float* a, const float* b, const Bcast& g, float* y) {
  for (size_t i = 0; i < g.size; ++i) {
    size_t ia = i * static_cast<size_t>(g.a_strides[0]), ib = i * static_cast<size_t>(g.b_strides[0]);
    if (g.rank != 1) bcast_offsets(g, i, &ia, &ib);
    const float x = a[ia], v = b[ib];
    y[i] = op == 0 ? x + v : (op == 1 ? x - v : (op == 2 ? x * v : x / v));
  }
}

// One input of a Concat: requantized to the output frac, copied to its slot along the axis.
template <typename Tx, typename Ty>
QUENCH_INLINE void concat_part(const Tx* x, size_t outer, size_t len, size_t out_len, size_t offset, int shift_right, int64_t lo, int64_t hi, Ty* y) {
  for (size_t o = 0; o < outer; ++o)
    for (size_t i = 0; i < len; ++i) y[o * out_len + offset + i] = static_cast<Ty>(clamp(shift_round(static_cast<int64_t>(x[o * len + i]), shift_right), lo, hi));
}

QUENCH_INLINE void concat_f32(const float* x, size_t outer, size_t len, size_t out_len, size_t offset, float* y) {
  for (size_t o = 0; o < outer; ++o) std::memcpy(y + o * out_len + offset, x + o * len, len * sizeof(float));
}

struct PoolGeom {
  int nc, h, w;
  int kh, kw, sh, sw, dh, dw;
  int pt, pl, pb, pr;  // pads: top, left, bottom, right
  int oh, ow;
  int count_include_pad;
};

// Integer average pooling: exact sum, one rounding division landing on the output frac.
template <typename Tx, typename Ty>
QUENCH_INLINE void avg_pool_int(const Tx* x, const PoolGeom& g, int shift_left, int64_t lo, int64_t hi, Ty* y) {
  for (int ch = 0; ch < g.nc; ++ch)
    for (int oy = 0; oy < g.oh; ++oy)
      for (int ox = 0; ox < g.ow; ++ox) {
        int64_t sum = 0;
        int count = 0, pad_count = 0;
        for (int i = 0; i < g.kh; ++i)
          for (int j = 0; j < g.kw; ++j) {
            const int iy = oy * g.sh - g.pt + i * g.dh, ix = ox * g.sw - g.pl + j * g.dw;
            if (iy >= -g.pt && iy < g.h + g.pb && ix >= -g.pl && ix < g.w + g.pr) ++pad_count;
            if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
            sum += x[(static_cast<size_t>(ch) * g.h + iy) * g.w + ix];
            ++count;
          }
        const int div = g.count_include_pad ? pad_count : count;
        y[(static_cast<size_t>(ch) * g.oh + oy) * g.ow + ox] = static_cast<Ty>(div == 0 ? 0 : clamp(mean_round(sum, div, shift_left), lo, hi));
      }
}

template <typename Tx, typename Ty>
QUENCH_INLINE void global_avg_pool_int(const Tx* x, int nc, int size, int shift_left, int64_t lo, int64_t hi, Ty* y) {
  for (int ch = 0; ch < nc; ++ch) {
    int64_t sum = 0;
    for (int j = 0; j < size; ++j) sum += x[static_cast<size_t>(ch) * size + j];
    y[ch] = static_cast<Ty>(clamp(mean_round(sum, size, shift_left), lo, hi));
  }
}

// Max pooling over the valid positions of each window (integer data: exact). Row at a time,
// taps outside and positions inside; every window has a valid position (pads < kernel).
template <typename T>
QUENCH_INLINE void max_pool(const T* x, const PoolGeom& g, T* y) {
  constexpr int kChunk = 256;
  T best[kChunk];
  for (int ch = 0; ch < g.nc; ++ch)
    for (int oy = 0; oy < g.oh; ++oy)
      for (int ox0 = 0; ox0 < g.ow; ox0 += kChunk) {
        const int len = g.ow - ox0 < kChunk ? g.ow - ox0 : kChunk;
        bool seen[kChunk];
        for (int p = 0; p < len; ++p) seen[p] = false;
        for (int i = 0; i < g.kh; ++i) {
          const int iy = oy * g.sh - g.pt + i * g.dh;
          if (iy < 0 || iy >= g.h) continue;
          const T* xr = x + (static_cast<size_t>(ch) * g.h + iy) * g.w;
          for (int j = 0; j < g.kw; ++j) {
            const int off = j * g.dw - g.pl;
            int lo = off >= 0 ? 0 : (-off + g.sw - 1) / g.sw;
            int hi = (g.w - off + g.sw - 1) / g.sw;
            if (lo < ox0) lo = ox0;
            if (hi > ox0 + len) hi = ox0 + len;
            for (int ox = lo; ox < hi; ++ox) {
              const T v = xr[ox * g.sw + off];
              T& b = best[ox - ox0];
              b = seen[ox - ox0] && b >= v ? b : v;
              seen[ox - ox0] = true;
            }
          }
        }
        for (int p = 0; p < len; ++p) y[(static_cast<size_t>(ch) * g.oh + oy) * g.ow + ox0 + p] = seen[p] ? best[p] : 0;
      }
}

template <typename T>
QUENCH_INLINE void clamp_int(const T* x, size_t size, int64_t lo, int64_t hi, T* y) {
  for (size_t i = 0; i < size; ++i) y[i] = static_cast<T>(clamp(x[i], lo, hi));
}

// 256-entry table indexed by q - first (first = -128 for int8, 0 for uint8).
template <typename Tx, typename Ty>
QUENCH_INLINE void lut(const Tx* x, size_t size, const Ty* table, int first, Ty* y) {
  for (size_t i = 0; i < size; ++i) y[i] = table[static_cast<int>(x[i]) - first];
}

// QuantizeLinear: round half to even of x / scale (float division), plus the zero point, saturated;
// NaN becomes 0 (Java's (long) NaN). rint on the float is the same integer as Java's rint on
// its double value, and the float sum with the zero point is exact below 2^24 (larger values saturate).
template <typename Ty>
QUENCH_INLINE void quantize_linear(const float* x, size_t size, float scale, int64_t zero_point, int64_t lo, int64_t hi, Ty* y) {
  const float zp = static_cast<float>(zero_point);
  const double l = static_cast<double>(lo), h = static_cast<double>(hi);
  for (size_t i = 0; i < size; ++i) {
    const double q = qmath::rint(x[i] / scale) + zp;
    y[i] = q != q ? Ty{0} : (q < l ? static_cast<Ty>(lo) : (q > h ? static_cast<Ty>(hi) : static_cast<Ty>(q)));
  }
}

// DequantizeLinear: (q - zero_point) * scale in double, rounded once to float.
template <typename Tx>
QUENCH_INLINE void dequantize_linear(const Tx* x, size_t size, double scale, int64_t zero_point, float* y) {
  for (size_t i = 0; i < size; ++i) y[i] = static_cast<float>(static_cast<double>(static_cast<int64_t>(x[i]) - zero_point) * scale);
}

// Softmax over len elements spaced inner apart: float arithmetic with qmath::exp, summed in index order.
QUENCH_INLINE void softmax_f32(const float* x, int outer, int len, int inner, float* y, float* scratch) {
  for (int o = 0; o < outer; ++o)
    for (int i = 0; i < inner; ++i) {
      const size_t base = static_cast<size_t>(o) * len * inner + i;
      float mx = -std::numeric_limits<float>::infinity();
      for (int k = 0; k < len; ++k) {
        const float v = x[base + static_cast<size_t>(k) * inner];
        if (v > mx) mx = v;
      }
      float sum = 0.0f;
      for (int k = 0; k < len; ++k) {
        const float e = qmath::exp(x[base + static_cast<size_t>(k) * inner] - mx);
        scratch[k] = e;
        sum += e;
      }
      for (int k = 0; k < len; ++k) y[base + static_cast<size_t>(k) * inner] = scratch[k] / sum;
    }
}

QUENCH_INLINE void sigmoid_f32(const float* x, size_t size, float* y) {
  for (size_t i = 0; i < size; ++i) y[i] = qmath::sigmoid(x[i]);
}

QUENCH_INLINE void tanh_f32(const float* x, size_t size, float* y) {
  for (size_t i = 0; i < size; ++i) y[i] = qmath::tanh(x[i]);
}

// Affine gather (Slice, Transpose, Split, ...): y[i] = x[base + sum_d coord_d(i) * strides[d]].
template <typename T>
QUENCH_INLINE void strided_gather(const T* x, int rank, const int32_t* out_dims, int64_t base, const int32_t* strides, size_t size, T* y) {
  for (size_t i = 0; i < size; ++i) {
    size_t rest = i;
    int64_t at = base;
    for (int d = rank - 1; d >= 0; --d) {
      at += static_cast<int64_t>(rest % static_cast<size_t>(out_dims[d])) * strides[d];
      rest /= static_cast<size_t>(out_dims[d]);
    }
    y[i] = x[at];
  }
}

// Separable gather (nearest Resize): per output axis a table of input coordinates (concatenated).
template <typename T>
QUENCH_INLINE void axes_gather(const T* x, int rank, const int32_t* out_dims, const int32_t* in_strides, const int32_t* maps, size_t size, T* y) {
  int total = 0;
  for (int d = 0; d < rank; ++d) total += out_dims[d];
  for (size_t i = 0; i < size; ++i) {
    size_t rest = i;
    int64_t at = 0;
    int end = total;
    for (int d = rank - 1; d >= 0; --d) {
      end -= out_dims[d];
      at += static_cast<int64_t>(maps[end + static_cast<int>(rest % static_cast<size_t>(out_dims[d]))]) * in_strides[d];
      rest /= static_cast<size_t>(out_dims[d]);
    }
    y[i] = x[at];
  }
}

// LayerNormalization over the last `inner` elements: mean and variance in double, as the Java kernel.
QUENCH_INLINE void layer_norm_f32(const float* x, int outer, int inner, const float* scale, const float* bias, double eps, float* y) {
  for (int o = 0; o < outer; ++o) {
    const float* xr = x + static_cast<size_t>(o) * inner;
    float* yr = y + static_cast<size_t>(o) * inner;
    double sum = 0;
    for (int i = 0; i < inner; ++i) sum += xr[i];
    const double mean = sum / inner;
    double sq = 0;
    for (int i = 0; i < inner; ++i) {
      const double d = xr[i] - mean;
      sq += d * d;
    }
    const double k = 1 / qmath::sqrt(sq / inner + eps);
    for (int i = 0; i < inner; ++i) {
      const double v = (xr[i] - mean) * k * scale[i];
      yr[i] = static_cast<float>(bias ? v + bias[i] : v);
    }
  }
}

// Batched float matrix product, each element the fma chain over k from 0 (as Java's Gemm), with
// Quench's own correctly rounded fma (qmath.h), so no libm is involved.
QUENCH_INLINE void matmul_f32(const float* a, const float* b, int batch, int m, int n, int k, int b_batched, float* y) {
  for (int t = 0; t < batch; ++t) {
    const float* at = a + static_cast<size_t>(t) * m * k;
    const float* bt = b + (b_batched ? static_cast<size_t>(t) * k * n : 0);
    float* yt = y + static_cast<size_t>(t) * m * n;
    for (int i = 0; i < m; ++i)
      for (int j = 0; j < n; ++j) {
        float acc = 0.0f;
        for (int q = 0; q < k; ++q) acc = qmath::fma(at[static_cast<size_t>(i) * k + q], bt[static_cast<size_t>(q) * n + j], acc);
        yt[static_cast<size_t>(i) * n + j] = acc;
      }
  }
}

// ReduceSum (mean 0) / ReduceMean (mean 1): double sums in input order, slot from the kept dims.
QUENCH_INLINE void reduce_f32(const float* x, int rank, const int32_t* in_dims, const int32_t* kept_strides, size_t in_size, size_t out_size, int mean,
                       double* acc, float* y) {
  for (size_t i = 0; i < out_size; ++i) acc[i] = 0;
  for (size_t i = 0; i < in_size; ++i) {
    size_t rest = i, slot = 0;
    for (int d = rank - 1; d >= 0; --d) {
      slot += (rest % static_cast<size_t>(in_dims[d])) * static_cast<size_t>(kept_strides[d]);
      rest /= static_cast<size_t>(in_dims[d]);
    }
    acc[slot] += x[i];
  }
  const size_t count = out_size == 0 ? 0 : in_size / out_size;
  for (size_t i = 0; i < out_size; ++i) y[i] = static_cast<float>(mean ? acc[i] / static_cast<double>(count) : acc[i]);
}

// memmove without memmove (bare metal links memcpy / memset only): overlapping ranges are copied
// in non-overlapping chunks of their distance, walking away from the overlap.
QUENCH_INLINE void copy_bytes(const void* x, size_t bytes, void* y) {
  const uint8_t* s = static_cast<const uint8_t*>(x);
  uint8_t* d = static_cast<uint8_t*>(y);
  if (s == d || bytes == 0) return;
  const size_t gap = s < d ? static_cast<size_t>(d - s) : static_cast<size_t>(s - d);
  if (gap >= bytes) {
    std::memcpy(d, s, bytes);
  } else if (d < s) {
    for (size_t at = 0; at < bytes; at += gap) std::memcpy(d + at, s + at, bytes - at < gap ? bytes - at : gap);
  } else {
    for (size_t end = bytes; end > 0;) {
      const size_t len = end < gap ? end : gap;
      end -= len;
      std::memcpy(d + end, s + end, len);
    }
  }
}

}  // namespace quench

#endif
