# Quench's CMake integration: compile an ONNX model at build time and link the generated SDK.
#
#   list(APPEND CMAKE_MODULE_PATH <quench>/cmake)
#   include(Quench)
#   quench_add_model(<library target>
#                    MODEL <model.onnx>
#                    CALIB <[NAME=]calib.npy> ...
#                    TARGET <host|cortex-a|riscv64|cortex-m4|cortex-m7|cortex-m55|npu>
#                    [NAME <c++ name>] [GOLDEN_SAMPLES <n>] [OPTIONS <more quench compile options> ...])
#
# defines a static library <library target> with the model (include "<name>.h", call
# quench::<name>::run) and the runtime headers; the SDK is generated in the build tree
# (${CMAKE_CURRENT_BINARY_DIR}/<library target>_sdk) when the model or calibration data change,
# with its golden samples in <sdk>/test/golden.h (<library target>_SDK_DIR is set in the caller's
# scope). The Quench command is QUENCH_COMMAND (a CMake list), by default the launcher of this
# checkout (which builds the CLI with Maven when needed).
include_guard(GLOBAL)

set(QUENCH_COMMAND "${CMAKE_CURRENT_LIST_DIR}/../quench" CACHE STRING "The quench command line (a CMake list)")

function(quench_add_model target)
  cmake_parse_arguments(Q "" "MODEL;TARGET;NAME;GOLDEN_SAMPLES" "CALIB;OPTIONS" ${ARGN})
  if(NOT Q_MODEL OR NOT Q_CALIB OR NOT Q_TARGET)
    message(FATAL_ERROR "quench_add_model(${target}): MODEL, CALIB and TARGET are required")
  endif()
  get_filename_component(model "${Q_MODEL}" ABSOLUTE)
  if(NOT Q_NAME)
    get_filename_component(Q_NAME "${model}" NAME_WE)
  endif()
  string(MAKE_C_IDENTIFIER "${Q_NAME}" name)
  string(TOLOWER "${name}" name)
  if(NOT Q_GOLDEN_SAMPLES)
    set(Q_GOLDEN_SAMPLES 1)
  endif()
  # calibration files: absolute paths (NAME=FILE keeps its NAME)
  set(calib_args "")
  set(calib_files "")
  foreach(c IN LISTS Q_CALIB)
    if(c MATCHES "^([^=]+)=(.+)$")
      get_filename_component(f "${CMAKE_MATCH_2}" ABSOLUTE)
      list(APPEND calib_args --calib "${CMAKE_MATCH_1}=${f}")
    else()
      get_filename_component(f "${c}" ABSOLUTE)
      list(APPEND calib_args --calib "${f}")
    endif()
    list(APPEND calib_files "${f}")
  endforeach()
  set(sdk "${CMAKE_CURRENT_BINARY_DIR}/${target}_sdk")
  set(sources "${sdk}/src/${name}.cpp")
  if(Q_TARGET STREQUAL "npu")
    list(APPEND sources "${sdk}/runtime/quench/npu_reference.cpp")
  endif()
  add_custom_command(
    OUTPUT ${sources} "${sdk}/include/${name}.h" "${sdk}/test/golden.h"
    COMMAND ${QUENCH_COMMAND} compile "${model}" --target ${Q_TARGET} ${calib_args} --out "${sdk}" --name ${name}
            --golden-samples ${Q_GOLDEN_SAMPLES} --quiet ${Q_OPTIONS}
    DEPENDS "${model}" ${calib_files}
    COMMENT "Quench: compiling ${Q_MODEL} for ${Q_TARGET}"
    VERBATIM)
  add_library(${target} STATIC ${sources})
  target_include_directories(${target} PUBLIC "${sdk}/include" "${sdk}/runtime")
  # float islands must round as Quench's Java interpreter: no FMA contraction
  target_compile_options(${target} PRIVATE -ffp-contract=off -fno-exceptions -fno-rtti)
  set(${target}_SDK_DIR "${sdk}" PARENT_SCOPE)
endfunction()
