#!/usr/bin/env bash
# tests/interop/stun_run.sh - loopback interop of siphb's STUN codec and the
# `siphb stun` client with a real STUN server (coturn) and tshark.
#
#   tests/interop/stun_run.sh BUILD_DIR      e.g. tests/interop/stun_run.sh build/gcc
#
# Needs the Debian packages coturn and tshark (stage i of scripts/test.sh
# installs them), python3, and for the live capture root.
#
# What it checks, on 127.0.0.1 (and ::1 when the loopback has it), on ports
# it picks, with a command line it writes to the temp dir:
#   1. `siphb stun` against coturn's turnserver (--stun-only) over IPv4, IPv6
#      and with FINGERPRINT exits 0, and the mapped address and port equal
#      the socket's local address and port (nothing translates on
#      loopback); the text output says the same;
#   2. against a port where nothing listens, with the default schedule, it
#      gives up after 3 ICMP port unreachable in a row, in well under 3 s
#      (not 39.5 s), with exit 1, "result": "refused" and the line on
#      stderr; with --rc 1 after the one request; with stderr on a
#      pseudo-terminal it prints a progress line per retransmission (and
#      never otherwise: every other check compares the whole stderr);
#   3. against small python3 servers: one that drops every request (the
#      schedule runs to its end: exactly --rc sends, a timeout on time); one
#      that drops requests and sends junk and a response with another
#      transaction id first: retransmission counts, the datagrams ignored,
#      an error response (exit 1, code 420) and a success after two drops;
#      one that closes and reopens its port, so that 3 requests are
#      refused, but never 3 in a row: it still succeeds;
#   4. tshark dissects the live capture of all the above and a pcap made
#      from the bytes stun_encode_samples encoded plus the RFC 5769 vectors:
#      every STUN message is recognised, every FINGERPRINT is good, and there
#      is no malformed packet and no STUN expert item of severity warning or
#      error.
# One PASS/FAIL/SKIP line per check, a summary, exit 0 only if nothing
# failed. Every process started here runs under `timeout`, and the EXIT
# trap stops what is left by PID. SIPHB_INTEROP_KEEP=1 keeps the temp dir.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
interop_name=stun_run.sh
# shellcheck source=SCRIPTDIR/lib.sh
. "$here/lib.sh"
interop_args "$@"
tool=$build/tools/siphb/siphb
samples=$build/tests/interop/stun_encode_samples
py=/usr/bin/python3
interop_need "coturn tshark python3" "$tool" "$samples" turnserver tshark text2pcap mergecap \
  ss timeout od "$py"
interop_init 8
port; TURN=$PORT  # coturn
port              # coturn's alternative port (RFC 5780): TURN + 1
port; FAKE=$PORT  # the python3 server
port; DEAD=$PORT  # nothing listens here
mkdir -p "$tmp/msg" "$tmp/out"

echo "stun_run.sh: temp dir $tmp, ports $base..$((base + 7)), IPv6 loopback: $([ $have_v6 = 1 ] && echo yes || echo no)"
echo "stun_run.sh: coturn $(turnserver --version 2>/dev/null | head -1); $(tshark -v 2>/dev/null | head -1)"

cap=$tmp/capture.pcapng
start_capture "$cap" "udp and (port $TURN or port $FAKE or port $DEAD)" 30

# ---- coturn -------------------------------------------------------------------
coturn_start "$TURN" 25

if wait_capture; then
  pass "capture: tshark on lo, ports $TURN, $FAKE, $DEAD"
else
  skip "capture: tshark could not capture on lo (the pcap made from the encoded bytes is still checked)"
  show "$tmp/tshark-capture.log" 5
fi
coturn_wait "$TURN"

