// Quench runtime kernels: data movement (concatenation, gathers, copies).
#ifndef QUENCH_KERNELS_MOVEMENT_H
#define QUENCH_KERNELS_MOVEMENT_H

#include "quench/common.h"
#include "quench/fixed_point.h"

namespace quench {

constexpr size_t concat_int_scratch_bytes() { return 0; }

// One input of a Concat: requantized to the output frac, copied to its slot along the axis.
template <typename Tx, typename Ty>
QUENCH_INLINE void concat_int(const Tx* x, size_t outer, size_t len, size_t out_len, size_t offset, int shift_right, int64_t lo, int64_t hi, Ty* y) {
  for (size_t o = 0; o < outer; ++o)
    for (size_t i = 0; i < len; ++i) y[o * out_len + offset + i] = static_cast<Ty>(clamp(shift_round(static_cast<int64_t>(x[o * len + i]), shift_right), lo, hi));
}

constexpr size_t concat_f32_scratch_bytes() { return 0; }

QUENCH_INLINE void concat_f32(const float* x, size_t outer, size_t len, size_t out_len, size_t offset, float* y) {
  for (size_t o = 0; o < outer; ++o) std::memcpy(y + o * out_len + offset, x + o * len, len * sizeof(float));
}

constexpr size_t gather_strided_scratch_bytes() { return 0; }

// Affine gather (Slice, Transpose, Split, ...): y[i] = x[base + sum_d coord_d(i) * strides[d]].
template <typename T>
QUENCH_INLINE void gather_strided(const T* x, int rank, const int32_t* out_dims, int64_t base, const int32_t* strides, size_t size, T* y) {
  for (size_t i = 0; i < size; ++i) {
    size_t rest = i;
    int64_t at = base;
    for (int d = rank - 1; d >= 0; --d) {
      at += static_cast<int64_t>(rest % static_cast<size_t>(out_dims[d])) * strides[d];
      rest /= static_cast<size_t>(out_dims[d]);
    }
    y[i] = x[at];
  }
}

constexpr size_t gather_axes_scratch_bytes() { return 0; }

// Separable gather (nearest Resize, Pad): per output axis a table of input coordinates
// (concatenated); a coordinate of -1 reads no input (padding): the element is fill (a value of T).
template <typename T>
QUENCH_INLINE void gather_axes(const T* x, int rank, const int32_t* out_dims, const int32_t* in_strides, const int32_t* maps, double fill, size_t size, T* y) {
  int total = 0;
  for (int d = 0; d < rank; ++d) total += out_dims[d];
  for (size_t i = 0; i < size; ++i) {
    size_t rest = i;
    int64_t at = 0;
    int end = total;
    bool inside = true;
    for (int d = rank - 1; d >= 0; --d) {
      end -= out_dims[d];
      const int32_t c = maps[end + static_cast<int>(rest % static_cast<size_t>(out_dims[d]))];
      inside = inside && c >= 0;
      at += static_cast<int64_t>(c) * in_strides[d];
      rest /= static_cast<size_t>(out_dims[d]);
    }
    y[i] = inside ? x[at] : static_cast<T>(fill);
  }
}

constexpr size_t copy_bytes_scratch_bytes() { return 0; }

// memmove without memmove (bare metal links memcpy / memset only): overlapping ranges are copied
// in non-overlapping chunks of their distance, walking away from the overlap.
QUENCH_INLINE void copy_bytes(const void* x, size_t bytes, void* y) {
  const uint8_t* s = static_cast<const uint8_t*>(x);
  uint8_t* d = static_cast<uint8_t*>(y);
  if (s == d || bytes == 0) return;
  const size_t gap = s < d ? static_cast<size_t>(d - s) : static_cast<size_t>(s - d);
  if (gap >= bytes) {
    std::memcpy(d, s, bytes);
  } else if (d < s) {
    for (size_t at = 0; at < bytes; at += gap) std::memcpy(d + at, s + at, bytes - at < gap ? bytes - at : gap);
  } else {
    for (size_t end = bytes; end > 0;) {
      const size_t len = end < gap ? end : gap;
      end -= len;
      std::memcpy(d + end, s + end, len);
    }
  }
}

// An interpolating Resize: one pass per resized axis, the intermediates in two scratch buffers
// (b0 and b1 floats; the passes alternate between them).
constexpr size_t resize_axis_f32_scratch_bytes(size_t b0, size_t b1) { return scratch_piece(4 * b0) + scratch_piece(4 * b1); }

// One pass over an axis (outer x in_len x inner to outer x out_len x inner), Resize.java's
// AxisPass: output position o adds (float) (w * x) of its taps idx[o * taps + k] onto 0 in tap
// order (one tap: a copy); idx -1 is the fill value. Tables from the generator.
QUENCH_INLINE void resize_axis_f32(const float* src, int outer, int in_len, int inner, int out_len, int taps, const int32_t* idx, const double* w, float fill, float* dst) {
  for (int ou = 0; ou < outer; ++ou)
    for (int o = 0; o < out_len; ++o) {
      float* d = dst + (static_cast<size_t>(ou) * out_len + o) * inner;
      if (idx[static_cast<size_t>(o) * taps] < 0) {
        for (int i = 0; i < inner; ++i) d[i] = fill;
        continue;
      }
      for (int i = 0; i < inner; ++i) d[i] = 0.0f;
      for (int k = 0; k < taps; ++k) {
        const float* s = src + (static_cast<size_t>(ou) * in_len + idx[static_cast<size_t>(o) * taps + k]) * inner;
        const double wk = w[static_cast<size_t>(o) * taps + k];
        if (taps == 1) {
          for (int i = 0; i < inner; ++i) d[i] = s[i];
        } else {
          for (int i = 0; i < inner; ++i) d[i] += static_cast<float>(wk * static_cast<double>(s[i]));
        }
      }
    }
}

}  // namespace quench

#endif
