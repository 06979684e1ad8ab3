#!/usr/bin/env bash
# tests/tool/simulate_test.sh SIPHB DATA_DIR - `siphb simulate` on the
# scenario timelines in DATA_DIR (tests/data/simulate): each NAME.tl is run
# with the options on its "#! " line, its output (JSON lines) shortened by
# simulate_check.py to the objects on its "#% " line (default health) and
# compared line for line with NAME.expect; then malformed timelines and
# options, with their exit statuses and line-numbered messages.
set -uo pipefail
siphb=$1
data=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
py=/usr/bin/python3
[ -x "$py" ] || py=python3
fails=0 checks=0
fail() {
  echo "FAIL: $*"
  fails=$((fails + 1))
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for tl in "$data"/*.tl; do
  name=$(basename "$tl" .tl)
  checks=$((checks + 1))
  args=$(sed -n 's/^#! //p' "$tl" | head -1)
  objects=$(sed -n 's/^#% //p' "$tl" | head -1)
  # shellcheck disable=SC2086
  timeout 20 "$siphb" simulate $args "$tl" >"$tmp/$name.json" 2>"$tmp/$name.err"
  rc=$?
  if [ "$rc" -ne 0 ]; then
    fail "$name: exit $rc: $(cat "$tmp/$name.err")"
    continue
  fi
  if ! "$py" "$here/simulate_check.py" "${objects:-health}" <"$tmp/$name.json" >"$tmp/$name.got"; then
    fail "$name: the output is not schema-1 JSON lines in time order"
    continue
  fi
  if ! diff -u "$data/$name.expect" "$tmp/$name.got" >"$tmp/$name.diff"; then
    fail "$name: events differ"
    cat "$tmp/$name.diff"
  fi
done

# Malformed input: exit 1 and the line number.
expect_error() { # NAME EXPECTED_STATUS EXPECTED_STDERR_PATTERN [ARGS...] (timeline on stdin)
  local name=$1 want=$2 pattern=$3
  shift 3
  checks=$((checks + 1))
  "$siphb" simulate "$@" >"$tmp/err.out" 2>"$tmp/err.txt"
  local rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "$name: exit $rc, wanted $want ($(cat "$tmp/err.txt"))"
  elif ! grep -q -- "$pattern" "$tmp/err.txt"; then
    fail "$name: stderr '$(cat "$tmp/err.txt")' lacks '$pattern'"
  fi
}
printf '0 sip ok\n# a comment\n\n10 sup ok\n20 end\n' >"$tmp/bad1"
expect_error "unknown item" 1 "bad1:4: unknown item 'sup'" "$tmp/bad1"
printf '0 sip ok\n10 sip maybe\n' >"$tmp/bad2"
expect_error "bad observation" 1 "bad2:2: expected ok, fail" "$tmp/bad2"
printf '100 sip ok\n50 sip ok\n200 end\n' >"$tmp/bad3"
expect_error "time backwards" 1 "bad3:2: time 50 is before 100" "$tmp/bad3"
printf '0 sip ok\n' >"$tmp/bad4"
expect_error "no end" 1 "bad4:1: no 'end' line" "$tmp/bad4"
printf '0 sip fail bogus-reason\n1 end\n' >"$tmp/bad5"
expect_error "unknown reason" 1 "bad5:1: unknown reason 'bogus-reason'" "$tmp/bad5"
printf '0 sip@3 ok\n1 end\n' >"$tmp/bad6"
expect_error "target out of range" 1 "bad6:1: target must be @1..@2" --failover 2 "$tmp/bad6"
printf '0 input critical on\n1 end\n' >"$tmp/bad7"
expect_error "input without failover" 1 "bad7:1: 'input' needs --failover" "$tmp/bad7"
printf 'x sip ok\n' >"$tmp/bad8"
expect_error "no time" 1 "bad8:1: expected a time in ms" "$tmp/bad8"
printf '0 maintenance maybe\n' >"$tmp/bad9"
expect_error "maintenance word" 1 "bad9:1: expected: <ms> maintenance on|off" "$tmp/bad9"
printf '0 end\n' >"$tmp/ok"
expect_error "refused config" 1 "the config was refused: SIPHB_ERR_INVALID_ARGUMENT" \
  --set sip.down_k=9 "$tmp/ok"
expect_error "unknown setting" 2 "unknown setting 'sip.nope'" --set sip.nope=1 "$tmp/ok"
expect_error "bad value" 2 "bad value 'yes' for enabled" --set sip.enabled=yes "$tmp/ok"
expect_error "unknown preset" 2 "unknown preset 'office'" --preset office "$tmp/ok"
expect_error "no file" 2 "no timeline file"
expect_error "missing file" 2 "nonexistent: No such file" "$tmp/nonexistent"

echo "simulate: $checks checks, $fails failed"
[ "$fails" -eq 0 ]
