/* Quench virtual integer NPU: the command-stream format and the HAL entry point (plain C, so a
 * driver may be written in C). The generated model runs each NPU segment of the graph as one
 * const array of commands passed to quench_npu_submit; the SDK's reference HAL
 * (npu_reference.cpp) executes them on the CPU with the portable kernels, bit for bit as the
 * Java interpreter. The format is described in the SDK README. */
#ifndef QUENCH_NPU_H
#define QUENCH_NPU_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Command opcodes. */
enum {
  QUENCH_NPU_CONV = 1,             /* 2-D convolution (grouped, depthwise), per-channel shift requant */
  QUENCH_NPU_FULLY_CONNECTED = 2,  /* rows x k times n_out x k weights */
  QUENCH_NPU_CHANNEL_AFFINE = 3,   /* y = x * scale[c] + bias[c], requantized */
  QUENCH_NPU_ADD = 4,              /* elementwise add of two tensors (or a tensor and a scalar) */
  QUENCH_NPU_MAX_POOL = 5,
  QUENCH_NPU_AVG_POOL = 6,
  QUENCH_NPU_GLOBAL_AVG_POOL = 7,
  QUENCH_NPU_CLAMP = 8,            /* ReLU, ReLU6, clip */
  QUENCH_NPU_LUT = 9               /* 256-entry table activation (sigmoid, tanh, swish, ...) */
};

/* Element types of activations. */
enum { QUENCH_NPU_INT8 = 0, QUENCH_NPU_UINT8 = 1 };

/* An activation tensor: a byte offset into the arena (16-byte aligned) and its element type. */
typedef struct quench_npu_tensor {
  uint32_t offset;
  uint8_t dtype;
  uint8_t reserved[3];
} quench_npu_tensor;

/* One command (descriptor). geom[] by opcode:
 *   CONV:            n c h w  m kh kw  sh sw dh dw  ph pw  oh ow  group   (input NCHW, weights OIHW)
 *   FULLY_CONNECTED: rows k n_out
 *   CHANNEL_AFFINE:  n c inner
 *   ADD:             size a_step b_step   (step 0: a scalar operand, 1: elementwise)
 *   MAX/AVG_POOL:    nc h w  kh kw  sh sw dh dw  pad_top pad_left pad_bottom pad_right  oh ow  count_include_pad
 *   GLOBAL_AVG_POOL: nc inner
 *   CLAMP, LUT:      size
 * Requantization is shift-only: acc (int32) + 2^(s-1) >> s per output channel (shifts[c], or
 * shifts[0] when nshifts is 1), then clamped to [lo, hi]. */
typedef struct quench_npu_command {
  uint32_t op;
  quench_npu_tensor x;        /* input */
  quench_npu_tensor b;        /* ADD: second input */
  quench_npu_tensor y;        /* output */
  int32_t geom[16];
  int32_t nshifts;            /* 1 or the output channel count */
  int32_t lo, hi;             /* output clamp (the type range narrowed by a fused activation) */
  int32_t shift_a, shift_b;   /* ADD: left shifts of the operands to a common frac; pools: shift_a = frac out - frac in */
  const int8_t* weights;      /* CONV (OIHW), FULLY_CONNECTED ([n_out][k]), CHANNEL_AFFINE (scales), LUT (256 bytes) */
  const int32_t* bias;        /* or null */
  const int8_t* shifts;       /* right shifts, nshifts of them */
} quench_npu_command;

/* Status codes of quench_npu_submit. */
enum { QUENCH_NPU_OK = 0, QUENCH_NPU_BAD_COMMAND = 1 };

/* Runs count commands in order on the arena (the model's working memory) and returns when all
 * outputs are written. Returns QUENCH_NPU_OK or an error status. */
int quench_npu_submit(const quench_npu_command* commands, size_t count, uint8_t* arena);

#ifdef __cplusplus
}
#endif

#endif
