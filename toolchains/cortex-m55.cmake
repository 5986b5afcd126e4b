# Cortex-M55 with Helium/MVE (bare metal, QEMU mps3-an547); see cortex-m4.cmake. Integer MVE only
# (+nomve.fp): MVE floating point flushes subnormals to zero, so auto-vectorised float loops would
# not give the interpreter's IEEE results; the scalar FPU does.
set(QUENCH_CPU_FLAGS "-mcpu=cortex-m55+nomve.fp -mthumb -mfloat-abi=hard")
set(QUENCH_QEMU_MACHINE mps3-an547)
include(${CMAKE_CURRENT_LIST_DIR}/cortex-m/common.cmake)
