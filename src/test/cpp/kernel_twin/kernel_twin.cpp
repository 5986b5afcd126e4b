// The ISA kernels (conv2d_int_gemm, depthwise_conv2d_int_isa, fully_connected_int_gemm of the
// variant the build selects) against the portable ones, on random shapes and data: every output
// byte must agree. Each kernel gets exactly its *_scratch_bytes of scratch, filled with garbage
// and followed by a guard that must stay intact. Prints "kernel twin <variant>: N cases, M
// mismatches" and exits 1 on any mismatch.
#include <cstdio>
#include <cstring>
#include <type_traits>

#include "quench/kernels.h"

namespace {

uint32_t g_seed = 12345u;
uint32_t next() {
  g_seed = g_seed * 1664525u + 1013904223u;
  return g_seed >> 8;
}
int pick(int lo, int hi) { return lo + static_cast<int>(next() % static_cast<uint32_t>(hi - lo + 1)); }

constexpr int kMaxX = 24576, kMaxW = 40000, kMaxY = 24576, kMaxM = 256;
alignas(16) uint8_t g_x[kMaxX];
alignas(16) int8_t g_w[kMaxW];
#if defined(QUENCH_ISA_ARM_MVE)
// the MVE convolution's weights, packed as the generator packs them (Lowering.packRows4)
constexpr size_t kMaxPacked = 64 * 1024;
alignas(16) int8_t g_packed[kMaxPacked];

size_t packed_bytes(const quench::ConvGeom& g) {
  return static_cast<size_t>(g.group) * ((g.mg() + 3) / 4) * 4 * quench::gemm_packed_k(g.cg() * g.kh * g.kw);
}

const int8_t* pack(const quench::ConvGeom& g) {
  const int k = g.cg() * g.kh * g.kw;
  std::memset(g_packed, 0, packed_bytes(g));
  for (int o = 0; o < g.m; ++o)
    for (int t = 0; t < k; ++t) g_packed[quench::gemm_packed_index(g, o, t)] = g_w[static_cast<size_t>(o) * k + t];
  return g_packed;
}
#else
size_t packed_bytes(const quench::ConvGeom&) { return 0; }
const int8_t* pack(const quench::ConvGeom&) { return g_w; }
constexpr size_t kMaxPacked = 0;
#endif
alignas(16) int32_t g_bias[kMaxM];
alignas(16) int8_t g_shift[kMaxM];
alignas(16) uint8_t g_y1[kMaxY * 2], g_y2[kMaxY * 2];
constexpr size_t kMaxScratch = 48 * 1024, kGuard = 64;
alignas(16) uint8_t g_scratch[kMaxScratch + kGuard];

// Garbage in the scratch a kernel may use, a guard pattern after it; false when it does not fit.
bool prepare_scratch(size_t bytes) {
  if (bytes > kMaxScratch) return false;
  for (size_t i = 0; i < bytes; ++i) g_scratch[i] = static_cast<uint8_t>(next());
  for (size_t i = 0; i < kGuard; ++i) g_scratch[bytes + i] = static_cast<uint8_t>(0xc3 + i);
  return true;
}

bool guard_intact(size_t bytes) {
  for (size_t i = 0; i < kGuard; ++i)
    if (g_scratch[bytes + i] != static_cast<uint8_t>(0xc3 + i)) return false;
  return true;
}

// The ISA kernel the generator would choose (backends/.../codegen/KernelChoice.java) against
// conv2d_int; depthwise convolutions the ISA kernel does not take compare the portable one with itself.
template <typename Tx, typename Ty>
bool conv_case(const quench::ConvGeom& g, const quench::Requant& rq, bool with_bias) {
  const Tx* x = reinterpret_cast<const Tx*>(g_x);
  const int32_t* bias = with_bias ? g_bias : nullptr;
  const size_t out = static_cast<size_t>(g.n) * g.m * g.oh * g.ow;
  std::memset(g_y1, 0x5a, out * sizeof(Ty));
  std::memset(g_y2, 0xa5, out * sizeof(Ty));
  size_t used = 0;
  bool shifts_fit = true;
  for (int o = 0; o < rq.shifts; ++o) shifts_fit = shifts_fit && rq.shift_right[o] >= -16 && rq.shift_right[o] <= 31;
#if defined(QUENCH_ISA_ARM_MVE)
  const bool gemm = shifts_fit;  // (the MVE tile stores through the vector requantization only)
#else
  const bool gemm = true;
#endif
  if (g.cg() == 1 || !gemm) {
    if constexpr (sizeof(Ty) == 1 || std::is_same_v<Ty, int16_t>) {
      if (shifts_fit && g.cg() == 1) {
        used = quench::depthwise_conv2d_int_isa_scratch_bytes<Tx>(g);
        if (!prepare_scratch(used)) return true;
        quench::depthwise_conv2d_int_isa(x, g_w, bias, g, rq, reinterpret_cast<Ty*>(g_y1), g_scratch);
      }
    }
    if (used == 0) {
      used = quench::conv2d_int_scratch_bytes<int32_t>(g);
      if (!prepare_scratch(used)) return true;
      quench::conv2d_int<int32_t>(x, g_w, bias, g, rq, reinterpret_cast<Ty*>(g_y1), g_scratch);
    }
  } else {
    used = quench::conv2d_int_gemm_scratch_bytes<Tx>(g);
    if (!prepare_scratch(used)) return true;
    if constexpr (!std::is_same_v<Ty, uint16_t>) quench::conv2d_int_gemm(x, pack(g), bias, g, rq, reinterpret_cast<Ty*>(g_y1), g_scratch);
  }
  if (!guard_intact(used)) return false;
  const size_t portable = quench::conv2d_int_scratch_bytes<int32_t>(g);
  if (!prepare_scratch(portable)) return true;
  quench::conv2d_int<int32_t>(x, g_w, bias, g, rq, reinterpret_cast<Ty*>(g_y2), g_scratch);
  return guard_intact(portable) && std::memcmp(g_y1, g_y2, out * sizeof(Ty)) == 0;
}

template <typename Tx, typename Ty>
bool fc_case(int rows, int k, int n_out, const quench::Requant& rq, bool with_bias) {
  const Tx* x = reinterpret_cast<const Tx*>(g_x);
  const size_t out = static_cast<size_t>(rows) * n_out;
  std::memset(g_y1, 0x5a, out * sizeof(Ty));
  std::memset(g_y2, 0xa5, out * sizeof(Ty));
  const size_t used = quench::fully_connected_int_gemm_scratch_bytes<Tx>(k, n_out);
  if (!prepare_scratch(used)) return true;
  quench::fully_connected_int_gemm(x, rows, k, g_w, n_out, with_bias ? g_bias : nullptr, rq, reinterpret_cast<Ty*>(g_y1), g_scratch);
  if (!guard_intact(used)) return false;
  quench::fully_connected_int<int32_t>(x, rows, k, g_w, n_out, with_bias ? g_bias : nullptr, rq, reinterpret_cast<Ty*>(g_y2));
  return std::memcmp(g_y1, g_y2, out * sizeof(Ty)) == 0;
}

// Runs f<Tx, Ty> for a random pair of an 8-bit input type and an 8- or 16-bit output type.
template <typename F>
bool with_random_types(F f) {
  const bool ux = next() & 1;
  const int ty = pick(0, 2);
  if (ux) return ty == 0 ? f(uint8_t{}, int8_t{}) : (ty == 1 ? f(uint8_t{}, uint8_t{}) : f(uint8_t{}, int16_t{}));
  return ty == 0 ? f(int8_t{}, int8_t{}) : (ty == 1 ? f(int8_t{}, uint8_t{}) : f(int8_t{}, int16_t{}));
}

void fill_random(int x_bytes, int w_count, int m) {
  const bool small_shifts = (next() & 3) == 0;  // 16-bit outputs: shifts around 0, left shifts too
  for (int i = 0; i < x_bytes; ++i) g_x[i] = static_cast<uint8_t>(next());
  for (int i = 0; i < w_count; ++i) g_w[i] = static_cast<int8_t>(next());
  for (int i = 0; i < m; ++i) {
    g_bias[i] = static_cast<int32_t>(next() % 200001u) - 100000;
    // mostly right shifts 1..20 (the ISA paths); now and then 0 or a left shift (the portable fallback)
    g_shift[i] = static_cast<int8_t>(small_shifts ? pick(-3, 2) : ((next() & 15) == 0 ? pick(-1, 0) : pick(1, 20)));
  }
}

template <typename Ty>
quench::Requant requant(int m, bool per_channel) {
  const int64_t lo = static_cast<Ty>(-1) > 0 ? 0 : (sizeof(Ty) == 1 ? -128 : -32768);
  const int64_t hi = static_cast<Ty>(-1) > 0 ? 255 : (sizeof(Ty) == 1 ? 127 : 32767);
  // a fused ReLU-like clamp now and then
  const bool narrowed = (next() & 3) == 0;
  return {g_shift, per_channel ? m : 1, narrowed ? (lo < 0 ? 0 : lo) : lo, narrowed ? hi / 2 : hi};
}

}  // namespace

