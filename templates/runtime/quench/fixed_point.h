// Quench runtime: the integer semantics, the C++ twin of ir/.../FixedPoint.java (defined once
// there, mirrored once here; any difference is a bug). A value q with f fractional bits stands
// for q * 2^-f.
#ifndef QUENCH_FIXED_POINT_H
#define QUENCH_FIXED_POINT_H

#include <cstdint>

namespace quench {

// x * 2^-s rounded half up (s > 0): (x + 2^(s-1)) >> s, arithmetic shift; s <= 0: x * 2^-s exactly.
inline int64_t shift_round(int64_t x, int s) {
  if (s <= 0) return x * (int64_t{1} << -s);
  if (s >= 63) return x < 0 ? -1 : 0;
  return (x + (int64_t{1} << (s - 1))) >> s;
}

// shift_round for an int32 x and 1 <= s <= 31, without widening: with x = q * 2^s + r,
// 0 <= r < 2^s, (x + 2^(s-1)) >> s = q + [r >= 2^(s-1)] = (x >> s) + ((x >> (s-1)) & 1).
// Equal to shift_round(x, s) for every such x and s; branch-free, so loops over it vectorise.
inline int32_t shift_round32(int32_t x, int s) { return (x >> s) + ((x >> (s - 1)) & 1); }

inline int64_t clamp(int64_t x, int64_t lo, int64_t hi) { return x < lo ? lo : (x > hi ? hi : x); }

// floor(a / b) for b > 0
inline int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && (a < 0)) --q;
  return q;
}

// a / n rounded half up, n > 0: floor((2a + n) / 2n)
inline int64_t div_round(int64_t a, int64_t n) { return floor_div(2 * a + n, 2 * n); }

// floor(sqrt(v)) for v >= 0, exactly: the bit-by-bit square root (FixedPoint.isqrt).
inline int64_t isqrt(int64_t v) {
  int64_t r = 0, bit = int64_t{1} << 62;
  while (bit > v) bit >>= 2;
  while (bit != 0) {
    if (v >= r + bit) {
      v -= r + bit;
      r = (r >> 1) + bit;
    } else {
      r >>= 1;
    }
    bit >>= 2;
  }
  return r;
}

// Average pooling's mean: sum at the input frac, landed on the output frac (shift_left = f_out - f_in).
inline int64_t mean_round(int64_t sum, int64_t count, int shift_left) {
  return shift_left >= 0 ? div_round(sum * (int64_t{1} << shift_left), count) : div_round(sum, count * (int64_t{1} << -shift_left));
}

}  // namespace quench

#endif
