# cmake/arm-none-eabi.cmake - toolchain file for bare-metal Cortex-M4 with the
# GNU Arm Embedded toolchain (Debian: gcc-arm-none-eabi, libnewlib-arm-none-eabi).
#
#   cmake -S . -B build/cortex-m4 -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake \
#         -DSIPHB_FREESTANDING=ON -DCMAKE_BUILD_TYPE=MinSizeRel
#
# Only static libraries can be built: there is no OS to link executables for,
# so CMake's compiler checks build a static library instead of a program.
# Use MinSizeRel (or Release) so the -Os below is not overridden by the -O2 of
# the default RelWithDebInfo flags.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(SIPHB_ARM_TRIPLE arm-none-eabi)
set(CMAKE_C_COMPILER ${SIPHB_ARM_TRIPLE}-gcc)
set(CMAKE_ASM_COMPILER ${SIPHB_ARM_TRIPLE}-gcc)
# ar, ranlib, nm, objcopy and size are found from the compiler's prefix.
find_program(CMAKE_SIZE ${SIPHB_ARM_TRIPLE}-size)

set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(CMAKE_C_FLAGS_INIT "-mcpu=cortex-m4 -mthumb -Os -ffunction-sections -fdata-sections")
set(CMAKE_ASM_FLAGS_INIT "-mcpu=cortex-m4 -mthumb")

# Look for headers and libraries in the target environment only, for
# programs on the build host.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
