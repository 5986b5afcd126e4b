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

#if defined(QUENCH_ISA_ARM_MVE)
// With MVE the convolution's weights come packed for its 4x2 tile (backends/.../codegen/
// ConvLowering.java packs them, KernelChoice.java names the layout): per group, the output channels
// in blocks of four (the last block filled with zero rows), each row cut into chunks of sixteen taps
// (k rounded up to kp, a multiple of 16, with zero taps), and a chunk's four rows one after another.
// One pointer walks a block's four rows, and every chunk is whole: the zero taps meet the column's
// sixteen bytes of slack. Tap t of output channel o:
constexpr int gemm_packed_k(int k) { return (k + 15) / 16 * 16; }
QUENCH_INLINE size_t gemm_packed_index(const ConvGeom& g, int o, int t) {
  const int mg = g.mg(), kp = gemm_packed_k(g.cg() * g.kh * g.kw), block = o / mg * ((mg + 3) / 4) + o % mg / 4;
  return (static_cast<size_t>(block) * kp + t / 16 * 16) * 4 + o % mg % 4 * 16 + t % 16;
}
#endif

// Per output channel, what its accumulators start from: the bias, plus col_bias * sum_t w(o, t)
// where columns are biased uint8 (NEON SDOT, MVE VMLADAV.S8), which is exactly what the bias took
// away. |128 * sum_t w| < 2^31 for k < 2^17 (the generator's bound for biased columns). w(o, t):
// tap t of output channel o in the kernel's layout.
template <typename W>
QUENCH_INLINE void gemm_bases(W w, const int32_t* bias, int m, int k, int col_bias, int32_t* base) {
  for (int o = 0; o < m; ++o) {
    int32_t sum = 0;
    if (col_bias != 0)
      for (int t = 0; t < k; ++t) sum += w(o, t);
    base[o] = (bias ? bias[o] : 0) + col_bias * sum;
  }
}

// The same for rows stored one after another (k taps each).
QUENCH_INLINE void gemm_bases(const int8_t* wt, const int32_t* bias, int m, int k, int col_bias, int32_t* base) {
  gemm_bases([wt, k](int o, int t) { return static_cast<int32_t>(wt[static_cast<size_t>(o) * k + t]); }, bias, m, k, col_bias, base);
}

