// Quench runtime: the ISA layer under the convolution / fully-connected kernels
// (kernels/conv_isa.h, kernels/fully_connected.h). One variant is compiled in, chosen by the
// generated model (the target's kernel variant, from ir/.../target/Target.java) with a macro, each
// in its own file under isa/:
//   QUENCH_ISA_ARM_DSP   isa/arm_dsp.h   Cortex-M4/M7: SXTB16 / UXTB16 widen four bytes to two
//                                        halfword pairs, SMLAD multiplies and adds two pairs.
//   QUENCH_ISA_ARM_MVE   isa/arm_mve.h   Cortex-M55 Helium: VMLADAVA.S8, sixteen int8 products per
//                                        instruction; tails predicated. Columns are int8.
//   QUENCH_ISA_NEON_DOT  isa/neon_dot.h  Armv8.2-A NEON dot product: SDOT, sixteen int8 products
//                                        into four int32 lanes. Columns are int8 (uint8 inputs
//                                        biased by -128, corrected exactly by the kernels).
//   none                 isa/portable.h  the portable loops (same sums).
// Integer sums are exact and the quantizer bounds them inside int32, so every variant gives the
// same accumulators as the portable kernels, bit for bit.
#ifndef QUENCH_ISA_H
#define QUENCH_ISA_H

#include "quench/common.h"

#if defined(QUENCH_ISA_ARM_DSP)
#if !defined(__ARM_FEATURE_DSP)
#error "QUENCH_ISA_ARM_DSP needs the Arm DSP extension (-mcpu=cortex-m4 / cortex-m7)"
#endif
#include <arm_acle.h>
#elif defined(QUENCH_ISA_ARM_MVE)
#if !defined(__ARM_FEATURE_MVE)
#error "QUENCH_ISA_ARM_MVE needs Helium (-mcpu=cortex-m55)"
#endif
#include <arm_mve.h>
#elif defined(QUENCH_ISA_NEON_DOT)
#if !defined(__ARM_FEATURE_DOTPROD)
#error "QUENCH_ISA_NEON_DOT needs the dot-product extension (-march=armv8.2-a+dotprod)"
#endif
#include <arm_neon.h>
#endif

namespace quench {
namespace isa {

#if defined(QUENCH_ISA_ARM_DSP) || defined(QUENCH_ISA_ARM_MVE) || defined(QUENCH_ISA_NEON_DOT)
constexpr bool kEnabled = true;
#else
constexpr bool kEnabled = false;
#endif

// The element type of gathered columns for input type Tx: the input's own type, except with
// NEON SDOT and MVE VMLADAV.S8, which take int8 only (uint8 inputs are stored biased by -128).
#if defined(QUENCH_ISA_NEON_DOT) || defined(QUENCH_ISA_ARM_MVE)
template <typename Tx>
using Column = int8_t;
template <typename Tx>
constexpr int kColumnBias = static_cast<Tx>(-1) > 0 ? 128 : 0;
#else
template <typename Tx>
using Column = Tx;
template <typename Tx>
constexpr int kColumnBias = 0;
#endif

// The stored column value of an input value (0 for padding).
template <typename Tx>
QUENCH_INLINE Column<Tx> column(Tx v) {
  return static_cast<Column<Tx>>(static_cast<int>(v) - kColumnBias<Tx>);
}

// Up to eight int32 accumulators as named scalars (indexed with constants once the loops over
// rows and columns are unrolled), so that they stay in registers.
struct Accumulators {
  int32_t v0 = 0, v1 = 0, v2 = 0, v3 = 0, v4 = 0, v5 = 0, v6 = 0, v7 = 0;
  QUENCH_INLINE int32_t& operator[](int i) {
    return i < 4 ? (i == 0 ? v0 : (i == 1 ? v1 : (i == 2 ? v2 : v3))) : (i == 4 ? v4 : (i == 5 ? v5 : (i == 6 ? v6 : v7)));
  }
};

// The scalar tail of an inner product: taps t..k-1 of NW weight rows and NC columns.
template <int NW, int NC, typename C>
QUENCH_INLINE void dot_tail(const int8_t* const (&w)[NW], const C* const (&c)[NC], int t, int k, Accumulators& acc) {
  for (; t < k; ++t) {
#pragma GCC unroll 4
    for (int i = 0; i < NW; ++i)
#pragma GCC unroll 4
      for (int q = 0; q < NC; ++q) acc[i * NC + q] += static_cast<int32_t>(w[i][t]) * static_cast<int32_t>(c[q][t]);
  }
}

// Depthwise rows: out[v] = clamp(shift_round32(b0 + sum_r sum_j wr[r * kw + j] * rows[r * row_stride + v * sw + j * dw], s), lo, hi)
// for v < count, V output positions at a time (the caller computes the rest and keeps every read
// inside the input rows, including sw - 1 bytes past the last tap). Shift s in -16..31 (s <= 0: a
// left shift, saturated before the clamp, which gives the exact product's clamp). Returns the
// positions done. 8-bit inputs, 8- or 16-bit outputs. The scalar kernel: four positions in
// registers, one weight load per tap.
template <typename Tx, typename Ty>
QUENCH_INLINE int depthwise_row_scalar(const Tx* rows, size_t row_stride, const int8_t* wr, int nrows, int kw, int dw, int sw, int count, int32_t b0, int s,
                                       int32_t lo, int32_t hi, Ty* out) {
  static_assert(sizeof(Tx) == 1 && sizeof(Ty) <= 2, "8-bit inputs, 8- or 16-bit outputs");
  int n = 0;
  for (; n + 4 <= count; n += 4) {
    int32_t a0 = b0, a1 = b0, a2 = b0, a3 = b0;
    for (int r = 0; r < nrows; ++r) {
      const Tx* p = rows + r * row_stride + n * sw;
      const int8_t* wj = wr + r * kw;
      for (int j = 0; j < kw; ++j, p += dw) {
        const int32_t wv = wj[j];
        a0 += wv * p[0];
        a1 += wv * p[sw];
        a2 += wv * p[2 * sw];
        a3 += wv * p[3 * sw];
      }
    }
    const int32_t acc[4] = {a0, a1, a2, a3};
    for (int v = 0; v < 4; ++v) {
      const int64_t q = s >= 1 ? (acc[v] >> s) + ((acc[v] >> (s - 1)) & 1) : static_cast<int64_t>(acc[v]) * (int64_t{1} << -s);
      out[n + v] = static_cast<Ty>(q < lo ? lo : (q > hi ? hi : q));
    }
  }
  return n;
}

}  // namespace isa
}  // namespace quench

