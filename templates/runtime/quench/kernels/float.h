// Quench runtime kernels: float islands (softmax, layer normalization, matrix products,
// reductions), each with the Java interpreter's order of operations and Quench's own math
// (qmath.h), so no libm is involved and results match bit for bit.
#ifndef QUENCH_KERNELS_FLOAT_H
#define QUENCH_KERNELS_FLOAT_H

#include <limits>

#include "quench/common.h"
#include "quench/qmath.h"

namespace quench {

// One softmax row of exponentials.
constexpr size_t softmax_f32_scratch_bytes(int len) { return scratch_piece(static_cast<size_t>(len) * sizeof(float)); }

// Softmax over len elements spaced inner apart: float arithmetic with qmath::exp, summed in index order.
QUENCH_INLINE void softmax_f32(const float* x, int outer, int len, int inner, float* y, uint8_t* scratch) {
  float* e = Scratch{scratch}.take<float>(static_cast<size_t>(len));
  for (int o = 0; o < outer; ++o)
    for (int i = 0; i < inner; ++i) {
      const size_t base = static_cast<size_t>(o) * len * inner + i;
      float mx = -std::numeric_limits<float>::infinity();
      for (int k = 0; k < len; ++k) {
        const float v = x[base + static_cast<size_t>(k) * inner];
        if (v > mx) mx = v;
      }
      float sum = 0.0f;
      for (int k = 0; k < len; ++k) {
        e[k] = qmath::exp(x[base + static_cast<size_t>(k) * inner] - mx);
        sum += e[k];
      }
      for (int k = 0; k < len; ++k) y[base + static_cast<size_t>(k) * inner] = e[k] / sum;
    }
}

constexpr size_t layer_norm_f32_scratch_bytes() { return 0; }

// LayerNormalization over the last `inner` elements: mean and variance in double, as the Java kernel.
QUENCH_INLINE void layer_norm_f32(const float* x, int outer, int inner, const float* scale, const float* bias, double eps, float* y) {
  for (int o = 0; o < outer; ++o) {
    const float* xr = x + static_cast<size_t>(o) * inner;
    float* yr = y + static_cast<size_t>(o) * inner;
    double sum = 0;
    for (int i = 0; i < inner; ++i) sum += xr[i];
    const double mean = sum / inner;
    double sq = 0;
    for (int i = 0; i < inner; ++i) {
      const double d = xr[i] - mean;
      sq += d * d;
    }
    const double k = 1 / qmath::sqrt(sq / inner + eps);
    for (int i = 0; i < inner; ++i) {
      const double v = (xr[i] - mean) * k * scale[i];
      yr[i] = static_cast<float>(bias ? v + bias[i] : v);
    }
  }
}

constexpr size_t matmul_f32_scratch_bytes() { return 0; }

// Batched float matrix product, each element the fma chain over k from 0 (as Java's Gemm), with
// Quench's own correctly rounded fma (qmath.h).
QUENCH_INLINE void matmul_f32(const float* a, const float* b, int batch, int m, int n, int k, int b_batched, float* y) {
  for (int t = 0; t < batch; ++t) {
    const float* at = a + static_cast<size_t>(t) * m * k;
    const float* bt = b + (b_batched ? static_cast<size_t>(t) * k * n : 0);
    float* yt = y + static_cast<size_t>(t) * m * n;
    for (int i = 0; i < m; ++i)
      for (int j = 0; j < n; ++j) {
        float acc = 0.0f;
        for (int q = 0; q < k; ++q) acc = qmath::fma(at[static_cast<size_t>(i) * k + q], bt[static_cast<size_t>(q) * n + j], acc);
        yt[static_cast<size_t>(i) * n + j] = acc;
      }
  }
}

// The double sums of the output slots.
constexpr size_t reduce_f32_scratch_bytes(size_t out_size) { return scratch_piece(out_size * sizeof(double)); }

// ReduceSum (mean 0) / ReduceMean (mean 1): double sums in input order, slot from the kept dims.
QUENCH_INLINE void reduce_f32(const float* x, int rank, const int32_t* in_dims, const int32_t* kept_strides, size_t in_size, size_t out_size, int mean, float* y,
                              uint8_t* scratch) {
  double* acc = Scratch{scratch}.take<double>(out_size);
  for (size_t i = 0; i < out_size; ++i) acc[i] = 0;
  for (size_t i = 0; i < in_size; ++i) {
    size_t rest = i, slot = 0;
    for (int d = rank - 1; d >= 0; --d) {
      slot += (rest % static_cast<size_t>(in_dims[d])) * static_cast<size_t>(kept_strides[d]);
      rest /= static_cast<size_t>(in_dims[d]);
    }
    acc[slot] += x[i];
  }
  const size_t count = out_size == 0 ? 0 : in_size / out_size;
  for (size_t i = 0; i < out_size; ++i) y[i] = static_cast<float>(mean ? acc[i] / static_cast<double>(count) : acc[i]);
}

}  // namespace quench

#endif
