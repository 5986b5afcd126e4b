# Shared by cortex-m4/m7/m55.cmake (which set QUENCH_CPU_FLAGS and QUENCH_QEMU_MACHINE).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_CXX_FLAGS_INIT "${QUENCH_CPU_FLAGS} -fno-exceptions -fno-rtti -fno-threadsafe-statics -ffunction-sections -fdata-sections")
set(CMAKE_EXE_LINKER_FLAGS_INIT "${QUENCH_CPU_FLAGS} -nostdlib -nostartfiles -T ${CMAKE_CURRENT_LIST_DIR}/mps.ld -Wl,--gc-sections")
set(CMAKE_CXX_STANDARD_LIBRARIES "-Wl,--start-group -lc -lrdimon -lm -lgcc -Wl,--end-group")
# the SDK's CMakeLists adds this start-up file to executables when it is set
set(QUENCH_STARTUP ${CMAKE_CURRENT_LIST_DIR}/startup.cpp CACHE FILEPATH "Bare-metal start-up" FORCE)
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-system-arm;-M;${QUENCH_QEMU_MACHINE};-nographic;-monitor;none;-serial;none;-semihosting-config;enable=on,target=native;-kernel)
