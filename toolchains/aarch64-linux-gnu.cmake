# Cortex-A (aarch64 Linux): Debian's cross g++ (g++-aarch64-linux-gnu), selftests run under
# qemu-user (qemu-aarch64) through ctest. ARMv8.2-A with the dot-product extension (sdot).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_CXX_FLAGS_INIT "-march=armv8.2-a+dotprod")
# fixed load addresses (no PIE): instruction counts per function match nm
set(CMAKE_EXE_LINKER_FLAGS_INIT "-no-pie")
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64;-L;/usr/aarch64-linux-gnu)
