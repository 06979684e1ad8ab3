#!/usr/bin/env bash
# scripts/cross-cortex-m4.sh [BUILD_DIR] - cross-compile the freestanding core
# for Cortex-M4 (cmake/arm-none-eabi.cmake, -DSIPHB_FREESTANDING=ON, -Werror),
# print its size, and check that it needs nothing from the C library but
#   memcpy memmove memset memcmp memchr strlen
# (plus compiler helpers named __aeabi_* or __*). BUILD_DIR: build/cortex-m4.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build/cortex-m4}

# shellcheck source=SCRIPTDIR/deps.sh
. "$root/scripts/deps.sh"
siphb_deps_ensure cmake make gcc-arm-none-eabi libnewlib-arm-none-eabi binutils-arm-none-eabi || exit 1

cmake -S "$root" -B "$build" \
  -DCMAKE_TOOLCHAIN_FILE="$root/cmake/arm-none-eabi.cmake" \
  -DCMAKE_BUILD_TYPE=MinSizeRel \
  -DSIPHB_FREESTANDING=ON -DSIPHB_WITH_OPENSSL=OFF -DSIPHB_WERROR=ON
cmake --build "$build" --target siphb_static -j2

lib=$(find "$build" -name libsiphb.a | head -n 1)
[ -n "$lib" ] || { echo "cross-cortex-m4: libsiphb.a not found in $build" >&2; exit 1; }

echo
echo "arm-none-eabi-size -t $lib:"
arm-none-eabi-size -t "$lib" | tee "$build/size.txt"
text=$(awk '$NF == "(TOTALS)" { print $1 }' "$build/size.txt")

# Undefined symbols of the library as a whole: referenced by some object and
# defined by none.
allowed=" memcpy memmove memset memcmp memchr strlen "
defined=$(arm-none-eabi-nm -g --defined-only "$lib" | awk 'NF == 3 { print $3 }' | sort -u)
offenders=$(arm-none-eabi-nm -A -u "$lib" | awk '{ print $NF, $1 }' | sort -u |
  while read -r sym where; do
    grep -qxF -- "$sym" <<<"$defined" && continue
    [[ $allowed == *" $sym "* ]] && continue
    [[ $sym == __* ]] && continue          # __aeabi_*, __clzdi2, ... (libgcc)
    where=${where%:}; where=${where##*:}   # lib.a:obj.o: -> obj.o
    echo "  $sym (from $where)"
  done)
needed=$(arm-none-eabi-nm -u "$lib" | awk '$1 == "U" { print $2 }' | sort -u |
  grep -vxF -f <(printf '%s\n' "$defined") | tr '\n' ' ' || true)
echo
echo "undefined symbols of the library: ${needed:-none}"
if [ -n "$offenders" ]; then
  echo "cross-cortex-m4: FAILED: the core needs symbols outside memcpy memmove memset memcmp memchr strlen:"
  echo "$offenders"
  echo "core .text for Cortex-M4: $text bytes (check FAILED)"
  exit 1
fi
echo "core .text for Cortex-M4: $text bytes"
