// Quench runtime: f64, the double the float kernels compute with. On targets with a double FPU
// (x86-64, Armv8-A, RV64GC, Cortex-M55) it is double. Cortex-M4 / M7 have single precision only,
// and GCC's software double addition (libgcc's __aeabi_dadd, arm-none-eabi 12.2) rounds some
// subtractions wrongly: when the result falls one binade below a power of two and the smaller
// operand's bits reach past the guard bit (1 - 2^-33 rounds the wrong way). There f64 is a
// double whose + and - are Quench's own correctly rounded addition (soft::add below); * and /
// are libgcc's (correctly rounded). Every operation on f64 is then the IEEE double operation the
// Java interpreter performs.
#ifndef QUENCH_F64_H
#define QUENCH_F64_H

#include "quench/common.h"

#if defined(__arm__) && !(defined(__ARM_FP) && (__ARM_FP & 8))
#define QUENCH_SOFT_DOUBLE 1
#endif

// Helium's floating point flushes subnormals to zero, so a float loop the compiler vectorises with
// it would not give IEEE results; integer MVE and the scalar FPU are what the kernels need.
#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 2)
#error "build Cortex-M55 with -mcpu=cortex-m55+nomve.fp (toolchains/cortex-m55.cmake): MVE floating point flushes subnormals to zero"
#endif

namespace quench {

inline uint64_t double_bits(double x) {
  uint64_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

inline double double_from_bits(uint64_t b) {
  double x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}

namespace soft {

// a + b rounded to nearest even, in integers: significands with ten guard bits (the last one
// sticky), aligned, added or subtracted, normalised, rounded once. Infinities, NaNs and zeros go
// to the compiler's addition, which is exact for them.
inline double add(double a, double b) {
  constexpr uint64_t kFrac = 0x000fffffffffffffull, kSign = 0x8000000000000000ull;
  uint64_t ua = double_bits(a), ub = double_bits(b);
  const uint64_t fa = (ua >> 52) & 0x7ff, fb = (ub >> 52) & 0x7ff;
  if (fa == 0x7ff || fb == 0x7ff || (ua & ~kSign) == 0 || (ub & ~kSign) == 0) return a + b;
  if ((ua & ~kSign) < (ub & ~kSign)) {
    const uint64_t t = ua;
    ua = ub;
    ub = t;
  }
  int ea = static_cast<int>((ua >> 52) & 0x7ff), eb = static_cast<int>((ub >> 52) & 0x7ff);
  uint64_t ma = ua & kFrac, mb = ub & kFrac;
  if (ea != 0) ma |= 1ull << 52; else ea = 1;
  if (eb != 0) mb |= 1ull << 52; else eb = 1;
  ma <<= 10;
  mb <<= 10;
  const int d = ea - eb;
  if (d >= 63) {
    mb = mb != 0 ? 1 : 0;
  } else if (d > 0) {
    const uint64_t lost = mb & ((1ull << d) - 1);
    mb = (mb >> d) | (lost != 0 ? 1 : 0);
  }
  const uint64_t sign = ua & kSign;
  int e = ea;
  uint64_t m;
  if (((ua ^ ub) & kSign) == 0) {
    m = ma + mb;
    if ((m >> 63) != 0) {
      m = (m >> 1) | (m & 1);
      e += 1;
    }
  } else {
    m = ma - mb;
    if (m == 0) return 0.0;
    while ((m >> 62) == 0 && e > 1) {
      m <<= 1;
      e -= 1;
    }
  }
  const uint64_t rem = m & 0x3ff;
  m >>= 10;
  if (rem > 0x200 || (rem == 0x200 && (m & 1) != 0)) m += 1;
  if ((m >> 53) != 0) {
    m >>= 1;
    e += 1;
  }
  if (e >= 0x7ff) return double_from_bits(sign | 0x7ff0000000000000ull);
  const uint64_t r = (m >> 52) == 0 ? m : (static_cast<uint64_t>(e) << 52) | (m & kFrac);
  return double_from_bits(sign | r);
}

}  // namespace soft

#if defined(QUENCH_SOFT_DOUBLE)
// A double with Quench's addition. No implicit conversion back to double: every operation in
// f64 code is an f64 operation, written out with static_cast<double> where a double leaves.
struct f64 {
  double v;
  constexpr f64(double x = 0) : v(x) {}  // NOLINT: doubles, ints and floats become f64 implicitly
  constexpr explicit operator double() const { return v; }
  constexpr explicit operator float() const { return static_cast<float>(v); }
  constexpr explicit operator int() const { return static_cast<int>(v); }
  constexpr explicit operator int64_t() const { return static_cast<int64_t>(v); }
};
inline f64 operator+(f64 a, f64 b) { return soft::add(a.v, b.v); }
inline f64 operator-(f64 a, f64 b) { return soft::add(a.v, -b.v); }
inline f64 operator*(f64 a, f64 b) { return a.v * b.v; }
inline f64 operator/(f64 a, f64 b) { return a.v / b.v; }
inline f64 operator-(f64 a) { return -a.v; }
inline f64& operator+=(f64& a, f64 b) { return a = a + b; }
inline f64& operator-=(f64& a, f64 b) { return a = a - b; }
inline f64& operator*=(f64& a, f64 b) { return a = a * b; }
inline f64& operator/=(f64& a, f64 b) { return a = a / b; }
inline bool operator<(f64 a, f64 b) { return a.v < b.v; }
inline bool operator>(f64 a, f64 b) { return a.v > b.v; }
inline bool operator<=(f64 a, f64 b) { return a.v <= b.v; }
inline bool operator>=(f64 a, f64 b) { return a.v >= b.v; }
inline bool operator==(f64 a, f64 b) { return a.v == b.v; }
inline bool operator!=(f64 a, f64 b) { return a.v != b.v; }
#else
using f64 = double;
#endif

}  // namespace quench

#endif
