#!/usr/bin/env bash
# tests/tool/serve_test.sh SIPHB - checks `siphb serve` (ctest: tool_serve)
# on loopback only, on ephemeral ports (port 0: the tool prints the ones it
# got), IPv4 and, when the loopback has it, IPv6. The clients are
# tests/tool/serve_check.py (python3): exact answers to OPTIONS with
# received/rport, 405/501, nothing for ACK, CRLF pong, STUN Binding
# success; --code 503; --drop 1000; --delay 300; TCP framing (two requests
# in one segment, one split over segments); abusive connections closed;
# with --session-timer 1800 the RFC 4028 answers to INVITE (422 with
# Min-SE, 200 with Session-Expires/refresher/Require, the interval raised
# for a UAC without timer, 400 for malformed values), BYE 200.
# Here: bad arguments and bind failures exit 2 with one line, SIGTERM ends
# it with the summary line, --count ends it, --json lines.
#
# Every server runs under `timeout` and is stopped by its PID (the EXIT
# trap stops what is left). One PASS/FAIL line per check; exit 0 only if
# nothing failed.
set -u

tool=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
py=/usr/bin/python3
[ -x "$py" ] || py=python3
check_py=$here/serve_check.py
tmp=$(mktemp -d "${TMPDIR:-/tmp}/siphb-serve-test.XXXXXX")
pids=()
# Each server runs under `timeout`, which makes itself a process group: the
# group (named by timeout's PID) holds timeout and the server. SIGTERM goes
# to the server itself, not through timeout: timeout would follow it with
# SIGCONT to the group, and a SIGCONT that lands while LeakSanitizer (the
# ASan build) stops the exiting server to check for leaks cancels that stop
# and leaves its check waiting forever.
kill_group() { kill "-$1" -- "-$2" 2>/dev/null || kill "-$1" "$2" 2>/dev/null; }
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && kill -TERM "$p" 2>/dev/null; done
  sleep 0.1
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && kill_group KILL "$p"; done
  rm -rf "$tmp"
}
trap cleanup EXIT

npass=0 nfail=0
pass() { echo "PASS  $1"; npass=$((npass + 1)); }
fail() {
  echo "FAIL  $1"
  nfail=$((nfail + 1))
  shift
  local f
  for f in "$@"; do [ -s "$f" ] && sed 's/^/      | /' "$f" | tail -n 20; done
}

have_v6=0
if [ -r /proc/net/if_inet6 ] && grep -qE '^0{31}1 ' /proc/net/if_inet6; then have_v6=1; fi

# start NAME ARGS...: starts `siphb serve ARGS` and waits (5 s at most) for
# its "listening" lines; sets PID (timeout's), SRV (the server's) and ADDRS
# ("udp HOST PORT ..." for serve_check.py). Returns 1 if it did not come up.
start() {
  local name=$1 want i
  shift
  want=$(printf '%s\n' "$@" | grep -cE '^--(udp|tcp)$')
  timeout 60 "$tool" serve "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null &
  PID=$!
  pids+=("$PID")
  for ((i = 0; i < 50; i++)); do
    [ "$(grep -c '^listening ' "$tmp/$name.out" 2>/dev/null)" -ge "$want" ] && break
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.1
  done
  SRV=$(pgrep -P "$PID" | head -1)
  ADDRS=$(sed -nE 's/^listening (udp|tcp) \[?([0-9a-f.:]+)\]?:([0-9]+)$/\1 \2 \3/p' \
    "$tmp/$name.out" | tr '\n' ' ')
  [ "$(grep -c '^listening ' "$tmp/$name.out")" -ge "$want" ]
}
# stop PID: SIGTERM to its server ($SRV), then waits (3 s) for the exit;
# sets RC.
stop() {
  local i
  kill -TERM "${SRV:-$1}" 2>/dev/null
  for ((i = 0; i < 30; i++)); do
    kill -0 "$1" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$1" 2>/dev/null && kill_group KILL "$1"
  wait "$1" 2>/dev/null
  RC=$?
}
# clients NAME CASE: runs serve_check.py CASE on $ADDRS, its lines shown.
clients() {
  local name=$1 case=$2 line
  timeout 60 "$py" "$check_py" "$case" $ADDRS >"$tmp/$name.check" 2>&1
  while IFS= read -r line; do
    case $line in
      "PASS  "*) pass "${line#PASS  }" ;;
      "FAIL  "*) fail "${line#FAIL  }" ;;
      *) echo "$line" ;;
    esac
  done <"$tmp/$name.check"
}

