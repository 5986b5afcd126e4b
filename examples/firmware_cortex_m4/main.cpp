// Firmware main: classifies the golden images with the Quench-generated model (static arena, no
// heap), prints each class through semihosting and checks it against the class Quench's Java
// interpreter gave. Exit status 0 when all agree.
#include <cstdio>
#include <cstring>

#include "fashion.h"
#include "golden.h"

namespace {
namespace model = quench::fashion;

alignas(16) uint8_t g_arena[model::kArenaBytes];
alignas(16) float g_image[model::kInputSize[0]];
alignas(16) float g_logits[model::kOutputSize[0]];

const char* const kLabels[] = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};

template <typename T>
size_t argmax(const T* v, size_t n) {
  size_t best = 0;
  for (size_t i = 1; i < n; ++i)
    if (v[i] > v[best]) best = i;
  return best;
}
}  // namespace

int main() {
  constexpr size_t kIn = model::kInputSize[0], kOut = model::kOutputSize[0];
  int agree = 0;
  for (int s = 0; s < kGoldenSamples; ++s) {
    std::memcpy(g_image, golden_in0 + static_cast<size_t>(s) * kIn, sizeof g_image);  // a camera frame, in a real device
    const float* inputs[] = {g_image};
    float* outputs[] = {g_logits};
    if (model::run(inputs, outputs, g_arena) != 0) {
      std::printf("firmware: inference failed\n");
      return 2;
    }
    float expected[kOut];
    std::memcpy(expected, golden_out0 + static_cast<size_t>(s) * kOut, sizeof expected);
    const size_t got = argmax(g_logits, kOut), want = argmax(expected, kOut);
    std::printf("image %d: %s%s\n", s, got < 10 ? kLabels[got] : "?", got == want ? "" : " (the interpreter says otherwise)");
    if (got == want && std::memcmp(g_logits, expected, sizeof expected) == 0) ++agree;
  }
  std::printf("firmware: %d/%d images classified bit-exactly as the Java interpreter did\n", agree, kGoldenSamples);
  return agree == kGoldenSamples ? 0 : 1;
}
