// Quench runtime: the requantization of one node, on top of fixed_point.h (the integer semantics,
// mirrored from ir/.../FixedPoint.java).
#ifndef QUENCH_REQUANT_H
#define QUENCH_REQUANT_H

#include "quench/common.h"
#include "quench/fixed_point.h"

namespace quench {

// Per-channel right shifts (or one), output range narrowed by a fused clamp.
struct Requant {
  const int8_t* shift_right;
  int shifts;  // 1 or the channel count
  int64_t lo, hi;
  QUENCH_INLINE int shift(int channel) const { return shift_right[shifts == 1 ? 0 : channel]; }
  QUENCH_INLINE int64_t apply(int64_t acc, int channel) const { return clamp(shift_round(acc, shift(channel)), lo, hi); }
  // apply for an int32 accumulator: the branch-free shift_round32 for right shifts 1..31 (the
  // same values), with a 32-bit clamp (lo and hi are 8- or 16-bit bounds).
  QUENCH_INLINE int32_t apply32(int32_t acc, int channel) const {
    const int s = shift(channel);
    if (s < 1 || s > 31) return static_cast<int32_t>(apply(acc, channel));
    const int32_t q = shift_round32(acc, s), l = static_cast<int32_t>(lo), h = static_cast<int32_t>(hi);
    return q < l ? l : (q > h ? h : q);
  }
  // y[p * stride] = apply(acc[p], channel) for p < len; int32 accumulators with a right shift take
  // the branch-free shift_round32 (the same values), so the loop vectorises.
  template <typename Acc, typename Ty>
  QUENCH_INLINE void store(const Acc* acc, int len, int channel, Ty* y, size_t stride) const {
    const int s = shift(channel);
    if (sizeof(Acc) == 4 && s >= 1 && s <= 31) {
      const int32_t l = static_cast<int32_t>(lo), h = static_cast<int32_t>(hi);
      for (int p = 0; p < len; ++p) {
        const int32_t q = shift_round32(static_cast<int32_t>(acc[p]), s);
        y[p * stride] = static_cast<Ty>(q < l ? l : (q > h ? h : q));
      }
      return;
    }
    for (int p = 0; p < len; ++p) y[p * stride] = static_cast<Ty>(apply(acc[p], channel));
  }
};

}  // namespace quench

#endif
