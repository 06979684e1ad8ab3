#!/usr/bin/env bash
# fuzz/smoke.sh BUILD_DIR [SECONDS] - a bounded libFuzzer run of every
# harness (scripts/test.sh stage j). Each runs on its seed corpus and saved
# regressions, with the dictionary, for SECONDS (default 30), all at once.
# New inputs go to a temporary directory, never into the tree. Fails when a
# harness crashes, and then shows its log and the crashing input in hex.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:?usage: fuzz/smoke.sh BUILD_DIR [SECONDS]}
seconds=${2:-30}
harnesses=(sip_parse stream)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/siphb-fuzz-smoke.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

declare -A pid=()
for h in "${harnesses[@]}"; do
  exe=$build/fuzz/fuzz_$h
  [ -x "$exe" ] || { echo "smoke: $exe not built (configure with -DSIPHB_BUILD_FUZZ=ON)"; exit 1; }
  mkdir -p "$tmp/$h/new"
  "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
    -dict="$root/fuzz/sip.dict" -artifact_prefix="$tmp/$h/" -print_final_stats=1 \
    "$tmp/$h/new" "$root/fuzz/corpus/$h" "$root/fuzz/regressions/$h" \
    >"$tmp/$h/log" 2>&1 &
  pid[$h]=$!
done

failed=0
for h in "${harnesses[@]}"; do
  rc=0
  wait "${pid[$h]}" || rc=$?
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$tmp/$h/log" | tail -n 1)
  if [ "$rc" -eq 0 ] && [ -n "$done_line" ]; then
    echo "fuzz_$h: ok: $done_line"
    continue
  fi
  failed=1
  echo "fuzz_$h: FAILED (exit status $rc); the end of its log:"
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
