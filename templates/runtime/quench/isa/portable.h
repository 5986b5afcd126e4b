// Quench runtime, ISA layer: no ISA (included by quench/isa.h only). The inner products are the
// scalar tail alone; depthwise rows the scalar four-position kernel (quench/isa.h).
#ifndef QUENCH_ISA_PORTABLE_H
#define QUENCH_ISA_PORTABLE_H

namespace quench {
namespace isa {

template <int NW, int NC, typename C>
QUENCH_INLINE int dot_vector(const int8_t* const (&)[NW], const C* const (&)[NC], int, Accumulators&) {
  return 0;
}

}  // namespace isa
}  // namespace quench

#endif
