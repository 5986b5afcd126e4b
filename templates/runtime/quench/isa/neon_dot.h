// Quench runtime, ISA layer: Armv8.2-A NEON with the dot-product extension (included by
// quench/isa.h only). SDOT adds sixteen int8 products into four int32 lanes.
#ifndef QUENCH_ISA_NEON_DOT_H
#define QUENCH_ISA_NEON_DOT_H

// this file has its own depthwise rows (quench/isa.h falls back to the scalar ones otherwise)
#define QUENCH_ISA_DEPTHWISE_ROW 1

namespace quench {
namespace isa {

// Sixteen taps per SDOT into four lanes, summed across lanes at the end; the caller does the rest.
template <int NW, int NC, typename C>
QUENCH_INLINE int dot_vector(const int8_t* const (&w)[NW], const C* const (&c)[NC], int k, Accumulators& acc) {
  int32x4_t a[NW * NC];
  for (int i = 0; i < NW * NC; ++i) a[i] = vdupq_n_s32(0);
  int t = 0;
  // (not unrolled further: with k known at compile time, a complete unrolling keeps every load live and spills)
#pragma GCC unroll 2
  for (; t + 16 <= k; t += 16) {
    int8x16_t cv[NC];
    for (int q = 0; q < NC; ++q) cv[q] = vld1q_s8(reinterpret_cast<const int8_t*>(c[q] + t));
    for (int i = 0; i < NW; ++i) {
      const int8x16_t wv = vld1q_s8(w[i] + t);
      for (int q = 0; q < NC; ++q) a[i * NC + q] = vdotq_s32(a[i * NC + q], wv, cv[q]);
    }
  }
  for (int i = 0; i < NW * NC; ++i) acc[i] = vaddvq_s32(a[i]);
  return t;
}

// Depthwise rows (see depthwise_row_scalar in quench/isa.h), eight positions: bytes widened to
// int16, SMLAL by the tap weight into two int32x4, SQRSHL (a rounding right shift, or a
// saturating left one) and narrowing stores; stride 2 de-interleaves with LD2. Strides above 2:
// none (the caller sums them).
template <typename Tx, typename Ty>
QUENCH_INLINE int depthwise_row(const Tx* rows, size_t row_stride, const int8_t* wr, int nrows, int kw, int dw, int sw, int count, int32_t b0, int s, int32_t lo,
                                int32_t hi, Ty* out) {
  static_assert(sizeof(Tx) == 1 && sizeof(Ty) <= 2, "8-bit inputs, 8- or 16-bit outputs");
  int n = 0;
  if (sw > 2) return 0;
  const int32x4_t shift = vdupq_n_s32(-s), vlo = vdupq_n_s32(lo), vhi = vdupq_n_s32(hi);
  for (; n + 8 <= count; n += 8) {
    int32x4_t a0 = vdupq_n_s32(b0), a1 = a0;
    for (int r = 0; r < nrows; ++r) {
      const Tx* p = rows + r * row_stride + n * sw;
      for (int j = 0; j < kw; ++j, p += dw) {
        int16x8_t xv;
        if (static_cast<Tx>(-1) > 0) {
          const uint8_t* q = reinterpret_cast<const uint8_t*>(p);
          xv = vreinterpretq_s16_u16(vmovl_u8(sw == 1 ? vld1_u8(q) : vld2_u8(q).val[0]));
        } else {
          const int8_t* q = reinterpret_cast<const int8_t*>(p);
          xv = vmovl_s8(sw == 1 ? vld1_s8(q) : vld2_s8(q).val[0]);
        }
        const int16_t wv = wr[r * kw + j];
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
  return n;
}

}  // namespace isa
}  // namespace quench

#endif
