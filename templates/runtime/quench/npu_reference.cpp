// Quench reference HAL of the virtual NPU: executes each command on the CPU with the portable
// kernels (kernels.h), so a model compiled for the NPU gives the same bytes as the Java
// interpreter anywhere. Kernel scratch stands for the NPU's own SRAM: a static buffer here (the
// portable kernels' scratch is bounded by their chunk sizes), never the model's arena. A real driver replaces this file (CMake: -DQUENCH_NPU_REFERENCE_HAL=OFF).
#include "quench/kernels.h"
#include "quench/npu.h"

namespace {

template <typename T>
struct Type {
  using type = T;
};

// Calls f(Type<T>) for an element type; false for an unknown one.
template <typename F>
bool with_type(uint8_t t, F&& f) {
  if (t == QUENCH_NPU_INT8) return f(Type<int8_t>{}), true;
  if (t == QUENCH_NPU_UINT8) return f(Type<uint8_t>{}), true;
  return false;
}

// Calls f(Type<Tx>, Type<Ty>) for the element types of x and y; false for an unknown type.
template <typename F>
bool with_types(uint8_t tx, uint8_t ty, F&& f) {
  bool ok = true;
  return with_type(tx, [&](auto x) { ok = with_type(ty, [&](auto y) { f(x, y); }); }) && ok;
}

template <typename T>
T* at(uint8_t* arena, const quench_npu_tensor& t) {
  return reinterpret_cast<T*>(arena + t.offset);
}

quench::ConvGeom conv_geom(const int32_t* v) {
  return {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15]};
}

quench::PoolGeom pool_geom(const int32_t* v) {
  return {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15]};
}

// The largest scratch of the kernels below: four int32 chunks of the pointwise convolution.
constexpr size_t kScratchBytes = 4 * quench::scratch_piece(quench::kConvChunk * 4);
alignas(16) uint8_t g_scratch[kScratchBytes];

bool execute(const quench_npu_command& c, uint8_t* arena) {
  const int32_t* v = c.geom;
  const quench::Requant rq{c.shifts, c.nshifts, c.lo, c.hi};
  const bool requant = c.op <= QUENCH_NPU_ADD;
  if (requant && (c.shifts == nullptr || c.nshifts < 1)) return false;
  switch (c.op) {
    case QUENCH_NPU_CONV:
      return with_types(c.x.dtype, c.y.dtype, [&](auto tx, auto ty) {
        using Tx = typename decltype(tx)::type;
        using Ty = typename decltype(ty)::type;
        const quench::ConvGeom g = conv_geom(v);
        quench::conv2d_int<int32_t>(at<const Tx>(arena, c.x), c.weights, c.bias, g, rq, at<Ty>(arena, c.y), g_scratch);
      });
    case QUENCH_NPU_FULLY_CONNECTED:
      return with_types(c.x.dtype, c.y.dtype, [&](auto tx, auto ty) {
        using Tx = typename decltype(tx)::type;
        using Ty = typename decltype(ty)::type;
        quench::fully_connected_int<int32_t>(at<const Tx>(arena, c.x), v[0], v[1], c.weights, v[2], c.bias, rq, at<Ty>(arena, c.y));
      });
    case QUENCH_NPU_CHANNEL_AFFINE:
      return with_types(c.x.dtype, c.y.dtype, [&](auto tx, auto ty) {
        using Tx = typename decltype(tx)::type;
        using Ty = typename decltype(ty)::type;
        quench::channel_affine_int<int32_t>(at<const Tx>(arena, c.x), v[0], v[1], v[2], c.weights, c.bias, rq, at<Ty>(arena, c.y));
      });
    case QUENCH_NPU_ADD: {
      const int32_t size = v[0], sa = v[1], sb = v[2];
      const quench::Bcast g{1, &size, &sa, &sb, static_cast<size_t>(size)};
      bool ok = true;
      return with_types(c.x.dtype, c.y.dtype, [&](auto tx, auto ty) {
        using Tx = typename decltype(tx)::type;
        using Ty = typename decltype(ty)::type;
        ok = with_type(c.b.dtype, [&](auto tb) {
          using Tb = typename decltype(tb)::type;
          quench::binary_int<int32_t>(0, at<const Tx>(arena, c.x), at<const Tb>(arena, c.b), g, c.shift_a, c.shift_b, rq, at<Ty>(arena, c.y));
        });
      }) && ok;
    }
    case QUENCH_NPU_MAX_POOL:
      if (c.x.dtype != c.y.dtype) return false;
      return with_types(c.x.dtype, c.y.dtype, [&](auto tx, auto) {
        using T = typename decltype(tx)::type;
        quench::max_pool_int(at<const T>(arena, c.x), pool_geom(v), at<T>(arena, c.y), g_scratch);
      });
    case QUENCH_NPU_AVG_POOL:
      return with_types(c.x.dtype, c.y.dtype, [&](auto tx, auto ty) {
        using Tx = typename decltype(tx)::type;
        using Ty = typename decltype(ty)::type;
        quench::avg_pool_int(at<const Tx>(arena, c.x), pool_geom(v), c.shift_a, c.lo, c.hi, at<Ty>(arena, c.y));
      });
    case QUENCH_NPU_GLOBAL_AVG_POOL:
      return with_types(c.x.dtype, c.y.dtype, [&](auto tx, auto ty) {
        using Tx = typename decltype(tx)::type;
        using Ty = typename decltype(ty)::type;
        quench::global_avg_pool_int(at<const Tx>(arena, c.x), v[0], v[1], c.shift_a, c.lo, c.hi, at<Ty>(arena, c.y));
      });
    case QUENCH_NPU_CLAMP:
      if (c.x.dtype != c.y.dtype) return false;
      return with_types(c.x.dtype, c.y.dtype, [&](auto tx, auto) {
        using T = typename decltype(tx)::type;
        quench::clamp_int(at<const T>(arena, c.x), static_cast<size_t>(v[0]), c.lo, c.hi, at<T>(arena, c.y));
      });
    case QUENCH_NPU_LUT:
      if (c.weights == nullptr) return false;
      return with_types(c.x.dtype, c.y.dtype, [&](auto tx, auto ty) {
        using Tx = typename decltype(tx)::type;
        using Ty = typename decltype(ty)::type;
        const int first = c.x.dtype == QUENCH_NPU_INT8 ? -128 : 0;
        quench::lut_int(at<const Tx>(arena, c.x), static_cast<size_t>(v[0]), reinterpret_cast<const Ty*>(c.weights), first, at<Ty>(arena, c.y));
      });
    default:
      return false;
  }
}

}  // namespace

extern "C" int quench_npu_submit(const quench_npu_command* commands, size_t count, uint8_t* arena) {
  if (count > 0 && (commands == nullptr || arena == nullptr)) return QUENCH_NPU_BAD_COMMAND;
  for (size_t i = 0; i < count; ++i) {
    if (!execute(commands[i], arena)) return QUENCH_NPU_BAD_COMMAND;
  }
  return QUENCH_NPU_OK;
}
