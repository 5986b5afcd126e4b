// Quench runtime kernels: integer pooling (NCHW planes).
#ifndef QUENCH_KERNELS_POOL_H
#define QUENCH_KERNELS_POOL_H

#include <limits>

#include "quench/geometry.h"
#include "quench/dmath.h"
#include "quench/requant.h"

namespace quench {

constexpr size_t reduce_int_scratch_bytes(size_t out_size) { return scratch_piece(out_size * sizeof(int64_t)); }

// ReduceSum (0), ReduceMean (1), ReduceMax (2), ReduceMin (3) of integers, as ir/.../op/Reduce.java's
// quantized path: per output slot (from the kept dims, as reduce_f32) the exact int64 sum or the
// extreme, landed on the output frac (shift_left = f_out - f_in; the mean by one rounding
// division, as average pooling), clamped.
template <typename Tx, typename Ty>
QUENCH_INLINE void reduce_int(const Tx* x, int rank, const int32_t* in_dims, const int32_t* kept_strides, size_t in_size, size_t out_size, int op, int shift_left,
                              int64_t lo, int64_t hi, Ty* y, uint8_t* scratch) {
  Scratch s{scratch};
  int64_t* acc = s.take<int64_t>(out_size);
  const int64_t init = op == 2 ? std::numeric_limits<int64_t>::min() : op == 3 ? std::numeric_limits<int64_t>::max() : 0;
  for (size_t i = 0; i < out_size; ++i) acc[i] = init;
  for (size_t i = 0; i < in_size; ++i) {
    size_t rest = i, slot = 0;
    for (int d = rank - 1; d >= 0; --d) {
      slot += (rest % static_cast<size_t>(in_dims[d])) * static_cast<size_t>(kept_strides[d]);
      rest /= static_cast<size_t>(in_dims[d]);
    }
    const int64_t v = static_cast<int64_t>(x[i]);
    acc[slot] = op == 2 ? (v > acc[slot] ? v : acc[slot]) : op == 3 ? (v < acc[slot] ? v : acc[slot]) : acc[slot] + v;
  }
  const int64_t count = out_size == 0 ? 1 : static_cast<int64_t>(in_size / out_size);
  for (size_t i = 0; i < out_size; ++i) y[i] = static_cast<Ty>(clamp(op == 1 ? mean_round(acc[i], count, shift_left) : shift_round(acc[i], -shift_left), lo, hi));
}

constexpr size_t avg_pool_int_scratch_bytes() { return 0; }

// Integer average pooling: exact sum, one rounding division landing on the output frac.
template <typename Tx, typename Ty>
QUENCH_INLINE void avg_pool_int(const Tx* x, const PoolGeom& g, int shift_left, int64_t lo, int64_t hi, Ty* y) {
  for (int ch = 0; ch < g.nc; ++ch)
    for (int oy = 0; oy < g.oh; ++oy)
      for (int ox = 0; ox < g.ow; ++ox) {
        int64_t sum = 0;
        int count = 0, pad_count = 0;
        for (int i = 0; i < g.kh; ++i)
          for (int j = 0; j < g.kw; ++j) {
            const int iy = oy * g.sh - g.pt + i * g.dh, ix = ox * g.sw - g.pl + j * g.dw;
            if (iy >= -g.pt && iy < g.h + g.pb && ix >= -g.pl && ix < g.w + g.pr) ++pad_count;
            if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
            sum += x[(static_cast<size_t>(ch) * g.h + iy) * g.w + ix];
            ++count;
          }
        const int div = g.count_include_pad ? pad_count : count;
        y[(static_cast<size_t>(ch) * g.oh + oy) * g.ow + ox] = static_cast<Ty>(div == 0 ? 0 : clamp(mean_round(sum, div, shift_left), lo, hi));
      }
}

constexpr size_t global_avg_pool_int_scratch_bytes() { return 0; }

template <typename Tx, typename Ty>
QUENCH_INLINE void global_avg_pool_int(const Tx* x, int nc, int size, int shift_left, int64_t lo, int64_t hi, Ty* y) {
  for (int ch = 0; ch < nc; ++ch) {
    int64_t sum = 0;
    for (int j = 0; j < size; ++j) sum += x[static_cast<size_t>(ch) * size + j];
    y[ch] = static_cast<Ty>(clamp(mean_round(sum, size, shift_left), lo, hi));
  }
}

constexpr size_t global_max_pool_int_scratch_bytes() { return 0; }

// The largest value of each of nc planes of size elements (integers at their scale).
template <typename T>
QUENCH_INLINE void global_max_pool_int(const T* x, int nc, int size, T* y) {
  for (int ch = 0; ch < nc; ++ch) {
    T best = x[static_cast<size_t>(ch) * size];
    for (int j = 1; j < size; ++j) best = x[static_cast<size_t>(ch) * size + j] > best ? x[static_cast<size_t>(ch) * size + j] : best;
    y[ch] = best;
  }
}

constexpr int kPoolChunk = 256;

// A chunk of an output row: the best value so far and whether a valid position was seen.
template <typename T>
constexpr size_t max_pool_int_scratch_bytes(const PoolGeom& g) {
  return scratch_piece(static_cast<size_t>(min_int(g.ow, kPoolChunk)) * sizeof(T)) + scratch_piece(static_cast<size_t>(min_int(g.ow, kPoolChunk)));
}

// Max pooling over the valid positions of each window (integer data: exact). Row at a time,
// taps outside and positions inside; every window has a valid position (pads < kernel).
template <typename T>
QUENCH_INLINE void max_pool_int(const T* x, const PoolGeom& g, T* y, uint8_t* scratch) {
  const int chunk = min_int(g.ow, kPoolChunk);
  Scratch s{scratch};
  T* best = s.take<T>(static_cast<size_t>(chunk));
  uint8_t* seen = s.take<uint8_t>(static_cast<size_t>(chunk));
  for (int ch = 0; ch < g.nc; ++ch)
    for (int oy = 0; oy < g.oh; ++oy)
      for (int ox0 = 0; ox0 < g.ow; ox0 += chunk) {
        const int len = g.ow - ox0 < chunk ? g.ow - ox0 : chunk;
        for (int p = 0; p < len; ++p) seen[p] = 0;
        for (int i = 0; i < g.kh; ++i) {
          const int iy = oy * g.sh - g.pt + i * g.dh;
          if (iy < 0 || iy >= g.h) continue;
          const T* xr = x + (static_cast<size_t>(ch) * g.h + iy) * g.w;
          for (int j = 0; j < g.kw; ++j) {
            const int off = j * g.dw - g.pl;
            int lo = off >= 0 ? 0 : (-off + g.sw - 1) / g.sw;
            int hi = (g.w - off + g.sw - 1) / g.sw;
            if (lo < ox0) lo = ox0;
            if (hi > ox0 + len) hi = ox0 + len;
            for (int ox = lo; ox < hi; ++ox) {
              const T v = xr[ox * g.sw + off];
              T& b = best[ox - ox0];
              b = seen[ox - ox0] && b >= v ? b : v;
              seen[ox - ox0] = 1;
            }
          }
        }
        for (int p = 0; p < len; ++p) y[(static_cast<size_t>(ch) * g.oh + oy) * g.ow + ox0 + p] = seen[p] ? best[p] : 0;
      }
}

constexpr size_t pool_f32_scratch_bytes() { return 0; }

// Float max (max 1) or average pooling, the twin of ir/.../op/Pool.java: a double (f64) accumulator,
// max from -inf keeping the first of equal values (NaN never wins), the average over the taps
// inside the input, or, with count_include_pad, inside the padded input.
QUENCH_INLINE void pool_f32(const float* x, const PoolGeom& g, int max, float* y) {
  for (int ch = 0; ch < g.nc; ++ch)
    for (int oy = 0; oy < g.oh; ++oy)
      for (int ox = 0; ox < g.ow; ++ox) {
        f64 acc = max ? -std::numeric_limits<double>::infinity() : 0.0;
        int count = 0, pad_count = 0;
        for (int i = 0; i < g.kh; ++i) {
          const int iy = oy * g.sh - g.pt + i * g.dh;
          const bool row_padded = iy >= -g.pt && iy < g.h + g.pb;
          for (int j = 0; j < g.kw; ++j) {
            const int ix = ox * g.sw - g.pl + j * g.dw;
            if (row_padded && ix >= -g.pl && ix < g.w + g.pr) ++pad_count;
            if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
            const float v = x[(static_cast<size_t>(ch) * g.h + iy) * g.w + ix];
            ++count;
            if (max) {
              if (v > acc) acc = v;
            } else {
              acc += v;
            }
          }
        }
        const int div = g.count_include_pad ? pad_count : count;
        y[(static_cast<size_t>(ch) * g.oh + oy) * g.ow + ox] = static_cast<float>(max ? acc : (div == 0 ? f64(0.0) : acc / div));
      }
}

constexpr size_t global_pool_f32_scratch_bytes() { return 0; }

// Float global max (max 1, Java's Math.max: NaN wins) or average pooling over planes of `inner`.
QUENCH_INLINE void global_pool_f32(const float* x, int nc, int inner, int max, float* y) {
  for (int i = 0; i < nc; ++i) {
    f64 acc = max ? -std::numeric_limits<double>::infinity() : 0.0;
    for (int j = 0; j < inner; ++j) {
      const float v = x[static_cast<size_t>(i) * inner + j];
      acc = max ? dmath::jmax(acc, v) : acc + v;
    }
    y[i] = static_cast<float>(max ? acc : acc / inner);
  }
}

constexpr size_t pool_nd_f32_scratch_bytes() { return 0; }

// Float max or average pooling over up to three spatial axes, the twin of Pool.java's generic
// loop: per output position the window's taps in order, max keeping the first largest (and its
// index: plane * in_size + the tap's position by istr), average in double (f64) divided by the taps
// inside (or inside the padding, include_pad). indices may be null.
QUENCH_INLINE void pool_nd_f32(const float* x, const PoolNGeom& g, float* y, int64_t* indices) {
  const int in_size = g.in[0] * g.in[1] * g.in[2], out_size = g.out[0] * g.out[1] * g.out[2], k_size = g.k[0] * g.k[1] * g.k[2];
  for (int ch = 0; ch < g.nc; ++ch)
    for (int op = 0; op < out_size; ++op) {
      const int o[3] = {op / (g.out[1] * g.out[2]), op / g.out[2] % g.out[1], op % g.out[2]};
      f64 acc = g.max ? -std::numeric_limits<double>::infinity() : 0.0;
      int count = 0, pad_count = 0, best = -1, best_idx = 0;
      for (int kp = 0; kp < k_size; ++kp) {
        const int k[3] = {kp / (g.k[1] * g.k[2]), kp / g.k[2] % g.k[1], kp % g.k[2]};
        int flat = 0, flat_idx = 0;
        bool inside = true, inside_padded = true;
        for (int a = 0; a < 3; ++a) {
          const int p = o[a] * g.s[a] - g.pb[a] + k[a] * g.d[a];
          if (p < 0 || p >= g.in[a]) inside = false;
          if (p < -g.pb[a] || p >= g.in[a] + g.pe[a]) inside_padded = false;
          flat = flat * g.in[a] + p;
          flat_idx += p * g.istr[a];
        }
        if (inside_padded) ++pad_count;
        if (!inside) continue;
        const float v = x[static_cast<size_t>(ch) * in_size + flat];
        ++count;
        if (g.max) {
          if (f64(static_cast<double>(v)) > acc || best < 0) {
            acc = static_cast<double>(v);
            best = flat;
            best_idx = flat_idx;
          }
        } else {
          acc += static_cast<double>(v);
        }
      }
      const int div = g.include_pad ? pad_count : count;
      y[static_cast<size_t>(ch) * out_size + op] = static_cast<float>(static_cast<double>(g.max ? acc : (div == 0 ? f64(0.0) : acc / div)));
      if (indices) indices[static_cast<size_t>(ch) * out_size + op] = static_cast<int64_t>(ch) * in_size + best_idx;
    }
}

}  // namespace quench

#endif
