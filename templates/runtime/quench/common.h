// Quench runtime: what every kernel header shares. No heap, no exceptions, no RTTI, no static
// constructors.
//
// Kernel naming: <op>_<form>[_<variant>], where the form is int (integer in and out, the C types
// as template parameters), f32 (float), any (unquantized values of any element type: comparisons,
// Where, Cast), f32_int / int_f32 (conversions), and none for kernels that only move bytes; the variant names the loop structure (oc_inner, gemm, isa). Every kernel K has
// a constexpr K_scratch_bytes(...): the bytes of working memory it takes from the scratch pointer
// it is given. The generator reserves exactly that in the arena (Java: backends/.../codegen/
// KernelChoice.java, checked against these functions by a static_assert in the generated code),
// so kernels keep at most a few hundred bytes on the stack.
#ifndef QUENCH_COMMON_H
#define QUENCH_COMMON_H

#include <cstddef>
#include <cstdint>
#include <cstring>

// Profile builds (QUENCH_PROFILE) force the kernels into the generated per-node step functions,
// so that each node's instructions lie in its own address range (instruction counts per layer
// under QEMU); other builds leave inlining to the compiler.
#ifndef QUENCH_INLINE
#ifdef QUENCH_PROFILE
#define QUENCH_INLINE inline __attribute__((always_inline))
#else
#define QUENCH_INLINE inline
#endif
#endif

// A kernel's inner piece kept out of line, so that its registers and spills get a frame of their
// own instead of swelling the kernel's (inlined, in profile builds, like the rest).
#ifndef QUENCH_OUTLINE
#ifdef QUENCH_PROFILE
#define QUENCH_OUTLINE inline __attribute__((always_inline))
#else
#define QUENCH_OUTLINE __attribute__((noinline))
#endif
#endif

namespace quench {

// The pointer as the compiler must take it: an empty asm that may have changed it. GCC 12 at -O2
// otherwise rewrote matmul_int's output pointer (int16, in the arena) in terms of an int8 input's
// induction variable through the negated arena base, lost track of what the stores write and
// removed the step's call (the int16 scores of attention from two int8 tensors).
template <typename T>
inline T* opaque(T* p) {
  __asm__("" : "+r"(p));
  return p;
}

// Scratch pieces are 16-byte aligned (SIMD loads); a kernel's scratch is the sum of its pieces.
constexpr size_t scratch_piece(size_t bytes) { return (bytes + 15) / 16 * 16; }

// Hands out a step's scratch (16-byte aligned, in the arena) piece by piece.
struct Scratch {
  uint8_t* at;
  template <typename T>
  QUENCH_INLINE T* take(size_t count) {
    T* p = reinterpret_cast<T*>(at);
    at += scratch_piece(count * sizeof(T));
    return p;
  }
};

constexpr int min_int(int a, int b) { return a < b ? a : b; }

}  // namespace quench

#endif