int main() {
  int cases = 0, mismatches = 0;
  for (int it = 0; it < 800; ++it) {
    quench::ConvGeom g{};
    const int kind = pick(0, 11);  // 0-1 and 10-11: depthwise, 2-3: pointwise, 4: grouped, else dense
    g.n = pick(1, 2);
    g.kh = kind >= 2 && kind <= 3 ? 1 : pick(1, 5);
    g.kw = kind >= 2 && kind <= 3 ? 1 : pick(1, 5);
    g.sh = kind >= 2 && kind <= 3 ? 1 : pick(1, 3);
    g.sw = kind >= 2 && kind <= 3 ? 1 : pick(1, 3);
    g.dh = kind >= 2 && kind <= 3 ? 1 : pick(1, 2);
    g.dw = kind >= 2 && kind <= 3 ? 1 : pick(1, 2);
    g.ph = kind >= 2 && kind <= 3 ? 0 : pick(0, 2);
    g.pw = kind >= 2 && kind <= 3 ? 0 : pick(0, 2);
    g.h = pick(1, 14);
    g.w = pick(1, 14);
    if (kind <= 1 || kind >= 10) {
      g.c = pick(1, kind == 11 && it % 5 == 0 ? 1 : 24);
      // wide rows, so that the vectorised row kernels run (and their remainders)
      g.h = pick(1, 8);
      g.w = pick(1, 48);
      g.sw = pick(1, 2);
      if (kind == 11 && it % 5 == 0) {
        // tall planes: several bands of the depthwise kernel's padded copy
        g.h = pick(150, 380);
        g.w = pick(30, 60);
      }
      g.group = g.c;
      g.m = g.c * (kind == 1 ? 2 : 1);
    } else if (kind == 4) {
      g.group = pick(2, 4);
      g.c = g.group * pick(1, 6);
      g.m = g.group * pick(1, 6);
    } else {
      g.group = 1;
      g.c = pick(1, it % 25 == 0 ? 255 : 40);  // now and then a long inner product (k up to 255 * 25)
      g.m = pick(1, 40);
    }
    const int eh = (g.kh - 1) * g.dh + 1, ew = (g.kw - 1) * g.dw + 1;
    if (g.h + 2 * g.ph < eh || g.w + 2 * g.pw < ew) continue;
    g.oh = (g.h + 2 * g.ph - eh) / g.sh + 1;
    g.ow = (g.w + 2 * g.pw - ew) / g.sw + 1;
    const int w_count = g.m * (g.c / g.group) * g.kh * g.kw;
    if (g.n * g.c * g.h * g.w > kMaxX || w_count > kMaxW || g.m > kMaxM || g.n * g.m * g.oh * g.ow > kMaxY || packed_bytes(g) > kMaxPacked) continue;
    fill_random(g.n * g.c * g.h * g.w, w_count, g.m);
    const bool bias = (next() & 7) != 0, per_channel = (next() & 3) != 0;
    const bool ok = with_random_types([&](auto tx, auto ty) {
      using Tx = decltype(tx);
      using Ty = decltype(ty);
      return conv_case<Tx, Ty>(g, requant<Ty>(g.m, per_channel), bias);
    });
    ++cases;
    if (!ok) {
      ++mismatches;
      std::printf("conv mismatch: n%d c%d h%d w%d m%d k%dx%d s%d,%d d%d,%d p%d,%d group %d\n", g.n, g.c, g.h, g.w, g.m, g.kh, g.kw, g.sh, g.sw, g.dh, g.dw, g.ph,
                  g.pw, g.group);
    }
  }
  for (int it = 0; it < 200; ++it) {
    const int rows = pick(1, 3), k = pick(1, it % 20 == 0 ? 3000 : 300), n_out = pick(1, 70);
    if (rows * k > kMaxX || k * n_out > kMaxW) continue;
    fill_random(rows * k, k * n_out, n_out);
    const bool bias = (next() & 7) != 0, per_channel = (next() & 3) != 0;
    const bool ok = with_random_types([&](auto tx, auto ty) {
      using Tx = decltype(tx);
      using Ty = decltype(ty);
      return fc_case<Tx, Ty>(rows, k, n_out, requant<Ty>(n_out, per_channel), bias);
    });
    ++cases;
    if (!ok) {
      ++mismatches;
      std::printf("fully-connected mismatch: rows %d k %d n_out %d\n", rows, k, n_out);
    }
  }
#if defined(QUENCH_ISA_ARM_DSP)
  const char* variant = "arm-dsp";
#elif defined(QUENCH_ISA_ARM_MVE)
  const char* variant = "arm-mve";
#elif defined(QUENCH_ISA_NEON_DOT)
  const char* variant = "neon-dot";
#else
  const char* variant = "portable";
#endif
  std::printf("kernel twin %s: %d cases, %d mismatches\n", variant, cases, mismatches);
  return mismatches == 0 && cases > 300 ? 0 : 1;
}
