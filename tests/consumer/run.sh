#!/usr/bin/env bash
# tests/consumer/run.sh [BUILD_DIR] - install an already-built siphb tree into
# a temporary prefix and build programs against it the way users do:
#   1. cc consumer.c $(pkg-config --cflags --libs siphb), nothing else;
#   2. a CMake project using find_package(siphb) (shared and static targets).
# BUILD_DIR defaults to build/gcc. Exits non-zero on any failure.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build/gcc}
build=$(cd "$build" && pwd)

# shellcheck source=SCRIPTDIR/../../scripts/deps.sh
. "$root/scripts/deps.sh"
siphb_deps_ensure cmake make gcc libc6-dev pkg-config binutils || exit 1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/siphb-consumer.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

step() { printf -- '--- consumer: %s\n' "$*"; }
fail() { printf 'consumer: FAILED: %s\n' "$*" >&2; exit 1; }

step "cmake --install $build --prefix $prefix"
cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" || {
  cat "$tmp/install.log"; fail "install"; }

# The installed tree: public headers only, the generated version.h, the
# shared library with its SONAME link, the static library, .pc and package.
pc=$(find "$prefix" -path '*/pkgconfig/siphb.pc' | head -n 1)
[ -n "$pc" ] || fail "no pkgconfig/siphb.pc installed"
pcdir=$(dirname "$pc")
libdir=$(dirname "$pcdir")
for f in include/siphb/siphb.h include/siphb/version.h; do
  [ -f "$prefix/$f" ] || fail "$f not installed"
done
[ -f "$libdir/libsiphb.a" ] || fail "libsiphb.a not installed in $libdir"
[ -L "$libdir/libsiphb.so" ] || fail "libsiphb.so namelink not installed"
[ -e "$libdir/libsiphb.so.0" ] || fail "libsiphb.so.0 (SONAME link) not installed"
[ -f "$libdir/cmake/siphb/siphbConfig.cmake" ] || fail "siphbConfig.cmake not installed"
[ -f "$libdir/cmake/siphb/siphbConfigVersion.cmake" ] || fail "siphbConfigVersion.cmake not installed"
soname=$(objdump -p "$libdir/libsiphb.so" | awk '$1 == "SONAME" { print $2 }')
[ "$soname" = "libsiphb.so.0" ] || fail "SONAME is '$soname', expected libsiphb.so.0"
stray=$(find "$prefix/include" -type f ! -path '*/include/siphb/*.h' -o -name '*.in' | head -n 5)
[ -z "$stray" ] || fail "unexpected files installed under include/: $stray"

step "pkg-config: cc consumer.c \$(pkg-config --cflags --libs siphb)"
flags=$(PKG_CONFIG_PATH=$pcdir pkg-config --cflags --libs siphb) || fail "pkg-config siphb"
echo "    pkg-config gives: $flags"
cc=${CC:-cc}
# shellcheck disable=SC2086  # word splitting of the flags is intended
(cd "$tmp" && "$cc" "$here/consumer.c" $flags -o consumer-pc) || fail "compile with pkg-config flags"
objdump -p "$tmp/consumer-pc" | grep -q 'NEEDED *libsiphb\.so\.0' \
  || fail "consumer-pc does not link libsiphb.so.0"
LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} "$tmp/consumer-pc" \
  || fail "consumer built with pkg-config"

step "CMake: find_package(siphb) with CMAKE_PREFIX_PATH=$prefix"
cmake -S "$here" -B "$tmp/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" \
      -DCMAKE_BUILD_TYPE=Release >"$tmp/cmake.log" 2>&1 || {
  cat "$tmp/cmake.log"; fail "configure the CMake consumer"; }
cmake --build "$tmp/cmake-build" -j2 || fail "build the CMake consumer"
# CMake puts the imported library's directory in the build RPATH.
"$tmp/cmake-build/consumer" || fail "CMake consumer (siphb::siphb)"
"$tmp/cmake-build/consumer_static" || fail "CMake consumer (siphb::siphb_static)"
if objdump -p "$tmp/cmake-build/consumer_static" | grep -q 'NEEDED *libsiphb'; then
  fail "consumer_static depends on the shared library"
fi

echo "consumer: all ok"