// The column of output position (oy, ox): the cg * kh * kw inputs under the kernel in weight
// (OIHW) order, padding as the column value of 0. Windows inside the input skip the bounds checks;
// inside them, rows of at most four contiguous taps are copied as one 32-bit word when the word
// stays inside the input row (its extra bytes land where the next row starts, or in the column's
// sixteen bytes of slack, and are overwritten or never read).
template <typename Tx, typename C>
QUENCH_OUTLINE void gather_column(const Tx* xg, const ConvGeom& g, int cg, int oy, int ox, C pad, C* col) {
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

#if defined(QUENCH_ISA_ARM_MVE)
// The bytes from one gathered column to the next (k taps and sixteen bytes of slack).
constexpr size_t gemm_column_stride(const ConvGeom& g) { return scratch_piece(static_cast<size_t>(g.cg()) * g.kh * g.kw + 16); }

// One block of np gathered columns (cols, gemm_column_stride apart) through the output channels of
// group grp with MVE: per four channels and two columns, a 4x2 tile of inner products over the
// packed taps, each position's four requantized and stored as one vector. y: the group's first
// channel at the block's first position.
template <typename Ty>
QUENCH_OUTLINE void gemm_block_mve(const int8_t* cols, int np, const ConvGeom& g, int grp, const int8_t* wt, const int32_t* base, const Requant& rq, Ty* y) {
  const int mg = g.mg(), kp = gemm_packed_k(g.cg() * g.kh * g.kw), plane = g.oh * g.ow, o0 = grp * mg;
  const size_t stride = gemm_column_stride(g);
  const int8_t* wb = wt + gemm_packed_index(g, o0, 0);
  for (int o = 0; o < mg; o += 4, wb += 4 * kp) {
    const int no = mg - o < 4 ? mg - o : 4;
    const isa::Requant4 rq4 = isa::Requant4::make<Ty>(base + o0 + o, rq.shift_right + (rq.shifts == 1 ? 0 : o0 + o), rq.shifts == 1, no, static_cast<int32_t>(rq.lo),
                                                      static_cast<int32_t>(rq.hi), plane);
    for (int q = 0; q < np; q += 2) {
      const bool two = np - q >= 2;
      isa::Accumulators acc;  // acc[r * 2 + u]: channel o + r, position q + u
      const int8_t* c0 = cols + q * stride;
      isa::dot_rows4_packed(wb, c0, two ? c0 + stride : c0, kp, acc);
      Ty* yq = y + static_cast<size_t>(o) * plane + q;
      rq4.store(acc[0], acc[2], acc[4], acc[6], yq);
      if (two) rq4.store(acc[1], acc[3], acc[5], acc[7], yq + 1);
    }
  }
}
#endif

#if defined(QUENCH_ISA_ARM_DSP)
// One pair of gathered columns (c0, c1; pair: the two widened and interleaved, isa::widen_pair;
// nq: 1 when c1 repeats c0) through the output channels of group grp with the DSP, two channels
// at a time. y: channel 0 at the first column's position.
template <typename Ty, typename C>
QUENCH_OUTLINE void gemm_pair_dsp(const uint32_t* pair, const C* c0, const C* c1, int nq, const ConvGeom& g, int grp, const int8_t* wt, const int32_t* base,
                                  const Requant& rq, Ty* y) {
  const int mg = g.mg(), k = g.cg() * g.kh * g.kw, plane = g.oh * g.ow;
  for (int o = 0; o < mg; o += 2) {
    const int oc = grp * mg + o, no = mg - o < 2 ? 1 : 2;
    int32_t acc[4];
    // the second row is the first one's successor (or, for an odd last channel, computed and dropped)
    isa::dot16_pair(wt + static_cast<size_t>(oc) * k, no == 2 ? k : 0, k, pair, c0, c1, acc);
    for (int r = 0; r < no; ++r)
      for (int u = 0; u < nq; ++u) y[static_cast<size_t>(oc + r) * plane + u] = static_cast<Ty>(rq.apply32(acc[r * 2 + u] + base[oc + r], oc + r));
  }
}
#endif

// Convolution through gathered columns: for a block of output positions each column holds the
// cg * kh * kw inputs under the kernel (padding as 0) in weight (OIHW) order; then, with MVE
// (weights packed: gemm_packed_index), every block of four output channels takes its inner
// products with every pair of columns and each
// position's four are requantized and stored as one vector, elsewhere every pair of output
// channels with every pair of columns. Not for depthwise (cg = mg = 1); with MVE only for 8-bit or
// int16 outputs and shifts -16..31 (what the vector requantization takes; the generator's choice).
template <typename Tx, typename Ty>
QUENCH_INLINE void conv2d_int_gemm(const Tx* x, const int8_t* wt, const int32_t* bias, const ConvGeom& g, const Requant& rq, Ty* y, uint8_t* scratch) {
  static_assert(isa::kEnabled && sizeof(Tx) == 1, "an ISA variant, 8-bit inputs");
  using C = isa::Column<Tx>;
  const int cg = g.cg(), k = cg * g.kh * g.kw, plane = g.oh * g.ow;
  Scratch s{scratch};
  // column q at cols + q * stride
  C* const cols = s.take<C>(static_cast<size_t>(kGemmBlock - 1) * scratch_piece((static_cast<size_t>(k) + 16) * sizeof(C)) / sizeof(C) + k + 16);
  const size_t stride = scratch_piece((static_cast<size_t>(k) + 16) * sizeof(C)) / sizeof(C);
#if defined(QUENCH_ISA_ARM_DSP)
  uint32_t* pair = s.take<uint32_t>(static_cast<size_t>(k));
#endif
  int32_t* base = s.take<int32_t>(static_cast<size_t>(g.m) + 4);
#if defined(QUENCH_ISA_ARM_MVE)
  gemm_bases([wt, &g](int o, int t) { return static_cast<int32_t>(wt[gemm_packed_index(g, o, t)]); }, bias, g.m, k, isa::kColumnBias<Tx>, base);
#else
  gemm_bases(wt, bias, g.m, k, isa::kColumnBias<Tx>, base);
#endif
  const C pad = isa::column<Tx>(Tx{0});
#if defined(QUENCH_ISA_ARM_MVE)
  static_assert(!std::is_same_v<Ty, uint16_t>, "with MVE: 8-bit or int16 outputs, shifts -16..31 (the generator's choice)");
#endif
  for (int b = 0; b < g.n; ++b)
    for (int grp = 0; grp < g.group; ++grp) {
      const Tx* xg = x + static_cast<size_t>(b * g.c + grp * cg) * g.h * g.w;
      for (int p0 = 0; p0 < plane; p0 += kGemmBlock) {
        const int np = plane - p0 < kGemmBlock ? plane - p0 : kGemmBlock;
        for (int q = 0; q < np; ++q) gather_column(xg, g, cg, (p0 + q) / g.ow, (p0 + q) % g.ow, pad, cols + q * stride);
#if defined(QUENCH_ISA_ARM_MVE)
        gemm_block_mve(cols, np, g, grp, wt, base, rq, y + (static_cast<size_t>(b) * g.m + grp * g.mg()) * plane + p0);
#elif defined(QUENCH_ISA_ARM_DSP)
        for (int q = 0; q < np; q += 2) {
          const int nq = np - q < 2 ? 1 : 2;
          isa::widen_pair(cols + q * stride, cols + (q + nq - 1) * stride, k, pair);
          gemm_pair_dsp(pair, cols + q * stride, cols + (q + nq - 1) * stride, nq, g, grp, wt, base, rq, y + static_cast<size_t>(b) * g.m * plane + p0 + q);
        }
#else
        const int mg = g.mg();
        for (int o = 0; o < mg; o += 2) {
          const int oc = grp * mg + o, no = mg - o < 2 ? 1 : 2;
          const int8_t* const w2[2] = {wt + static_cast<size_t>(oc) * k, wt + static_cast<size_t>(oc + no - 1) * k};
          for (int q = 0; q < np; q += 2) {
            const int nq = np - q < 2 ? 1 : 2;
            const C* const c2[2] = {cols + q * stride, cols + (q + nq - 1) * stride};
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

// Output rows oy0 .. oy1 - 1 of channel o from its band (pad: padded rows wp bytes long, the
// band's first row that of oy0): each row through isa::depthwise_row, V positions at a time, and
// the positions it leaves summed one by one (the same sums). Out of line, so that the row kernel's
// vector registers and the remainder's loop get a frame apart from the band copy's.
template <typename Tx, typename Ty>
QUENCH_OUTLINE void depthwise_band_rows(const Tx* pad, int wp, const int8_t* wo, const ConvGeom& g, int oy0, int oy1, int32_t b0, const Requant& rq, int o, Ty* yo) {
  const int s = rq.shift(o);
  const int32_t lo = static_cast<int32_t>(rq.lo), hi = static_cast<int32_t>(rq.hi);
  const size_t row_stride = static_cast<size_t>(g.dh) * wp;
  for (int oy = oy0; oy < oy1; ++oy) {
    // kernel row i of this output row: padded row (oy - oy0) * sh + i * dh of the band
    const Tx* rows = pad + static_cast<size_t>((oy - oy0) * g.sh) * wp;
    Ty* yr = yo + static_cast<size_t>(oy) * g.ow;
    for (int ox = isa::depthwise_row(rows, row_stride, wo, g.kh, g.kw, g.dw, g.sw, g.ow, b0, s, lo, hi, yr); ox < g.ow; ++ox) {
      int32_t acc = b0;
      for (int i = 0; i < g.kh; ++i)
        for (int j = 0; j < g.kw; ++j) acc += static_cast<int32_t>(wo[i * g.kw + j]) * static_cast<int32_t>(rows[i * row_stride + ox * g.sw + j * g.dw]);
      yr[ox] = static_cast<Ty>(rq.apply32(acc, o));
    }
  }
}

template <typename Tx>
constexpr size_t depthwise_conv2d_int_isa_scratch_bytes(const ConvGeom& g) {
  return scratch_piece(static_cast<size_t>((depthwise_band(g) - 1) * g.sh + (g.kh - 1) * g.dh + 1) * depthwise_padded_row(g) * sizeof(Tx));
}

// Depthwise convolution (one input channel per group, any channel multiplier) with the ISA's
// depthwise rows. The input rows a band of output rows reads are copied into a zero-padded band
// (padding, and the sw - 1 bytes row kernels may read past the last tap, become real zeros), so
// every output position goes through isa::depthwise_row, V at a time, the row kernel's remainder
// one by one (depthwise_band_rows). For 8-bit inputs, 8-bit or int16 outputs, shifts -16..31.
template <typename Tx, typename Ty>
QUENCH_INLINE void depthwise_conv2d_int_isa(const Tx* x, const int8_t* wt, const int32_t* bias, const ConvGeom& g, const Requant& rq, Ty* y, uint8_t* scratch) {
  static_assert(sizeof(Tx) == 1 && (sizeof(Ty) == 1 || std::is_same_v<Ty, int16_t>), "8-bit inputs, 8-bit or int16 outputs");
  const int mg = g.mg();
  const int wp = depthwise_padded_row(g), eh = (g.kh - 1) * g.dh + 1, band = depthwise_band(g);
  Tx* pad = Scratch{scratch}.take<Tx>(static_cast<size_t>((band - 1) * g.sh + eh) * wp);
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
        depthwise_band_rows(pad, wp, wt + static_cast<size_t>(o) * g.kh * g.kw, g, oy0, oy1, bias ? bias[o] : 0, rq, o,
                            y + (static_cast<size_t>(b) * g.m + o) * g.oh * g.ow);
      }
    }
}

}  // namespace quench

#endif