# ---- running the tool -----------------------------------------------------------
# run_stun NAME ARGS...: `siphb stun ARGS` under timeout; sets RC, leaves
# stdout and stderr in $tmp/out/NAME.{out,err}.
run_stun() {
  local name=$1
  shift
  timeout 15 "$tool" stun "$@" >"$tmp/out/$name.out" 2>"$tmp/out/$name.err" </dev/null
  RC=$?
}
# jfields NAME KEY...: the values of the --json line's keys, space-separated
# ("a.b" reaches into objects; "-" for a missing key).
jfields() {
  local name=$1
  shift
  "$py" - "$tmp/out/$name.out" "$@" <<'EOF' 2>/dev/null || echo "unparsable"
import json, sys
doc = json.loads(open(sys.argv[1]).read())
out = []
for key in sys.argv[2:]:
    v = doc
    for part in key.split("."):
        v = v.get(part, "-") if isinstance(v, dict) else "-"
    out.append(str(v))
print(" ".join(out))
EOF
}
# The mapped and local address of a successful run, compared.
check_mapped() { # NAME WHAT
  local f
  f=$(jfields "$1" result mapped.address mapped.port local.address local.port server.port sends)
  read -r res maddr mport laddr lport sport sends <<<"$f"
  if [ "$RC" -eq 0 ] && [ "$res" = success ] && [ "$maddr" = "$laddr" ] && [ "$mport" = "$lport" ] &&
     [ "$sport" = "$TURN" ]; then
    pass "$2: exit 0, mapped $maddr port $mport = local, $sends send(s), rtt $(jfields "$1" rtt_ms) ms"
    return 0
  fi
  fail "$2: exit $RC, result=$res mapped=$maddr:$mport local=$laddr:$lport server port $sport"
  show "$tmp/out/$1.out"
  show "$tmp/out/$1.err"
  return 1
}

# ---- 1. coturn -------------------------------------------------------------------
if [ "$turn_up" = 1 ]; then
  run_stun v4 "127.0.0.1:$TURN" --json
  check_mapped v4 "siphb stun 127.0.0.1:$TURN --json"
  if [ "$have_v6" = 1 ]; then
    run_stun v6 "[::1]:$TURN" --json
    check_mapped v6 "siphb stun [::1]:$TURN --json"
  else
    skip "siphb stun [::1]:$TURN: no IPv6 on the loopback"
  fi
  run_stun fp "127.0.0.1:$TURN" --json --fingerprint -4
  if check_mapped fp "siphb stun 127.0.0.1:$TURN --json --fingerprint -4"; then
    # coturn answers a request with FINGERPRINT with one (RFC 8489 section 7.3).
    if [ "$(jfields fp fingerprint)" = True ]; then
      pass "FINGERPRINT: coturn's response carried one and siphb checked it"
    else
      fail "FINGERPRINT: coturn's response had none (fingerprint=$(jfields fp fingerprint))"
    fi
  fi
  run_stun text "127.0.0.1:$TURN"
  mapped=$(awk '$1 == "mapped" { print $2 }' "$tmp/out/text.out")
  local_=$(awk '$1 == "local" { print $2 }' "$tmp/out/text.out")
  if [ "$RC" -eq 0 ] && [ -n "$mapped" ] && [ "$mapped" = "$local_" ] &&
     grep -q '^server   127.0.0.1:'"$TURN"'$' "$tmp/out/text.out"; then
    pass "siphb stun 127.0.0.1:$TURN (text): mapped $mapped = local"
  else
    fail "siphb stun 127.0.0.1:$TURN (text): exit $RC, mapped '$mapped', local '$local_'"
    show "$tmp/out/text.out"
    show "$tmp/out/text.err"
  fi
else
  fail "siphb stun -> coturn: not run (coturn down)"
fi

