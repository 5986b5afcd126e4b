// Quench runtime kernels: float islands (softmax, layer normalization, matrix products,
// reductions), each with the Java interpreter's order of operations and Quench's own math
// (qmath.h), so no libm is involved and results match bit for bit.
#ifndef QUENCH_KERNELS_FLOAT_H
#define QUENCH_KERNELS_FLOAT_H

#include <limits>

#include "quench/common.h"
#include "quench/dmath.h"
#include "quench/f64.h"
#include "quench/qmath.h"

namespace quench {

// One row of exponentials (float) or of shifted inputs (f64, LogSoftmax).
constexpr size_t softmax_f32_scratch_bytes(int len) { return scratch_piece(static_cast<size_t>(len) * sizeof(f64)); }

// Softmax (mode 0), LogSoftmax (1) or Hardmax (2) over len elements spaced inner apart, as
// ir/.../op/Softmax.java: the maximum first (the first of equal values); Softmax in float with
// qmath::exp summed in index order; LogSoftmax in double, x - max minus the log of the sum of
// their exponentials; Hardmax 1 at the maximum, 0 elsewhere.
QUENCH_INLINE void softmax_f32(const float* x, int outer, int len, int inner, int mode, float* y, uint8_t* scratch) {
  f64* d = reinterpret_cast<f64*>(scratch);
  float* e = reinterpret_cast<float*>(scratch);
  for (int o = 0; o < outer; ++o)
    for (int i = 0; i < inner; ++i) {
      const size_t base = static_cast<size_t>(o) * len * inner + i;
      float mx = -std::numeric_limits<float>::infinity();
      int arg = 0;
      for (int k = 0; k < len; ++k) {
        const float v = x[base + static_cast<size_t>(k) * inner];
        if (v > mx) {
          mx = v;
          arg = k;
        }
      }
      if (mode == 2) {
        for (int k = 0; k < len; ++k) y[base + static_cast<size_t>(k) * inner] = k == arg ? 1.0f : 0.0f;
        continue;
      }
      if (mode == 1) {
        f64 sum = 0;
        for (int k = 0; k < len; ++k) {
          d[k] = f64(static_cast<double>(x[base + static_cast<size_t>(k) * inner])) - static_cast<double>(mx);
          sum += dmath::exp(d[k]);
        }
        const f64 log_sum = dmath::log(sum);
        for (int k = 0; k < len; ++k) y[base + static_cast<size_t>(k) * inner] = static_cast<float>(d[k] - log_sum);
        continue;
      }
      float sum = 0.0f;
      for (int k = 0; k < len; ++k) {
        e[k] = qmath::exp(x[base + static_cast<size_t>(k) * inner] - mx);
        sum += e[k];
      }
      for (int k = 0; k < len; ++k) y[base + static_cast<size_t>(k) * inner] = e[k] / sum;
    }
}

// The mean and the (biased) variance of len floats in double (f64), as Normalization.java's meanVar:
// the sum in order, then the sum of squared deviations.
struct MeanVar {
  f64 mean, var;
};

QUENCH_INLINE MeanVar mean_var(const float* x, int len) {
  f64 sum = 0;
  for (int i = 0; i < len; ++i) sum += static_cast<double>(x[i]);
  const f64 m = sum / len;
  f64 sq = 0;
  for (int i = 0; i < len; ++i) {
    const f64 d = static_cast<double>(x[i]) - m;
    sq += d * d;
  }
  return MeanVar{m, sq / len};
}

constexpr size_t batch_norm_f32_scratch_bytes() { return 0; }

// BatchNormalization with statistics computed at run time, or in training mode (Normalization.java):
// per channel k = scale / sqrt(var + eps) and b = bias - mean * k in double, y = x * k + b in float.
// Training normalises with the batch's mean and biased variance (sums in order, f64) and writes the
// running statistics moved by momentum into run_mean / run_var (inference: the inputs'); either may
// be null.
QUENCH_INLINE void batch_norm_f32(const float* x, int outer, int c, int inner, const float* scale, const float* bias, const float* mean, const float* var, double eps,
                                  int training, double momentum, float* y, float* run_mean, float* run_var) {
  for (int ch = 0; ch < c; ++ch) {
    float m = mean[ch], v = var[ch];
    if (training) {
      f64 sum = 0, sq = 0;
      const int count = outer * inner;
      for (int o = 0; o < outer; ++o)
        for (int i = 0; i < inner; ++i) sum += static_cast<double>(x[(static_cast<size_t>(o) * c + ch) * inner + i]);
      const f64 bm = sum / count;
      for (int o = 0; o < outer; ++o)
        for (int i = 0; i < inner; ++i) {
          const f64 d = static_cast<double>(x[(static_cast<size_t>(o) * c + ch) * inner + i]) - bm;
          sq += d * d;
        }
      m = static_cast<float>(static_cast<double>(bm));
      v = static_cast<float>(static_cast<double>(sq / count));
      if (run_mean) run_mean[ch] = static_cast<float>(static_cast<double>(f64(static_cast<double>(mean[ch])) * momentum + bm * (f64(1.0) - momentum)));
      if (run_var) run_var[ch] = static_cast<float>(static_cast<double>(f64(static_cast<double>(var[ch])) * momentum + f64(static_cast<double>(v)) * (f64(1.0) - momentum)));
    } else {
      if (run_mean) run_mean[ch] = mean[ch];
      if (run_var) run_var[ch] = var[ch];
    }
    const f64 kd = f64(static_cast<double>(scale[ch])) / f64(qmath::sqrt(static_cast<double>(f64(static_cast<double>(v)) + eps)));
    const float k = static_cast<float>(static_cast<double>(kd)), b = static_cast<float>(static_cast<double>(f64(static_cast<double>(bias[ch])) - f64(static_cast<double>(m)) * kd));
    for (int o = 0; o < outer; ++o) {
      const size_t base = (static_cast<size_t>(o) * c + ch) * inner;
      for (int i = 0; i < inner; ++i) y[base + i] = x[base + i] * k + b;
    }
  }
}

constexpr size_t layer_norm_f32_scratch_bytes() { return 0; }

// LayerNormalization over the last `inner` elements: mean and variance in double (f64), as the Java
// kernel; mean and inv (each optional) receive every row's mean and 1 / sqrt(var + eps).
QUENCH_INLINE void layer_norm_f32(const float* x, int outer, int inner, const float* scale, const float* bias, double eps, float* y, float* mean_out, float* inv_out) {
  for (int o = 0; o < outer; ++o) {
    const float* xr = x + static_cast<size_t>(o) * inner;
    float* yr = y + static_cast<size_t>(o) * inner;
    const MeanVar mv = mean_var(xr, inner);
    const f64 mean = mv.mean, var = mv.var;
    const f64 k = 1 / f64(qmath::sqrt(static_cast<double>(var + eps)));
    if (mean_out) mean_out[o] = static_cast<float>(mean);
    if (inv_out) inv_out[o] = static_cast<float>(k);
    for (int i = 0; i < inner; ++i) {
      const f64 v = (static_cast<double>(xr[i]) - mean) * k * static_cast<double>(scale[i]);
      yr[i] = static_cast<float>(bias ? v + static_cast<double>(bias[i]) : v);
    }
  }
}

constexpr size_t instance_norm_f32_scratch_bytes() { return 0; }

// InstanceNormalization: per (n, c) plane of `inner` elements, mean and variance in double (f64)
// as Normalization.java's meanVar, then (x - mean) * scale / sqrt(var + eps) + bias in double.
QUENCH_INLINE void instance_norm_f32(const float* x, int nc, int c, int inner, const float* scale, const float* bias, double eps, float* y) {
  for (int p = 0; p < nc; ++p) {
    const float* xr = x + static_cast<size_t>(p) * inner;
    float* yr = y + static_cast<size_t>(p) * inner;
    const MeanVar mv = mean_var(xr, inner);
    const f64 mean = mv.mean, var = mv.var;
    const f64 k = f64(static_cast<double>(scale[p % c])) / f64(qmath::sqrt(static_cast<double>(var + eps)));
    for (int i = 0; i < inner; ++i) yr[i] = static_cast<float>((static_cast<double>(xr[i]) - mean) * k + static_cast<double>(bias[p % c]));
  }
}

constexpr size_t lrn_f32_scratch_bytes() { return 0; }

// LRN across channels (LocalNorm.java): x / (bias + alpha / size * sum of x^2 over the channel
// window)^beta, in double (f64) with dmath::pow.
QUENCH_INLINE void lrn_f32(const float* x, int n, int c, int inner, int size, double alpha, double beta, double bias, float* y) {
  const int lo = (size - 1) / 2, hi = size - 1 - lo;
  for (int b = 0; b < n; ++b)
    for (int ch = 0; ch < c; ++ch)
      for (int i = 0; i < inner; ++i) {
        f64 sq = 0;
        for (int k = ch - lo < 0 ? 0 : ch - lo; k <= (ch + hi < c - 1 ? ch + hi : c - 1); ++k) {
          const f64 v = static_cast<double>(x[(static_cast<size_t>(b) * c + k) * inner + i]);
          sq += v * v;
        }
        const size_t at = (static_cast<size_t>(b) * c + ch) * inner + i;
        y[at] = static_cast<float>(f64(static_cast<double>(x[at])) / dmath::pow(f64(bias) + f64(alpha) / size * sq, beta));
      }
}

// MeanVarianceNormalization (LocalNorm.java): the elements sharing their coordinates on the kept
// axes form a group (rank dims, kept[d] 1 for a kept axis); per group the mean and the biased
// variance in double (f64), sums in element order, and each element (x - mean) / (sqrt(var) + 1e-9).
// Scratch: the groups' sums and sums of squared deviations.
constexpr size_t mvn_f32_scratch_bytes(size_t groups) { return 2 * scratch_piece(groups * sizeof(f64)); }

QUENCH_INLINE size_t mvn_group(size_t i, int rank, const int32_t* dims, const uint8_t* kept) {
  size_t g = 0, mul = 1;
  for (int d = rank - 1; d >= 0; --d) {
    const size_t c = i % static_cast<size_t>(dims[d]);
    i /= static_cast<size_t>(dims[d]);
    if (kept[d]) {
      g += c * mul;
      mul *= static_cast<size_t>(dims[d]);
    }
  }
  return g;
}

QUENCH_INLINE void mvn_f32(const float* x, size_t size, int rank, const int32_t* dims, const uint8_t* kept, size_t groups, float* y, uint8_t* scratch) {
  Scratch s{scratch};
  f64* sum = s.take<f64>(groups);
  f64* sq = s.take<f64>(groups);
  for (size_t g = 0; g < groups; ++g) sum[g] = sq[g] = 0;
  const int cnt = static_cast<int>(size / groups);
  for (size_t i = 0; i < size; ++i) sum[mvn_group(i, rank, dims, kept)] += static_cast<double>(x[i]);
  for (size_t i = 0; i < size; ++i) {
    const size_t g = mvn_group(i, rank, dims, kept);
    const f64 d = static_cast<double>(x[i]) - sum[g] / cnt;
    sq[g] += d * d;
  }
  for (size_t i = 0; i < size; ++i) {
    const size_t g = mvn_group(i, rank, dims, kept);
    y[i] = static_cast<float>((static_cast<double>(x[i]) - sum[g] / cnt) / (f64(qmath::sqrt(static_cast<double>(sq[g] / cnt))) + 1e-9));
  }
}

constexpr size_t cumsum_f32_scratch_bytes() { return 0; }

// CumSum along one axis (outer x len x inner), in double (f64) as CumSum.java: exclusive writes the
// sum before adding, reverse runs from the end.
QUENCH_INLINE void cumsum_f32(const float* x, int outer, int len, int inner, int exclusive, int reverse, float* y) {
  for (int a = 0; a < outer; ++a)
    for (int b = 0; b < inner; ++b) {
      f64 acc = 0;
      for (int t = 0; t < len; ++t) {
        const int i = reverse ? len - 1 - t : t;
        const size_t at = (static_cast<size_t>(a) * len + i) * inner + b;
        if (exclusive) y[at] = static_cast<float>(acc);
        acc += static_cast<double>(x[at]);
        if (!exclusive) y[at] = static_cast<float>(acc);
      }
    }
}

constexpr size_t gemm_f32_scratch_bytes() { return 0; }

// Gemm (GemmOp.java): y = alpha * A'B' (the fma chain over k from 0, A' and B' A and B or their
// transposes), times alpha when it is not 1, plus beta * C (C broadcast by its row and column strides).
QUENCH_INLINE void gemm_f32(const float* a, const float* b, const float* c, int m, int n, int k, int trans_a, int trans_b, float alpha, float beta, int c_rs,
                            int c_cs, float* y) {
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) {
      float acc = 0.0f;
      for (int t = 0; t < k; ++t) {
        const float av = trans_a ? a[static_cast<size_t>(t) * m + i] : a[static_cast<size_t>(i) * k + t];
        const float bv = trans_b ? b[static_cast<size_t>(j) * k + t] : b[static_cast<size_t>(t) * n + j];
        acc = qmath::fma(av, bv, acc);
      }
      if (alpha != 1.0f) acc *= alpha;
      if (c && beta != 0.0f) acc += beta * c[static_cast<size_t>(i) * c_rs + static_cast<size_t>(j) * c_cs];
      y[static_cast<size_t>(i) * n + j] = acc;
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

// The double (f64) accumulators of the output slots, and for LogSumExp their maxima.
constexpr size_t reduce_f32_scratch_bytes(size_t out_size) { return 2 * scratch_piece(out_size * sizeof(f64)); }

// The reductions of ir/.../op/Reduce.java, in double over the input in order, the slot from the kept
// dims: op 0 Sum, 1 Mean, 2 Max, 3 Min (Java's Math.max / min: NaN wins), 4 Prod, 5 SumSquare,
// 6 L2, 7 L1, 8 LogSum, 9 LogSumExp (shifted by each slot's maximum, 0 where that is infinite).
QUENCH_INLINE void reduce_f32(const float* x, int rank, const int32_t* in_dims, const int32_t* kept_strides, size_t in_size, size_t out_size, int op, float* y,
                              uint8_t* scratch) {
  Scratch s{scratch};
  f64* acc = s.take<f64>(out_size);
  f64* shift = s.take<f64>(out_size);
  const f64 init = op == 2 ? -std::numeric_limits<double>::infinity() : op == 3 ? std::numeric_limits<double>::infinity() : op == 4 ? 1.0 : 0.0;
  for (size_t i = 0; i < out_size; ++i) {
    acc[i] = init;
    shift[i] = -std::numeric_limits<double>::infinity();
  }
  auto slot_of = [&](size_t i) {
    size_t rest = i, slot = 0;
    for (int d = rank - 1; d >= 0; --d) {
      slot += (rest % static_cast<size_t>(in_dims[d])) * static_cast<size_t>(kept_strides[d]);
      rest /= static_cast<size_t>(in_dims[d]);
    }
    return slot;
  };
  if (op == 9) {
    for (size_t i = 0; i < in_size; ++i) {
      const size_t slot = slot_of(i);
      shift[slot] = dmath::jmax(shift[slot], static_cast<double>(x[i]));
    }
    for (size_t i = 0; i < out_size; ++i)
      if (dmath::is_inf(shift[i])) shift[i] = 0.0;
  }
  for (size_t i = 0; i < in_size; ++i) {
    const size_t slot = slot_of(i);
    const f64 v = static_cast<double>(x[i]);
    switch (op) {
      case 2: acc[slot] = dmath::jmax(acc[slot], v); break;
      case 3: acc[slot] = dmath::jmin(acc[slot], v); break;
      case 4: acc[slot] *= v; break;
      case 5:
      case 6: acc[slot] += v * v; break;
      case 7: acc[slot] += dmath::fabs(v); break;
      case 9: acc[slot] += dmath::exp(v - shift[slot]); break;
      default: acc[slot] += v; break;
    }
  }
  const size_t count = out_size == 0 ? 0 : in_size / out_size;
  for (size_t i = 0; i < out_size; ++i) {
    f64 v = acc[i];
    if (op == 1) v = acc[i] / static_cast<double>(count);
    if (op == 6) v = qmath::sqrt(static_cast<double>(acc[i]));
    if (op == 8) v = dmath::log(acc[i]);
    if (op == 9) v = dmath::log(acc[i]) + shift[i];
    y[i] = static_cast<float>(v);
  }
}

}  // namespace quench

#endif
