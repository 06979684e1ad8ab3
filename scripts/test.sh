#!/usr/bin/env bash
# scripts/test.sh - the project's test command (CI runs it through .ci/run).
#
# Stages, each with its own banner; the summary at the end says ok/FAILED per
# stage and the exit status is non-zero if any stage failed:
#   a  gcc build (-Werror) + ctest                     build/gcc
#   b  clang ASan+UBSan build (asserts, -Werror) + ctest build/clang-asan
#   c  C99 gcc build (-Werror) + ctest                 build/c99
#   d  clang -Werror build of everything: this is stage b (same build)
#   e  install + consumer test against build/gcc       tests/consumer/run.sh
#   f  include and ABI checks      scripts/check-includes.sh, scripts/check-abi.sh
#   g  Cortex-M4 cross build of the core               scripts/cross-cortex-m4.sh
#   h  build (not run) the bench in build/gcc          -DSIPHB_BUILD_BENCH=ON
#   i  interop on loopback: SIP (kamailio, sipp, tshark) tests/interop/run.sh build/gcc
#      and STUN (coturn, tshark)                      tests/interop/stun_run.sh build/gcc
#      and `siphb probe` (kamailio, sipp)             tests/interop/probe_run.sh build/gcc
#      and `siphb serve` (sipp, tshark)              tests/interop/serve_run.sh build/gcc
#      and RFC 4028 via `siphb serve --session-timer` (sipp, tshark) tests/interop/session_timer_run.sh build/gcc
#      and `siphb crlf`, `stun --keepalive` (kamailio, coturn) tests/interop/keepalive_run.sh build/gcc
#   j  fuzz smoke: libFuzzer, 15 s per harness,       fuzz/smoke.sh build/fuzz
#      one per core (SIPHB_FUZZ_SECONDS overrides the 15)
#   k  OpenSSL crypto backend: gcc, -Werror, ctest    build/openssl
#   l  c-ares glue (SIPHB_WITH_CARES=ON): gcc, -Werror, build/cares
#      ctest, then tests/interop/cares_run.sh against dnsmasq on loopback;
#      "skipped" (not failed) when c-ares or dnsmasq is missing and cannot
#      be installed
# Usage: scripts/test.sh [STAGE...]   e.g. `scripts/test.sh a e` (default: all)
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

# Every Debian package the stages need, in one place.
SIPHB_TEST_PACKAGES=(
  cmake make gcc libc6-dev clang libclang-rt-14-dev pkg-config binutils
  libcmocka-dev libuv1-dev libevent-dev
  gcc-arm-none-eabi binutils-arm-none-eabi libnewlib-arm-none-eabi
  python3 # the small responders and checkers of the tests/tool/ scripts (ctest)
)
# Stage i's peers, installed when that stage runs (sipp is sip-tester,
# turnserver is coturn; python3 plays a scripted STUN server).
SIPHB_INTEROP_PACKAGES=(kamailio sip-tester tshark coturn python3)
# Stage k's OpenSSL headers and libcrypto, installed when that stage runs.
SIPHB_OPENSSL_PACKAGES=(libssl-dev)
# Stage l's c-ares headers and library, and dnsmasq (dnsmasq-base: the
# binary alone, no service to start).
SIPHB_CARES_PACKAGES=(libc-ares-dev dnsmasq-base)

# shellcheck source=SCRIPTDIR/deps.sh
. "$root/scripts/deps.sh"
siphb_deps_ensure "${SIPHB_TEST_PACKAGES[@]}" || exit 1

jobs=${SIPHB_JOBS:-2}
export CTEST_OUTPUT_ON_FAILURE=1
# Options every build states explicitly, so a build dir configured by hand
# earlier (its CMakeCache.txt) cannot change what a stage tests.
common_opts=(-DSIPHB_WERROR=ON -DSIPHB_BUILD_TESTS=ON -DSIPHB_BUILD_EXAMPLES=ON
             -DSIPHB_FREESTANDING=OFF -DSIPHB_WITH_OPENSSL=OFF -DSIPHB_WITH_CARES=OFF)
# Each ctest run's summary line is kept so the end can total the tests.
ctest_log=$(mktemp)
trap 'rm -f "$ctest_log"' EXIT
ctest_run() {
  local out rc=0
  out=$(mktemp)
  (cd "$1" && ctest --output-on-failure --no-tests=error --timeout 300 -j"$jobs") >"$out" 2>&1 || rc=$?
  cat "$out"
  grep -E '^[0-9]+% tests passed' "$out" >>"$ctest_log" || true
  rm -f "$out"
  return "$rc"
}