# ---- 2. nobody listening -------------------------------------------------------------
# err_is NAME REGEX: stderr is exactly one line, and it matches REGEX
# (grep -E, the whole line).
err_is() {
  [ "$(wc -l <"$tmp/out/$1.err")" = 1 ] && grep -Eqx "$2" "$tmp/out/$1.err"
}
# refused_re N MS-REGEX: the line saying nothing listens on DEAD after N
# refusals in a row and N requests.
refused_re() {
  local s=s
  [ "$1" = 1 ] && s=
  echo "siphb: stun: nothing seems to listen at 127\.0\.0\.1:$DEAD: ICMP port unreachable $1 time$s in a row \($1 request$s sent in $2 ms\)"
}
# The default schedule sends at 0, 0.5 and 1.5 s; every send is refused
# (Linux does not rate-limit ICMP on loopback), so the third refusal ends it
# at 1.5 s instead of the schedule's 39.5 s.
start=$(date +%s%N)
run_stun dead "127.0.0.1:$DEAD" --json
ms=$((($(date +%s%N) - start) / 1000000))
read -r res sends refused elapsed rtt <<<"$(jfields dead result sends icmp_refused elapsed_ms rtt_ms)"
if [ "$RC" -eq 1 ] && [ "$res" = refused ] && [ "$sends" = 3 ] && [ "$refused" = 3 ] &&
   [ "$rtt" = - ] && [ "${elapsed%.*}" -ge 1499 ] && [ "$ms" -lt 3000 ] &&
   err_is dead "$(refused_re 3 '1[0-9]{3}')"; then
  pass "siphb stun 127.0.0.1:$DEAD (nobody listens): exit 1, refused 3 times in a row, gave up at $elapsed ms ($ms ms in all; the schedule: 39.5 s)"
else
  fail "siphb stun 127.0.0.1:$DEAD (nobody listens): exit $RC, result=$res sends=$sends icmp_refused=$refused elapsed=$elapsed ms ($ms ms in all, want < 3000)"
  show "$tmp/out/dead.out"
  show "$tmp/out/dead.err"
fi
# --rc 1: the one request refused is every request.
run_stun dead-rc1 "127.0.0.1:$DEAD" --rc 1
if [ "$RC" -eq 1 ] && grep -qx 'sends    1' "$tmp/out/dead-rc1.out" &&
   ! grep -q '^rtt' "$tmp/out/dead-rc1.out" && err_is dead-rc1 "$(refused_re 1 '[0-9]+')"; then
  pass "siphb stun 127.0.0.1:$DEAD --rc 1 (text): exit 1 once the one request was refused"
else
  fail "siphb stun 127.0.0.1:$DEAD --rc 1 (text): exit $RC"
  show "$tmp/out/dead-rc1.out"
  show "$tmp/out/dead-rc1.err"
fi
# With stderr on a pseudo-terminal (stdout stays a file): a progress line
# before each retransmission. Sends at 0, 50 and 150 ms; the schedule would
# give up at 350 ms.
cat >"$tmp/pty_stderr.py" <<'EOF'
import os, pty, subprocess, sys
out, err = sys.argv[1], sys.argv[2]
master, slave = pty.openpty()
with open(out, "wb") as o:
    p = subprocess.Popen(sys.argv[3:], stdin=subprocess.DEVNULL, stdout=o, stderr=slave)
os.close(slave)
text = b""
while True:
    try:
        b = os.read(master, 4096)
    except OSError:  # EIO: the tool has closed the terminal
        break
    if not b:
        break
    text += b
rc = p.wait()
open(err, "wb").write(text.replace(b"\r\n", b"\n"))
sys.exit(rc)
EOF
timeout 15 "$py" "$tmp/pty_stderr.py" "$tmp/out/tty.out" "$tmp/out/tty.err" \
  "$tool" stun "127.0.0.1:$DEAD" --rto 50 --rc 3 --rm 4
RC=$?
progress_re="siphb: stun: no answer yet from 127\.0\.0\.1:$DEAD \(ICMP port unreachable\), sending again"
if [ "$RC" -eq 1 ] && [ "$(wc -l <"$tmp/out/tty.err")" = 3 ] &&
   sed -n 1p "$tmp/out/tty.err" | grep -Eqx "$progress_re \(2/3\), giving up in 0\.[23] s" &&
   sed -n 2p "$tmp/out/tty.err" | grep -Eqx "$progress_re \(3/3\), giving up in 0\.[12] s" &&
   sed -n 3p "$tmp/out/tty.err" | grep -Eqx "$(refused_re 3 '1[0-9]{2}')" &&
   grep -qx 'sends    3' "$tmp/out/tty.out"; then
  pass "siphb stun 127.0.0.1:$DEAD, stderr a terminal: a progress line per retransmission, then the refusal"
