#!/usr/bin/env bash
# bench/compare.sh BEFORE AFTER [ROUNDS] - bench_sip and the STUN benchmark
# (bench/run_stun.sh) of two source trees, alternating, in one session:
# each round runs bench_sip before then after, and run_stun.sh after then
# before, so that a drift of the machine's speed during the session falls
# on both sides. Prints, per library and operation, the median over the
# rounds (and the range) of each side and the change in percent.
#
# BEFORE and AFTER are checkouts with build-bench configured as in
# docs/BENCHMARKS.md, e.g. for the commit before a change:
#   git worktree add /tmp/before <commit>
#   (cd /tmp/before && cmake -S . -B build-bench -DSIPHB_BUILD_BENCH=ON \
#      -DSIPHB_BUILD_TESTS=OFF -DSIPHB_BUILD_EXAMPLES=OFF -DCMAKE_BUILD_TYPE=Release &&
#    cmake --build build-bench -j2 --target bench_sip bench_stun bench_stun_alt)
#   bench/compare.sh /tmp/before . 5      # about 25 s per round
set -euo pipefail

[ $# -ge 2 ] || { echo "usage: bench/compare.sh BEFORE AFTER [ROUNDS]" >&2; exit 2; }
before=$(cd "$1" && pwd)
after=$(cd "$2" && pwd)
rounds=${3:-5}
for tree in "$before" "$after"; do
  if [ ! -x "$tree/build-bench/bench/bench_sip" ] || [ ! -x "$tree/build-bench/bench/bench_stun" ]; then
    echo "compare: $tree/build-bench lacks bench_sip or bench_stun" >&2
    exit 1
  fi
done
command -v python3 >/dev/null || { echo "compare: needs python3 for the summary" >&2; exit 1; }

out=$(mktemp -d "${TMPDIR:-/tmp}/siphb-compare.XXXXXX")
trap 'rm -rf "$out"' EXIT
run_sip() { (cd "$2" && ./build-bench/bench/bench_sip) >"$out/sip.$1.$3.txt" 2>&1; }
run_stun() { (cd "$2" && bench/run_stun.sh build-bench) >"$out/stun.$1.$3.txt" 2>&1; }
for r in $(seq 1 "$rounds"); do
  echo "compare: round $r of $rounds" >&2
  run_sip before "$before" "$r"
  run_sip after "$after" "$r"
  run_stun after "$after" "$r"
  run_stun before "$before" "$r"
done

python3 - "$out" "$rounds" <<'EOF'
import re, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])

def sip_rows(text):
    for line in text.splitlines():
        m = re.match(r'^(siphb|osip2|sofia-sip|libre)\s+(parse|encode)\s+([\d.]+)\s', line)
        if m: yield f'{m[1]} {m[2]}', float(m[3])

def stun_rows(text):
    # the one table of run_stun.sh's second program: "library (x) what  ns  range"
    table = text.split('library                operation')[-1].split('ratios')[0]
    for line in table.splitlines():
        m = re.match(r'^(siphb built-in|siphb openssl|libre|libnice)\s+(\([abc]\))\D*?\s([\d.]+)\s+[\d.]+-', line)
        if m: yield f'{m[1]} {m[2]}', float(m[3])

for bench, rows in (('sip', sip_rows), ('stun', stun_rows)):
    got = {}
    for side in ('before', 'after'):
        for r in range(1, rounds + 1):
            with open(f'{out}/{bench}.{side}.{r}.txt') as f:
                for key, ns in rows(f.read()):
                    got.setdefault(key, {}).setdefault(side, []).append(ns)
    print(f'| {bench} | before, ns: median (range) | after, ns: median (range) | change |')
    print('|---|---:|---:|---:|')
    for key, sides in got.items():
        b, a = sides.get('before', []), sides.get('after', [])
        if not b or not a: continue
        mb, ma = statistics.median(b), statistics.median(a)
        print(f'| {key} | {mb:.1f} ({min(b):.1f}-{max(b):.1f}) | {ma:.1f} ({min(a):.1f}-{max(a):.1f}) '
              f'| {100 * (ma / mb - 1):+.1f}% |')
    print()
EOF
