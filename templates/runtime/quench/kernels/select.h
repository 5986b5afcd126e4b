// Quench runtime kernels: comparisons and logic (bool results as uint8_t 0 / 1), Where, Not,
// IsNaN / IsInf, Cast and ArgMax / ArgMin, on any element type, as the interpreter computes them
// (ir/.../op/Binary.java, Where.java, Unary.java, Cast.java and DTypes.cast, Reduce.java).
#ifndef QUENCH_KERNELS_SELECT_H
#define QUENCH_KERNELS_SELECT_H

#include <limits>
#include <type_traits>

#include "quench/dmath.h"
#include "quench/fixed_point.h"
#include "quench/geometry.h"

namespace quench {

constexpr size_t compare_any_scratch_bytes() { return 0; }

// Equal (0), Greater (1), GreaterOrEqual (2), Less (3), LessOrEqual (4): in double when either side
// is floating (a NaN makes every comparison false), else as integers; And (5), Or (6), Xor (7) on
// truth (non-zero). Broadcasting as binary_f32.
template <typename Ta, typename Tb>
QUENCH_INLINE void compare_any(int op, const Ta* a, const Tb* b, const Bcast& g, uint8_t* y) {
  constexpr bool as_double = std::is_floating_point<Ta>::value || std::is_floating_point<Tb>::value;
  for (size_t i = 0; i < g.size; ++i) {
    size_t ia = i * static_cast<size_t>(g.a_strides[0]), ib = i * static_cast<size_t>(g.b_strides[0]);
    if (g.rank != 1) bcast_offsets(g, i, &ia, &ib);
    const bool xt = a[ia] != 0, yt = b[ib] != 0;
    int order;
    bool unordered = false;
    if (as_double) {
      const double x = static_cast<double>(a[ia]), v = static_cast<double>(b[ib]);
      unordered = x != x || v != v;
      order = x < v ? -1 : (x > v ? 1 : 0);
    } else {
      const int64_t x = static_cast<int64_t>(a[ia]), v = static_cast<int64_t>(b[ib]);
      order = x < v ? -1 : (x > v ? 1 : 0);
    }
    bool r;
    switch (op) {
      case 0: r = !unordered && order == 0; break;
      case 1: r = !unordered && order > 0; break;
      case 2: r = !unordered && order >= 0; break;
      case 3: r = !unordered && order < 0; break;
      case 4: r = !unordered && order <= 0; break;
      case 5: r = xt && yt; break;
      case 6: r = xt || yt; break;
      default: r = xt != yt; break;
    }
    y[i] = r ? 1 : 0;
  }
}

constexpr size_t integer_any_scratch_bytes() { return 0; }

// Arithmetic on integer tensors as they are (Binary.java's integer path): in 64 bits, wrapping
// (Java's long arithmetic), then wrapped to the element type. Add (0), Sub (1), Mul (2), Div (3:
// truncated; by 0, an error in the interpreter, gives 0), Max (4), Min (5), Mod (6: fmod as the
// sign of x, else of y; by 0 gives 0), PRelu (7), BitShift (8: left when flag, else logical right,
// the count taken mod 64 as Java's), Pow (9: dmath::pow in double, the exponent an integer or a
// float, then Java's saturating (long) cast).
template <typename T, typename Tb>
QUENCH_INLINE void integer_any(int op, int flag, const T* a, const Tb* b, const Bcast& g, T* y) {
  for (size_t i = 0; i < g.size; ++i) {
    size_t ia = i * static_cast<size_t>(g.a_strides[0]), ib = i * static_cast<size_t>(g.b_strides[0]);
    if (g.rank != 1) bcast_offsets(g, i, &ia, &ib);
    const int64_t x = static_cast<int64_t>(a[ia]), v = std::is_floating_point<Tb>::value ? dmath::jlong(static_cast<double>(b[ib])) : static_cast<int64_t>(b[ib]);
    const uint64_t ux = static_cast<uint64_t>(x), uv = static_cast<uint64_t>(v);
    uint64_t r;
    switch (op) {
      case 0: r = ux + uv; break;
      case 1: r = ux - uv; break;
      case 2: r = ux * uv; break;
      case 3: r = v == 0 ? 0 : (v == -1 ? 0 - ux : static_cast<uint64_t>(x / v)); break;
      case 4: r = static_cast<uint64_t>(x > v ? x : v); break;
      case 5: r = static_cast<uint64_t>(x < v ? x : v); break;
      case 6: {
        int64_t m = v == 0 || v == -1 ? 0 : x % v;
        if (!flag && m != 0 && ((m < 0) != (v < 0))) m += v;
        r = static_cast<uint64_t>(m);
        break;
      }
      case 7: r = x >= 0 ? ux : ux * uv; break;
      case 8: r = flag ? ux << (uv & 63) : ux >> (uv & 63); break;
      default: r = static_cast<uint64_t>(dmath::jlong(dmath::pow(static_cast<double>(x), static_cast<double>(b[ib])))); break;
    }
    y[i] = static_cast<T>(r);
  }
}

constexpr size_t where_any_scratch_bytes() { return 0; }

// y[i] = cond ? x : z, each operand broadcast to the output (gx: cond and x, gz: cond and z).
template <typename T>
QUENCH_INLINE void where_any(const uint8_t* c, const T* x, const T* z, const Bcast& gx, const Bcast& gz, T* y) {
  for (size_t i = 0; i < gx.size; ++i) {
    size_t ic = i * static_cast<size_t>(gx.a_strides[0]), ix = i * static_cast<size_t>(gx.b_strides[0]);
    size_t jc = 0, iz = i * static_cast<size_t>(gz.b_strides[0]);
    if (gx.rank != 1) bcast_offsets(gx, i, &ic, &ix);
    if (gz.rank != 1) bcast_offsets(gz, i, &jc, &iz);
    y[i] = c[ic] != 0 ? x[ix] : z[iz];
  }
}

constexpr size_t compare_int_scratch_bytes() { return 0; }

// A quantized comparison (ir/.../op/Binary.java's aligned path): both sides' integers shifted left
// to one frac (shift_a, shift_b), then ordered as compare_any's opcodes 0..4.
template <typename Ta, typename Tb>
QUENCH_INLINE void compare_int(int op, const Ta* a, const Tb* b, const Bcast& g, int shift_a, int shift_b, uint8_t* y) {
  for (size_t i = 0; i < g.size; ++i) {
    size_t ia = i * static_cast<size_t>(g.a_strides[0]), ib = i * static_cast<size_t>(g.b_strides[0]);
    if (g.rank != 1) bcast_offsets(g, i, &ia, &ib);
    const int64_t x = static_cast<int64_t>(a[ia]) * (int64_t{1} << shift_a), v = static_cast<int64_t>(b[ib]) * (int64_t{1} << shift_b);
    const bool r = op == 0 ? x == v : op == 1 ? x > v : op == 2 ? x >= v : op == 3 ? x < v : x <= v;
    y[i] = r ? 1 : 0;
  }
}

constexpr size_t guard_any_scratch_bytes() { return 0; }

// A value entering a branch of a data-dependent If: the same storage, nothing moves (the step is
// the branch's first trace point; run() calls the branch's steps only when it is taken).
QUENCH_INLINE void guard_any() {}

constexpr size_t merge_any_scratch_bytes() { return 0; }

// A data-dependent If's output: the taken branch's value (then: a, else: b).
QUENCH_INLINE void merge_any(bool then, const void* a, const void* b, size_t bytes, void* y) { std::memcpy(y, then ? a : b, bytes); }

constexpr size_t where_int_scratch_bytes() { return 0; }

// Where of quantized values: the chosen side requantized to the output frac (shift_x, shift_z, as concat_int).
template <typename Tx, typename Tz, typename Ty>
QUENCH_INLINE void where_int(const uint8_t* c, const Tx* x, const Tz* z, const Bcast& gx, const Bcast& gz, int shift_x, int shift_z, int64_t lo, int64_t hi, Ty* y) {
  for (size_t i = 0; i < gx.size; ++i) {
    size_t ic = i * static_cast<size_t>(gx.a_strides[0]), ix = i * static_cast<size_t>(gx.b_strides[0]);
    size_t jc = 0, iz = i * static_cast<size_t>(gz.b_strides[0]);
    if (gx.rank != 1) bcast_offsets(gx, i, &ic, &ix);
    if (gz.rank != 1) bcast_offsets(gz, i, &jc, &iz);
    const int64_t v = c[ic] != 0 ? shift_round(static_cast<int64_t>(x[ix]), shift_x) : shift_round(static_cast<int64_t>(z[iz]), shift_z);
    y[i] = static_cast<Ty>(clamp(v, lo, hi));
  }
}

constexpr size_t predicate_any_scratch_bytes() { return 0; }

// Not (0: x == 0), IsNaN (1), IsInf (2: +inf when pos, -inf when neg), as uint8_t 0 / 1.
template <typename T>
QUENCH_INLINE void predicate_any(int op, int pos, int neg, const T* x, size_t size, uint8_t* y) {
  for (size_t i = 0; i < size; ++i) {
    const double v = static_cast<double>(x[i]);
    const double inf = std::numeric_limits<double>::infinity();
    const bool r = op == 0 ? v == 0 : op == 1 ? v != v : ((v == inf && pos) || (v == -inf && neg));
    y[i] = r ? 1 : 0;
  }
}

constexpr size_t cast_any_scratch_bytes() { return 0; }

// Cast (DTypes.cast): to float from any type (rounded to nearest, through float32 as the
// interpreter's float tensors: an integer as Java's (float) long); from float to bool (non-zero)
// or to an integer type (truncated toward zero as Java's (long), then wrapped to its width); between
// integer types wrapped (bool: non-zero).
template <typename Tx, typename Ty>
QUENCH_INLINE void cast_any(const Tx* x, size_t size, int to_bool, Ty* y) {
  for (size_t i = 0; i < size; ++i) {
    if (std::is_floating_point<Ty>::value) {
      y[i] = static_cast<Ty>(std::is_floating_point<Tx>::value ? static_cast<float>(x[i]) : static_cast<float>(static_cast<int64_t>(x[i])));
    } else if (to_bool) {
      y[i] = static_cast<Ty>(x[i] != 0 ? 1 : 0);
    } else if (std::is_floating_point<Tx>::value) {
      y[i] = static_cast<Ty>(static_cast<uint64_t>(dmath::jlong(static_cast<double>(static_cast<float>(x[i])))));  // Java's (long)
    } else {
      y[i] = static_cast<Ty>(static_cast<uint64_t>(static_cast<int64_t>(x[i])));
    }
  }
}

// float16 and bfloat16 as their bit patterns (uint16_t), converted as ir/.../Half.java and
// DTypes.round: round to nearest even; a NaN becomes the quiet NaN 0x7e00 / 0x7fc0 (its sign and
// payload are the hardware's, as a float NaN's).
QUENCH_INLINE float f16_to_f32(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16, exp = (h >> 10) & 0x1fu, mant = h & 0x3ffu;
  uint32_t bits;
  if (exp == 0x1f) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else if (exp == 0) {
    const float v = static_cast<float>(mant) * 0x1p-24f;
    return sign ? -v : v;
  } else {
    bits = sign | ((exp + 112) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

QUENCH_INLINE uint16_t f32_to_f16(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  const uint32_t sign = (bits >> 16) & 0x8000u, exp = (bits >> 23) & 0xffu;
  uint32_t mant = bits & 0x7fffffu;
  if (exp == 0xff) return static_cast<uint16_t>(mant != 0 ? 0x7e00u : sign | 0x7c00u);
  const int e = static_cast<int>(exp) - 127 + 15;
  if (e >= 0x1f) return static_cast<uint16_t>(sign | 0x7c00u);
  if (e <= 0) {
    if (e < -10) return static_cast<uint16_t>(sign);
    mant |= 0x800000u;
    const int shift = 14 - e;
    uint32_t half = mant >> shift;
    const uint32_t rem = mant & ((1u << shift) - 1), mid = 1u << (shift - 1);
    if (rem > mid || (rem == mid && (half & 1u) != 0)) ++half;
    return static_cast<uint16_t>(sign | half);
  }
  uint32_t half = (static_cast<uint32_t>(e) << 10) | (mant >> 13);
  const uint32_t rem = mant & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (half & 1u) != 0)) ++half;
  return static_cast<uint16_t>(sign | half);
}

QUENCH_INLINE float bf16_to_f32(uint16_t h) {
  const uint32_t bits = static_cast<uint32_t>(h) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

QUENCH_INLINE uint16_t f32_to_bf16(float f) {
  if (f != f) return 0x7fc0u;
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  return static_cast<uint16_t>((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
}

constexpr size_t cast_f32_f16_scratch_bytes() { return 0; }

// Cast from float32 to float16 (bf 0) or bfloat16 (bf 1) bits.
QUENCH_INLINE void cast_f32_f16(const float* x, size_t size, int bf, uint16_t* y) {
  for (size_t i = 0; i < size; ++i) y[i] = bf ? f32_to_bf16(x[i]) : f32_to_f16(x[i]);
}

constexpr size_t cast_f16_f32_scratch_bytes() { return 0; }

// Cast from float16 (bf 0) or bfloat16 (bf 1) bits to float32: exact.
QUENCH_INLINE void cast_f16_f32(const uint16_t* x, size_t size, int bf, float* y) {
  for (size_t i = 0; i < size; ++i) y[i] = bf ? bf16_to_f32(x[i]) : f16_to_f32(x[i]);
}

constexpr size_t gather_index_any_scratch_bytes() { return 0; }

// Gather along one axis (outer x dim x inner) with indices computed at run time: negative ones count
// from the end; one outside -dim..dim-1 (an error in the interpreter) reads the nearest end instead
// of outside the input.
template <typename T, typename Ti>
QUENCH_INLINE void gather_index_any(const T* x, const Ti* idx, size_t count, int outer, int dim, int inner, T* y) {
  size_t k = 0;
  for (int o = 0; o < outer; ++o)
    for (size_t j = 0; j < count; ++j) {
      int64_t i = static_cast<int64_t>(idx[j]);
      if (i < 0) i += dim;
      i = i < 0 ? 0 : (i >= dim ? dim - 1 : i);
      const T* src = x + (static_cast<size_t>(o) * dim + static_cast<size_t>(i)) * inner;
      for (int t = 0; t < inner; ++t) y[k++] = src[t];
    }
}

constexpr size_t gather_elements_any_scratch_bytes() { return 0; }

// GatherElements with indices computed at run time: output element i (coordinates in out_dims, the
// indices' shape) reads the input at the same coordinates but for the axis, where it takes idx[i]
// (negative counts from the end; one outside -dim..dim-1, an error in the interpreter, reads the
// nearest end instead of outside the input).
template <typename T, typename Ti>
QUENCH_INLINE void gather_elements_any(const T* x, const Ti* idx, int rank, const int32_t* out_dims, const int32_t* in_strides, int axis, int dim, size_t size, T* y) {
  for (size_t i = 0; i < size; ++i) {
    size_t rest = i;
    int64_t at = 0;
    for (int d = rank - 1; d >= 0; --d) {
      int64_t c = static_cast<int64_t>(rest % static_cast<size_t>(out_dims[d]));
      rest /= static_cast<size_t>(out_dims[d]);
      if (d == axis) {
        c = static_cast<int64_t>(idx[i]);
        if (c < 0) c += dim;
        c = c < 0 ? 0 : (c >= dim ? dim - 1 : c);
      }
      at += c * in_strides[d];
    }
    y[i] = x[at];
  }
}

constexpr size_t topk_any_scratch_bytes() { return 0; }

// Java's Double.compare: -1, 0 or 1, with -0.0 below 0.0 and NaN (every NaN the same) above all.
QUENCH_INLINE int jcompare(double a, double b) {
  if (a < b) return -1;
  if (a > b) return 1;
  uint64_t ua, ub;
  std::memcpy(&ua, &a, 8);
  std::memcpy(&ub, &b, 8);
  if (a != a) ua = 0x7ff8000000000000ull;
  if (b != b) ub = 0x7ff8000000000000ull;
  const int64_t sa = static_cast<int64_t>(ua), sb = static_cast<int64_t>(ub);
  return sa == sb ? 0 : (sa < sb ? -1 : 1);
}

// TopK along one axis (outer x dim x inner), TopK.java's order: the values by Double.compare,
// largest (or smallest) first, equal ones by the lower index first. The order is total, so the
// i-th is the first of the elements after the (i-1)-th: k passes over the axis, no working memory.
// values or indices may be null (an output the graph does not use).
template <typename T>
QUENCH_INLINE void topk_any(const T* x, int outer, int dim, int inner, int k, int largest, T* values, int64_t* indices) {
  for (int a = 0; a < outer; ++a)
    for (int b = 0; b < inner; ++b) {
      const T* base = x + static_cast<size_t>(a) * dim * inner + b;
      // p before q in the output order
      auto before = [&](int p, int q) __attribute__((always_inline)) {
        int c = jcompare(static_cast<double>(base[static_cast<size_t>(p) * inner]), static_cast<double>(base[static_cast<size_t>(q) * inner]));
        if (largest) c = -c;
        return c != 0 ? c < 0 : p < q;
      };
      int prev = -1;
      for (int i = 0; i < k; ++i) {
        int best = -1;
        for (int j = 0; j < dim; ++j)
          if ((prev < 0 || before(prev, j)) && (best < 0 || before(j, best))) best = j;
        const size_t at = (static_cast<size_t>(a) * k + i) * inner + b;
        if (values) values[at] = base[static_cast<size_t>(best) * inner];
        if (indices) indices[at] = best;
        prev = best;
      }
    }
}

constexpr size_t trilu_any_scratch_bytes() { return 0; }

// Trilu over the last two dims (rows x cols): element (r, c) kept when c - r >= k (upper) or
// c - r <= k (lower), else 0.
template <typename T>
QUENCH_INLINE void trilu_any(const T* x, size_t size, int rows, int cols, int64_t k, int upper, T* y) {
  for (size_t i = 0; i < size; ++i) {
    const int64_t r = static_cast<int64_t>((i / static_cast<size_t>(cols)) % static_cast<size_t>(rows)), c = static_cast<int64_t>(i % static_cast<size_t>(cols));
    const bool keep = upper ? c - r >= k : c - r <= k;
    y[i] = keep ? x[i] : static_cast<T>(0);
  }
}

constexpr size_t arg_reduce_any_scratch_bytes() { return 0; }

// ArgMax (max 1) / ArgMin along one axis (outer x len x inner) as int64 indices: the first of equal
// values, or the last with select_last; in double, a NaN never wins.
template <typename T>
QUENCH_INLINE void arg_reduce_any(const T* x, int outer, int len, int inner, int max, int select_last, int64_t* y) {
  for (int o = 0; o < outer; ++o)
    for (int i = 0; i < inner; ++i) {
      double best = max ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
      int64_t arg = 0;
      for (int k = 0; k < len; ++k) {
        const double v = static_cast<double>(x[(static_cast<size_t>(o) * len + k) * inner + i]);
        if ((max ? v > best : v < best) || (select_last && v == best)) {
          best = v;
          arg = k;
        }
      }
      y[static_cast<size_t>(o) * inner + i] = arg;
    }
}

}  // namespace quench

#endif