else
  fail "siphb stun 127.0.0.1:$DEAD, stderr a terminal: exit $RC, not the progress lines expected"
  show "$tmp/out/tty.out"
  show "$tmp/out/tty.err"
fi

# ---- 3. scripted servers -----------------------------------------------------------
# Drops the first DROP requests; then sends junk, a success response with
# another transaction id, and the real answer (an error 420, or a success
# with the sender's address in XOR-MAPPED-ADDRESS) from the same socket.
# ANSWER "none": drops DROP requests and exits, answering none.
cat >"$tmp/fake_stun.py" <<'EOF'
import socket, struct, sys
port, drop, answer = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", port))
s.settimeout(8)
def msg(mtype, txid, attrs):
    return struct.pack("!HHI", mtype, len(attrs), 0x2112A442) + txid + attrs
if answer == "none":
    for n in range(drop):
        s.recvfrom(2048)
    print("dropped", drop, "requests")
    sys.exit(0)
for n in range(drop + 1):
    data, peer = s.recvfrom(2048)
txid = data[8:20]
s.sendto(b"not a STUN message", peer)
s.sendto(msg(0x0101, bytes(12), b""), peer)
if answer == "error":
    reason = b"Unknown Attribute"
    attr = struct.pack("!HHHBB", 0x0009, 4 + len(reason), 0, 4, 20) + reason
    attr += b"\0" * (-len(attr) % 4)
    s.sendto(msg(0x0111, txid, attr), peer)
else:
    addr = struct.unpack("!I", socket.inet_aton(peer[0]))[0] ^ 0x2112A442
    attr = struct.pack("!HHBBHI", 0x0020, 8, 0, 1, peer[1] ^ 0x2112, addr)
    s.sendto(msg(0x0101, txid, attr), peer)
print("answered request", drop + 1)
EOF
# fake NAME DROP ANSWER TOOL-ARGS...: runs the server and the tool.
fake() {
  local name=$1 drop=$2 answer=$3
  shift 3
  start_bg "$tmp/out/fake-$name.log" timeout 10 "$py" "$tmp/fake_stun.py" "$FAKE" "$drop" "$answer"
  FAKE_PID=$BG
  if ! wait_listen u 127.0.0.1 "$FAKE" "$FAKE_PID"; then
    RC=99
    return
  fi
  run_stun "$name" "127.0.0.1:$FAKE" --json "$@"
  local rc=$RC
  wait_bg "$FAKE_PID" 3
  RC=$rc
}
# Every request dropped, none refused: the schedule runs to its end (sends
# at 0, 50, 150 ms, then 4 x 50 ms: gives up at 350 ms).
fake silent 3 none --rto 50 --rc 3 --rm 4
read -r res sends refused elapsed <<<"$(jfields silent result sends icmp_refused elapsed_ms)"
if [ "$RC" -eq 1 ] && [ "$res" = timeout ] && [ "$sends" = 3 ] && [ "$refused" = 0 ] &&
   [ "${elapsed%.*}" -ge 349 ] && [ "${elapsed%.*}" -lt 1000 ] &&
   err_is silent "siphb: stun: no response from 127\.0\.0\.1:$FAKE after 3 requests in 3[0-9]{2} ms"; then
  pass "requests dropped silently: exit 1 after 3 sends, timeout at $elapsed ms (the schedule's 350)"
else
  fail "requests dropped silently: exit $RC, result=$res sends=$sends icmp_refused=$refused elapsed=$elapsed ms"
  show "$tmp/out/silent.out"
  show "$tmp/out/silent.err"
  show "$tmp/out/fake-silent.log"
