// Quench runtime, ISA layer: no ISA (included by quench/isa.h only). The inner products are the
// scalar tail alone; depthwise rows the scalar four-position kernel.
#ifndef QUENCH_ISA_PORTABLE_H
#define QUENCH_ISA_PORTABLE_H

namespace quench {
namespace isa {

template <int NW, int NC, typename C>
QUENCH_INLINE int dot_vector(const int8_t* const (&)[NW], const C* const (&)[NC], int, Accumulators&) {
  return 0;
}

template <typename Tx, typename Ty>
QUENCH_INLINE int depthwise_row(const Tx* rows, size_t row_stride, const int8_t* wr, int nrows, int kw, int dw, int sw, int count, int32_t b0, int s, int32_t lo,
                                int32_t hi, Ty* out) {
  return depthwise_row_scalar(rows, row_stride, wr, nrows, kw, dw, sw, count, b0, s, lo, hi, out);
}

}  // namespace isa
}  // namespace quench

#endif