# configure, build and test one build dir: build_and_test DIR CMAKE_ARGS...
build_and_test() {
  local dir=$1
  shift
  cmake -S . -B "$dir" "${common_opts[@]}" -DSIPHB_BUILD_BENCH=OFF "$@"
  cmake --build "$dir" -j"$jobs"
  ctest_run "$dir"
}
stage_a() {
  build_and_test build/gcc -DCMAKE_C_COMPILER=gcc -DCMAKE_C_STANDARD=11 \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSIPHB_SANITIZE= -DSIPHB_ASSERTS=OFF
}
stage_b() {
  export ASAN_OPTIONS=detect_leaks=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  build_and_test build/clang-asan -DCMAKE_C_COMPILER=clang -DCMAKE_C_STANDARD=11 \
    -DCMAKE_BUILD_TYPE=Debug -DSIPHB_SANITIZE=address,undefined -DSIPHB_ASSERTS=ON
}
stage_c() {
  # Also the build without the x86-64 CRC/SHA paths: the whole suite on the
  # portable crypto code, which the other x86-64 builds skip on CPUs that
  # have the instructions.
  build_and_test build/c99 -DCMAKE_C_COMPILER=gcc -DCMAKE_C_STANDARD=99 \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSIPHB_SANITIZE= -DSIPHB_ASSERTS=OFF \
    -DSIPHB_CPU_ACCEL=OFF
}
stage_d() {
  # The clang build of stage b compiles every target (library, tests,
  # examples) with SIPHB_WERROR=ON; it is not repeated without sanitizers.
  echo "covered by stage b (build/clang-asan: clang, SIPHB_WERROR=ON, all targets)"
  [ "${result[b]:-}" = ok ]
}
stage_e() {
  [ "${result[a]:-}" = ok ] || { echo "needs stage a (build/gcc)"; return 1; }
  tests/consumer/run.sh build/gcc
}
stage_f() { scripts/check-includes.sh && scripts/check-abi.sh; }
stage_g() { scripts/cross-cortex-m4.sh build/cortex-m4; }
stage_h() {
  [ "${result[a]:-}" = ok ] || { echo "needs stage a (build/gcc)"; return 1; }
  cmake -S . -B build/gcc -DSIPHB_BUILD_BENCH=ON
  cmake --build build/gcc -j"$jobs"
}

stage_i() {
  [ "${result[a]:-}" = ok ] || { echo "needs stage a (build/gcc)"; return 1; }
  siphb_deps_ensure "${SIPHB_INTEROP_PACKAGES[@]}"
  # Each runs even when one before it fails; the stage needs all to pass.
  local rc=0
  timeout 120 tests/interop/run.sh build/gcc || rc=1
  timeout 60 tests/interop/stun_run.sh build/gcc || rc=1
  timeout 90 tests/interop/probe_run.sh build/gcc || rc=1
  timeout 90 tests/interop/serve_run.sh build/gcc || rc=1
  timeout 90 tests/interop/session_timer_run.sh build/gcc || rc=1
  timeout 90 tests/interop/keepalive_run.sh build/gcc || rc=1
  return "$rc"
}

stage_j() {
  # Its own build: clang, libFuzzer plus ASan/UBSan on the harnesses and the
  # library sources they link (fuzz/CMakeLists.txt), internal asserts on.
  cmake -S . -B build/fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_C_STANDARD=11 \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSIPHB_BUILD_FUZZ=ON -DSIPHB_WERROR=ON \
    -DSIPHB_BUILD_TESTS=OFF -DSIPHB_BUILD_EXAMPLES=OFF -DSIPHB_BUILD_TOOLS=OFF \
    -DSIPHB_BUILD_BENCH=OFF -DSIPHB_FREESTANDING=OFF -DSIPHB_SANITIZE= -DSIPHB_ASSERTS=OFF \
    -DSIPHB_WITH_OPENSSL=OFF
  # This build holds only the harnesses of fuzz/harnesses.txt (tests,
  # tools, examples and benchmarks are off): build all of it.
  cmake --build build/fuzz -j"$jobs"
  # Eleven harnesses, at most one per core: six rounds of 15 s on 2 cores.
  fuzz/smoke.sh build/fuzz "${SIPHB_FUZZ_SECONDS:-15}"
}

