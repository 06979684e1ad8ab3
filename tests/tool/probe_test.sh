#!/usr/bin/env bash
# tests/tool/probe_test.sh SIPHB - checks `siphb probe` (ctest: tool_probe)
# on the loopback, bounded in time: usage errors (each exit 2 with one
# line), a name that does not resolve (exit 2), a UDP port nobody listens on
# (ICMP port unreachable: a transport error at once, exit 1), a python3
# responder answering 200 over UDP and TCP (alive lines, exit 0), one
# answering 503 (rejected, exit 1), one answering nothing (timeout after the
# --timeout, with Timer E's retransmissions), SIGTERM (the summary line,
# exit by the last round), and the fields of --json.
set -u

tool=$1
tool_cmd=(probe)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
. "$here/lib.sh"
tool_test_init probe

# responder NAME udp|tcp STATUS: tests/tool/probe_responder.py on a port of
# its choosing (gone after 25 s); sets PORT.
responder() { start_server "$1" probe_responder.py "$2" "$3" 25; }

# ---- usage errors: exit 2, one line naming the problem (and the --help hint)
usage_case "no URI given"
usage_case "sips: URIs need TLS" sips:127.0.0.1
usage_case "not a sip: URI" tel:+15551234
usage_case "blanks, quotes or <> in the URI" "sip:127.0.0.1 x"
usage_case "the port must be a number" sip:127.0.0.1:99999
usage_case "udp or tcp" sip:127.0.0.1 --transport sctp
usage_case "no TLS" "sip:127.0.0.1;transport=tls"
usage_case "disagree" "sip:127.0.0.1;transport=tcp" --transport udp
usage_case "--interval must be seconds" sip:127.0.0.1 --interval 0
usage_case "--interval must be seconds" sip:127.0.0.1 --interval 1.2345
usage_case "--timeout needs" sip:127.0.0.1 --timeout
usage_case "--timeout must be at least T1" sip:127.0.0.1 --timeout 0.2
usage_case "--count must be a number" sip:127.0.0.1 --count 0
usage_case "--from needs a sip: URI" sip:127.0.0.1 --from mailto:x@y
usage_case "--retries must be a number from 0 to 100" sip:127.0.0.1 --retries 101
usage_case "--retries sets T1 itself" sip:127.0.0.1 --retries 1 --t1 1
usage_case "must stay within 10 hours" sip:127.0.0.1 --retries 100 --timeout 3600
usage_case "-4 and -6 exclude each other" sip:127.0.0.1 -4 -6
usage_case "unknown option" sip:127.0.0.1 --bogus
usage_case "more than one URI" sip:127.0.0.1 sip:127.0.0.2

# --help: exit 0 on stdout
run 5 --help
if [ "$rc" -eq 0 ] && grep -q '^Usage: siphb probe URI' "$tmp/out"; then ok; else bad "probe --help"; fi

# ---- a name that does not resolve: exit 2, one line
run 10 sip:nonexistent.invalid --count 1
if [ "$rc" -eq 2 ] && grep -q "cannot resolve 'nonexistent.invalid'" "$tmp/err" && [ ! -s "$tmp/out" ]; then
  ok
else
  bad "unresolvable host: exit $rc (want 2)"
fi

# ---- nobody listens: ICMP port unreachable ends the round at once, exit 1
# A port the responder had and gave up: nothing listens there.
responder closed udp drop || exit 1
kill "${pids[-1]}" 2>/dev/null
wait "${pids[-1]}" 2>/dev/null
start=$SECONDS
run 10 "sip:127.0.0.1:$PORT" --count 1 --timeout 5
if [ "$rc" -eq 1 ] && grep -q '^seq 1 transport error: ICMP port unreachable after ' "$tmp/out" &&
  grep -q '^state down$' "$tmp/out" && [ $((SECONDS - start)) -le 2 ]; then
  ok
else
  bad "udp port nobody listens on: exit $rc (want 1), a transport error line, within 2 s"
fi

# ---- 200 over UDP and TCP: alive lines, state up, exit 0
for t in udp tcp; do
  responder "ok-$t" "$t" "200 OK" || exit 1
  run 10 "sip:127.0.0.1:$PORT" --transport "$t" --interval 0.2 --count 3
  n=$(grep -cE '^seq [123] alive 200 OK rtt [0-9]+\.[0-9]{3} ms$' "$tmp/out")
  if [ "$rc" -eq 0 ] && [ "$n" -eq 3 ] && [ "$(grep -c '^state up$' "$tmp/out")" -eq 1 ] &&
    [ "$(sed -n 2p "$tmp/out")" = "state up" ] &&
    grep -qE '^sent 3, alive 3, failed 0, rtt min/avg/max [0-9.]+/[0-9.]+/[0-9.]+ ms$' "$tmp/err"; then
    ok
  else
    bad "200 over $t: exit $rc (want 0), $n alive lines (want 3), one 'state up', the summary"
  fi
