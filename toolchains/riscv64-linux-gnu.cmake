# RISC-V 64 (Linux): Debian's cross g++ (g++-riscv64-linux-gnu), selftests run under qemu-user
# (qemu-riscv64) through ctest. RV64GC (gcc 12 has no RVV intrinsics).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR riscv64)
set(CMAKE_C_COMPILER riscv64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER riscv64-linux-gnu-g++)
set(CMAKE_CXX_FLAGS_INIT "-march=rv64gc")
# fixed load addresses (no PIE): instruction counts per function match nm
set(CMAKE_EXE_LINKER_FLAGS_INIT "-no-pie")
set(CMAKE_FIND_ROOT_PATH /usr/riscv64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-riscv64;-L;/usr/riscv64-linux-gnu)