// Each ISA file defines, in quench::isa: dot_vector<NW, NC>(w, c, k, acc) (the taps it does with
// the ISA, accumulated into acc; returns how many), its own helpers, and may define depthwise_row
// (with QUENCH_ISA_DEPTHWISE_ROW; else the scalar one below).
#if defined(QUENCH_ISA_ARM_DSP)
#include "quench/isa/arm_dsp.h"
#elif defined(QUENCH_ISA_ARM_MVE)
#include "quench/isa/arm_mve.h"
#elif defined(QUENCH_ISA_NEON_DOT)
#include "quench/isa/neon_dot.h"
#else
#include "quench/isa/portable.h"
#endif

namespace quench {
namespace isa {

#ifndef QUENCH_ISA_DEPTHWISE_ROW
// no vector depthwise rows in this ISA file (DSP, portable): the scalar ones
template <typename Tx, typename Ty>
QUENCH_INLINE int depthwise_row(const Tx* rows, size_t row_stride, const int8_t* wr, int nrows, int kw, int dw, int sw, int count, int32_t b0, int s, int32_t lo,
                                int32_t hi, Ty* out) {
  return depthwise_row_scalar(rows, row_stride, wr, nrows, kw, dw, sw, count, b0, s, lo, hi, out);
}
#endif

// out[r * NC + q] = sum_{t < k} w[r][t] * c[q][t], for NW weight rows and NC columns (NW * NC <= 8).
template <int NW, int NC, typename C>
QUENCH_INLINE void dot(const int8_t* const (&w)[NW], const C* const (&c)[NC], int k, int32_t (&out)[NW * NC]) {
  static_assert(NW * NC <= 8, "at most eight accumulators");
  Accumulators acc;
  const int t = dot_vector<NW, NC>(w, c, k, acc);
#if defined(QUENCH_ISA_DOT_COMPLETE)
  (void)t;  // said at compile time: a tail loop the compiler cannot prove empty costs stack and code
#else
  dot_tail<NW, NC>(w, c, t, k, acc);
#endif
#pragma GCC unroll 8
  for (int i = 0; i < NW * NC; ++i) out[i] = acc[i];
}

}  // namespace isa
}  // namespace quench

#endif
