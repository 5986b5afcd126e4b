// Quench runtime: the ISA-specific inner products of the convolution / fully-connected kernels
// (isa_gemm.h). One variant is compiled in, chosen by the generated model (the target's kernel
// variant, from Quench's platform data) with a macro:
//   QUENCH_ISA_ARM_DSP   Cortex-M4/M7: SXTB16 / UXTB16 widen four bytes to two halfword pairs, SMLAD
//                        multiplies and adds two pairs into the int32 accumulator.
//   QUENCH_ISA_ARM_MVE   Cortex-M55 Helium: VMLADAVA.S8 multiplies sixteen int8 pairs and adds them
//                        into the accumulator; tails predicated. Columns are int8 (as NEON's).
//   QUENCH_ISA_NEON_DOT  Armv8.2-A NEON with the dot-product extension: SDOT, sixteen int8
//                        products into four int32 lanes. Columns are int8 (uint8 inputs biased by
//                        -128, corrected exactly in isa_gemm.h).
//   none                 the portable loop (same sums).
// Integer sums are exact and the quantizer bounds them inside int32, so every variant gives the
// same accumulators as the portable kernels, bit for bit.
#ifndef QUENCH_ISA_DOT_H
#define QUENCH_ISA_DOT_H

#include <cstdint>
#include <cstring>

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

#ifndef QUENCH_INLINE
#define QUENCH_INLINE inline
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

