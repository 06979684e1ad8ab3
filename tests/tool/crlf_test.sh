#!/usr/bin/env bash
# tests/tool/crlf_test.sh SIPHB - checks `siphb crlf` and `siphb stun
# --keepalive` (ctest: tool_crlf) on the loopback against
# tests/tool/keepalive_server.py, bounded in time: usage errors (each exit 2
# with one line and the --help hint), pongs answered (lines, the summary,
# exit 0 with --count), a server that never pongs (failed after --timeout,
# exit 1), a refused port (exit 1 at once), a closed connection, SIGTERM
# (the summary, exit 0), --json fields; STUN keepalives answered, a changed
# mapped address (the `nat rebinding` line, the keepalives go on), an error
# response, a silent server (the RFC 5389 schedule), ICMP port unreachable.
set -u

tool=$1
tool_cmd=()
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
. "$here/lib.sh"
tool_test_init crlf

# server NAME MODE: tests/tool/keepalive_server.py in MODE on a port of its
# choosing (gone after 25 s); sets PORT.
server() { start_server "$1" keepalive_server.py "$2" 25; }
# A port the server had and gave up: nothing listens there.
dead_port() { # NAME MODE
  server "$1" "$2" || exit 1
  kill "${pids[-1]}" 2>/dev/null
  wait "${pids[-1]}" 2>/dev/null
}

# ---- usage errors: exit 2, one line naming the problem (and the --help hint)
usage_case "no server given" crlf
usage_case "more than one server" crlf 127.0.0.1 127.0.0.2
usage_case "the port must be a number" crlf 127.0.0.1:0
usage_case "--interval must be seconds" crlf 127.0.0.1 --interval 0
usage_case "--interval needs a number of seconds" crlf 127.0.0.1 --interval
usage_case "--timeout must be seconds" crlf 127.0.0.1 --timeout 1.2345
usage_case "--count must be a number" crlf 127.0.0.1 --count 0
usage_case "-4 and -6 exclude each other" crlf 127.0.0.1 -4 -6
usage_case "unknown option" crlf 127.0.0.1 --bogus
usage_case "--interval needs --keepalive" stun 127.0.0.1 --interval 1
usage_case "--count needs --keepalive" stun 127.0.0.1 --count 1
usage_case "--count must be a number" stun 127.0.0.1 --keepalive --count x
usage_case "stun_rc" stun 127.0.0.1 --keepalive --rc 17
usage_case "stun_rm" stun 127.0.0.1 --keepalive --rm 65

run 5 crlf --help
if [ "$rc" -eq 0 ] && grep -q '^Usage: siphb crlf HOST' "$tmp/out"; then ok; else bad "crlf --help"; fi
run 5 stun --help
if [ "$rc" -eq 0 ] && grep -q -- '--keepalive' "$tmp/out"; then ok; else bad "stun --help"; fi

# ---- crlf: pongs, exit 0 with --count, the summary
server pong pong || exit 1
PONG=$PORT
run 10 crlf "127.0.0.1:$PONG" --interval 0.2 --count 3
n=$(grep -cE '^seq [123] pong rtt [0-9]+\.[0-9]{3} ms$' "$tmp/out")
if [ "$rc" -eq 0 ] && [ "$n" -eq 3 ] && [ "$(wc -l <"$tmp/out")" -eq 3 ] &&
  grep -qxE 'sent 3, pongs 3, failed 0, rtt min/avg/max [0-9.]+/[0-9.]+/[0-9.]+ ms' "$tmp/err"; then
  ok
else
  bad "crlf pongs: exit $rc (want 0), $n pong lines (want 3), the summary"
fi

# ---- crlf: no pong: failed after --timeout, exit 1
server mute mute || exit 1
start=$SECONDS
run 10 crlf "127.0.0.1:$PORT" --interval 0.2 --timeout 0.5
if [ "$rc" -eq 1 ] && grep -qx 'seq 1 failed: pong timeout after 0.5 s' "$tmp/out" &&
  [ $((SECONDS - start)) -le 3 ] && grep -q '^sent 1, pongs 0, failed 1, rtt min/avg/max -/-/- ms$' "$tmp/err"; then
  ok
