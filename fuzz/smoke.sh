#!/usr/bin/env bash
# fuzz/smoke.sh BUILD_DIR [SECONDS] - a bounded libFuzzer run of every
# harness (scripts/test.sh stage j). Each runs on its seed corpus and saved
# regressions, with its dictionary, for SECONDS (default 15). At most JOBS
# harnesses run at once (SIPHB_FUZZ_JOBS, default the number of CPUs), one
# per core: -max_total_time is wall-clock time, so a harness sharing a core
# would get half the executions for the same seconds; with the 11 harnesses
# of fuzz/harnesses.txt on 2 cores the run takes six rounds, 6 x SECONDS. New inputs go to a
# temporary directory, never into the tree. Fails when a harness crashes,
# and then shows its log and the crashing input in hex.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:?usage: fuzz/smoke.sh BUILD_DIR [SECONDS]}
seconds=${2:-15}
jobs=${SIPHB_FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=1
# The harnesses and their dictionaries (- for none): fuzz/harnesses.txt.
harnesses=()
declare -A dict=()
while read -r name d _; do
  case $name in '' | '#'*) continue ;; esac
  harnesses+=("$name")
  dict[$name]=$d
done <"$root/fuzz/harnesses.txt"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/siphb-fuzz-smoke.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

for h in "${harnesses[@]}"; do
  exe=$build/fuzz/fuzz_$h
  [ -x "$exe" ] || { echo "smoke: $exe not built (configure with -DSIPHB_BUILD_FUZZ=ON)"; exit 1; }
done

declare -A rc=()
running=()
# Waits for the harnesses started in this round and records their status.
finish_round() {
  local h r
  for h in "${running[@]}"; do
    r=0
    wait "${pid[$h]}" || r=$?
    rc[$h]=$r
  done
  running=()
}
declare -A pid=()
for h in "${harnesses[@]}"; do
  mkdir -p "$tmp/$h/new"
  dict_opt=()
  [ "${dict[$h]}" = - ] || dict_opt=(-dict="$root/fuzz/${dict[$h]}")
  "$build/fuzz/fuzz_$h" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
    "${dict_opt[@]}" -artifact_prefix="$tmp/$h/" -print_final_stats=1 \
    "$tmp/$h/new" "$root/fuzz/corpus/$h" "$root/fuzz/regressions/$h" \
    >"$tmp/$h/log" 2>&1 &
  pid[$h]=$!
  running+=("$h")
  [ "${#running[@]}" -lt "$jobs" ] || finish_round
done
finish_round

failed=0
for h in "${harnesses[@]}"; do
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$tmp/$h/log" | tail -n 1)
  if [ "${rc[$h]}" -eq 0 ] && [ -n "$done_line" ]; then
    echo "fuzz_$h: ok: $done_line"
    continue
  fi
  failed=1
  echo "fuzz_$h: FAILED (exit status ${rc[$h]}); the end of its log:"
  tail -n 60 "$tmp/$h/log"
  for f in "$tmp/$h"/crash-* "$tmp/$h"/leak-* "$tmp/$h"/timeout-* "$tmp/$h"/oom-*; do
    [ -e "$f" ] || continue
    echo "--- $(basename "$f") ($(wc -c <"$f") bytes):"
    od -A d -t x1z -v "$f" | head -n 80
    # Keep it where the caller can find it after the temporary dir is gone.
    mkdir -p "$build/fuzz/artifacts"
    cp "$f" "$build/fuzz/artifacts/fuzz_$h-$(basename "$f")"
    echo "(saved as $build/fuzz/artifacts/fuzz_$h-$(basename "$f"))"
  done
done
exit "$failed"
