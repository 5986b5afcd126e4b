# Cortex-A (aarch64 Linux): Debian's cross g++ (g++-aarch64-linux-gnu), selftests run under
# qemu-user (qemu-aarch64) through ctest. ARMv8.2-A with the dot-product extension (sdot).
set(QUENCH_TRIPLE aarch64-linux-gnu)
set(QUENCH_PROCESSOR aarch64)
set(QUENCH_QEMU qemu-aarch64)
set(QUENCH_CPU_FLAGS "-march=armv8.2-a+dotprod")
include(${CMAKE_CURRENT_LIST_DIR}/linux/common.cmake)
