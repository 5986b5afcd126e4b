// Quench runtime kernels: elementwise and per-channel integer ops, the float <-> integer
// conversions, and float activations.
#ifndef QUENCH_KERNELS_ELEMENTWISE_H
#define QUENCH_KERNELS_ELEMENTWISE_H

#include <limits>
#include <type_traits>

#include "quench/geometry.h"
#include "quench/dmath.h"
#include "quench/qmath.h"
#include "quench/requant.h"

namespace quench {

constexpr size_t channel_affine_int_scratch_bytes() { return 0; }

// y[n, c, i] = requant(x[n, c, i] * scale[c] + bias[c])
template <typename Acc, typename Tx, typename Ty>
QUENCH_INLINE void channel_affine_int(const Tx* x, int n, int c, int inner, const int8_t* scale, const int32_t* bias, const Requant& rq, Ty* y) {
  for (int b = 0; b < n; ++b)
    for (int ch = 0; ch < c; ++ch)
      for (int i = 0; i < inner; ++i) {
        const size_t at = (static_cast<size_t>(b) * c + ch) * inner + i;
        y[at] = static_cast<Ty>(rq.apply(static_cast<Acc>(x[at]) * static_cast<Acc>(scale[ch]) + static_cast<Acc>(bias[ch]), ch));
      }
}

constexpr size_t channel_affine_f32_scratch_bytes() { return 0; }

// y[o, c, i] = x[o, c, i] * scale[c] + bias[c] in float (no fused multiply-add), as ChannelAffine.java.
QUENCH_INLINE void channel_affine_f32(const float* x, int outer, int c, int inner, const float* scale, const float* bias, float* y) {
  for (int o = 0; o < outer; ++o)
    for (int ch = 0; ch < c; ++ch)
      for (int i = 0; i < inner; ++i) {
        const size_t at = (static_cast<size_t>(o) * c + ch) * inner + i;
        y[at] = x[at] * scale[ch] + bias[ch];
      }
}

constexpr size_t binary_int_scratch_bytes() { return 0; }

// Quantized Add (op 0), Sub (1), Max (4), Min (5): both inputs shifted left to a common frac,
// combined, requantized; Mul (2): the product requantized; PRelu (6): x shifted left to the
// product's frac where x >= 0, x * slope below, requantized.
template <typename Acc>
QUENCH_INLINE Acc binary_int_acc(int op, Acc x, Acc v, Acc ma, Acc mb) {
  switch (op) {
    case 0: return x * ma + v * mb;
    case 1: return x * ma - v * mb;
    case 2: return x * v;
    case 4: return x * ma > v * mb ? x * ma : v * mb;
    case 6: return x >= 0 ? x * ma : x * v;
    default: return x * ma < v * mb ? x * ma : v * mb;
  }
}

template <typename Acc, typename Ta, typename Tb, typename Ty>
QUENCH_INLINE void binary_int(int op, const Ta* a, const Tb* b, const Bcast& g, int shift_a, int shift_b, const Requant& rq, Ty* y) {
  const Acc ma = static_cast<Acc>(int64_t{1} << shift_a), mb = static_cast<Acc>(int64_t{1} << shift_b);
  if (g.rank == 1) {
    const size_t sa = static_cast<size_t>(g.a_strides[0]), sb = static_cast<size_t>(g.b_strides[0]);
    for (size_t i = 0; i < g.size; ++i) {
      const Acc x = static_cast<Acc>(a[i * sa]), v = static_cast<Acc>(b[i * sb]);
      y[i] = static_cast<Ty>(rq.apply(binary_int_acc(op, x, v, ma, mb), 0));
    }
    return;
  }
  for (size_t i = 0; i < g.size; ++i) {
    size_t ia, ib;
    bcast_offsets(g, i, &ia, &ib);
    const Acc x = static_cast<Acc>(a[ia]), v = static_cast<Acc>(b[ib]);
    y[i] = static_cast<Ty>(rq.apply(binary_int_acc(op, x, v, ma, mb), 0));
  }
}

constexpr size_t binary_f32_scratch_bytes() { return 0; }

// Float Add (0), Sub (1), Mul (2), Div (3), Max (4), Min (5: NaN if either is, Java's Math.max /
// min), PRelu (6: x >= 0 ? x : x * slope), Pow (7: in double, dmath::pow), Mod (8: fmod, Java's
// double %; 9: x - floor(x / y) * y in double) with broadcasting. With
// an integer second operand (a Pow's exponent, a slope) the op runs in double, rounded once to
// float, as Binary.java's mixed path.
template <typename Tb>
QUENCH_INLINE void binary_f32(int op, const float* a, const Tb* b, const Bcast& g, float* y) {
  for (size_t i = 0; i < g.size; ++i) {
    size_t ia = i * static_cast<size_t>(g.a_strides[0]), ib = i * static_cast<size_t>(g.b_strides[0]);
    if (g.rank != 1) bcast_offsets(g, i, &ia, &ib);
    if (!std::is_same<Tb, float>::value) {
      const f64 xd = static_cast<double>(a[ia]), vd = static_cast<double>(b[ib]);
      f64 r;
      switch (op) {
        case 0: r = xd + vd; break;
        case 1: r = xd - vd; break;
        case 2: r = xd * vd; break;
        case 3: r = xd / vd; break;
        case 4: r = dmath::jmax(xd, vd); break;
        case 5: r = dmath::jmin(xd, vd); break;
        case 6: r = xd >= 0 ? xd : xd * vd; break;
        case 7: r = dmath::pow(xd, vd); break;
        case 8: r = qmath::fmod(static_cast<double>(xd), static_cast<double>(vd)); break;
        default: r = xd - dmath::floor(xd / vd) * vd; break;
      }
      y[i] = static_cast<float>(static_cast<double>(r));
      continue;
    }
    const float x = a[ia], v = static_cast<float>(b[ib]);
    float r;
    switch (op) {
      case 0: r = x + v; break;
      case 1: r = x - v; break;
      case 2: r = x * v; break;
      case 3: r = x / v; break;
      case 4: r = static_cast<float>(qmath::jmax(x, v)); break;
      case 5: r = static_cast<float>(qmath::jmin(x, v)); break;
      case 6: r = x >= 0 ? x : x * v; break;
      case 7: r = static_cast<float>(dmath::pow(static_cast<double>(x), static_cast<double>(v))); break;
      case 8: r = static_cast<float>(qmath::fmod(static_cast<double>(x), static_cast<double>(v))); break;
      default: r = static_cast<float>(static_cast<double>(f64(static_cast<double>(x)) - dmath::floor(f64(static_cast<double>(x)) / static_cast<double>(v)) * static_cast<double>(v)));
    }
    y[i] = r;
  }
}

constexpr size_t clamp_int_scratch_bytes() { return 0; }

template <typename T>
QUENCH_INLINE void clamp_int(const T* x, size_t size, int64_t lo, int64_t hi, T* y) {
  for (size_t i = 0; i < size; ++i) y[i] = static_cast<T>(clamp(x[i], lo, hi));
}

constexpr size_t lut_int_scratch_bytes() { return 0; }

// 256-entry table indexed by q - first (first = -128 for int8, 0 for uint8).
template <typename Tx, typename Ty>
QUENCH_INLINE void lut_int(const Tx* x, size_t size, const Ty* table, int first, Ty* y) {
  for (size_t i = 0; i < size; ++i) y[i] = table[static_cast<int>(x[i]) - first];
}

constexpr size_t softmax_int_scratch_bytes(int len) { return scratch_piece(static_cast<size_t>(len) * sizeof(int32_t)); }

// Quantized Softmax (ir/.../op/Softmax.java's quantized path) over len elements spaced inner apart:
// the row's maximum, e_k = e^-(max - q_k) in units of 2^-30 from the low and high byte tables
// (the product rounded back to 2^-30), S their exact sum, y_k = e_k 2^out_frac / S rounded half up.
template <typename Tx, typename Ty>
QUENCH_INLINE void softmax_int(const Tx* x, int outer, int len, int inner, const int32_t* low, const int32_t* high, int out_frac, int64_t lo, int64_t hi, Ty* y,
                               uint8_t* scratch) {
  int32_t* e = reinterpret_cast<int32_t*>(scratch);
  for (int o = 0; o < outer; ++o)
    for (int i = 0; i < inner; ++i) {
      const size_t base = static_cast<size_t>(o) * len * inner + i;
      int64_t mx = x[base], sum = 0;
      for (int k = 1; k < len; ++k) mx = x[base + static_cast<size_t>(k) * inner] > mx ? x[base + static_cast<size_t>(k) * inner] : mx;
      for (int k = 0; k < len; ++k) {
        const int64_t d = mx - static_cast<int64_t>(x[base + static_cast<size_t>(k) * inner]), h = d >> 8;
        e[k] = d < 256 ? low[d] : h > 255 ? 0 : static_cast<int32_t>((static_cast<int64_t>(low[d & 255]) * high[h] + (int64_t{1} << 29)) >> 30);
        sum += e[k];
      }
      for (int k = 0; k < len; ++k) y[base + static_cast<size_t>(k) * inner] = static_cast<Ty>(clamp(div_round(static_cast<int64_t>(e[k]) * (int64_t{1} << out_frac), sum), lo, hi));
    }
}

constexpr size_t layer_norm_int_scratch_bytes() { return 0; }

// Quantized LayerNormalization (ir/.../op/Normalization.java's layerNormInt) over rows of n: c_i =
// n x_i - sum x, D = isqrt(round(sum c_i^2 / n) + eps_q), the normalised round(c_i 2^14 / D) times
// the int16 scale plus the int32 bias, requantized; int64 throughout.
template <typename Tx, typename Ty>
QUENCH_INLINE void layer_norm_int(const Tx* x, int outer, int n, const int16_t* gamma, const int32_t* beta, int64_t eps_q, const Requant& rq, Ty* y) {
  for (int o = 0; o < outer; ++o) {
    const Tx* xr = x + static_cast<size_t>(o) * n;
    Ty* yr = y + static_cast<size_t>(o) * n;
    int64_t sum = 0, sq = 0;
    for (int i = 0; i < n; ++i) sum += xr[i];
    for (int i = 0; i < n; ++i) {
      const int64_t c = n * static_cast<int64_t>(xr[i]) - sum;
      sq += c * c;
    }
    int64_t d = isqrt(div_round(sq, n) + eps_q);
    if (d < 1) d = 1;
    for (int i = 0; i < n; ++i) {
      const int64_t norm = div_round((n * static_cast<int64_t>(xr[i]) - sum) * (int64_t{1} << 14), d);
      yr[i] = static_cast<Ty>(rq.apply(norm * gamma[i] + (beta ? beta[i] : 0), 0));
    }
  }
}

constexpr size_t quantize_f32_int_scratch_bytes() { return 0; }

// QuantizeLinear: round half to even of x / scale (float division), plus the zero point, saturated
// to Ty; NaN becomes 0 (Java's (long) NaN). rint on the float is the same integer as Java's rint on
// its double value. scale and zero_point (null: 0) per tensor (channels 1) or per channel of an axis,
// element i in channel i / inner % channels; either may be computed at run time.
template <typename Ty>
QUENCH_INLINE void quantize_f32_int(const float* x, size_t size, const float* scale, const Ty* zero_point, int channels, size_t inner, Ty* y) {
  const double l = static_cast<double>(std::numeric_limits<Ty>::lowest()), h = static_cast<double>(std::numeric_limits<Ty>::max());
  auto one = [&](size_t i, float s, double zp) __attribute__((always_inline)) {
    // Java adds the zero point in double. For outputs of at most 16 bits a float sum clamps to the
    // same integer (exact while |x / s| <= 2^24; beyond, both sums lie far outside the range),
    // without software doubles on single-precision FPUs.
    const float r = qmath::rint(x[i] / s);
    const double q = sizeof(Ty) <= 2 ? static_cast<double>(r + static_cast<float>(zp)) : static_cast<double>(r) + zp;
    y[i] = q != q ? Ty{0} : (q < l ? std::numeric_limits<Ty>::lowest() : (q > h ? std::numeric_limits<Ty>::max() : static_cast<Ty>(q)));
  };
  if (channels == 1) {
    const float s = scale[0];
    const double zp = zero_point ? static_cast<double>(zero_point[0]) : 0.0;
    for (size_t i = 0; i < size; ++i) one(i, s, zp);
    return;
  }
  for (size_t i = 0; i < size; ++i) {
    const size_t k = i / inner % static_cast<size_t>(channels);
    one(i, scale[k], zero_point ? static_cast<double>(zero_point[k]) : 0.0);
  }
}

constexpr size_t dequantize_int_f32_scratch_bytes() { return 0; }

// DequantizeLinear: (q - zero_point) * scale in double, rounded once to float; scale and
// zero_point as in quantize_f32_int.
template <typename Tx>
QUENCH_INLINE void dequantize_int_f32(const Tx* x, size_t size, const float* scale, const Tx* zero_point, int channels, size_t inner, float* y) {
  if (channels == 1) {
    const double s = scale[0];
    const int64_t zp = zero_point ? static_cast<int64_t>(zero_point[0]) : 0;
    for (size_t i = 0; i < size; ++i) y[i] = static_cast<float>(static_cast<double>(static_cast<int64_t>(x[i]) - zp) * s);
    return;
  }
  for (size_t i = 0; i < size; ++i) {
    const size_t k = i / inner % static_cast<size_t>(channels);
    const int64_t zp = zero_point ? static_cast<int64_t>(zero_point[k]) : 0;
    y[i] = static_cast<float>(static_cast<double>(static_cast<int64_t>(x[i]) - zp) * static_cast<double>(scale[k]));
  }
}

constexpr size_t sigmoid_f32_scratch_bytes() { return 0; }

QUENCH_INLINE void sigmoid_f32(const float* x, size_t size, float* y) {
  for (size_t i = 0; i < size; ++i) y[i] = qmath::sigmoid(x[i]);
}

constexpr size_t tanh_f32_scratch_bytes() { return 0; }

QUENCH_INLINE void tanh_f32(const float* x, size_t size, float* y) {
  for (size_t i = 0; i < size; ++i) y[i] = qmath::tanh(x[i]);
}

constexpr size_t activation_f32_scratch_bytes() { return 0; }

// A float activation in place, the twin of ir/.../kernel/Activation.java (fused into a conv, FC or
// Add): kind 0 none, 1 relu, 2 clip to [p0, p1], 3 leaky relu (alpha p0), 4 hard sigmoid (alpha p0,
// beta p1), 5 hard swish; leaky relu, hard sigmoid and hard swish in double as the Java code.
QUENCH_INLINE void activation_f32(int kind, float p0, float p1, float* y, size_t size) {
  for (size_t i = 0; i < size && kind != 0; ++i) {
    const float v = y[i];
    float r;
    switch (kind) {
      case 1: r = v > 0 ? v : 0.0f; break;
      case 2: r = v < p0 ? p0 : (v > p1 ? p1 : v); break;
      case 3: r = v >= 0 ? v : static_cast<float>(static_cast<double>(p0) * static_cast<double>(v)); break;
      case 4: r = static_cast<float>(dmath::jmax(0, dmath::jmin(1, f64(static_cast<double>(p0)) * static_cast<double>(v) + static_cast<double>(p1)))); break;
      default: r = static_cast<float>(f64(static_cast<double>(v)) * dmath::jmax(0, dmath::jmin(1, f64(static_cast<double>(v)) / 6.0 + 0.5))); break;
    }
    y[i] = r;
  }
}

constexpr size_t relu_f32_scratch_bytes() { return 0; }

// Relu (NaN becomes 0, as the Java kernel's x > 0 ? x : 0).
QUENCH_INLINE void relu_f32(const float* x, size_t size, float* y) {
  for (size_t i = 0; i < size; ++i) y[i] = x[i] > 0 ? x[i] : 0.0f;
}

constexpr size_t clip_f32_scratch_bytes() { return 0; }

// Clip to [lo, hi] (NaN passes through).
QUENCH_INLINE void clip_f32(const float* x, size_t size, float lo, float hi, float* y) {
  for (size_t i = 0; i < size; ++i) y[i] = x[i] < lo ? lo : (x[i] > hi ? hi : x[i]);
}

constexpr size_t unary_f32_scratch_bytes() { return 0; }

// The float elementwise ops, the twin of ir/.../kernel/MathKernels.java: each in double on the
// float input with Quench's own functions (dmath.h, qmath.h), rounded to float once. op is the
// index in ActivationLowering.FLOAT_UNARY; p0, p1 its attributes (alpha, beta, gamma, lambd, bias).
QUENCH_INLINE f64 unary_f64(int op, f64 p0, f64 p1, f64 x) {
  switch (op) {
    case 0: return x >= 0 ? x : p0 * x;                                              // LeakyRelu
    case 1: return qmath::sigmoid(static_cast<float>(x));                             // Sigmoid
    case 2: return dmath::jmax(0, dmath::jmin(1, p0 * x + p1));                       // HardSigmoid
    case 3: return x * dmath::jmax(0, dmath::jmin(1, x / 6.0 + 0.5));                 // HardSwish
    case 4: return qmath::tanh(static_cast<float>(x));                                // Tanh
    case 5: return qmath::sqrt(static_cast<double>(x));                                                   // Sqrt
    case 6: return qmath::exp(static_cast<float>(x));                                 // Exp
    case 7: return dmath::log(x);                                                     // Log
    case 8: return dmath::erf(x);                                                     // Erf
    case 9: return -x;                                                                // Neg
    case 10: return dmath::fabs(x);                                                   // Abs
    case 11: return x >= 0 ? x : p0 * (dmath::exp(x) - 1);                            // Elu
    case 12: return dmath::jmax(0, x) + dmath::jmin(0, p0 * (dmath::exp(x / p0) - 1));  // Celu
    case 13: return x > 0 ? p1 * x : p1 * (p0 * dmath::exp(x) - p0);                  // Selu (alpha p0, gamma p1)
    case 14: return x > 30 ? x : dmath::log1p(dmath::exp(x));                        // Softplus
    case 15: return x / (1 + dmath::fabs(x));                                         // Softsign
    case 16: return dmath::floor(x);
    case 17: return dmath::ceil(x);
    case 18: return dmath::rint(x);                                                   // Round
    case 19: return 1.0 / x;                                                          // Reciprocal
    case 20: return dmath::sin(x);
    case 21: return dmath::cos(x);
    case 22: return dmath::tan(x);
    case 23: return dmath::asin(x);
    case 24: return dmath::acos(x);
    case 25: return dmath::atan(x);
    case 26: return dmath::sinh(x);
    case 27: return dmath::cosh(x);
    case 28: return dmath::log(x + qmath::sqrt(static_cast<double>(x * x + 1)));                           // Asinh
    case 29: return dmath::log(x + qmath::sqrt(static_cast<double>(x * x - 1)));                           // Acosh
    case 30: return 0.5 * dmath::log((1 + x) / (1 - x));                              // Atanh
    case 31: return x > 0 ? f64(1.0) : (x < 0 ? f64(-1.0) : x);                                // Sign (Math.signum)
    case 32: return x > p0 ? x : f64(0.0);                                                // ThresholdedRelu
    case 33: return x * dmath::tanh(x > 30 ? x : dmath::log1p(dmath::exp(x)));        // Mish
    case 34: return 0.5 * x * (1 + dmath::erf(x / qmath::sqrt(2)));                   // Gelu
    case 35: return 0.5 * x * (1 + dmath::tanh(qmath::sqrt(2 / dmath::kPi) * (x + 0.044715 * x * x * x)));  // Gelu tanh
    default: return x < -p0 ? x + p1 : (x > p0 ? x - p1 : f64(0.0));                       // Shrink (lambd p0, bias p1)
  }
}

QUENCH_INLINE void unary_f32(int op, double p0, double p1, const float* x, size_t size, float* y) {
  for (size_t i = 0; i < size; ++i) y[i] = static_cast<float>(unary_f64(op, p0, p1, static_cast<double>(x[i])));
}

}  // namespace quench

#endif
