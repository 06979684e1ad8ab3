#!/usr/bin/env bash
# bench/run_stun.sh [BUILD_DIR] [bench_stun options...] - the STUN benchmark
# with both siphb crypto backends in one table: bench_stun_alt (siphb only,
# built with the other backend) first, its rows exported to a temporary
# file, then bench_stun (the configured backend, libre, libnice), which
# imports them, so that the table, the ratios and the targets cover both.
# Options after BUILD_DIR (default build-bench) go to both programs, e.g.
# --reps 9 --time-ms 300. Without bench_stun_alt (OpenSSL not found when
# configuring) only bench_stun runs.
set -euo pipefail

build=${1:-build-bench}
[ $# -gt 0 ] && shift
main=$build/bench/bench_stun
alt=$build/bench/bench_stun_alt
[ -x "$main" ] || { echo "run_stun: $main not built (-DSIPHB_BUILD_BENCH=ON, target bench_stun)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/siphb-bench-stun.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if [ -x "$alt" ]; then
  echo "=== $alt (siphb with the other crypto backend) ==="
  "$alt" --only siphb --export "$tmp/alt.tsv" "$@"
  echo
  echo "=== $main (one table: both siphb backends, libre, libnice) ==="
  "$main" --import "$tmp/alt.tsv" "$@"
else
  echo "run_stun: $alt not built (OpenSSL not found when configuring): one backend only"
  "$main" "$@"
fi
