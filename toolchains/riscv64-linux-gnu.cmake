# RISC-V 64 (Linux): Debian's cross g++ (g++-riscv64-linux-gnu), selftests run under qemu-user
# (qemu-riscv64) through ctest. RV64GC (gcc 12 has no RVV intrinsics).
set(QUENCH_TRIPLE riscv64-linux-gnu)
set(QUENCH_PROCESSOR riscv64)
set(QUENCH_QEMU qemu-riscv64)
set(QUENCH_CPU_FLAGS "-march=rv64gc")
include(${CMAKE_CURRENT_LIST_DIR}/linux/common.cmake)
