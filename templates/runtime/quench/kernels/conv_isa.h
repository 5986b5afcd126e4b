// Quench runtime kernels: convolution with the ISA layer (quench/isa.h), for 8-bit inputs and
// int32 accumulators. Bit-exact with conv2d_int (kernels/conv.h): tested on random shapes under
// QEMU (src/test/cpp/kernel_twin). The generator chooses the kernel for each node
// (backends/.../codegen/KernelChoice.java) and calls it only where it applies.
#ifndef QUENCH_KERNELS_CONV_ISA_H
#define QUENCH_KERNELS_CONV_ISA_H

#include <type_traits>

#include "quench/geometry.h"
#include "quench/isa.h"
#include "quench/requant.h"

namespace quench {

// Output positions gathered per block: more column pairs per set-up of four channels with MVE.
#if defined(QUENCH_ISA_ARM_MVE)
constexpr int kGemmBlock = 8;
#else
constexpr int kGemmBlock = 4;
#endif

// Per output channel, what its accumulators start from: the bias, plus col_bias * sum_t w[o][t]
// where columns are biased uint8 (NEON SDOT, MVE VMLADAV.S8), which is exactly what the bias took
// away. |128 * sum_t w| < 2^31 for k < 2^17 (the generator's bound for biased columns).
QUENCH_INLINE void gemm_bases(const int8_t* wt, const int32_t* bias, int m, int k, int col_bias, int32_t* base) {
  for (int o = 0; o < m; ++o) {
    int32_t sum = 0;
    if (col_bias != 0)
      for (int t = 0; t < k; ++t) sum += wt[static_cast<size_t>(o) * k + t];
    base[o] = (bias ? bias[o] : 0) + col_bias * sum;
  }
}

// The column of output position (oy, ox): the cg * kh * kw inputs under the kernel in weight
// (OIHW) order, padding as the column value of 0. Windows inside the input skip the bounds checks;
// inside them, rows of at most four contiguous taps are copied as one 32-bit word when the word
// stays inside the input row (its extra bytes land where the next row starts, or in the column's
// sixteen bytes of slack, and are overwritten or never read).
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

// kGemmBlock columns (each with sixteen bytes of slack for gather_column's word copies), with the
// DSP two of them widened and interleaved (isa::widen_pair), and the per-channel bases.
template <typename Tx>
constexpr size_t conv2d_int_gemm_scratch_bytes(const ConvGeom& g) {
  const size_t k = static_cast<size_t>(g.cg()) * g.kh * g.kw;
#if defined(QUENCH_ISA_ARM_DSP)
  const size_t pair = scratch_piece(4 * k);
#else
  const size_t pair = 0;
#endif
  return kGemmBlock * scratch_piece((k + 16) * sizeof(isa::Column<Tx>)) + pair + scratch_piece((static_cast<size_t>(g.m) + 4) * 4);
}

// Convolution through gathered columns: for a block of output positions each column holds the
// cg * kh * kw inputs under the kernel (padding as 0) in weight (OIHW) order; then, with MVE,
// every four output channels take their inner products with every pair of columns and each
// position's four are requantized and stored as one vector, elsewhere every pair of output
// channels with every pair of columns. Not for depthwise (cg = mg = 1).
template <typename Tx, typename Ty>
QUENCH_INLINE void conv2d_int_gemm(const Tx* x, const int8_t* wt, const int32_t* bias, const ConvGeom& g, const Requant& rq, Ty* y, uint8_t* scratch) {
  static_assert(isa::kEnabled && sizeof(Tx) == 1, "an ISA variant, 8-bit inputs");
  using C = isa::Column<Tx>;
  const int cg = g.cg(), mg = g.mg(), k = cg * g.kh * g.kw, plane = g.oh * g.ow;
  Scratch s{scratch};
  C* cols[kGemmBlock];
  for (int q = 0; q < kGemmBlock; ++q) cols[q] = s.take<C>(static_cast<size_t>(k) + 16);
#if defined(QUENCH_ISA_ARM_DSP)
  uint32_t* pair = s.take<uint32_t>(static_cast<size_t>(k));
#endif
  int32_t* base = s.take<int32_t>(static_cast<size_t>(g.m) + 4);
  gemm_bases(wt, bias, g.m, k, isa::kColumnBias<Tx>, base);
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
}

// The depthwise kernel copies the input rows a band of output rows reads into a zero-padded band
// of at most this many bytes (or the rows of one output row, when those alone are more).
constexpr int kDepthwiseBandBytes = 8192;

constexpr int depthwise_padded_row(const ConvGeom& g) { return (g.ow - 1) * g.sw + (g.kw - 1) * g.dw + g.sw; }

// Output rows per band.
constexpr int depthwise_band(const ConvGeom& g) {
  const int wp = depthwise_padded_row(g), eh = (g.kh - 1) * g.dh + 1;
  return min_int(g.oh, kDepthwiseBandBytes / wp >= eh ? (kDepthwiseBandBytes / wp - eh) / g.sh + 1 : 1);
}

template <typename Tx>
constexpr size_t depthwise_conv2d_int_isa_scratch_bytes(const ConvGeom& g) {
  return scratch_piece(static_cast<size_t>((depthwise_band(g) - 1) * g.sh + (g.kh - 1) * g.dh + 1) * depthwise_padded_row(g) * sizeof(Tx));
}

// Depthwise convolution (one input channel per group, any channel multiplier) with the ISA's
// depthwise rows. The input rows a band of output rows reads are copied into a zero-padded band
// (padding, and the sw - 1 bytes row kernels may read past the last tap, become real zeros), so
// every output position goes through isa::depthwise_row, V at a time; the row kernel's remainder
// is summed below, the same sum. For 8-bit inputs, 8-bit or int16 outputs, shifts -16..31.
template <typename Tx, typename Ty>
QUENCH_INLINE void depthwise_conv2d_int_isa(const Tx* x, const int8_t* wt, const int32_t* bias, const ConvGeom& g, const Requant& rq, Ty* y, uint8_t* scratch) {
  static_assert(sizeof(Tx) == 1 && (sizeof(Ty) == 1 || std::is_same_v<Ty, int16_t>), "8-bit inputs, 8-bit or int16 outputs");
  const int mg = g.mg();
  const int wp = depthwise_padded_row(g), eh = (g.kh - 1) * g.dh + 1, band = depthwise_band(g);
  Tx* pad = Scratch{scratch}.take<Tx>(static_cast<size_t>((band - 1) * g.sh + eh) * wp);
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
        const int s = rq.shift(o);
        Ty* yo = y + (static_cast<size_t>(b) * g.m + o) * g.oh * g.ow;
        for (int oy = oy0; oy < oy1; ++oy) {
          // kernel row i of this output row: padded row (oy - oy0) * sh + i * dh of the band
          const Tx* rows = pad + static_cast<size_t>((oy - oy0) * g.sh) * wp;
          const size_t row_stride = static_cast<size_t>(g.dh) * wp;
          Ty* yr = yo + static_cast<size_t>(oy) * g.ow;
          for (int ox = isa::depthwise_row(rows, row_stride, wo, g.kh, g.kw, g.dw, g.sw, g.ow, b0, s, lo, hi, yr); ox < g.ow; ++ox) {
            int32_t acc = b0;
            for (int i = 0; i < g.kh; ++i)
              for (int j = 0; j < g.kw; ++j) acc += static_cast<int32_t>(wo[i * g.kw + j]) * static_cast<int32_t>(rows[i * row_stride + ox * g.sw + j * g.dw]);
            yr[ox] = static_cast<Ty>(rq.apply32(acc, o));
          }
        }
      }
    }
}

}  // namespace quench

#endif