stage_k() {
  # The whole suite again with crypto/crypto_openssl.c in place of the
  # built-in hashes and HMAC (test_crypto also checks OpenSSL is used).
  siphb_deps_ensure "${SIPHB_OPENSSL_PACKAGES[@]}"
  build_and_test build/openssl -DCMAKE_C_COMPILER=gcc -DCMAKE_C_STANDARD=11 \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSIPHB_SANITIZE= -DSIPHB_ASSERTS=OFF \
    -DSIPHB_WITH_OPENSSL=ON
}

stage_l() {
  # The c-ares glue on top of the default build: the whole suite plus
  # test_cares (its own in-process DNS server) and test_abi's config
  # checks, then the lookups against dnsmasq. Exit status 77: skipped.
  if ! siphb_deps_ensure "${SIPHB_CARES_PACKAGES[@]}"; then
    echo "SKIP: stage l needs c-ares (libc-ares-dev) and dnsmasq (dnsmasq-base)"
    return 77
  fi
  build_and_test build/cares -DCMAKE_C_COMPILER=gcc -DCMAKE_C_STANDARD=11 \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSIPHB_SANITIZE= -DSIPHB_ASSERTS=ON \
    -DSIPHB_WITH_CARES=ON
  timeout 90 tests/interop/cares_run.sh build/cares
}

declare -A title=(
  [a]="gcc build, -Werror, ctest (build/gcc)"
  [b]="clang ASan+UBSan, asserts, -Werror, ctest (build/clang-asan)"
  [c]="C99 gcc build, portable crypto (SIPHB_CPU_ACCEL=OFF), -Werror, ctest (build/c99)"
  [d]="clang -Werror build of everything (= stage b)"
  [e]="install + consumer (pkg-config and find_package)"
  [f]="include and ABI checks (layers, the core's headers, growth rules)"
  [g]="Cortex-M4 cross build of the freestanding core"
  [h]="bench builds (build/gcc, not run)"
  [i]="SIP, STUN, siphb probe, crlf, stun --keepalive and serve interop on loopback (kamailio, sipp, coturn, tshark)"
  [j]="fuzz smoke (libFuzzer, ${SIPHB_FUZZ_SECONDS:-15} s per harness, one per core)"
  [k]="OpenSSL crypto backend: gcc build with SIPHB_WITH_OPENSSL=ON, ctest (build/openssl)"
  [l]="c-ares glue: gcc build with SIPHB_WITH_CARES=ON, ctest, dnsmasq interop (build/cares)"
)
declare -A result=() seconds=()
stages=("$@")
[ "${#stages[@]}" -gt 0 ] || stages=(a b c d e f g h i j k l)

for s in "${stages[@]}"; do
  if [ -z "${title[$s]:-}" ]; then
    echo "unknown stage '$s' (stages: a b c d e f g h i j k l)" >&2
    exit 2
  fi
  printf '\n########################################################################\n'
  printf '### [%s] %s\n' "$s" "${title[$s]}"
  printf '########################################################################\n'
  start=$SECONDS
  # A subshell with -e so the first failing command ends the stage.
  ( set -e; "stage_$s" )
  rc=$?
  seconds[$s]=$((SECONDS - start))
  if [ "$rc" -eq 0 ]; then
    result[$s]=ok
  elif [ "$rc" -eq 77 ]; then
    result[$s]=skipped
  else
    result[$s]=FAILED
  fi
  printf '### [%s] %s (%ss)\n' "$s" "${result[$s]}" "${seconds[$s]}"
done

printf '\n==================== summary ====================\n'
failed=0
for s in "${stages[@]}"; do
  printf '  [%s] %-7s %s (%ss)\n' "$s" "${result[$s]}" "${title[$s]}" "${seconds[$s]}"
  [ "${result[$s]}" = ok ] || [ "${result[$s]}" = skipped ] || failed=1
done
# "N tests failed out of M" from every ctest run, totalled.
read -r tests_failed tests_total < <(awk '{ f += $4; t += $NF } END { print f + 0, t + 0 }' "$ctest_log")
echo "ctest over all builds: $((tests_total - tests_failed)) passed, $tests_failed failed"
if [ "$failed" -ne 0 ]; then
  echo "test.sh: FAILED"
  exit 1
fi
echo "test.sh: all stages ok"