fi
fake error 1 error --rto 100 --rc 4
read -r res code reason sends ignored <<<"$(jfields error result error.code error.reason sends ignored | sed 's/Unknown Attribute/Unknown_Attribute/')"
if [ "$RC" -eq 1 ] && [ "$res" = error ] && [ "$code" = 420 ] && [ "$reason" = Unknown_Attribute ] &&
   [ "$sends" = 2 ] && [ "$ignored" = 2 ] &&
   grep -qx "siphb: stun: 127.0.0.1:$FAKE answered with error 420 Unknown Attribute" "$tmp/out/error.err"; then
  pass "error response: exit 1, 420 Unknown Attribute after 2 sends, junk and a foreign transaction id ignored"
else
  fail "error response: exit $RC, result=$res code=$code reason=$reason sends=$sends ignored=$ignored"
  show "$tmp/out/error.out"
  show "$tmp/out/error.err"
  show "$tmp/out/fake-error.log"
fi
fake retrans 2 success --rto 100 --rc 4
read -r res sends ignored elapsed maddr mport lport <<<"$(jfields retrans result sends ignored elapsed_ms mapped.address mapped.port local.port)"
# Sends at 0, 100 and 300 ms; the third is answered.
if [ "$RC" -eq 0 ] && [ "$res" = success ] && [ "$sends" = 3 ] && [ "$ignored" = 2 ] &&
   [ "${elapsed%.*}" -ge 299 ] && [ "${elapsed%.*}" -lt 1000 ] && [ "$mport" = "$lport" ]; then
  pass "retransmission: answered after 3 sends at $elapsed ms (RTO 100: sends at 0, 100, 300), mapped $maddr:$mport"
else
  fail "retransmission: exit $RC, result=$res sends=$sends ignored=$ignored elapsed=$elapsed mapped=$maddr:$mport local port $lport"
  show "$tmp/out/retrans.out"
  show "$tmp/out/retrans.err"
  show "$tmp/out/fake-retrans.log"
fi

# Closes and reopens its port, timed from the first request (RTO 100 ms:
# sends at 0, 100, 300, 700, 1500, 3100 ms): junk to request 1, closed for
# 2 and 3 (refused), junk to 4 (something listens: the count in a row
# starts again), closed for 5 (refused), the answer to 6. Three refusals,
# never three in a row.
cat >"$tmp/flaky_stun.py" <<'EOF'
import socket, struct, sys, time
port, rto = int(sys.argv[1]), int(sys.argv[2]) / 1000.0
def listen():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))
    s.settimeout(8)
    return s
def wait_until(t):
    time.sleep(max(0.0, t - time.monotonic()))
s = listen()
data, peer = s.recvfrom(2048)  # request 1, at 0
t0 = time.monotonic()
s.sendto(b"junk", peer)
s.close()  # requests 2 (1 RTO) and 3 (3 RTO) are refused
wait_until(t0 + 5 * rto)
s = listen()
data, peer = s.recvfrom(2048)  # request 4, at 7 RTO
s.sendto(b"junk", peer)
s.close()  # request 5 (15 RTO) is refused
wait_until(t0 + 23 * rto)
s = listen()
data, peer = s.recvfrom(2048)  # request 6, at 31 RTO
addr = struct.unpack("!I", socket.inet_aton(peer[0]))[0] ^ 0x2112A442
attr = struct.pack("!HHBBHI", 0x0020, 8, 0, 1, peer[1] ^ 0x2112, addr)
s.sendto(struct.pack("!HHI", 0x0101, len(attr), 0x2112A442) + data[8:20] + attr, peer)
print("answered request 6")
EOF
start_bg "$tmp/out/fake-flaky.log" timeout 10 "$py" "$tmp/flaky_stun.py" "$FAKE" 100
FAKE_PID=$BG
if wait_listen u 127.0.0.1 "$FAKE" "$FAKE_PID"; then
  run_stun flaky "127.0.0.1:$FAKE" --json --rto 100 --rc 7
  rc=$RC
  wait_bg "$FAKE_PID" 3
  RC=$rc
else
  RC=99
