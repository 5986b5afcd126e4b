// Quench runtime: every kernel, semantically identical to the Java integer interpreter
// (ir/.../kernel/IntKernels.java and the ops' integer paths). Laid out by family:
//   requant.h, geometry.h       the requantization (on fixed_point.h) and the geometry records
//   isa.h, isa/<isa>.h          the ISA layer: one file per instruction set
//   kernels/conv.h              portable convolution (row chunks; output channel innermost)
//   kernels/conv_isa.h          convolution through the ISA layer (gathered columns; depthwise rows)
//   kernels/fully_connected.h   fully connected, portable and through the ISA layer
//   kernels/elementwise.h       per-element and per-channel integer ops, conversions, activations
//   kernels/pool.h              average, global average and max pooling
//   kernels/movement.h          concatenation, gathers, copies
//   kernels/float.h             float islands: softmax, layer norm, matmul, reductions
//   kernels/recurrent.h         LSTM, GRU and RNN in float
//   kernels/select.h            comparisons, logic, Where, Not / IsNaN / IsInf, Cast, ArgMax / ArgMin
// Naming and scratch: see common.h.
#ifndef QUENCH_KERNELS_H
#define QUENCH_KERNELS_H

#include "quench/kernels/conv.h"
#include "quench/kernels/conv_isa.h"
#include "quench/kernels/elementwise.h"
#include "quench/kernels/float.h"
#include "quench/kernels/fully_connected.h"
#include "quench/kernels/movement.h"
#include "quench/kernels/pool.h"
#include "quench/kernels/recurrent.h"
#include "quench/kernels/select.h"

#endif
