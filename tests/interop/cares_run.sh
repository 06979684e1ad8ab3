#!/usr/bin/env bash
# tests/interop/cares_run.sh - the c-ares glue (siphb/cares.h) against a
# real DNS server, dnsmasq, on loopback.
#
#   tests/interop/cares_run.sh BUILD_DIR   e.g. tests/interop/cares_run.sh build/cares
#
# BUILD_DIR must be configured with -DSIPHB_WITH_CARES=ON (it holds
# tests/interop/cares_resolve). Needs dnsmasq (Debian dnsmasq-base: the
# binary only, no service). Exits 2 when either is missing, so that
# scripts/test.sh can skip the check with a message.
#
# dnsmasq runs in the foreground (--no-daemon) on 127.0.0.1:<free port>,
# with no upstream, no hosts file, example.test answered locally
# (--local: unknown names get NXDOMAIN), under `timeout`, stopped by PID by
# the EXIT trap. What it checks, with cares_resolve pointed at it:
#   1. _sip._udp.example.test (pbx1 10/60, pbx2 10/40, pbx3 20/0): status
#      OK, three targets, priority 10 before 20, the ports of the SRV
#      records, pbx1's A and AAAA records (127.0.0.2, fd00::2), the others'
#      A records; the same with --family 4 (no AAAA) and --family 6 (only
#      pbx1 has an address);
#   2. RFC 2782 weights over 300 lookups (fixed seed): pbx1 (60) comes first
#      more often than pbx2 (40), each within a loose band around the
#      RFC's 61/101 and 40/101 (the band is wide enough for any answer
#      order, so the check cannot flake), and pbx3 (priority 20) never;
#   3. _sips._tcp.example.test (target "."): NOT_OFFERED;
#      _sip._tcp.example.test (target without address): NO_ADDRESS;
#      _sip._udp.nosrv.example.test: NO_SRV;
#   4. a port where nothing answers (a UDP socket held by python3 that
#      never replies): TIMEOUT, within the configured bound.
# One PASS/FAIL/SKIP line per check, a summary, exit 0 only if nothing
# failed. SIPHB_INTEROP_KEEP=1 keeps the temp dir.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
interop_name=cares_run.sh
# shellcheck source=SCRIPTDIR/lib.sh
. "$here/lib.sh"
interop_args "$@"
prog=$build/tests/interop/cares_resolve
py=/usr/bin/python3
dnsmasq=$(command -v dnsmasq || echo /usr/sbin/dnsmasq)
interop_need "dnsmasq-base python3" "$prog" "$dnsmasq" ss timeout "$py"
interop_init 3
port; DNS=$PORT   # dnsmasq
port; MUTE=$PORT  # python3: reads, never answers

echo "cares_run.sh: temp dir $tmp, ports $base..$((base + 1)); $("$dnsmasq" --version | head -1)"

# ---- dnsmasq ----------------------------------------------------------------------
dns_cmd=("$dnsmasq" --no-daemon --conf-file=/dev/null --port="$DNS" --listen-address=127.0.0.1
  --bind-interfaces --no-resolv --no-hosts --local=/example.test/ --log-queries
  --srv-host=_sip._udp.example.test,pbx1.example.test,5060,10,60
  --srv-host=_sip._udp.example.test,pbx2.example.test,5062,10,40
  --srv-host=_sip._udp.example.test,pbx3.example.test,5064,20,0
  --srv-host=_sips._tcp.example.test
  --srv-host=_sip._tcp.example.test,ghost.example.test,5060,1,1
  --host-record=pbx1.example.test,127.0.0.2,fd00::2
  --host-record=pbx2.example.test,127.0.0.3
  --host-record=pbx3.example.test,127.0.0.4)
printf '%q ' "${dns_cmd[@]}" >"$tmp/dnsmasq.cmd"
start_bg "$tmp/dnsmasq.log" timeout 60 "${dns_cmd[@]}"
dns_pid=$BG
if wait_listen u 127.0.0.1 "$DNS" "$dns_pid"; then
  pass "dnsmasq: started: $(cat "$tmp/dnsmasq.cmd")"
else
  fail "dnsmasq: did not start: $(cat "$tmp/dnsmasq.cmd")"
  show "$tmp/dnsmasq.log"
  interop_summary
  exit 1
fi

# resolve NAME ARGS...: cares_resolve ARGS 127.0.0.1:DNS, output in
# $tmp/NAME.out (stderr .err), RC its exit status.
resolve() {
  local name=$1
  shift
  timeout 25 "$prog" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
  RC=$?
}
# expect NAME DESCRIPTION PATTERN...: every extended regex matches a line.
expect() {
  local name=$1 what=$2 re missing=""
  shift 2
  for re in "$@"; do
    grep -qE "$re" "$tmp/$name.out" || missing="$missing [$re]"
  done
  if [ "$RC" -eq 0 ] && [ -z "$missing" ]; then
    pass "$what"
  else
    fail "$what (exit $RC; missing:$missing)"
    show "$tmp/$name.out"
    show "$tmp/$name.err" 5
  fi
}

