// Quench runtime, ISA layer: Cortex-M4/M7 with the DSP extension (included by quench/isa.h only).
// SXTB16 / UXTB16 widen bytes 0 and 2 (or, rotated, 1 and 3) of a word to two halfwords; SMLAD
// multiplies two halfword pairs and adds both products to an int32 accumulator.
#ifndef QUENCH_ISA_ARM_DSP_H
#define QUENCH_ISA_ARM_DSP_H

namespace quench {
namespace isa {

// Bytes 0 and 2 (Rot 0) or 1 and 3 (Rot 8) of v, sign- or zero-extended (as T) to two halfwords.
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

// Four taps of NW weight rows (each pointer advanced by 4) against NC columns already widened to
// the halfword pairs lo (k0, k2) and hi (k1, k3): two SMLAD per row and column.
template <int NW, int NC>
QUENCH_INLINE void smlad_rows(const int8_t* (&wp)[NW], const uint32_t (&lo)[NC], const uint32_t (&hi)[NC], Accumulators& acc) {
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

// Four bytes per load of every row and column; lanes (0, 2) and, with ROR #8, lanes (1, 3).
template <int NW, int NC, typename C>
QUENCH_INLINE int dot_vector(const int8_t* const (&w)[NW], const C* const (&c)[NC], int k, Accumulators& acc) {
  const C* cp[NC];
  const int8_t* wp[NW];
  for (int q = 0; q < NC; ++q) cp[q] = c[q];
  for (int i = 0; i < NW; ++i) wp[i] = w[i];
  int t = 0;
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
    smlad_rows<NW, NC>(wp, lo, hi, acc);
  }
  return t;
}

// A column of bytes widened to halfwords once, for dot16: every four bytes (k0 k1 k2 k3) become
// the halfword pairs (k0, k2) (k1, k3), the lanes SXTB16 gives a weight word and its ROR #8; the
// last k % 4 are widened in place.
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
    smlad_rows<NW, NC>(wp, lo, hi, acc);
  }
  dot_tail<NW, NC>(w, c, k4, k, acc);
#pragma GCC unroll 8
  for (int i = 0; i < NW * NC; ++i) out[i] = acc[i];
}

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

}  // namespace isa
}  // namespace quench

#endif
