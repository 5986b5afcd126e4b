// Quench runtime: double-precision elementary functions, the C++ twin of ir/.../kernel/DMath.java,
// operation for operation (build with -ffp-contract=off so that nothing is fused into FMAs). Only
// IEEE double +, -, *, / (in f64, quench/f64.h: correctly rounded on every target), comparisons,
// qmath::sqrt (correctly rounded, as Java's Math.sqrt) and exponent-bit assembly: no libm, the same
// bits as the interpreter on every target. Doubles at the interface, f64 inside.
#ifndef QUENCH_DMATH_H
#define QUENCH_DMATH_H

#include "quench/f64.h"
#include "quench/qmath.h"

namespace quench {
namespace dmath {

constexpr double kLn2Hi = 6.93147180369123816490e-01, kLn2Lo = 1.90821492927058770002e-10;
constexpr double kLog2e = 1.44269504088896338700e+00;
constexpr double kPi = 3.14159265358979311600e+00, kPi2 = 1.57079632679489655800e+00, kPi4 = 7.85398163397448278999e-01;
constexpr double kPio2_1 = 1.57079632673412561417e+00, kPio2_2 = 6.07710050630396597660e-11, kPio2_3 = 2.02226624879595063154e-21;
constexpr double kTwoOverPi = 6.36619772367581382433e-01;
constexpr double kSqrt2 = 1.41421356237309514547e+00;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

inline f64 fabs(f64 x) { return x < 0 ? -x : (x == 0 ? f64(0.0) : x); }

inline f64 copysign(f64 m, f64 s) { return qmath::sign_bit(static_cast<double>(s)) != qmath::sign_bit(static_cast<double>(m)) ? -m : m; }

// Java's Math.max / min (selections, no arithmetic) on f64.
inline f64 jmax(f64 a, f64 b) { return qmath::jmax(static_cast<double>(a), static_cast<double>(b)); }
inline f64 jmin(f64 a, f64 b) { return qmath::jmin(static_cast<double>(a), static_cast<double>(b)); }

inline bool is_inf(f64 x) { return x == kInf || x == -kInf; }

inline uint64_t bits(f64 x) { return double_bits(static_cast<double>(x)); }

inline f64 from_bits(uint64_t b) { return double_from_bits(b); }

// Java's (long) x: NaN 0, saturated at the ends (a C++ cast of those is undefined).
inline int64_t jlong(f64 xf) {
  const double x = static_cast<double>(xf);
  if (x != x) return 0;
  if (x >= 9223372036854775807.0) return std::numeric_limits<int64_t>::max();
  if (x <= -9223372036854775808.0) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(x);
}

inline f64 rint(f64 x) {
  if (!(fabs(x) < 4503599627370496.0)) return x;
  const f64 r = x >= 0 ? (x + 4503599627370496.0) - 4503599627370496.0 : (x - 4503599627370496.0) + 4503599627370496.0;
  return r == 0 ? copysign(0.0, x) : r;
}

inline f64 floor(f64 x) {
  const f64 r = rint(x);
  return r > x ? r - 1 : r;
}

inline f64 ceil(f64 x) {
  f64 r = rint(x);
  r = r < x ? r + 1 : r;
  return r == 0 && x < 0 ? -0.0 : r;
}

inline f64 pow2(int n) { return from_bits(static_cast<uint64_t>(n + 1023) << 52); }

inline f64 scale(f64 x, int n) {
  if (n > 1023) {
    x *= pow2(1023);
    n -= 1023;
    if (n > 1023) n = 1023;
  } else if (n < -1022) {
    x *= pow2(-1022 + 53);
    n += 1022 - 53;
    if (n < -1022) {
      x *= pow2(-1022 + 53);
      n += 1022 - 53;
      if (n < -1022) n = -1022;
    }
  }
  return x * pow2(n);
}

// 1/2! + r/3! + ... + r^11/13! (DMath.expTail): the common part of e^r and e^r - 1.
inline f64 exp_tail(f64 r) {
  f64 p = 1.0 / 6227020800.0;
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  return p * r + 0.5;
}

inline f64 exp_poly(f64 r) { return (exp_tail(r) * r + 1.0) * r + 1.0; }

inline f64 exp(f64 x) {
  if (x != x) return x;
  if (x > 709.782712893384) return kInf;
  if (x < -745.2) return 0.0;
  const f64 k = rint(x * kLog2e);
  const f64 r = (x - k * kLn2Hi) - k * kLn2Lo;
  return scale(exp_poly(r), static_cast<int>(k));
}

inline f64 series_expm1(f64 x) { return (exp_tail(x) * x) * x + x; }

inline f64 expm1(f64 x) {
  if (x != x) return x;
  if (fabs(x) < 0.35) return series_expm1(x);
  return exp(x) - 1;
}

inline f64 log(f64 x) {
  if (x != x || x < 0) return kNaN;
  if (x == 0) return -kInf;
  if (x == kInf) return x;
  int e = 0;
  if (x < 2.2250738585072014E-308) {
    x *= pow2(54);
    e = -54;
  }
  const uint64_t b = bits(x);
  e += static_cast<int>((b >> 52) & 0x7ff) - 1023;
  f64 m = from_bits((b & 0x000fffffffffffffull) | 0x3ff0000000000000ull);
  if (m > kSqrt2) {
    m *= 0.5;
    e += 1;
  }
  const f64 f = (m - 1) / (m + 1), s = f * f;
  f64 p = 1.0 / 23.0;
  p = p * s + 1.0 / 21.0;
  p = p * s + 1.0 / 19.0;
  p = p * s + 1.0 / 17.0;
  p = p * s + 1.0 / 15.0;
  p = p * s + 1.0 / 13.0;
  p = p * s + 1.0 / 11.0;
  p = p * s + 1.0 / 9.0;
  p = p * s + 1.0 / 7.0;
  p = p * s + 1.0 / 5.0;
  p = p * s + 1.0 / 3.0;
  const f64 lm = 2 * f + 2 * f * s * p;
  return e * kLn2Hi + (e * kLn2Lo + lm);
}

inline f64 log1p(f64 x) {
  if (x != x || x < -1) return kNaN;
  const f64 u = 1 + x;
  if (u == 1) return x;
  if (u == 0) return -kInf;
  if (u == kInf) return u;
  return log(u) + (x - (u - 1)) / u;
}

inline f64 sin_poly(f64 r) {
  const f64 s = r * r;
  f64 p = -1.0 / 355687428096000.0;
  p = p * s + 1.0 / 1307674368000.0;
  p = p * s - 1.0 / 6227020800.0;
  p = p * s + 1.0 / 39916800.0;
  p = p * s - 1.0 / 362880.0;
  p = p * s + 1.0 / 5040.0;
  p = p * s - 1.0 / 120.0;
  p = p * s + 1.0 / 6.0;
  return r - r * s * p;
}

inline f64 cos_poly(f64 r) {
  const f64 s = r * r;
  f64 p = 1.0 / 6402373705728000.0;
  p = p * s - 1.0 / 20922789888000.0;
  p = p * s + 1.0 / 87178291200.0;
  p = p * s - 1.0 / 479001600.0;
  p = p * s + 1.0 / 3628800.0;
  p = p * s - 1.0 / 40320.0;
  p = p * s + 1.0 / 720.0;
  p = p * s - 1.0 / 24.0;
  p = p * s + 0.5;
  return 1 - s * p;
}

inline f64 reduce(f64 x, int* q) {
  const f64 k = rint(x * kTwoOverPi);
  *q = static_cast<int>(jlong(k) & 3);
  return ((x - k * kPio2_1) - k * kPio2_2) - k * kPio2_3;
}

inline f64 sin(f64 x) {
  if (x != x || is_inf(x)) return kNaN;
  if (fabs(x) < kPi4) return sin_poly(x);
  int q = 0;
  const f64 r = reduce(x, &q);
  return q == 0 ? sin_poly(r) : q == 1 ? cos_poly(r) : q == 2 ? -sin_poly(r) : -cos_poly(r);
}

inline f64 cos(f64 x) {
  if (x != x || is_inf(x)) return kNaN;
  if (fabs(x) < kPi4) return cos_poly(x);
  int q = 0;
  const f64 r = reduce(x, &q);
  return q == 0 ? cos_poly(r) : q == 1 ? -sin_poly(r) : q == 2 ? -cos_poly(r) : sin_poly(r);
}

inline f64 tan(f64 x) {
  if (x != x || is_inf(x)) return kNaN;
  int q = 0;
  const f64 r = fabs(x) < kPi4 ? x : reduce(x, &q);
  const f64 s = sin_poly(r), c = cos_poly(r);
  return (q & 1) == 0 ? s / c : -c / s;
}

inline f64 atan(f64 x) {
  if (x != x) return x;
  f64 ax = fabs(x), base = 0;
  const bool invert = ax > 1;
  if (invert) ax = 1 / ax;
  if (ax > 0.41421356237309503) {
    ax = (ax - 1) / (ax + 1);
    base = kPi4;
  }
  f64 s = ax * ax, p = 0;
  for (int k = 22; k >= 1; k--) p = p * s + ((k & 1) == 0 ? 1.0 : -1.0) / (2 * k + 1);
  f64 t = base + (ax + ax * s * p);
  if (invert) t = kPi2 - t;
  return x < 0 ? -t : t;
}

inline f64 asin(f64 x) {
  if (x != x || fabs(x) > 1) return kNaN;
  if (fabs(x) == 1) return copysign(kPi2, x);
  return atan(x / qmath::sqrt(static_cast<double>((1 - x) * (1 + x))));
}

inline f64 acos(f64 x) {
  if (x != x || fabs(x) > 1) return kNaN;
  if (x == -1) return kPi;
  return 2 * atan(qmath::sqrt(static_cast<double>((1 - x) / (1 + x))));
}

inline f64 sinh(f64 x) {
  if (x != x) return x;
  if (fabs(x) < 0.35) {
    const f64 e = series_expm1(x), f = series_expm1(-x);
    return (e - f) * 0.5;
  }
  if (fabs(x) > 710) return x > 0 ? kInf : -kInf;
  const f64 e = exp(fabs(x) * 0.5);
  const f64 h = (e * 0.5) * e - 0.5 / (e * e);
  return x < 0 ? -h : h;
}

inline f64 cosh(f64 x) {
  if (x != x) return x;
  const f64 ax = fabs(x);
  if (ax > 710) return kInf;
  const f64 e = exp(ax * 0.5);
  return (e * 0.5) * e + 0.5 / (e * e);
}

inline f64 tanh(f64 x) {
  if (x != x) return x;
  if (fabs(x) > 20) return x > 0 ? 1.0 : -1.0;
  const f64 e = expm1(2 * fabs(x));
  const f64 t = e / (e + 2);
  return x < 0 ? -t : t;
}

inline f64 pow(f64 x, f64 y) {
  if (y == 0) return 1.0;
  if (y != y) return y;
  if (x != x) return x;
  if (y == 1) return x;
  const bool y_int = rint(y) == y && !is_inf(y);
  const bool y_odd = y_int && fabs(y) < 9007199254740992.0 && (static_cast<int64_t>(y) & 1) != 0;
  if (is_inf(y)) {
    const f64 ax = fabs(x);
    if (ax == 1) return kNaN;
    return (ax > 1) == (y > 0) ? kInf : 0.0;
  }
  if (x == 0) {
    const bool neg = qmath::sign_bit(static_cast<double>(x)) && y_odd;
    const f64 r = y > 0 ? 0.0 : kInf;
    return neg ? -r : r;
  }
  if (is_inf(x)) {
    const f64 r = y > 0 ? kInf : 0.0;
    return x < 0 && y_odd ? -r : r;
  }
  if (x < 0 && !y_int) return kNaN;
  const f64 r = exp(y * log(fabs(x)));
  return x < 0 && y_odd ? -r : r;
}

// The error function (DMath.erf): the series near 0, else Numerical Recipes' erfcc.
inline f64 erf(f64 x) {
  if (x != x) return x;
  const f64 ax = fabs(x);
  if (ax < 0.5) {
    f64 x2 = x * x, term = x, sum = x;
    for (int n = 1; n < 20; n++) {
      term *= -x2 / n;
      sum += term / (2 * n + 1);
    }
    return 2 / qmath::sqrt(kPi) * sum;
  }
  const f64 t = 1.0 / (1.0 + 0.5 * ax);
  const f64 erfc = t * exp(-ax * ax - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - erfc : erfc - 1;
}

}  // namespace dmath
}  // namespace quench

#endif