# ---- 1. the SRV set with its addresses --------------------------------------------
S=_sip._udp.example.test
resolve both --timeout 1000 --tries 2 127.0.0.1:"$DNS" "$S"
expect both "SRV + A/AAAA: OK, 3 targets, priority 10 first, ports and addresses" \
  "^result $S status=SIPHB_CARES_OK ares=0 targets=3 " \
  "^target $S [01] pbx1\.example\.test port=5060 priority=10 weight=60 ares=0 addrs=(127\.0\.0\.2,fd00::2|fd00::2,127\.0\.0\.2)$" \
  "^target $S [01] pbx2\.example\.test port=5062 priority=10 weight=40 ares=0 addrs=127\.0\.0\.3$" \
  "^target $S 2 pbx3\.example\.test port=5064 priority=20 weight=0 ares=0 addrs=127\.0\.0\.4$"
resolve v4 --family 4 127.0.0.1:"$DNS" "$S"
expect v4 "A only (--family 4): pbx1 without its AAAA" \
  "^target $S [01] pbx1\.example\.test port=5060 .* addrs=127\.0\.0\.2$"
resolve v6 --family 6 127.0.0.1:"$DNS" "$S"
expect v6 "AAAA only (--family 6): only pbx1 has an address" \
  "^result $S status=SIPHB_CARES_OK " \
  "^target $S [01] pbx1\.example\.test port=5060 .* addrs=fd00::2$" \
  "^target $S [01] pbx2\.example\.test port=5062 .* addrs=$"

# ---- 2. weights over many lookups ----------------------------------------------------
resolve weights --repeat 300 --seed 20261207 127.0.0.1:"$DNS" "$S"
line=$(grep "^first $S" "$tmp/weights.out" || true)
c1=$(awk '{ for (i = 3; i < NF; i += 2) if ($i == "pbx1.example.test") print $(i + 1) }' <<<"$line")
c2=$(awk '{ for (i = 3; i < NF; i += 2) if ($i == "pbx2.example.test") print $(i + 1) }' <<<"$line")
c3=$(awk '{ for (i = 3; i < NF; i += 2) if ($i == "pbx3.example.test") print $(i + 1) }' <<<"$line")
c1=${c1:-0} c2=${c2:-0} c3=${c3:-0}
# Expected first picks: 300 * 61/101 = 181 and 300 * 40/101 = 119 (or
# 300 * 60/101 and 41/101 with pbx2 first in the answer); sigma about 8.5:
# bands of more than 5 sigma.
if [ "$RC" -eq 0 ] && [ $((c1 + c2)) -eq 300 ] && [ "$c3" -eq 0 ] &&
  [ "$c1" -ge 140 ] && [ "$c1" -le 225 ] && [ "$c1" -gt "$c2" ]; then
  pass "weights 60/40 over 300 lookups: pbx1 first $c1 times, pbx2 $c2, pbx3 (priority 20) $c3"
else
  fail "weights 60/40 over 300 lookups: pbx1 $c1, pbx2 $c2, pbx3 $c3 (exit $RC)"
  show "$tmp/weights.out"
  show "$tmp/weights.err" 5
fi

# ---- 3. the other answers ------------------------------------------------------------
resolve others 127.0.0.1:"$DNS" _sips._tcp.example.test _sip._tcp.example.test \
  _sip._udp.nosrv.example.test
expect others "target \".\": NOT_OFFERED; target without address: NO_ADDRESS; no SRV: NO_SRV" \
  "^result _sips\._tcp\.example\.test status=SIPHB_CARES_NOT_OFFERED " \
  "^result _sip\._tcp\.example\.test status=SIPHB_CARES_NO_ADDRESS .* targets=1 " \
  "^target _sip\._tcp\.example\.test 0 ghost\.example\.test port=5060 .* addrs=$" \
  "^result _sip\._udp\.nosrv\.example\.test status=SIPHB_CARES_NO_SRV ares=4 "

# ---- 4. a server that never answers --------------------------------------------------
start_bg "$tmp/mute.log" timeout 30 "$py" -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('127.0.0.1', $MUTE))
print('listening', flush=True)
while True:
    s.recv(2048)
"
mute_pid=$BG
if wait_listen u 127.0.0.1 "$MUTE" "$mute_pid"; then
  t0=$SECONDS
  resolve mute --timeout 300 --tries 2 127.0.0.1:"$MUTE" "$S"
  secs=$((SECONDS - t0))
  expect mute "no answer (timeout 300 ms, 2 tries): TIMEOUT in ${secs} s" \
    "^result $S status=SIPHB_CARES_TIMEOUT ares=12 targets=0 "
  [ "$secs" -le 5 ] || fail "no answer: took $secs s (bound 5 s)"
else
  skip "no answer: the python3 UDP sink did not start"
  show "$tmp/mute.log" 5
fi
stop_bg TERM "$mute_pid"

# dnsmasq's log shows the queries it answered: SRV, A and AAAA.
if grep -q 'query\[SRV\] _sip._udp.example.test' "$tmp/dnsmasq.log" &&
  grep -q 'query\[AAAA\] pbx1.example.test' "$tmp/dnsmasq.log"; then
  pass "dnsmasq logged the SRV, A and AAAA queries"
else
  fail "dnsmasq's log lacks the SRV/AAAA queries"
  show "$tmp/dnsmasq.log"
fi
stop_bg TERM "$dns_pid"

interop_summary