#if defined(QUENCH_ISA_ARM_DSP)
// Bytes 0 and 2 (Rot 0) or 1 and 3 (Rot 8) of v, sign- or zero-extended (as T) to two halfwords:
// SXTB16 / UXTB16 with the rotation folded in.
template <typename T, int Rot>
QUENCH_INLINE uint32_t extend16(uint32_t v) {
  uint32_t r;
  if (static_cast<T>(-1) > 0) {
    if (Rot == 0) __asm__("uxtb16 %0, %1" : "=r"(r) : "r"(v));
    else __asm__("uxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
  } else {
    if (Rot == 0) __asm__("sxtb16 %0, %1" : "=r"(r) : "r"(v));
    else __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
  }
  return r;
}
#endif

// Up to eight int32 accumulators as named scalars (indexed with constants once the loops over
// rows and columns are unrolled), so that they stay in registers.
struct Accumulators {
  int32_t v0 = 0, v1 = 0, v2 = 0, v3 = 0, v4 = 0, v5 = 0, v6 = 0, v7 = 0;
  QUENCH_INLINE int32_t& operator[](int i) {
    return i < 4 ? (i == 0 ? v0 : (i == 1 ? v1 : (i == 2 ? v2 : v3))) : (i == 4 ? v4 : (i == 5 ? v5 : (i == 6 ? v6 : v7)));
  }
};

// out[r * NC + q] = sum_{t < k} w[r][t] * c[q][t], for NW weight rows and NC columns (NW * NC <= 8).
template <int NW, int NC, typename C>
QUENCH_INLINE void dot(const int8_t* const (&w)[NW], const C* const (&c)[NC], int k, int32_t (&out)[NW * NC]) {
  static_assert(NW * NC <= 8, "at most eight accumulators");
  Accumulators acc;
  int t = 0;
#if defined(QUENCH_ISA_ARM_DSP)
  // four bytes per load; SXTB16 / UXTB16 give lanes (0, 2), and with ROR #8, lanes (1, 3)
  const C* cp[NC];
  const int8_t* wp[NW];
  for (int q = 0; q < NC; ++q) cp[q] = c[q];
  for (int i = 0; i < NW; ++i) wp[i] = w[i];
  for (; t + 4 <= k; t += 4) {
    uint32_t lo[NC], hi[NC];
#pragma GCC unroll 4
    for (int q = 0; q < NC; ++q) {
      uint32_t v;
      std::memcpy(&v, cp[q], 4);
      cp[q] += 4;
      lo[q] = extend16<C, 0>(v);
      hi[q] = extend16<C, 8>(v);
    }
#pragma GCC unroll 4
    for (int i = 0; i < NW; ++i) {
      uint32_t v;
      std::memcpy(&v, wp[i], 4);
      wp[i] += 4;
      const uint32_t wl = extend16<int8_t, 0>(v), wh = extend16<int8_t, 8>(v);
#pragma GCC unroll 4
      for (int q = 0; q < NC; ++q) acc[i * NC + q] = __smlad(wh, hi[q], __smlad(wl, lo[q], acc[i * NC + q]));
    }
  }
#elif defined(QUENCH_ISA_ARM_MVE)
  // sixteen int8 products per VMLADAVA; the tail once, predicated (inactive lanes load as zero)
  const int8_t* cp[NC];
  const int8_t* wp[NW];
  for (int q = 0; q < NC; ++q) cp[q] = reinterpret_cast<const int8_t*>(c[q]);
  for (int i = 0; i < NW; ++i) wp[i] = w[i];
  auto step = [&](bool tail, mve_pred16_t p) __attribute__((always_inline)) {
    int8x16_t cv[NC];
#pragma GCC unroll 4
    for (int q = 0; q < NC; ++q) {
      cv[q] = tail ? vldrbq_z_s8(cp[q], p) : vldrbq_s8(cp[q]);
      cp[q] += 16;
    }
#pragma GCC unroll 4
    for (int i = 0; i < NW; ++i) {
      const int8x16_t wv = tail ? vldrbq_z_s8(wp[i], p) : vldrbq_s8(wp[i]);
      wp[i] += 16;
#pragma GCC unroll 4
      for (int q = 0; q < NC; ++q) acc[i * NC + q] = vmladavaq_s8(acc[i * NC + q], wv, cv[q]);
    }
  };
  for (; t + 16 <= k; t += 16) step(false, 0);
  if (t < k) step(true, vctp8q(static_cast<uint32_t>(k - t)));
  t = k;
#elif defined(QUENCH_ISA_NEON_DOT)
  int32x4_t a[NW * NC];
  for (int i = 0; i < NW * NC; ++i) a[i] = vdupq_n_s32(0);
  for (; t + 16 <= k; t += 16) {
    int8x16_t cv[NC];
    for (int q = 0; q < NC; ++q) cv[q] = vld1q_s8(reinterpret_cast<const int8_t*>(c[q] + t));
    for (int i = 0; i < NW; ++i) {
      const int8x16_t wv = vld1q_s8(w[i] + t);
      for (int q = 0; q < NC; ++q) a[i * NC + q] = vdotq_s32(a[i * NC + q], wv, cv[q]);
    }
  }
  for (int i = 0; i < NW * NC; ++i) acc[i] = vaddvq_s32(a[i]);
#endif
  for (; t < k; ++t) {
#pragma GCC unroll 4
    for (int i = 0; i < NW; ++i)
#pragma GCC unroll 4
      for (int q = 0; q < NC; ++q) acc[i * NC + q] += static_cast<int32_t>(w[i][t]) * static_cast<int32_t>(c[q][t]);
  }
#pragma GCC unroll 4
  for (int i = 0; i < NW * NC; ++i) out[i] = acc[i];
}

#if defined(QUENCH_ISA_ARM_DSP)
// A column of bytes widened to halfwords once, for the DSP inner product below: every four bytes
// (k0 k1 k2 k3) become the halfword pairs (k0, k2) (k1, k3), the lanes SXTB16 gives a weight word
// and its ROR #8; the last k % 4 are widened in place.
template <typename C>
QUENCH_INLINE void widen_column(const C* src, int k, int16_t* dst) {
  const int k4 = k & ~3;
  for (int t = 0; t < k4; t += 4) {
    uint32_t v;
    std::memcpy(&v, src + t, 4);
    const uint32_t lo = extend16<C, 0>(v), hi = extend16<C, 8>(v);
    std::memcpy(dst + t, &lo, 4);
    std::memcpy(dst + t + 2, &hi, 4);
  }
  for (int t = k4; t < k; ++t) dst[t] = src[t];
}

// out[r * NC + q] = sum_t w[r][t] * c[q][t] over widened columns (widen_column): per four taps
// one LDRD of each column, one LDR and two SXTB16 of each weight row, two SMLAD per pair.
template <int NW, int NC>
QUENCH_INLINE void dot16(const int8_t* const (&w)[NW], const int16_t* const (&c)[NC], int k, int32_t (&out)[NW * NC]) {
  Accumulators acc;
  const int16_t* cp[NC];
  const int8_t* wp[NW];
  for (int q = 0; q < NC; ++q) cp[q] = c[q];
  for (int i = 0; i < NW; ++i) wp[i] = w[i];
  const int k4 = k & ~3;
  for (int t = 0; t < k4; t += 4) {
    uint32_t lo[NC], hi[NC];
#pragma GCC unroll 4
    for (int q = 0; q < NC; ++q) {
      std::memcpy(&lo[q], cp[q], 4);
      std::memcpy(&hi[q], cp[q] + 2, 4);
      cp[q] += 4;
    }
#pragma GCC unroll 4
    for (int i = 0; i < NW; ++i) {
      uint32_t v;
      std::memcpy(&v, wp[i], 4);
      wp[i] += 4;
      const uint32_t wl = extend16<int8_t, 0>(v), wh = extend16<int8_t, 8>(v);
#pragma GCC unroll 4
      for (int q = 0; q < NC; ++q) acc[i * NC + q] = __smlad(wh, hi[q], __smlad(wl, lo[q], acc[i * NC + q]));
    }
  }
  for (int t = k4; t < k; ++t) {
#pragma GCC unroll 4
    for (int i = 0; i < NW; ++i)
#pragma GCC unroll 4
      for (int q = 0; q < NC; ++q) acc[i * NC + q] += static_cast<int32_t>(w[i][t]) * static_cast<int32_t>(c[q][t]);
  }
#pragma GCC unroll 8
  for (int i = 0; i < NW * NC; ++i) out[i] = acc[i];
}
#endif

#if defined(QUENCH_ISA_ARM_DSP)
// Two byte columns widened and interleaved for dot16_pair: per four taps the words
// c0 (k0, k2), c0 (k1, k3), c1 (k0, k2), c1 (k1, k3). The last k % 4 taps are not stored.
template <typename C>
QUENCH_INLINE void widen_pair(const C* c0, const C* c1, int k, uint32_t* pair) {
  const int k4 = k & ~3;
  for (int t = 0; t < k4; t += 4, pair += 4) {
    uint32_t v0, v1;
    std::memcpy(&v0, c0 + t, 4);
    std::memcpy(&v1, c1 + t, 4);
    pair[0] = extend16<C, 0>(v0);
    pair[1] = extend16<C, 8>(v0);
    pair[2] = extend16<C, 0>(v1);
    pair[3] = extend16<C, 8>(v1);
  }
}

// Two weight rows (w0 and w0 + step) times two columns (pair: widen_pair; c0, c1: the byte columns,
// for the last k % 4 taps): acc = {w0.c0, w0.c1, w1.c0, w1.c1}. Per four taps: two LDRD of the
// pair, one LDR and two SXTB16 per weight row, eight SMLAD; one pointer for both columns and one
// for both rows keep the loop in registers.
template <typename C>
QUENCH_INLINE void dot16_pair(const int8_t* w0, int step, int k, const uint32_t* pair, const C* c0, const C* c1, int32_t (&acc)[4]) {
  int32_t a00 = 0, a01 = 0, a10 = 0, a11 = 0;
  const int8_t* w = w0;
  for (int n = k >> 2; n > 0; --n) {
    const uint32_t c0l = pair[0], c0h = pair[1], c1l = pair[2], c1h = pair[3];
    pair += 4;
    uint32_t v0, v1;
    std::memcpy(&v0, w, 4);
    std::memcpy(&v1, w + step, 4);
    w += 4;
    uint32_t l = extend16<int8_t, 0>(v0), h = extend16<int8_t, 8>(v0);
    a00 = __smlad(h, c0h, __smlad(l, c0l, a00));
    a01 = __smlad(h, c1h, __smlad(l, c1l, a01));
    l = extend16<int8_t, 0>(v1);
    h = extend16<int8_t, 8>(v1);
    a10 = __smlad(h, c0h, __smlad(l, c0l, a10));
    a11 = __smlad(h, c1h, __smlad(l, c1l, a11));
  }
  for (int t = k & ~3; t < k; ++t) {
    const int32_t x0 = c0[t], x1 = c1[t], v0 = w0[t], v1 = w0[step + t];
    a00 += v0 * x0;
    a01 += v0 * x1;
    a10 += v1 * x0;
    a11 += v1 * x1;
  }
  acc[0] = a00;
  acc[1] = a01;
  acc[2] = a10;
  acc[3] = a11;
}
#endif

#if defined(QUENCH_ISA_ARM_MVE)
// Requantization of four output channels of one position as one vector: y[r * stride] =
// clamp(VQRSHL(acc[r] + base[r], -shift[r]), lo, hi) for r < n (a rounding right shift, or a
// saturating left one: exactly the clamped shift_round), stored with one scatter. Set up once per
// four channels, applied per position. Shifts -16..31; outputs int8, uint8 or int16.
struct Requant4 {
  int32x4_t base, shift, lo, hi;
  uint32x4_t offs;
  mve_pred16_t p;

  template <typename Ty>
  QUENCH_INLINE static Requant4 make(const int32_t* base, const int8_t* shifts, bool one_shift, int n, int32_t lo, int32_t hi, int stride) {
    Requant4 r;
    r.p = vctp32q(static_cast<uint32_t>(n));
    r.base = vldrwq_z_s32(base, r.p);
    r.shift = one_shift ? vdupq_n_s32(-shifts[0]) : vnegq_s32(vldrbq_z_s32(shifts, r.p));
    r.lo = vdupq_n_s32(lo);
    r.hi = vdupq_n_s32(hi);
    r.offs = vmulq_n_u32(vidupq_n_u32(0, 1), static_cast<uint32_t>(stride) * sizeof(Ty));  // bytes
    return r;
  }

  template <typename Ty>
  QUENCH_INLINE void store(int32_t a0, int32_t a1, int32_t a2, int32_t a3, Ty* y) const {
    int32x4_t v = vdupq_n_s32(a0);
    v = vsetq_lane_s32(a1, v, 1);
    v = vsetq_lane_s32(a2, v, 2);
    v = vsetq_lane_s32(a3, v, 3);
    v = vminq_s32(vmaxq_s32(vqrshlq_s32(vaddq_s32(v, base), shift), lo), hi);
    if (sizeof(Ty) == 2) {
      vstrhq_scatter_offset_p_s32(reinterpret_cast<int16_t*>(y), offs, v, p);
    } else if (static_cast<Ty>(-1) > 0) {
      vstrbq_scatter_offset_p_u32(reinterpret_cast<uint8_t*>(y), offs, vreinterpretq_u32_s32(v), p);
    } else {
      vstrbq_scatter_offset_p_s32(reinterpret_cast<int8_t*>(y), offs, v, p);
    }
  }
};
#endif

// Depthwise rows: out[v] = clamp(shift_round32(b0 + sum_r sum_j wr[r][j] * rows[r][v * sw + j * dw], s), lo, hi)
// for v < count, V output positions at a time (the caller computes the rest and keeps every read
// inside the input rows, including sw - 1 bytes past the last tap). Shift s in -16..31 (s <= 0: a
// left shift, saturated before the clamp, which gives the exact product's clamp). Returns
// the positions done. 8-bit inputs, 8- or 16-bit outputs.
template <typename Tx, typename Ty>
QUENCH_INLINE int depthwise_row(const Tx* const* rows, const int8_t* const* wr, int nrows, int kw, int dw, int sw, int count, int32_t b0, int s, int32_t lo,
                                int32_t hi, Ty* out) {
  static_assert(sizeof(Tx) == 1 && sizeof(Ty) <= 2, "8-bit inputs, 8- or 16-bit outputs");
  int n = 0;
#if defined(QUENCH_ISA_ARM_MVE)
  // four int32 lanes: byte loads widened by the load (gathered for strides above 1), VMLA by the
  // tap weight, VQRSHL (a rounding right shift (x + 2^(s-1)) >> s, or a saturating left shift) and
  // a narrowing store
  const uint32x4_t offs = vmulq_n_u32(vidupq_n_u32(0, 1), static_cast<uint32_t>(sw));
  auto block = [&](bool tail, mve_pred16_t p) __attribute__((always_inline)) {
    int32x4_t acc = vdupq_n_s32(b0);
    for (int r = 0; r < nrows; ++r) {
      const Tx* x = rows[r] + n * sw;
      const int8_t* wj = wr[r];
      for (int j = 0; j < kw; ++j, x += dw) {
        int32x4_t xv;
        if (static_cast<Tx>(-1) > 0) {
          const uint8_t* q = reinterpret_cast<const uint8_t*>(x);
          const uint32x4_t v = sw == 1 ? (tail ? vldrbq_z_u32(q, p) : vldrbq_u32(q)) : (tail ? vldrbq_gather_offset_z_u32(q, offs, p) : vldrbq_gather_offset_u32(q, offs));
          xv = vreinterpretq_s32_u32(v);
        } else {
          const int8_t* q = reinterpret_cast<const int8_t*>(x);
          xv = sw == 1 ? (tail ? vldrbq_z_s32(q, p) : vldrbq_s32(q)) : (tail ? vldrbq_gather_offset_z_s32(q, offs, p) : vldrbq_gather_offset_s32(q, offs));
        }
        acc = vmlaq_n_s32(acc, xv, wj[j]);
      }
    }
    acc = vminq_s32(vmaxq_s32(vqrshlq_n_s32(acc, -s), vdupq_n_s32(lo)), vdupq_n_s32(hi));
    if (!tail) p = vctp32q(4);
    if (sizeof(Ty) == 2) {
      vstrhq_p_s32(reinterpret_cast<int16_t*>(out + n), acc, p);  // uint16 outputs never reach here: see depthwise_isa
    } else if (static_cast<Ty>(-1) > 0) {
      vstrbq_p_u32(reinterpret_cast<uint8_t*>(out + n), vreinterpretq_u32_s32(acc), p);
    } else {
      vstrbq_p_s32(reinterpret_cast<int8_t*>(out + n), acc, p);
    }
  };
  // whole blocks of four, then the rest predicated: lanes past count neither load nor store
  for (; n + 4 <= count; n += 4) block(false, 0);
  if (n < count) block(true, vctp32q(static_cast<uint32_t>(count - n)));
  n = count;
#elif defined(QUENCH_ISA_NEON_DOT)
  // eight positions: bytes widened to int16, SMLAL by the tap weight into two int32x4, SQRSHL (a
  // rounding right shift, or a saturating left one) and narrowing stores; stride 2 de-interleaves with LD2
  if (sw > 2) return 0;
  const int32x4_t shift = vdupq_n_s32(-s), vlo = vdupq_n_s32(lo), vhi = vdupq_n_s32(hi);
  for (; n + 8 <= count; n += 8) {
    int32x4_t a0 = vdupq_n_s32(b0), a1 = a0;
    for (int r = 0; r < nrows; ++r) {
      const Tx* p = rows[r] + n * sw;
      for (int j = 0; j < kw; ++j, p += dw) {
        int16x8_t xv;
        if (static_cast<Tx>(-1) > 0) {
          const uint8_t* q = reinterpret_cast<const uint8_t*>(p);
          xv = vreinterpretq_s16_u16(vmovl_u8(sw == 1 ? vld1_u8(q) : vld2_u8(q).val[0]));
        } else {
          const int8_t* q = reinterpret_cast<const int8_t*>(p);
          xv = vmovl_s8(sw == 1 ? vld1_s8(q) : vld2_s8(q).val[0]);
        }
        const int16_t wv = wr[r][j];
        a0 = vmlal_n_s16(a0, vget_low_s16(xv), wv);
        a1 = vmlal_high_n_s16(a1, xv, wv);
      }
    }
    a0 = vminq_s32(vmaxq_s32(vqrshlq_s32(a0, shift), vlo), vhi);
    a1 = vminq_s32(vmaxq_s32(vqrshlq_s32(a1, shift), vlo), vhi);
    const int16x8_t h = vcombine_s16(vmovn_s32(a0), vmovn_s32(a1));
    if (sizeof(Ty) == 2) {
      vst1q_s16(reinterpret_cast<int16_t*>(out + n), h);
    } else if (static_cast<Ty>(-1) > 0) {
      vst1_u8(reinterpret_cast<uint8_t*>(out + n), vmovn_u16(vreinterpretq_u16_s16(h)));
    } else {
      vst1_s8(reinterpret_cast<int8_t*>(out + n), vmovn_s16(h));
    }
  }
#else
  // four positions in registers, one weight load per tap
  for (; n + 4 <= count; n += 4) {
    int32_t a0 = b0, a1 = b0, a2 = b0, a3 = b0;
    for (int r = 0; r < nrows; ++r) {
      const Tx* p = rows[r] + n * sw;
      const int8_t* wj = wr[r];
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
#endif
  return n;
}

}  // namespace isa
}  // namespace quench

#endif
