# Cortex-M7 (bare metal, QEMU mps2-an500); see cortex-m4.cmake.
set(QUENCH_CPU_FLAGS "-mcpu=cortex-m7 -mthumb -mfloat-abi=hard -mfpu=fpv5-d16")
set(QUENCH_QEMU_MACHINE mps2-an500)
include(${CMAKE_CURRENT_LIST_DIR}/cortex-m/common.cmake)
