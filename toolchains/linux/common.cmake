# Shared by aarch64-linux-gnu.cmake and riscv64-linux-gnu.cmake (which set QUENCH_TRIPLE,
# QUENCH_PROCESSOR, QUENCH_QEMU and QUENCH_CPU_FLAGS): Debian's cross g++ for the triple, its
# sysroot, and qemu-user as the emulator ctest runs the selftest with.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ${QUENCH_PROCESSOR})
set(CMAKE_C_COMPILER ${QUENCH_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${QUENCH_TRIPLE}-g++)
set(CMAKE_CXX_FLAGS_INIT "${QUENCH_CPU_FLAGS}")
# fixed load addresses (no PIE): instruction counts per function match nm
set(CMAKE_EXE_LINKER_FLAGS_INIT "-no-pie")
set(CMAKE_FIND_ROOT_PATH /usr/${QUENCH_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_CROSSCOMPILING_EMULATOR ${QUENCH_QEMU};-L;/usr/${QUENCH_TRIPLE})