v4=(--udp 127.0.0.1:0 --tcp 127.0.0.1:0)
v6=()
[ "$have_v6" = 1 ] && v6=(--udp '[::1]:0' --tcp '[::1]:0')

# ---- the answers, exact ---------------------------------------------------
if start basic "${v4[@]}" "${v6[@]}" --stun --json; then
  pass "serve: listening on $(grep -c '^listening ' "$tmp/basic.out") sockets ($ADDRS)"
  clients basic basic
  stop "$PID"
  summary=$(cat "$tmp/basic.err")
  if [ "$RC" = 0 ] && [[ $summary =~ ^siphb:\ serve:\ received\ [0-9]+\ \(options\ [0-9]+,\ other\ [0-9]+,\ ack\ [0-9]+,\ crlf\ [0-9]+,\ stun\ [0-9]+\),\ answered ]] &&
    [ "$(wc -l <"$tmp/basic.err")" = 1 ]; then
    pass "SIGTERM: exit 0 and one summary line: $summary"
  else
    fail "SIGTERM: exit $RC, stderr:" "$tmp/basic.err"
  fi
  # Every request got its JSON line: OPTIONS, 405, 501, ACK ("none"), STUN.
  if "$py" - "$tmp/basic.out" <<'EOF'; then
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
kinds = {(l["kind"], l["action"]) for l in lines}
need = {("options", "answered"), ("other", "answered"), ("ack", "none"), ("stun", "answered"),
        ("crlf", "answered")}
keys = {"t_ms", "transport", "local", "peer", "kind", "action"}
ok = need <= kinds and all(keys <= set(l) for l in lines)
ok = ok and all(l["status"] in (200, 405, 501) for l in lines if l["kind"] in ("options", "other"))
sys.exit(0 if ok else 1)
EOF
    pass "--json: one line per request with kind, action, status"
  else
    fail "--json lines" "$tmp/basic.out"
  fi
else
  fail "serve did not start" "$tmp/basic.out" "$tmp/basic.err"
fi

