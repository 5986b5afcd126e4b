// Quench runtime: float32 transcendental functions, the C++ twin of ir/.../kernel/QMath.java,
// operation for operation (build with -ffp-contract=off so that nothing is fused into FMAs).
#ifndef QUENCH_QMATH_H
#define QUENCH_QMATH_H

#include <cstdint>
#include <cstring>
#include <limits>

namespace quench {
namespace qmath {

// No libm anywhere in the runtime (bare metal links memcpy / memset only): rounding and the
// square root are Quench's own, exact in IEEE arithmetic (round to nearest even, no FMA).

// Round to the nearest integer, ties to even (C's nearbyint / Java's rint): below 2^23 adding and
// subtracting 2^23 leaves exactly the rounded value; larger magnitudes are integers already.
inline float rint(float x) {
  const float big = 8388608.0f;
  if (!(x > -big && x < big)) return x;  // also NaN
  return x >= 0 ? (x + big) - big : (x - big) + big;
}

// The largest integer not above x, for |x| < 2^31 (larger values are returned as they are).
inline float floor(float x) {
  if (!(x > -2147483648.0f && x < 2147483648.0f)) return x;
  const float t = static_cast<float>(static_cast<int32_t>(x));  // truncation toward zero
  return t > x ? t - 1.0f : t;
}

inline float fabs(float x) {
  uint32_t b;
  std::memcpy(&b, &x, sizeof b);
  b &= 0x7fffffffu;
  std::memcpy(&x, &b, sizeof b);
  return x;
}

// |m| with the sign of s
inline float copysign(float m, float s) {
  uint32_t a, b;
  std::memcpy(&a, &m, sizeof a);
  std::memcpy(&b, &s, sizeof b);
  a = (a & 0x7fffffffu) | (b & 0x80000000u);
  std::memcpy(&m, &a, sizeof a);
  return m;
}

// The correctly rounded square root of a double (as Java's Math.sqrt), digit by digit on the
// integer significand: q = floor(sqrt(m * 2^54)) has 54 bits (53 + a rounding bit), the remainder
// tells whether anything lies below.
inline double sqrt(double x) {
  uint64_t b;
  std::memcpy(&b, &x, sizeof b);
  if (x != x || x == 0 || x == std::numeric_limits<double>::infinity()) return x;
  if (b >> 63) return std::numeric_limits<double>::quiet_NaN();
  int e = static_cast<int>(b >> 52);
  uint64_t m = b & ((uint64_t{1} << 52) - 1);
  if (e == 0) {  // subnormal: normalise
    e = 1;
    while (!(m >> 52)) {
      m <<= 1;
      --e;
    }
  } else {
    m |= uint64_t{1} << 52;
  }
  e -= 1075;  // x = m * 2^e, m in [2^52, 2^53)
  if (e & 1) {
    m <<= 1;
    --e;
  }
  // radicand R = m * 2^54, fed two bits at a time from the top (bit 107 down)
  uint64_t q = 0, rem = 0;
  for (int i = 53; i >= 0; --i) {
    // bits 2i+1 and 2i of R are bits 2i-53 and 2i-54 of m (zero below m)
    const int hi = 2 * i + 1 - 54, lo = 2 * i - 54;
    const uint64_t two = ((hi >= 0 ? (m >> hi) & 1 : 0) << 1) | (lo >= 0 ? (m >> lo) & 1 : 0);
    rem = (rem << 2) | two;
    const uint64_t t = (q << 2) | 1;
    q <<= 1;
    if (rem >= t) {
      rem -= t;
      q |= 1;
    }
  }
  uint64_t mant = q >> 1;
  if ((q & 1) && (rem != 0 || (mant & 1))) ++mant;
  int re = e / 2 - 26;  // sqrt(x) = mant * 2^re
  if (mant >> 53) {
    mant >>= 1;
    ++re;
  }
  const uint64_t r = (static_cast<uint64_t>(re + 52 + 1023) << 52) | (mant & ((uint64_t{1} << 52) - 1));
  double y;
  std::memcpy(&y, &r, sizeof y);
  return y;
}

inline float pow2(int n) {
  uint32_t bits = static_cast<uint32_t>(n + 127) << 23;
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

inline float exp(float x) {
  const float kLog2e = 1.44269504f, kLn2Hi = 0.693145752f, kLn2Lo = 1.42860677e-6f;
  if (x != x) return x;
  if (x > 88.72283f) return std::numeric_limits<float>::infinity();
  if (x < -103.97208f) return 0.0f;
  float fn = floor(x * kLog2e + 0.5f);
  int n = static_cast<int>(fn);
  float r = (x - fn * kLn2Hi) - fn * kLn2Lo;
  float p = 1.0f / 5040.0f;
  p = p * r + 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  if (n > 127) return p * 2.0f * pow2(n - 1);
  if (n >= -126) return p * pow2(n);
  return p * pow2(n + 64) * pow2(-64);
}

// fma(a, b, c) for floats, correctly rounded (as Java's Math.fma), without libm: the product of
// two floats is exact in double; the sum is formed in double rounded to odd (TwoSum gives the
// exact error e; if e != 0 and the sum's last bit is even, step it one ulp toward e), and a
// round-to-odd double (53 >= 24 + 2 bits) rounds to the correctly rounded float.
inline float fma(float a, float b, float c) {
#if defined(__FP_FAST_FMAF)
  return __builtin_fmaf(a, b, c);  // the FPU's fused multiply-add: the same correctly rounded result
#else
  const double p = static_cast<double>(a) * static_cast<double>(b);
  const double s = p + static_cast<double>(c);
  if (!(s - s == 0)) return static_cast<float>(s);  // inf or NaN
  const double bb = s - p;
  const double e = (p - (s - bb)) + (static_cast<double>(c) - bb);
  if (e != 0) {
    uint64_t bits;
    std::memcpy(&bits, &s, sizeof bits);
    if ((bits & 1u) == 0) {
      bits = (s > 0) == (e > 0) ? bits + 1 : bits - 1;
      double odd;
      std::memcpy(&odd, &bits, sizeof odd);
      return static_cast<float>(odd);
    }
  }
  return static_cast<float>(s);
#endif
}

// x % y of Java's doubles (IEEE fmod: x - n * y with n = trunc(x / y), exact): on the integer
// significands, y's subtracted from x's one binade at a time (long division), the remainder
// renormalised. NaN for y 0, x infinite or either NaN; x itself when |x| < |y|; zero keeps x's sign.
inline double fmod(double x, double y) {
  uint64_t ux, uy;
  std::memcpy(&ux, &x, 8);
  std::memcpy(&uy, &y, 8);
  int ex = static_cast<int>((ux >> 52) & 0x7ff), ey = static_cast<int>((uy >> 52) & 0x7ff);
  const uint64_t sx = ux & 0x8000000000000000ull;
  if ((uy << 1) == 0 || y != y || ex == 0x7ff) return (x * y) / (x * y);
  if ((ux << 1) <= (uy << 1)) return (ux << 1) == (uy << 1) ? 0 * x : x;
  // significands with the implicit bit, subnormals normalised (their exponents below 1)
  if (ex == 0) {
    for (uint64_t i = ux << 12; (i >> 63) == 0; --ex, i <<= 1) {
    }
    ux <<= -ex + 1;
  } else {
    ux = (ux & 0x000fffffffffffffull) | 0x0010000000000000ull;
  }
  if (ey == 0) {
    for (uint64_t i = uy << 12; (i >> 63) == 0; --ey, i <<= 1) {
    }
    uy <<= -ey + 1;
  } else {
    uy = (uy & 0x000fffffffffffffull) | 0x0010000000000000ull;
  }
  for (; ex > ey; --ex) {
    const uint64_t i = ux - uy;
    if ((i >> 63) == 0) {
      if (i == 0) return 0 * x;
      ux = i;
    }
    ux <<= 1;
  }
  const uint64_t i = ux - uy;
  if ((i >> 63) == 0) {
    if (i == 0) return 0 * x;
    ux = i;
  }
  for (; (ux >> 52) == 0; ux <<= 1, --ex) {
  }
  if (ex > 0) {
    ux = (ux - 0x0010000000000000ull) | (static_cast<uint64_t>(ex) << 52);
  } else {
    ux >>= -ex + 1;
  }
  ux |= sx;
  double r;
  std::memcpy(&r, &ux, 8);
  return r;
}

inline bool sign_bit(double a) {
  uint64_t bits;
  std::memcpy(&bits, &a, sizeof bits);
  return (bits >> 63) != 0;
}

// Java's Math.max / Math.min on doubles: NaN if either is NaN, and +0 above -0.
inline double jmax(double a, double b) {
  if (a != a) return a;
  if (b != b) return b;
  if (a == 0 && b == 0) return sign_bit(a) ? b : a;
  return a >= b ? a : b;
}

inline double jmin(double a, double b) {
  if (a != a) return a;
  if (b != b) return b;
  if (a == 0 && b == 0) return sign_bit(a) ? a : b;
  return a <= b ? a : b;
}

inline float sigmoid(float x) {
  if (x >= 0) return 1.0f / (1.0f + exp(-x));
  float e = exp(x);
  return e / (1.0f + e);
}

inline float tanh(float x) {
  if (x != x) return x;
  float ax = fabs(x);
  if (ax < 0.25f) {
    float x2 = x * x;
    float p = 62.0f / 2835.0f;
    p = p * x2 - 17.0f / 315.0f;
    p = p * x2 + 2.0f / 15.0f;
    p = p * x2 - 1.0f / 3.0f;
    return x + x * x2 * p;
  }
  if (ax > 9.1f) return copysign(1.0f, x);
  float t = exp(-2.0f * ax);
  return copysign((1.0f - t) / (1.0f + t), x);
}

}  // namespace qmath
}  // namespace quench

#endif
