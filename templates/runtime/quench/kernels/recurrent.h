// Quench runtime kernels: the recurrent layers LSTM, GRU and RNN in float, the twin of
// ir/.../op/Recurrent.java operation for operation: gate pre-activations as fma chains over the
// input and the hidden state (qmath::fma), ((input + recurrent) + Wb) + Rb, peepholes, clip, the
// activations in double as MathKernels computes them, state updates as float products and sums.
#ifndef QUENCH_KERNELS_RECURRENT_H
#define QUENCH_KERNELS_RECURRENT_H

#include "quench/dmath.h"
#include "quench/qmath.h"

namespace quench {

// op: 0 LSTM (gates i o f c), 1 GRU (z r h), 2 RNN; direction: 0 forward, 1 reverse, 2 bidirectional.
struct RnnGeom {
  int op, seq, batch, input, hidden, dirs, batch_first, direction;
  float clip;
  int input_forget, linear_before_reset;
  constexpr int gates() const { return op == 0 ? 4 : op == 1 ? 3 : 1; }
};

// An activation: 0 Relu, 1 Tanh, 2 Sigmoid, 3 Softsign, 4 Softplus, 5 Affine, 6 ScaledTanh,
// 7 LeakyRelu, 8 ThresholdedRelu, 9 HardSigmoid, 10 Elu, with its alpha and beta.
struct RnnAct {
  int kind;
  double alpha, beta;
};

QUENCH_INLINE float rnn_act(const RnnAct& a, float vf) {
  const f64 v = static_cast<double>(vf), al = a.alpha, be = a.beta;
  f64 r;
  switch (a.kind) {
    case 0: r = v > 0 ? v : f64(0.0); break;
    case 1: r = static_cast<double>(qmath::tanh(vf)); break;
    case 2: r = static_cast<double>(qmath::sigmoid(vf)); break;
    case 3: r = v / (1 + dmath::fabs(v)); break;
    case 4: r = v > 30 ? v : dmath::log1p(dmath::exp(v)); break;
    case 5: r = al * v + be; break;
    case 6: r = al * dmath::tanh(be * v); break;
    case 7: r = v >= 0 ? v : al * v; break;
    case 8: r = v > al ? v : f64(0.0); break;
    case 9: r = dmath::jmax(0, dmath::jmin(1, al * v + be)); break;
    default: r = v >= 0 ? v : al * (dmath::exp(v) - 1); break;
  }
  return static_cast<float>(r);
}

QUENCH_INLINE float rnn_clip(float v, float c) { return c == std::numeric_limits<float>::infinity() ? v : (v < -c ? -c : (v > c ? c : v)); }

// The fma chain of w[k] * v[k]; int8 weights (the weight-only form) widened exactly, q * 2^-frac.
QUENCH_INLINE float rnn_dot(const float* w, float, const float* v, int len) {
  float acc = 0.0f;
  for (int k = 0; k < len; ++k) acc = qmath::fma(w[k], v[k], acc);
  return acc;
}

QUENCH_INLINE float rnn_dot(const int8_t* w, float scale, const float* v, int len) {
  float acc = 0.0f;
  for (int k = 0; k < len; ++k) acc = qmath::fma(static_cast<float>(w[k]) * scale, v[k], acc);
  return acc;
}

// h, c, the next h, the gate pre-activations, x_t, and GRU's z, r and r * h.
constexpr size_t recurrent_f32_scratch_bytes(const RnnGeom& g) {
  return scratch_piece(sizeof(float) * static_cast<size_t>(g.gates() * g.hidden + g.input + 6 * g.hidden));
}

// acts: per direction, the layer's activations in order (LSTM f g h, GRU f g, RNN f). Optional
// inputs and outputs may be null; lens (per batch entry, int32) null means every step. Weights
// float (w_scale, r_scale null) or int8 with a scale 2^-frac per row (Recurrent.java's w_frac, r_frac).
template <typename Tw>
QUENCH_INLINE void recurrent_f32(const float* x, const Tw* w, const float* w_scale, const Tw* r, const float* r_scale, const float* b, const int32_t* lens,
                                 const float* h0, const float* c0, const float* p, const RnnGeom& g, const RnnAct* acts, float* y, float* yh, float* yc,
                                 uint8_t* scratch) {
  const int gc = g.gates(), hs = g.hidden, is = g.input, bs = g.batch, seq = g.seq, per = g.op == 0 ? 3 : g.op == 1 ? 2 : 1;
  Scratch s{scratch};
  float* h = s.take<float>(static_cast<size_t>(gc * hs + is + 6 * hs));
  float* c = h + hs;
  float* hn = c + hs;
  float* pre = hn + hs;
  float* xt = pre + gc * hs;
  float* zt = xt + is;
  float* rt = zt + hs;
  float* rh = rt + hs;
  if (y)
    for (size_t i = 0; i < static_cast<size_t>(seq) * g.dirs * bs * hs; ++i) y[i] = 0.0f;
  for (int d = 0; d < g.dirs; ++d) {
    const bool reverse = g.direction == 1 || d == 1;
    const RnnAct& fa = acts[d * per];
    const RnnAct& ga = acts[d * per + (per > 1 ? 1 : 0)];
    const RnnAct& ha = acts[d * per + (per > 2 ? 2 : 0)];
    const Tw* wd = w + static_cast<size_t>(d) * gc * hs * is;
    const Tw* rd = r + static_cast<size_t>(d) * gc * hs * hs;
    const float* ws = w_scale ? w_scale + static_cast<size_t>(d) * gc * hs : nullptr;
    const float* rs = r_scale ? r_scale + static_cast<size_t>(d) * gc * hs : nullptr;
    const float* bd = b ? b + static_cast<size_t>(d) * 2 * gc * hs : nullptr;
    const float* pd = p ? p + static_cast<size_t>(d) * 3 * hs : nullptr;
    for (int bi = 0; bi < bs; ++bi) {
      const int len = lens ? lens[bi] : seq;
      for (int j = 0; j < hs; ++j) {
        const size_t at = g.batch_first ? (static_cast<size_t>(bi) * g.dirs + d) * hs + j : (static_cast<size_t>(d) * bs + bi) * hs + j;
        h[j] = h0 ? h0[at] : 0.0f;
        c[j] = c0 ? c0[at] : 0.0f;
      }
      for (int step = 0; step < len; ++step) {
        const int t = reverse ? len - 1 - step : step;
        for (int k = 0; k < is; ++k) xt[k] = x[g.batch_first ? (static_cast<size_t>(bi) * seq + t) * is + k : (static_cast<size_t>(t) * bs + bi) * is + k];
        for (int q = 0; q < gc * hs; ++q) {
          const float a = rnn_dot(wd + static_cast<size_t>(q) * is, ws ? ws[q] : 1.0f, xt, is);
          const bool later = g.op == 1 && q >= 2 * hs;
          float v = later ? a : a + rnn_dot(rd + static_cast<size_t>(q) * hs, rs ? rs[q] : 1.0f, h, hs);
          if (bd) v = later ? v + bd[q] : (v + bd[q]) + bd[gc * hs + q];
          pre[q] = v;
        }
        if (g.op == 0) {
          for (int j = 0; j < hs; ++j) {
            float iv = pre[j], ov = pre[hs + j], fv = pre[2 * hs + j];
            const float cv = pre[3 * hs + j];
            if (pd) {
              iv = iv + pd[j] * c[j];
              fv = fv + pd[2 * hs + j] * c[j];
            }
            const float it = rnn_act(fa, rnn_clip(iv, g.clip));
            const float ft = g.input_forget ? 1 - it : rnn_act(fa, rnn_clip(fv, g.clip));
            const float ct = rnn_act(ga, rnn_clip(cv, g.clip));
            const float cn = ft * c[j] + it * ct;
            if (pd) ov = ov + pd[hs + j] * cn;
            const float ot = rnn_act(fa, rnn_clip(ov, g.clip));
            c[j] = cn;
            hn[j] = ot * rnn_act(ha, cn);
          }
        } else if (g.op == 1) {
          for (int j = 0; j < hs; ++j) {
            zt[j] = rnn_act(fa, rnn_clip(pre[j], g.clip));
            rt[j] = rnn_act(fa, rnn_clip(pre[hs + j], g.clip));
          }
          for (int j = 0; j < hs; ++j) rh[j] = rt[j] * h[j];
          for (int j = 0; j < hs; ++j) {
            const int q = 2 * hs + j;
            float v;
            if (g.linear_before_reset) {
              float rec = rnn_dot(rd + static_cast<size_t>(q) * hs, rs ? rs[q] : 1.0f, h, hs);
              if (bd) rec = rec + bd[gc * hs + q];
              v = pre[q] + rt[j] * rec;
            } else {
              v = pre[q] + rnn_dot(rd + static_cast<size_t>(q) * hs, rs ? rs[q] : 1.0f, rh, hs);
              if (bd) v = v + bd[gc * hs + q];
            }
            const float ht = rnn_act(ga, rnn_clip(v, g.clip));
            hn[j] = (1 - zt[j]) * ht + zt[j] * h[j];
          }
        } else {
          for (int j = 0; j < hs; ++j) hn[j] = rnn_act(fa, rnn_clip(pre[j], g.clip));
        }
        for (int j = 0; j < hs; ++j) h[j] = hn[j];
        if (y)
          for (int j = 0; j < hs; ++j)
            y[g.batch_first ? ((static_cast<size_t>(bi) * seq + t) * g.dirs + d) * hs + j : ((static_cast<size_t>(t) * g.dirs + d) * bs + bi) * hs + j] = h[j];
      }
      for (int j = 0; j < hs; ++j) {
        const size_t at = g.batch_first ? (static_cast<size_t>(bi) * g.dirs + d) * hs + j : (static_cast<size_t>(d) * bs + bi) * hs + j;
        if (yh) yh[at] = h[j];
        if (yc) yc[at] = c[j];
      }
    }
  }
}

}  // namespace quench

#endif
