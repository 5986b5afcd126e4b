// Quench's start-up for the QEMU MPS2/MPS3 Cortex-M boards with newlib and semihosting
// (librdimon): a 16-entry vector table, then a reset handler that enables the FPU/MVE
// coprocessors, sets up .data and .bss, opens the semihosting handles, runs the static
// initialisers and exits with main's status (which QEMU returns as its own).
#include <cstdint>
#include <cstdlib>
#include <cstring>

extern "C" {
extern uint32_t quench_stack_top, quench_data_start, quench_data_end, quench_data_load, quench_bss_start, quench_bss_end;
void __libc_init_array();
void initialise_monitor_handles();
void quench_reset();
void _init() {}
void _fini() {}
}

int main();

namespace {
void on_fault() { std::exit(98); }
}  // namespace

extern "C" __attribute__((section(".vectors"), used)) const void* const quench_vectors[16] = {
    &quench_stack_top, reinterpret_cast<const void*>(&quench_reset),
    reinterpret_cast<const void*>(&on_fault), reinterpret_cast<const void*>(&on_fault), reinterpret_cast<const void*>(&on_fault),
    reinterpret_cast<const void*>(&on_fault), reinterpret_cast<const void*>(&on_fault), nullptr, nullptr, nullptr, nullptr,
    reinterpret_cast<const void*>(&on_fault), reinterpret_cast<const void*>(&on_fault), nullptr, reinterpret_cast<const void*>(&on_fault),
    reinterpret_cast<const void*>(&on_fault)};

extern "C" __attribute__((noreturn)) void quench_reset() {
#if defined(__ARM_FP) || defined(__ARM_FEATURE_MVE)
  // CPACR (0xE000ED88): full access to coprocessors 10 and 11, off after reset
  *reinterpret_cast<volatile uint32_t*>(0xE000ED88u) |= 0xFu << 20;
  __asm volatile("dsb\n\tisb" ::: "memory");
#endif
  char* data = reinterpret_cast<char*>(&quench_data_start);
  const char* load = reinterpret_cast<const char*>(&quench_data_load);
  if (data != load) std::memcpy(data, load, static_cast<size_t>(reinterpret_cast<char*>(&quench_data_end) - data));
  char* bss = reinterpret_cast<char*>(&quench_bss_start);
  std::memset(bss, 0, static_cast<size_t>(reinterpret_cast<char*>(&quench_bss_end) - bss));
  initialise_monitor_handles();
  __libc_init_array();
  std::exit(main());
}