done
# ;transport=tcp in the URI picks TCP
run 10 "sip:127.0.0.1:$PORT;transport=tcp" --interval 0.2 --count 1
if [ "$rc" -eq 0 ] && grep -q '^seq 1 alive 200 OK' "$tmp/out"; then ok; else bad ";transport=tcp"; fi

# ---- 503: rejected, state down, exit 1
responder busy udp "503 Service Unavailable" || exit 1
run 10 "sip:127.0.0.1:$PORT" --interval 0.2 --count 2
if [ "$rc" -eq 1 ] && [ "$(grep -c '^seq [12] rejected 503 Service Unavailable rtt ' "$tmp/out")" -eq 2 ] &&
  grep -q '^state down$' "$tmp/out" && grep -q '^sent 2, alive 0, failed 2, ' "$tmp/err"; then
  ok
else
  bad "503: exit $rc (want 1), two rejected lines"
fi

# ---- no answer: a timeout after --timeout, with Timer E's retransmissions
# (T1 0.5 s: sends at 0, 0.5 and 1.5 s before Timer F at 2 s)
responder mute udp drop || exit 1
run 10 "sip:127.0.0.1:$PORT" --timeout 2 --count 1
if [ "$rc" -eq 1 ] && grep -qx 'seq 1 timeout after 2.0 s (2 retransmissions)' "$tmp/out"; then
  ok
else
  bad "no answer: exit $rc (want 1), 'seq 1 timeout after 2.0 s (2 retransmissions)'"
fi
# --retries 2 --timeout 0.4: sends at 0, 0.4 and 0.8 s, the round over at 1.2 s
run 10 "sip:127.0.0.1:$PORT" --retries 2 --timeout 0.4 --count 1
if [ "$rc" -eq 1 ] && grep -qx 'seq 1 timeout after 1.2 s (2 retransmissions)' "$tmp/out"; then
  ok
else
  bad "no answer, --retries 2: exit $rc (want 1), 'seq 1 timeout after 1.2 s (2 retransmissions)'"
fi

# ---- SIGTERM: a clean stop with the summary; the exit status is the last round's
responder term udp "200 OK" || exit 1
sigterm_run alive 2 "sip:127.0.0.1:$PORT" --interval 0.2
if [ "$rc" -eq 0 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
  grep -qE '^sent [0-9]+, alive [0-9]+, failed 0, rtt min/avg/max [0-9.]+/[0-9.]+/[0-9.]+ ms$' "$tmp/err"; then
  ok
else
  bad "SIGTERM: exit $rc (want 0), one summary line on stderr"
fi

# ---- --json: one object per round with the documented fields, state lines
run 10 "sip:127.0.0.1:$PORT" --interval 0.2 --count 2 --json
if [ "$rc" -eq 0 ] && "$py" - "$tmp/out" "$PORT" <<'EOF'; then ok; else bad "--json fields"; fi
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
rounds = [l for l in lines if "seq" in l]
states = [l for l in lines if "state" in l]
want = {"seq", "outcome", "status", "reason", "rtt_ms", "duration_ms", "retransmissions",
        "time_s", "target", "address", "transport"}
assert [r["seq"] for r in rounds] == [1, 2], rounds
for r in rounds:
    assert set(r) == want, set(r) ^ want
    assert r["outcome"] == "alive" and r["status"] == 200 and r["reason"] == "OK", r
    assert isinstance(r["rtt_ms"], float) and r["rtt_ms"] >= 0 and r["retransmissions"] == 0, r
    assert r["target"] == "sip:127.0.0.1:" + sys.argv[2], r
    assert r["address"] == "127.0.0.1:" + sys.argv[2] and r["transport"] == "udp", r
assert rounds[1]["time_s"] > rounds[0]["time_s"], rounds
assert [s["state"] for s in states] == ["up"], states
EOF
# a failure in JSON: no status, the cause in reason, rtt null
responder jclosed udp drop || exit 1
kill "${pids[-1]}" 2>/dev/null
wait "${pids[-1]}" 2>/dev/null
run 10 "sip:127.0.0.1:$PORT" --count 1 --json
if [ "$rc" -eq 1 ] && "$py" -c '
import json, sys
r, s = [json.loads(l) for l in open(sys.argv[1])]
assert r["outcome"] == "transport_error" and r["status"] is None and r["rtt_ms"] is None, r
assert r["reason"] == "ICMP port unreachable", r
assert s["state"] == "down", s' "$tmp/out"; then
  ok
else
  bad "--json transport error"
fi

echo "probe_test.sh: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