# ---- fault injection and --code -------------------------------------------
for spec in "code:--code 503" "drop:--drop 1000 --stun" "delay:--delay 300"; do
  name=${spec%%:*}
  # shellcheck disable=SC2206
  extra=(${spec#*:})
  if start "$name" "${v4[@]}" "${v6[@]}" "${extra[@]}"; then
    clients "$name" "$name"
    stop "$PID"
    [ "$RC" = 0 ] || fail "$name: exit status $RC after SIGTERM" "$tmp/$name.err"
  else
    fail "$name: serve did not start" "$tmp/$name.out" "$tmp/$name.err"
  fi
done
if grep -qE 'received [1-9][0-9]* .*answered 0, dropped [1-9]' "$tmp/drop.err"; then
  pass "--drop 1000: the summary counts them dropped, none answered"
else
  fail "--drop 1000 summary" "$tmp/drop.err"
fi

# ---- --session-timer: INVITE as an RFC 4028 UAS ------------------------------
if start st "${v4[@]}" "${v6[@]}" --session-timer 1800 --json; then
  clients st st
  stop "$PID"
  summary=$(cat "$tmp/st.err")
  if [ "$RC" = 0 ] && [[ $summary =~ \(options\ [0-9]+,\ other\ 0,\ ack\ [1-9][0-9]*,\ crlf\ 0,\ stun\ 0,\ invite\ [1-9][0-9]*,\ bye\ [1-9][0-9]*\) ]]; then
    pass "--session-timer: exit 0 after SIGTERM, the summary counts invite and bye: $summary"
  else
    fail "--session-timer: exit $RC, summary" "$tmp/st.err"
  fi
  # The JSON lines of INVITE: 422 with min_se, 200 with session_expires and
  # refresher, 400 with neither; BYE 200.
  if "$py" - "$tmp/st.out" <<'EOF'; then
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
inv = [l for l in lines if l["kind"] == "invite"]
ok = bool(inv) and all(l["method"] == "INVITE" and l["action"] == "answered" for l in inv)
for l in inv:
    if l["status"] == 422:
        ok = ok and l.get("min_se") == 1800 and "session_expires" not in l
    elif l["status"] == 200:
        ok = ok and l.get("session_expires") == 1800 and l.get("refresher") in ("uac", "uas")
        ok = ok and "min_se" not in l
    else:
        ok = ok and l["status"] == 400 and "min_se" not in l and "session_expires" not in l
ok = ok and {l["status"] for l in inv} == {200, 400, 422}
ok = ok and {l["refresher"] for l in inv if l["status"] == 200} == {"uac", "uas"}
ok = ok and any(l["kind"] == "bye" and l["status"] == 200 for l in lines)
sys.exit(0 if ok else 1)
EOF
    pass "--session-timer --json: INVITE lines with status and min_se (422) or session_expires and refresher (200), BYE 200"
  else
    fail "--session-timer --json lines" "$tmp/st.out"
  fi
else
  fail "st: serve did not start" "$tmp/st.out" "$tmp/st.err"
fi
# --refresher uac: the UAS's preference when the request leaves it open,
# and Require: timer with it (RFC 4028 section 9); --session-expires lowers
# a longer request.
if start st2 --udp 127.0.0.1:0 --session-timer 90 --session-expires 600 --refresher uac; then
  if "$py" - $ADDRS <<'EOF' >"$tmp/st2.check" 2>&1; then
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
req = (b"INVITE sip:x@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKc\r\n"
       b"From: <sip:a@example.com>;tag=1\r\nTo: <sip:x@example.com>\r\nCall-ID: c\r\n"
       b"CSeq: 1 INVITE\r\nSupported: timer\r\nSession-Expires: 1800\r\n\r\n")
s.sendto(req, (sys.argv[2], int(sys.argv[3])))
got = s.recv(4096).decode()
print(got)
ok = got.startswith("SIP/2.0 200 OK\r\n") and "\r\nSession-Expires: 600;refresher=uac\r\n" in got
sys.exit(0 if ok and "\r\nRequire: timer\r\n" in got else 1)
EOF
    pass "--session-timer 90 --session-expires 600 --refresher uac: 200 with 600;refresher=uac and Require: timer"
  else
    fail "--session-expires 600 --refresher uac" "$tmp/st2.check"
  fi
  stop "$PID"
else
  fail "st2: serve did not start" "$tmp/st2.err"
fi

# ---- abusive connections ----------------------------------------------------
if start abuse --tcp 127.0.0.1:0; then
  clients abuse abuse
  stop "$PID"
  if grep -q 'closed for abuse 2' "$tmp/abuse.err"; then
    pass "abuse: the summary counts 2 connections closed for abuse"
  else
    fail "abuse: summary" "$tmp/abuse.err"
  fi
else
  fail "abuse: serve did not start" "$tmp/abuse.err"
fi

# ---- --count ---------------------------------------------------------------
if start count --udp 127.0.0.1:0 --count 2 --quiet; then
  "$py" - $ADDRS <<'EOF' >/dev/null 2>&1
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
req = (b"OPTIONS sip:x@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKc\r\n"
       b"From: <sip:a@example.com>;tag=1\r\nTo: <sip:x@example.com>\r\nCall-ID: c\r\n"
       b"CSeq: 1 OPTIONS\r\n\r\n")
for _ in range(2):
    s.sendto(req, (sys.argv[2], int(sys.argv[3])))
    s.recv(4096)
EOF
  for ((i = 0; i < 30; i++)); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
  if ! kill -0 "$PID" 2>/dev/null; then
    wait "$PID"
    RC=$?
    if [ "$RC" = 0 ] && [ ! -s "$tmp/count.err" ]; then
      pass "--count 2 --quiet: exits 0 after two requests, nothing on stderr"
    else
      fail "--count 2: exit $RC" "$tmp/count.err"
    fi
  else
    stop "$PID"
    fail "--count 2: still running after two requests"
  fi
else
  fail "count: serve did not start" "$tmp/count.err"
fi

# ---- usage errors and bind failures: exit 2, one line (plus the hint) -------
usage_case() { # WHAT EXPECTED-TEXT ARGS...
  local what=$1 want=$2 rc=0
  shift 2
  timeout 10 "$tool" serve "$@" >"$tmp/usage.out" 2>"$tmp/usage.err" </dev/null || rc=$?
  if [ "$rc" = 2 ] && [ ! -s "$tmp/usage.out" ] && head -1 "$tmp/usage.err" | grep -qF -- "$want" &&
    [ "$(wc -l <"$tmp/usage.err")" -le 2 ]; then
    pass "usage: $what: exit 2, '$(head -1 "$tmp/usage.err")'"
  else
    fail "usage: $what: exit $rc" "$tmp/usage.out" "$tmp/usage.err"
  fi
}
usage_case "unknown option" "unknown option '--bogus'" --bogus
usage_case "--code 99" "--code must be a number from 200 to 699" --code 99
usage_case "--code missing" "--code needs a number" --code
usage_case "--drop 1001" "--drop must be a number from 0 to 1000" --drop=1001
usage_case "--delay -1" "--delay must be a number from 0 to 60000" --delay -1
usage_case "--udp bad port" "the port must be a number from 0 to 65535" --udp 127.0.0.1:70000
usage_case "--tcp no ']'" "no ']' after the IPv6 address" --tcp '[::1'
usage_case "an argument" "unexpected argument 'x'" x
usage_case "--session-timer 80" "--session-timer must be a number of seconds from 90 to 86400" \
  --session-timer 80
usage_case "--session-timer abc" "--session-timer must be a number of seconds from 90 to 86400" \
  --session-timer abc
usage_case "--session-timer missing" "--session-timer needs a number of seconds" --session-timer
usage_case "--session-expires 100000" "--session-expires must be a number of seconds from 90 to 86400" \
  --session-timer 90 --session-expires 100000
usage_case "--session-expires below MIN_SE" "--session-expires 100 is below --session-timer 1800" \
  --session-timer 1800 --session-expires 100
usage_case "--session-expires alone" "--session-expires needs --session-timer" --session-expires 1800
usage_case "--refresher alone" "--refresher needs --session-timer" --refresher uac
usage_case "--refresher both" "--refresher must be uac or uas" --session-timer 90 --refresher both
usage_case "unresolvable" "cannot resolve 'no-such-host.invalid'" --udp no-such-host.invalid:0
# A port already taken: bind fails.
if start taken --udp 127.0.0.1:0 --tcp 127.0.0.1:0; then
  uport=$(sed -nE 's/^listening udp 127\.0\.0\.1:([0-9]+)$/\1/p' "$tmp/taken.out")
  tport=$(sed -nE 's/^listening tcp 127\.0\.0\.1:([0-9]+)$/\1/p' "$tmp/taken.out")
  usage_case "udp port in use" "cannot listen on udp 127.0.0.1:$uport: Address already in use" \
    --udp "127.0.0.1:$uport"
  usage_case "tcp port in use" "cannot listen on tcp 127.0.0.1:$tport: Address already in use" \
    --tcp "127.0.0.1:$tport"
  stop "$PID"
fi
rc=0
"$tool" serve --help >"$tmp/help.out" 2>&1 || rc=$?
if [ "$rc" = 0 ] && grep -q '^Usage: siphb serve' "$tmp/help.out"; then
  pass "--help: exit 0, usage text"
else
  fail "--help: exit $rc" "$tmp/help.out"
fi

echo "serve_test.sh: $npass passed, $nfail failed (IPv6 loopback: $([ $have_v6 = 1 ] && echo yes || echo no))"
[ "$nfail" = 0 ]
