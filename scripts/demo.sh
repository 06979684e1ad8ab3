#!/usr/bin/env bash
# scripts/demo.sh - build the library and examples into build/demo and run the
# timer-wheel walkthrough (examples/wheel_demo.c) in simulated time.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

# shellcheck source=SCRIPTDIR/deps.sh
. "$root/scripts/deps.sh"
siphb_deps_ensure cmake make gcc libc6-dev || exit 1

# Build quietly; show the log only if something fails.
mkdir -p build
log=build/demo.log
{ cmake -S . -B build/demo -DSIPHB_BUILD_TESTS=OFF -DSIPHB_BUILD_EXAMPLES=ON \
        -DSIPHB_FREESTANDING=OFF -DSIPHB_BUILD_BENCH=OFF &&
  cmake --build build/demo -j2; } >"$log" 2>&1 || {
  cat "$log"; echo "demo: build failed (log: $log)" >&2; exit 1; }
exec build/demo/examples/wheel_demo
