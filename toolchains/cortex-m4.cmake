# Cortex-M4 (bare metal, QEMU mps2-an386): arm-none-eabi g++, newlib with semihosting; ctest
# runs the selftest under qemu-system-arm, its printf reaching stdout and main's status QEMU's.
set(QUENCH_CPU_FLAGS "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16")
set(QUENCH_QEMU_MACHINE mps2-an386)
include(${CMAKE_CURRENT_LIST_DIR}/cortex-m/common.cmake)
