// Quench runtime kernels: fully connected layers, y[r, j] = requant(sum_k x[r, k] * w[j, k] + b[j]),
// portable and through the ISA layer (quench/isa.h; bit-exact with the portable one, tested in
// src/test/cpp/kernel_twin).
#ifndef QUENCH_KERNELS_FULLY_CONNECTED_H
#define QUENCH_KERNELS_FULLY_CONNECTED_H

#include "quench/isa.h"
#include "quench/kernels/conv_isa.h"
#include "quench/qmath.h"
#include "quench/requant.h"

namespace quench {

constexpr size_t fully_connected_int_scratch_bytes() { return 0; }

template <typename Acc, typename Tx, typename Ty>
QUENCH_INLINE void fully_connected_int(const Tx* x, int rows, int k, const int8_t* wt, int n_out, const int32_t* bias, const Requant& rq, Ty* y) {
  for (int r = 0; r < rows; ++r) {
    for (int j = 0; j < n_out; ++j) {
      Acc acc = bias ? static_cast<Acc>(bias[j]) : 0;
      const Tx* xr = x + static_cast<size_t>(r) * k;
      const int8_t* wr = wt + static_cast<size_t>(j) * k;
      for (int t = 0; t < k; ++t) acc += static_cast<Acc>(xr[t]) * static_cast<Acc>(wr[t]);
      y[static_cast<size_t>(r) * n_out + j] = static_cast<Ty>(rq.apply(acc, j));
    }
  }
}

constexpr size_t matmul_int_scratch_bytes() { return 0; }

// MatMul of two quantized activations (ir/.../op/MatMul.java's quantized path): per batch, each
// element the exact sum over k of a * b in Acc, requantized (one shift).
template <typename Acc, typename Ta, typename Tb, typename Ty>
QUENCH_INLINE void matmul_int(const Ta* a, const Tb* b, int batch, int m, int n, int k, int b_batched, const Requant& rq, Ty* y) {
  for (int t = 0; t < batch; ++t) {
    const Ta* at = a + static_cast<size_t>(t) * m * k;
    const Tb* bt = b + (b_batched ? static_cast<size_t>(t) * k * n : 0);
    Ty* yt = opaque(y + static_cast<size_t>(t) * m * n);  // (GCC 12: see opaque)
    for (int i = 0; i < m; ++i)
      for (int j = 0; j < n; ++j) {
        Acc acc = 0;
        for (int q = 0; q < k; ++q) acc += static_cast<Acc>(at[static_cast<size_t>(i) * k + q]) * static_cast<Acc>(bt[static_cast<size_t>(q) * n + j]);
        yt[static_cast<size_t>(i) * n + j] = static_cast<Ty>(rq.apply(acc, 0));
      }
  }
}

// The per-output bases, and a copy of the input row where the ISA needs one: widened to halfwords
// (DSP), biased by -128 (uint8 inputs with NEON SDOT / MVE).
template <typename Tx>
constexpr size_t fully_connected_int_gemm_scratch_bytes(int k, int n_out) {
#if defined(QUENCH_ISA_ARM_DSP)
  const size_t row = scratch_piece(2 * static_cast<size_t>(k));
#else
  const size_t row = isa::kColumnBias<Tx> != 0 ? scratch_piece(static_cast<size_t>(k) * sizeof(isa::Column<Tx>)) : 0;
#endif
  return scratch_piece(4 * static_cast<size_t>(n_out)) + row;
}

// Inner products of each input row with four weight rows at a time.
template <typename Tx, typename Ty>
QUENCH_INLINE void fully_connected_int_gemm(const Tx* x, int rows, int k, const int8_t* wt, int n_out, const int32_t* bias, const Requant& rq, Ty* y,
                                            uint8_t* scratch) {
  static_assert(isa::kEnabled && sizeof(Tx) == 1, "an ISA variant, 8-bit inputs");
  Scratch s{scratch};
  int32_t* base = s.take<int32_t>(static_cast<size_t>(n_out));
  gemm_bases(wt, bias, n_out, k, isa::kColumnBias<Tx>, base);
#if defined(QUENCH_ISA_ARM_DSP)
  int16_t* wide = s.take<int16_t>(static_cast<size_t>(k));  // the row widened once (isa::widen_column), then isa::dot16
#else
  using C = isa::Column<Tx>;
  constexpr bool kCopy = isa::kColumnBias<Tx> != 0;
  C* row = kCopy ? s.take<C>(static_cast<size_t>(k)) : nullptr;
#endif
  for (int r = 0; r < rows; ++r) {
    const Tx* xr = x + static_cast<size_t>(r) * k;
#if defined(QUENCH_ISA_ARM_DSP)
    isa::widen_column(xr, k, wide);
    const int16_t* const c1[1] = {wide};
#else
    if (kCopy)
      for (int t = 0; t < k; ++t) row[t] = isa::column<Tx>(xr[t]);
    const C* const c1[1] = {kCopy ? row : reinterpret_cast<const C*>(xr)};
#endif
    for (int j = 0; j < n_out; j += 4) {
      const int nj = n_out - j < 4 ? n_out - j : 4;
      const int8_t* const w4[4] = {wt + static_cast<size_t>(j) * k, wt + static_cast<size_t>(j + (nj > 1 ? 1 : 0)) * k,
                                   wt + static_cast<size_t>(j + (nj > 2 ? 2 : 0)) * k, wt + static_cast<size_t>(j + (nj > 3 ? 3 : 0)) * k};
      int32_t acc[4];
#if defined(QUENCH_ISA_ARM_DSP)
      isa::dot16<4, 1>(w4, c1, k, acc);
#else
      isa::dot<4, 1>(w4, c1, k, acc);
#endif
      for (int u = 0; u < nj; ++u) y[static_cast<size_t>(r) * n_out + j + u] = static_cast<Ty>(rq.apply32(acc[u] + base[j + u], j + u));
    }
  }
}

constexpr size_t fully_connected_f32_scratch_bytes() { return 0; }

// Float fully connected layer, the twin of ir/.../op/FullyConnected.java: y[r][j] is the fma chain
// of x[r][t] * w[j][t] over t from 0, then the bias added. Weights [n_out][k].
QUENCH_INLINE void fully_connected_f32(const float* x, int rows, int k, const float* wt, int n_out, const float* bias, float* y) {
  for (int r = 0; r < rows; ++r)
    for (int j = 0; j < n_out; ++j) {
      const float* xr = x + static_cast<size_t>(r) * k;
      const float* wj = wt + static_cast<size_t>(j) * k;
      float acc = 0.0f;
      for (int t = 0; t < k; ++t) acc = qmath::fma(xr[t], wj[t], acc);
      y[static_cast<size_t>(r) * n_out + j] = bias ? acc + bias[j] : acc;
    }
}

}  // namespace quench

#endif