else
  bad "crlf, no pong: exit $rc (want 1), 'seq 1 failed: pong timeout after 0.5 s'"
fi

# ---- crlf: a refused port, exit 1 at once
dead_port tdead pong
start=$SECONDS
run 10 crlf "127.0.0.1:$PORT" --count 3
if [ "$rc" -eq 1 ] && grep -qx 'seq 1 failed: connection refused' "$tmp/out" &&
  [ $((SECONDS - start)) -le 2 ]; then
  ok
else
  bad "crlf, refused: exit $rc (want 1), 'seq 1 failed: connection refused' within 2 s"
fi

# ---- crlf: the server closes the connection at the second ping
server close close || exit 1
run 10 crlf "127.0.0.1:$PORT" --interval 0.2
if [ "$rc" -eq 1 ] && grep -qE '^seq 1 pong rtt ' "$tmp/out" &&
  grep -qx 'seq 2 failed: connection closed' "$tmp/out"; then
  ok
else
  bad "crlf, closed: exit $rc (want 1), a pong then 'seq 2 failed: connection closed'"
fi

# ---- SIGTERM: a clean stop with the summary; exit 0 after answered pings
sigterm_run pong 2 crlf "127.0.0.1:$PONG" --interval 0.2
if [ "$rc" -eq 0 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
  grep -qE '^sent [0-9]+, pongs [0-9]+, failed 0, rtt min/avg/max [0-9.]+/[0-9.]+/[0-9.]+ ms$' "$tmp/err"; then
  ok
else
  bad "crlf SIGTERM: exit $rc (want 0), one summary line on stderr"
fi

# ---- crlf --json
run 10 crlf "127.0.0.1:$PONG" --interval 0.2 --count 2 --json
if [ "$rc" -eq 0 ] && "$py" - "$tmp/out" "$PONG" <<'EOF'; then ok; else bad "crlf --json fields"; fi
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
want = {"seq", "outcome", "reason", "detail", "rtt_ms", "duration_ms", "retransmissions",
        "time_s", "address", "transport", "mode"}
assert [l["seq"] for l in lines] == [1, 2], lines
for l in lines:
    assert set(l) == want, set(l) ^ want
    assert l["outcome"] == "pong" and l["reason"] is None and l["detail"] is None, l
    assert isinstance(l["rtt_ms"], float) and l["retransmissions"] == 0, l
    assert l["address"] == "127.0.0.1:" + sys.argv[2], l
    assert l["transport"] == "tcp" and l["mode"] == "crlf", l
EOF
server jmute mute || exit 1
run 10 crlf "127.0.0.1:$PORT" --timeout 0.3 --json
if [ "$rc" -eq 1 ] && "$py" -c '
import json, sys
(l,) = [json.loads(x) for x in open(sys.argv[1])]
assert l["outcome"] == "failed" and l["reason"] == "pong_timeout", l
assert l["detail"] == "pong timeout after 0.3 s" and l["rtt_ms"] is None, l
assert l["duration_ms"] >= 299, l' "$tmp/out"; then
  ok
else
  bad "crlf --json failure"
fi

# ---- stun --keepalive: answered, the mapped address each time
server stun stun || exit 1
STUN=$PORT
run 10 stun "127.0.0.1:$STUN" --keepalive --interval 0.2 --count 3
n=$(grep -cE '^seq [123] ok mapped 127\.0\.0\.1:[0-9]+ rtt [0-9]+\.[0-9]{3} ms$' "$tmp/out")
if [ "$rc" -eq 0 ] && [ "$n" -eq 3 ] &&
  grep -qxE 'sent 3, ok 3, failed 0, rebindings 0, rtt min/avg/max [0-9.]+/[0-9.]+/[0-9.]+ ms' "$tmp/err"; then
  ok
else
  bad "stun --keepalive: exit $rc (want 0), $n ok lines (want 3), the summary"
fi

# ---- a changed mapped address: reported, the keepalives go on
server rebind rebind || exit 1
run 10 stun "127.0.0.1:$PORT" --keepalive --interval 0.2 --count 4
if [ "$rc" -eq 0 ] && [ "$(wc -l <"$tmp/out")" -eq 5 ] &&
  sed -n 3p "$tmp/out" | grep -qxE 'nat rebinding: 127\.0\.0\.1:[0-9]+ -> 192\.0\.2\.1:40000' &&
  sed -n 4p "$tmp/out" | grep -qE '^seq 3 ok mapped 192\.0\.2\.1:40000 rtt ' &&
  sed -n 5p "$tmp/out" | grep -qE '^seq 4 ok mapped 192\.0\.2\.1:40000 rtt ' &&
  grep -q '^sent 4, ok 4, failed 0, rebindings 1, ' "$tmp/err"; then
  ok
else
  bad "stun --keepalive, rebinding: exit $rc (want 0), the 'nat rebinding' line before seq 3"
fi
server jrebind rebind || exit 1 # it counts requests from its start
run 10 stun "127.0.0.1:$PORT" --keepalive --interval 0.2 --count 3 --json
if [ "$rc" -eq 0 ] && "$py" - "$tmp/out" "$PORT" <<'EOF'; then ok; else bad "stun --keepalive --json fields"; fi
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
outs = [l for l in lines if "outcome" in l]
evs = [l for l in lines if "event" in l]
want = {"seq", "outcome", "reason", "detail", "rtt_ms", "duration_ms", "retransmissions",
        "mapped", "stun_error", "time_s", "address", "transport", "mode"}
assert [l["seq"] for l in outs] == [1, 2, 3], lines
for l in outs:
    assert set(l) == want, set(l) ^ want
    assert l["outcome"] == "ok" and l["transport"] == "udp" and l["mode"] == "stun", l
    assert l["mapped"]["family"] == "IPv4" and l["stun_error"] is None, l
assert outs[2]["mapped"] == {"family": "IPv4", "address": "192.0.2.1", "port": 40000}, outs
(e,) = evs
assert e["event"] == "nat_rebinding" and e["seq"] == 3, e
assert e["previous"] == outs[1]["mapped"] and e["mapped"] == outs[2]["mapped"], e
assert lines.index(e) == 2, lines
EOF

# ---- an error response: failed, exit 1
server error error || exit 1
run 10 stun "127.0.0.1:$PORT" --keepalive --interval 0.2 --count 3
if [ "$rc" -eq 1 ] && grep -qE '^seq 1 ok mapped ' "$tmp/out" &&
  grep -qx 'seq 2 failed: error response 420' "$tmp/out" && [ "$(wc -l <"$tmp/out")" -eq 2 ]; then
  ok
else
  bad "stun --keepalive, error response: exit $rc (want 1), 'seq 2 failed: error response 420'"
fi

# ---- no answer: the RFC 5389 schedule (RTO 50 ms: sends at 0, 50, 150,
# the end 4 x 50 ms after the last: 350 ms)
server silent silent || exit 1
run 10 stun "127.0.0.1:$PORT" --keepalive --rto 50 --rc 3 --rm 4
if [ "$rc" -eq 1 ] && grep -qxE 'seq 1 failed: timeout after 0\.[34] s \(3 requests\)' "$tmp/out"; then
  ok
else
  bad "stun --keepalive, silent: exit $rc (want 1), 'seq 1 failed: timeout after 0.3 s (3 requests)'"
fi

# ---- ICMP port unreachable: failed at once
dead_port udead stun
start=$SECONDS
run 10 stun "127.0.0.1:$PORT" --keepalive --count 3
if [ "$rc" -eq 1 ] && grep -qx 'seq 1 failed: ICMP port unreachable' "$tmp/out" &&
  [ $((SECONDS - start)) -le 2 ]; then
  ok
else
  bad "stun --keepalive, nobody listens: exit $rc (want 1), 'seq 1 failed: ICMP port unreachable'"
fi

# ---- stun --keepalive, SIGTERM
sigterm_run ' ok ' 2 stun "127.0.0.1:$STUN" --keepalive --interval 0.2
if [ "$rc" -eq 0 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
  grep -qE '^sent [0-9]+, ok [0-9]+, failed 0, rebindings 0, rtt min/avg/max ' "$tmp/err"; then
  ok
else
  bad "stun --keepalive SIGTERM: exit $rc (want 0), one summary line on stderr"
fi

echo "crlf_test.sh: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
