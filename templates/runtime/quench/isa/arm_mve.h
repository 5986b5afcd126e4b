// Quench runtime, ISA layer: Cortex-M55 Helium (included by quench/isa.h only). VMLADAVA.S8
// multiplies sixteen int8 pairs and adds them into a scalar accumulator; tails are predicated
// (inactive lanes load as zero).
#ifndef QUENCH_ISA_ARM_MVE_H
#define QUENCH_ISA_ARM_MVE_H

// this file has its own depthwise rows (quench/isa.h falls back to the scalar ones otherwise)
#define QUENCH_ISA_DEPTHWISE_ROW 1
// and its inner products do every tap (no scalar tail for quench/isa.h's dot to add)
#define QUENCH_ISA_DOT_COMPLETE 1

namespace quench {
namespace isa {

// Sixteen int8 products per VMLADAVA; the tail once, predicated. Does all k taps. The sums run
// in a local copy: the caller's accumulators could alias the int8 rows, which would store them
// after every product.
template <int NW, int NC, typename C>
QUENCH_INLINE int dot_vector(const int8_t* const (&w)[NW], const C* const (&c)[NC], int k, Accumulators& out) {
  Accumulators acc = out;
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
  int t = 0;
  // not unrolled: with k known (a fully connected layer's constant), GCC would write the loop out
  // and keep the vectors of every chunk live at once, on the stack
#pragma GCC unroll 1
  for (; t + 16 <= k; t += 16) step(false, 0);
  if (t < k) step(true, vctp8q(static_cast<uint32_t>(k - t)));
  out = acc;
  return k;
}

// The 4x2 tile on weights packed in chunks (kernels/conv_isa.h, gemm_packed_index): sixteen taps
// of each of four rows after another, so one pointer walks all four; kp (a multiple of 16, > 0)
// taps, no tail. acc[r * 2 + u] = sum_t w[r][t] * c_u[t]. VMLADAVA takes even accumulator
// registers only (r0 .. r12, lr): eight of them leave no room for the LE loop's lr, which is why
// GCC, left to itself, spills two accumulators in the loop. With GCC the loop is written out, a
// SUBS / BNE count in an odd register ("Te": an even core register); elsewhere the intrinsics.
QUENCH_INLINE void dot_rows4_packed(const int8_t* w, const int8_t* c0, const int8_t* c1, int kp, Accumulators& out) {
#if defined(__GNUC__) && !defined(__clang__)
  int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
  int n = kp / 16;
  __asm__ volatile(
      "1:\n\t"
      "vldrb.8 q0, [%[c0]], #16\n\t"
      "vldrb.8 q1, [%[c1]], #16\n\t"
      "vldrb.8 q2, [%[w]], #16\n\t"
      "vmladava.s8 %[a0], q2, q0\n\t"
      "vmladava.s8 %[a1], q2, q1\n\t"
      "vldrb.8 q2, [%[w]], #16\n\t"
      "vmladava.s8 %[a2], q2, q0\n\t"
      "vmladava.s8 %[a3], q2, q1\n\t"
      "vldrb.8 q2, [%[w]], #16\n\t"
      "vmladava.s8 %[a4], q2, q0\n\t"
      "vmladava.s8 %[a5], q2, q1\n\t"
      "vldrb.8 q2, [%[w]], #16\n\t"
      "vmladava.s8 %[a6], q2, q0\n\t"
      "vmladava.s8 %[a7], q2, q1\n\t"
      "subs %[n], %[n], #1\n\t"
      "bne 1b"
      : [a0] "+Te"(a0), [a1] "+Te"(a1), [a2] "+Te"(a2), [a3] "+Te"(a3), [a4] "+Te"(a4), [a5] "+Te"(a5), [a6] "+Te"(a6), [a7] "+Te"(a7), [w] "+r"(w),
        [c0] "+r"(c0), [c1] "+r"(c1), [n] "+r"(n)
      :
      : "q0", "q1", "q2", "memory", "cc");
  out.v0 = a0, out.v1 = a1, out.v2 = a2, out.v3 = a3, out.v4 = a4, out.v5 = a5, out.v6 = a6, out.v7 = a7;
#else
  Accumulators acc;
  for (int t = 0; t < kp; t += 16, w += 64, c0 += 16, c1 += 16) {
    const int8x16_t x0 = vldrbq_s8(c0), x1 = vldrbq_s8(c1);
#pragma GCC unroll 4
    for (int r = 0; r < 4; ++r) {
      const int8x16_t wv = vldrbq_s8(w + 16 * r);
      acc[2 * r] = vmladavaq_s8(acc[2 * r], wv, x0);
      acc[2 * r + 1] = vmladavaq_s8(acc[2 * r + 1], wv, x1);
    }
  }
  out = acc;
#endif
}

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

// Depthwise rows (see depthwise_row_scalar in quench/isa.h), four int32 lanes: byte loads widened
// by the load (gathered for strides above 1), VMLA by the tap weight, VQRSHL (a rounding right
// shift (x + 2^(s-1)) >> s, or a saturating left shift) and a narrowing store; the last block
// predicated, so lanes past count neither load nor store. Does all count positions.
template <typename Tx, typename Ty>
QUENCH_INLINE int depthwise_row(const Tx* rows, size_t row_stride, const int8_t* wr, int nrows, int kw, int dw, int sw, int count, int32_t b0, int s, int32_t lo,
                                int32_t hi, Ty* out) {
  static_assert(sizeof(Tx) == 1 && sizeof(Ty) <= 2, "8-bit inputs, 8- or 16-bit outputs");
  int n = 0;
  const uint32x4_t offs = vmulq_n_u32(vidupq_n_u32(0, 1), static_cast<uint32_t>(sw));
  auto block = [&](bool tail, mve_pred16_t p) __attribute__((always_inline)) {
    int32x4_t acc = vdupq_n_s32(b0);
    for (int r = 0; r < nrows; ++r) {
      const Tx* x = rows + r * row_stride + n * sw;
      const int8_t* wj = wr + r * kw;
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
      vstrhq_p_s32(reinterpret_cast<int16_t*>(out + n), acc, p);  // uint16 outputs never reach here (the generator's choice)
    } else if (static_cast<Ty>(-1) > 0) {
      vstrbq_p_u32(reinterpret_cast<uint8_t*>(out + n), vreinterpretq_u32_s32(acc), p);
    } else {
      vstrbq_p_s32(reinterpret_cast<int8_t*>(out + n), acc, p);
    }
  };
#pragma GCC unroll 1
  for (; n + 4 <= count; n += 4) block(false, 0);  // not written out for a known count (each copy's taps would be live at once)
  if (n < count) block(true, vctp32q(static_cast<uint32_t>(count - n)));
  return count;
}

}  // namespace isa
}  // namespace quench

#endif