fi
read -r res sends refused ignored elapsed <<<"$(jfields flaky result sends icmp_refused ignored elapsed_ms)"
if [ "$RC" -eq 0 ] && [ "$res" = success ] && [ "$sends" = 6 ] && [ "$refused" = 3 ] &&
   [ "$ignored" = 2 ] && [ "${elapsed%.*}" -ge 3099 ] && [ "${elapsed%.*}" -lt 4000 ] &&
   [ ! -s "$tmp/out/flaky.err" ]; then
  pass "refusals not in a row: 3 refused, 2 junk answers between them, success at send 6 ($elapsed ms)"
else
  fail "refusals not in a row: exit $RC, result=$res sends=$sends icmp_refused=$refused ignored=$ignored elapsed=$elapsed ms"
  show "$tmp/out/flaky.out"
  show "$tmp/out/flaky.err"
  show "$tmp/out/fake-flaky.log"
fi

# ---- stop the server and the capture ---------------------------------------------
[ "$turn_up" = 1 ] && stop_bg TERM "$turn_pid"
stop_capture

# ---- 4. tshark ---------------------------------------------------------------------
# stun_check NAME PCAP WANT DECODE-ARGS...: at least WANT STUN messages,
# every FINGERPRINT good (crc32.status 1), no problem.
stun_check() {
  local name=$1 pcap=$2 want=$3 bad n badfp
  shift 3
  bad=$(tshark_problems "$name" "$pcap" STUN "$@")
  tshark -r "$pcap" "$@" -Y stun -T fields -E separator='|' -e frame.number -e stun.type \
    -e stun.att.crc32.status >"$tmp/fields-$name.txt" 2>/dev/null
  n=$(wc -l <"$tmp/fields-$name.txt")
  badfp=$(awk -F'|' '$3 != "" && $3 != "1"' "$tmp/fields-$name.txt")
  if [ -z "$bad" ] && [ -z "$badfp" ] && [ "$n" -ge "$want" ]; then
    pass "tshark $name: $n STUN messages dissected (want >= $want), every FINGERPRINT good, no malformed packet, no STUN expert warning/error"
  else
    fail "tshark $name: $n STUN messages (want >= $want)"
    [ -n "$bad" ] && printf '%s\n' "$bad" | sed 's/^/      | /'
    [ -n "$badfp" ] && printf 'bad FINGERPRINT: %s\n' "$badfp" | sed 's/^/      | /'
    tshark_show_problems "$pcap" "$@"
  fi
}

# The pcap of exact bytes: the encoder's samples and the RFC 5769 vectors,
# requests to and responses from port 3478 (where tshark's STUN dissector sits).
"$samples" "$tmp/msg" >"$tmp/samples.log" 2>&1 || fail "stun_encode_samples: $(tail -1 "$tmp/samples.log")"
for v in "$here"/../data/stun/{sample-*,rfc8489-*}.hex; do
  dir=req
  [[ $v == *response* ]] && dir=rsp
  "$py" -c 'import sys; open(sys.argv[2], "wb").write(bytes.fromhex(open(sys.argv[1]).read()))' \
    "$v" "$tmp/msg/$dir-vector-$(basename "$v" .hex).bin"
done
if encoded_pcap "$tmp/encoded.pcap" 3478 "$tmp/msg"; then
  stun_check encoded-bytes "$tmp/encoded.pcap" $((nmsg_req + nmsg_rsp))
else
  fail "tshark encoded-bytes: could not build a pcap from $((nmsg_req + nmsg_rsp)) messages"
  show "$tmp/text2pcap.log"
fi
if [ "$capture_ok" = 1 ]; then
  # Requests and responses of sections 1-3 (the junk datagrams are not STUN).
  want=$(cat "$tmp"/out/*.out | "$py" -c '
import json, sys
n = 0
for line in sys.stdin:
    line = line.strip()
    if line.startswith("{"):
        d = json.loads(line)
        n += d["sends"] + (1 if d["result"] not in ("timeout", "refused") else 0)
print(n)' 2>/dev/null || echo 1)
  stun_check live-capture "$cap" "$want" -d "udp.port==$TURN,stun" -d "udp.port==$FAKE,stun" \
    -d "udp.port==$DEAD,stun"
fi

interop_summary
