# Cortex-M55 with Helium/MVE (bare metal, QEMU mps3-an547); see cortex-m4.cmake.
set(QUENCH_CPU_FLAGS "-mcpu=cortex-m55 -mthumb -mfloat-abi=hard")
set(QUENCH_QEMU_MACHINE mps3-an547)
include(${CMAKE_CURRENT_LIST_DIR}/cortex-m/common.cmake)
