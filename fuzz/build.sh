#!/bin/bash -eu
# fuzz/build.sh - build the harnesses the way OSS-Fuzz does: the library
# with $CC $CFLAGS (which carry -fsanitize=fuzzer-no-link and the
# sanitizer), each harness linked with $LIB_FUZZING_ENGINE into $OUT, plus
# fuzz_<name>_seed_corpus.zip and fuzz_<name>.dict (sip.dict or stun.dict)
# beside it.
#
# Outside OSS-Fuzz, e.g.:
#   CC=clang CXX=clang++ CFLAGS="-g -O1 -fsanitize=address,undefined,fuzzer-no-link" \
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=/tmp/siphb-fuzz fuzz/build.sh
root=$(cd "$(dirname "$0")/.." && pwd)
: "${CC:?}" "${CFLAGS:?}" "${LIB_FUZZING_ENGINE:?}" "${OUT:?}"
# libFuzzer is C++: link with the C++ driver when there is one.
link=${CXX:-$CC}
link_flags=${CXXFLAGS:-$CFLAGS}
work=${WORK:-${TMPDIR:-/tmp}}/siphb-fuzz-build
mkdir -p "$OUT" "$work"

# The library alone; build type "None" leaves the optimisation to $CFLAGS.
cmake -S "$root" -B "$work/cmake" -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="$CFLAGS" \
  -DCMAKE_BUILD_TYPE=None -DSIPHB_ASSERTS=ON -DSIPHB_BUILD_TESTS=OFF \
  -DSIPHB_BUILD_TOOLS=OFF -DSIPHB_BUILD_EXAMPLES=OFF -DSIPHB_BUILD_FUZZ=OFF \
  -DSIPHB_BUILD_BENCH=OFF
cmake --build "$work/cmake" --target siphb_static -j"$(nproc 2>/dev/null || echo 2)"

# fuzz_crypto reads lib/crypto/'s internal headers, which declare the
# x86-64 paths only when the library was built with them (accel.h: the
# CPU detection and CRC path, SIPHB_X86_ACCEL; the SHA path, SIPHB_X86_SHA).
internal=(-I"$root/lib")
symbols=$(nm "$work/cmake/lib/libsiphb.a" 2>/dev/null || true)
if grep -q ' T siphb_cpu_detect$' <<<"$symbols"; then internal+=(-DSIPHB_X86_ACCEL); fi
if grep -q ' T siphb_sha1_blocks_x86$' <<<"$symbols"; then internal+=(-DSIPHB_X86_SHA); fi

# The harnesses and their dictionaries (- for none): fuzz/harnesses.txt.
while read -r h dict _ <&3; do
  case $h in '' | '#'*) continue ;; esac
  extra=()
  [ "$h" != crypto ] || extra=("${internal[@]}")
  # shellcheck disable=SC2086  # the flag variables hold several words
  $CC $CFLAGS -DSIPHB_STATICLIB -I"$root/include" -I"$work/cmake/include" "${extra[@]}" \
    -c "$root/fuzz/fuzz_$h.c" -o "$work/fuzz_$h.o"
  # shellcheck disable=SC2086
  $link $link_flags "$work/fuzz_$h.o" -o "$OUT/fuzz_$h" $LIB_FUZZING_ENGINE \
    "$work/cmake/lib/libsiphb.a"
  [ "$dict" = - ] || cp "$root/fuzz/$dict" "$OUT/fuzz_$h.dict"
  rm -f "$OUT/fuzz_${h}_seed_corpus.zip"
  (cd "$root/fuzz/corpus/$h" && if command -v zip >/dev/null 2>&1; then
     zip -q -r "$OUT/fuzz_${h}_seed_corpus.zip" .
   else
     python3 -m zipfile -c "$OUT/fuzz_${h}_seed_corpus.zip" ./*
   fi)
done 3<"$root/fuzz/harnesses.txt"
