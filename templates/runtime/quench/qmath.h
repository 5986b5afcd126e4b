// Quench runtime: float32 transcendental functions, the C++ twin of ir/.../kernel/QMath.java,
// operation for operation (build with -ffp-contract=off so that nothing is fused into FMAs).
#ifndef QUENCH_QMATH_H
#define QUENCH_QMATH_H

#include <cmath>
#include <cstdint>
#include <cstring>

namespace quench {
namespace qmath {

inline float pow2(int n) {
  uint32_t bits = static_cast<uint32_t>(n + 127) << 23;
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

inline float exp(float x) {
  const float kLog2e = 1.44269504f, kLn2Hi = 0.693145752f, kLn2Lo = 1.42860677e-6f;
  if (x != x) return x;
  if (x > 88.72283f) return HUGE_VALF;
  if (x < -103.97208f) return 0.0f;
  float fn = std::floor(x * kLog2e + 0.5f);
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
}

inline float sigmoid(float x) {
  if (x >= 0) return 1.0f / (1.0f + exp(-x));
  float e = exp(x);
  return e / (1.0f + e);
}

inline float tanh(float x) {
  if (x != x) return x;
  float ax = std::fabs(x);
  if (ax < 0.25f) {
    float x2 = x * x;
    float p = 62.0f / 2835.0f;
    p = p * x2 - 17.0f / 315.0f;
    p = p * x2 + 2.0f / 15.0f;
    p = p * x2 - 1.0f / 3.0f;
    return x + x * x2 * p;
  }
  if (ax > 9.1f) return std::copysign(1.0f, x);
  float t = exp(-2.0f * ax);
  return std::copysign((1.0f - t) / (1.0f + t), x);
}

}  // namespace qmath
}  // namespace quench

#endif
