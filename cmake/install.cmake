# cmake/install.cmake - install rules for the hosted build (included by the
# top-level CMakeLists.txt after lib/, never in SIPHB_FREESTANDING builds).
#
# Installs:
#   include/siphb/*.h (public headers and the generated version.h)
#   libsiphb.so.X.Y.Z + SONAME/namelink symlinks, libsiphb.a
#   <libdir>/pkgconfig/siphb.pc            (relocatable: prefix from ${pcfiledir})
#   <libdir>/cmake/siphb/siphbConfig*.cmake + siphbTargets*.cmake
# so that consumers use either `pkg-config --cflags --libs siphb` or
#   find_package(siphb) -> siphb::siphb (shared), siphb::siphb_static (static).

include(CMakePackageConfigHelpers)

set(SIPHB_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/siphb"
    CACHE STRING "Where siphbConfig.cmake is installed (relative to the prefix)")
set(SIPHB_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig"
    CACHE STRING "Where siphb.pc is installed (relative to the prefix)")

# ---- headers --------------------------------------------------------------
# Every public header in include/siphb/ (new modules are picked up on
# reconfigure), plus the version.h generated into the build tree.
file(GLOB SIPHB_PUBLIC_HEADERS CONFIGURE_DEPENDS
     "${PROJECT_SOURCE_DIR}/include/siphb/*.h")
# siphb/cares.h only with the glue behind it.
if(NOT SIPHB_WITH_CARES)
  list(FILTER SIPHB_PUBLIC_HEADERS EXCLUDE REGEX "/cares\\.h$")
endif()
install(FILES ${SIPHB_PUBLIC_HEADERS}
              "${PROJECT_BINARY_DIR}/include/siphb/version.h"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/siphb"
        COMPONENT dev)

# ---- libraries ------------------------------------------------------------
# The targets are called siphb_shared/siphb_static inside the build; the
# exported names are siphb::siphb and siphb::siphb_static (the same names
# as the in-tree ALIAS targets, so consumers can switch between
# add_subdirectory() and find_package()).
set_target_properties(siphb_shared PROPERTIES EXPORT_NAME siphb)
set_target_properties(siphb_static PROPERTIES EXPORT_NAME siphb_static)

install(TARGETS siphb_shared siphb_static
        EXPORT siphbTargets
        RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT runtime
        LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT runtime
                NAMELINK_COMPONENT dev
        ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT dev
        INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")

# ---- CMake package --------------------------------------------------------
install(EXPORT siphbTargets
        NAMESPACE siphb::
        FILE siphbTargets.cmake
        DESTINATION "${SIPHB_INSTALL_CMAKEDIR}"
        COMPONENT dev)

configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/siphbConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/siphbConfig.cmake"
  INSTALL_DESTINATION "${SIPHB_INSTALL_CMAKEDIR}")

# Before 1.0 a minor release may break the API, so 0.x versions are only
# compatible within the same minor version; from 1.0 on, within the major.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(_siphb_compat SameMinorVersion)
else()
  set(_siphb_compat SameMajorVersion)
endif()
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/siphbConfigVersion.cmake"
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY ${_siphb_compat})
unset(_siphb_compat)

install(FILES "${PROJECT_BINARY_DIR}/siphbConfig.cmake"
              "${PROJECT_BINARY_DIR}/siphbConfigVersion.cmake"
        DESTINATION "${SIPHB_INSTALL_CMAKEDIR}"
        COMPONENT dev)

# ---- pkg-config -----------------------------------------------------------
# The .pc file finds its prefix from its own location (${pcfiledir}), so the
# installed tree can be moved or installed with `cmake --install --prefix`.
# Absolute install dirs (e.g. -DCMAKE_INSTALL_LIBDIR=/opt/x/lib) are used
# as given.
if(IS_ABSOLUTE "${SIPHB_INSTALL_PKGCONFIGDIR}")
  set(SIPHB_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  # Relative path from <prefix>/<pkgconfigdir> back up to <prefix>.
  file(RELATIVE_PATH _siphb_up "/siphb-prefix/${SIPHB_INSTALL_PKGCONFIGDIR}" "/siphb-prefix")
  string(REGEX REPLACE "/$" "" _siphb_up "${_siphb_up}")
  set(SIPHB_PC_PREFIX "\${pcfiledir}/${_siphb_up}")
  unset(_siphb_up)
endif()
foreach(_d LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${_d}}")
    set(SIPHB_PC_${_d} "${CMAKE_INSTALL_${_d}}")
  else()
    set(SIPHB_PC_${_d} "\${prefix}/${CMAKE_INSTALL_${_d}}")
  endif()
endforeach()
unset(_d)

# Optional backends add private dependencies for static linking.
set(SIPHB_PC_REQUIRES_PRIVATE "")
if(SIPHB_WITH_OPENSSL)
  string(APPEND SIPHB_PC_REQUIRES_PRIVATE " libcrypto")
endif()
if(SIPHB_WITH_CARES)
  string(APPEND SIPHB_PC_REQUIRES_PRIVATE " libcares")
endif()
string(STRIP "${SIPHB_PC_REQUIRES_PRIVATE}" SIPHB_PC_REQUIRES_PRIVATE)
if(SIPHB_PC_REQUIRES_PRIVATE)
  set(SIPHB_PC_REQUIRES_PRIVATE_LINE "Requires.private: ${SIPHB_PC_REQUIRES_PRIVATE}")
else()
  set(SIPHB_PC_REQUIRES_PRIVATE_LINE "")
endif()

configure_file("${PROJECT_SOURCE_DIR}/pkgconfig/siphb.pc.in"
               "${PROJECT_BINARY_DIR}/pkgconfig/siphb.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/pkgconfig/siphb.pc"
        DESTINATION "${SIPHB_INSTALL_PKGCONFIGDIR}"
        COMPONENT dev)
