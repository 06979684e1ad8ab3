# tests/interop/lib.sh - what the loopback interop scripts (run.sh for SIP,
# stun_run.sh for STUN, probe_run.sh for `siphb probe`, serve_run.sh and
# session_timer_run.sh for `siphb serve`, keepalive_run.sh for `siphb crlf`
# and `stun --keepalive`,
# cares_run.sh for the c-ares glue against dnsmasq)
# share; sourced, never run.
#
#   interop_name=run.sh; . tests/interop/lib.sh; interop_args "$@"
#   interop_need PACKAGES CMD...; interop_init PORTS
#
# interop_init makes the temp dir ($tmp), installs the EXIT trap that stops
# every background process by PID and removes $tmp (SIPHB_INTEROP_KEEP=1
# keeps it), picks a block of PORTS free consecutive ports (port() hands
# them out in $PORT) and sets have_v6. Checks report through pass, fail and
# skip; interop_summary prints the totals and returns the exit status.

# ---- arguments and prerequisites (exit 2 when one is missing) ----------------
# interop_args "$@": the one argument, BUILD_DIR, made absolute in $build.
interop_args() {
  if [ "$#" -ne 1 ]; then
    echo "usage: $interop_name BUILD_DIR" >&2
    exit 2
  fi
  build=$(cd "$1" 2>/dev/null && pwd) || { echo "$interop_name: no build dir $1" >&2; exit 2; }
}
# interop_need PACKAGES CMD...: every CMD is an executable path or on PATH;
# PACKAGES is the Debian packages to name when one is not.
interop_need() {
  local pkgs=$1 c
  shift
  for c in "$@"; do
    if [[ $c == /* ]]; then
      [ -x "$c" ] || { echo "$interop_name: $c is not built (or not installed)" >&2; exit 2; }
    else
      command -v "$c" >/dev/null 2>&1 || { echo "$interop_name: $c not found (scripts/deps.sh $pkgs)" >&2; exit 2; }
    fi
  done
}

# ---- bookkeeping ------------------------------------------------------------
npass=0 nfail=0 nskip=0
failed=()
pass() { echo "PASS  $1"; npass=$((npass + 1)); }
fail() { echo "FAIL  $1"; nfail=$((nfail + 1)); failed+=("$1"); }
skip() { echo "SKIP  $1"; nskip=$((nskip + 1)); }
# Shows the end of a log under a failed check.
show() { [ -s "$1" ] && tail -n "${2:-25}" "$1" | sed 's/^/      | /'; }

# Background processes: each one is `timeout ...`, which puts itself in a
# process group of its own, so the group (named by timeout's PID) holds the
# server and every child it forks.
bg_pids=()
start_bg() { # LOG CMD... ; sets BG
  local log=$1
  shift
  "$@" >"$log" 2>&1 </dev/null &
  BG=$!
  bg_pids+=("$BG")
}
signal_bg() { # SIG PID
  kill "-$1" -- "-$2" 2>/dev/null || kill "-$1" "$2" 2>/dev/null || true
}
# Waits up to SECS for PID to end; sets RC (124 if it had to be killed).
wait_bg() { # PID SECS
  local pid=$1 i n=$(($2 * 10))
  for ((i = 0; i < n; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    signal_bg TERM "$pid"
    sleep 0.3
    signal_bg KILL "$pid"
    wait "$pid" 2>/dev/null
    RC=124
    return
  fi
  wait "$pid" 2>/dev/null
  RC=$?
}
stop_bg() { # SIG PID
  kill -0 "$2" 2>/dev/null || { wait "$2" 2>/dev/null; return 0; }
  signal_bg "$1" "$2"
  wait_bg "$2" 3
}
interop_cleanup() {
  local pid
  for pid in "${bg_pids[@]}"; do
    kill -0 "$pid" 2>/dev/null && stop_bg TERM "$pid"
  done
  if [ "${SIPHB_INTEROP_KEEP:-0}" = 1 ]; then
    echo "$interop_name: kept $tmp"
  else
    rm -rf "$tmp"
  fi
}

# Waits up to 5 s until something listens on PROTO (t or u) HOST:PORT.
wait_listen() { # PROTO HOST PORT PID
  local i
  for ((i = 0; i < 50; i++)); do
    kill -0 "$4" 2>/dev/null || return 1
    ss -Hln"$1" 2>/dev/null | awk '{ print $4 " " $5 }' | grep -qF "$2:$3 " && return 0
    sleep 0.1
  done
  return 1
}

# Waits up to 5 s per socket until PID listens on 127.0.0.1:PORT over TCP
# and UDP and, when the loopback has IPv6, on [::1]:PORT over TCP.
wait_listen_sip() { # PID PORT
  wait_listen t 127.0.0.1 "$2" "$1" && wait_listen u 127.0.0.1 "$2" "$1" || return 1
  if [ "$have_v6" = 1 ] && ! wait_listen t '[::1]' "$2" "$1"; then return 1; fi
  return 0
}

# Starts tshark on lo with a capture filter, writing FILE; sets cap_pid and
# capture_ok (1 once tshark says it is capturing, after up to 10 s).
start_capture() { # FILE FILTER SECS
  start_bg "$tmp/tshark-capture.log" timeout "$3" tshark -i lo -f "$2" -w "$1"
  cap_pid=$BG
  capture_ok=0
}
wait_capture() {
  local i
  for ((i = 0; i < 100; i++)); do
    grep -q 'Capturing on' "$tmp/tshark-capture.log" 2>/dev/null && { capture_ok=1; return 0; }
    kill -0 "$cap_pid" 2>/dev/null || break
    sleep 0.1
  done
  return 1
}

interop_init() { # PORTS
  script_start=$SECONDS
  tmp=$(mktemp -d "/tmp/siphb-interop.XXXXXX")
  trap interop_cleanup EXIT
  trap 'exit 130' INT TERM
  # One block of consecutive ports that no socket on this host uses, TCP
  # or UDP, from a random base, so runs never wait for TIME_WAIT or a
  # previous server.
  local used cand clash try n=$1
  used=$(ss -Hantu 2>/dev/null | awk '{ n = split($5, a, ":"); print a[n] }' | sort -un)
  base=0
  for ((try = 0; try < 200; try++)); do
    cand=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    clash=$(awk -v lo="$cand" -v hi=$((cand + n)) '$1 >= lo && $1 < hi' <<<"$used")
    if [ -z "$clash" ]; then
      base=$cand
      break
    fi
  done
  [ "$base" -ne 0 ] || { echo "$interop_name: no free block of ports" >&2; exit 1; }
  next_port=$base
  have_v6=0
  if [ -r /proc/net/if_inet6 ] && grep -qE '^0{31}1 ' /proc/net/if_inet6; then
    have_v6=1
  fi
}
port() { PORT=$next_port; next_port=$((next_port + 1)); }

# ---- sipp ---------------------------------------------------------------------
# sipp binds a local SIP port, a control port and media ports M and M+2.
sipp_ports() { port; SP_LOCAL=$PORT; port; SP_CTRL=$PORT; port; SP_MEDIA=$PORT; port; port; }
# sipp's cumulative "Successful call" and "Failed call" counts.
sipp_calls() { # LOG
  awk -F'|' '/Successful call/ { gsub(/ /, "", $3); ok = $3 }
             /Failed call/ { gsub(/ /, "", $3); bad = $3 }
             END { printf "successful=%s failed=%s", ok, bad }' "$1"
}
# Writes a sipp UAC scenario: one OPTIONS per call whose top Via is
# "SIP/2.0/[transport] SENT-BY;branch=[branch]PARAMS", and a 200 wanted.
# CHECKS, if given, are <ereg ... check_it="true" assign_to="N"/> lines run
# on the 200 (a failed one fails the call); VARS names their variables.
sipp_options_uac() { # FILE SENT-BY PARAMS [CHECKS VARS]
  local recv='  <recv response="200" timeout="3000"/>'
  if [ -n "${4:-}" ]; then
    recv="  <recv response=\"200\" timeout=\"3000\">
    <action>
$4
    </action>
  </recv>
  <Reference variables=\"$5\"/>"
  fi
  cat >"$1" <<EOF
<?xml version="1.0" encoding="ISO-8859-1" ?>
<!-- siphb interop: sipp sends one OPTIONS per call and wants a 200. -->
<scenario name="siphb interop OPTIONS UAC">
  <send retrans="500">
    <![CDATA[

      OPTIONS sip:[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] $2;branch=[branch]$3
      Max-Forwards: 70
      From: <sip:sipp@[local_ip]:[local_port]>;tag=[pid]uac[call_number]
      To: <sip:[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: [cseq] OPTIONS
      Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>
      Accept: application/sdp
      User-Agent: sipp-uac
      Content-Length: 0

    ]]>
  </send>
$recv
</scenario>
EOF
}

# sipp as a UAC on its own ports from the block, bounded by timeout; sets
# SIPP_SUMMARY; returns sipp's exit status (0: every call succeeded). The
# control socket stays on 127.0.0.1: sipp cannot bind it to ::1.
sipp_uac() { # NAME SCENARIO TRANSPORT(u1|t1) LOCAL_IP TARGET CALLS
  local name=$1 sf=$2 t=$3 ip=$4 target=$5 calls=$6 log=$tmp/sipp-$1.log rc
  sipp_ports
  timeout 15 sipp "$target" -sf "$sf" -t "$t" -i "$ip" -p "$SP_LOCAL" \
    -ci 127.0.0.1 -cp "$SP_CTRL" -mi "$ip" -mp "$SP_MEDIA" -bind_local \
    -m "$calls" -r 50 -nostdin -timeout 10s -timeout_error \
    -trace_err -error_file "$tmp/sipp-$name-errors.log" >"$log" 2>&1 </dev/null
  rc=$?
  SIPP_SUMMARY="sipp exit $rc, $(sipp_calls "$log")"
  return "$rc"
}

# Prints the totals; returns 0 only if nothing failed.
interop_summary() {
  echo "$interop_name: $npass passed, $nfail failed, $nskip skipped ($((SECONDS - script_start)) s)"
  if [ "$nfail" -ne 0 ]; then
    local f
    for f in "${failed[@]}"; do echo "$interop_name: failed: $f"; done
    echo "$interop_name: FAIL (logs: rerun with SIPHB_INTEROP_KEEP=1 to keep $tmp)"
    return 1
  fi
  echo "$interop_name: PASS"
}

# ---- Kamailio -----------------------------------------------------------------
# kamailio_config DIR PORT: writes DIR/kamailio.cfg, a stateless server (sl
# module, no database, no DNS) that answers OPTIONS with 200 and everything
# else with 501, on udp and tcp 127.0.0.1:PORT (and [::1]:PORT when
# have_v6 is 1).
kamailio_config() {
  local dir=$1 kport=$2 listen modpath
  mkdir -p "$dir"
  listen="listen=udp:127.0.0.1:$kport
listen=tcp:127.0.0.1:$kport"
  if [ "$have_v6" = 1 ]; then
    listen="$listen
listen=udp:[::1]:$kport
listen=tcp:[::1]:$kport"
  fi
  modpath=$(dirname "$(dpkg -L kamailio 2>/dev/null | grep -m1 '/modules/sl\.so$')" 2>/dev/null)
  [ -n "$modpath" ] || modpath=/usr/lib/x86_64-linux-gnu/kamailio/modules
  cat >"$dir/kamailio.cfg" <<EOF
#!KAMAILIO
# Written by siphb tests/interop/lib.sh: a stateless server that answers
# OPTIONS with 200 and everything else with 501. No database, no DNS.
debug=2
log_stderror=yes
fork=yes
children=1
tcp_children=1
dns=no
rev_dns=no
auto_aliases=no
$listen
mpath="$modpath"
loadmodule "sl.so"

request_route {
  if (method == "OPTIONS") {
    sl_send_reply("200", "OK");
    exit;
  }
  sl_send_reply("501", "Not Implemented");
}
EOF
}
# kamailio_start DIR SECS [LOG]: runs the server of DIR/kamailio.cfg in the
# foreground for at most SECS, logging to LOG (default DIR/kamailio.log);
# sets kam_pid.
kamailio_start() {
  local dir=$1
  start_bg "${3:-$dir/kamailio.log}" timeout "$2" kamailio -f "$dir/kamailio.cfg" \
    -DD -E -Y "$dir" -P "$dir/kamailio.pid" -m 32 -M 4
  kam_pid=$BG
}
# kamailio_wait PORT: true once the server of kam_pid listens on udp and
# tcp 127.0.0.1:PORT (and tcp [::1]:PORT with have_v6), within 5 s each.
kamailio_wait() { wait_listen_sip "$kam_pid" "$1"; }

# ---- coturn -------------------------------------------------------------------
# coturn_start PORT SECS: coturn's turnserver --stun-only on udp
# 127.0.0.1:PORT (and [::1]:PORT with have_v6; PORT + 1 is its RFC 5780
# alternative port) for at most SECS, logging to $tmp/turnserver.log, its
# command line in $tmp/turnserver.cmd; sets turn_pid.
coturn_start() {
  local -a cmd=(turnserver -n --stun-only --listening-ip 127.0.0.1)
  [ "$have_v6" = 1 ] && cmd+=(--listening-ip ::1)
  cmd+=(--listening-port "$1" --no-tls --no-dtls --no-cli --log-file stdout --simple-log
        --pidfile "$tmp/turnserver.pid" --db "$tmp/turndb")
  printf '%q ' "${cmd[@]}" >"$tmp/turnserver.cmd"
  start_bg "$tmp/turnserver.log" timeout "$2" "${cmd[@]}"
  turn_pid=$BG
}
# coturn_wait PORT: sets turn_up to 1 once the server of turn_pid listens on
# udp 127.0.0.1:PORT (and [::1]:PORT with have_v6), within 5 s each, else 0;
# PASS or FAIL (with its log) says so.
coturn_wait() {
  turn_up=0
  if wait_listen u 127.0.0.1 "$1" "$turn_pid"; then
    turn_up=1
    [ "$have_v6" = 1 ] && ! wait_listen u '[::1]' "$1" "$turn_pid" && turn_up=0
  fi
  if [ "$turn_up" = 1 ]; then
    pass "coturn: started (pid $(cat "$tmp/turnserver.pid" 2>/dev/null || echo '?')): $(cat "$tmp/turnserver.cmd")"
  else
    fail "coturn: did not start: $(cat "$tmp/turnserver.cmd")"
    show "$tmp/turnserver.log"
  fi
}

# ---- sipp as a UAS ---------------------------------------------------------------------
# sipp_uas_scenario FILE ROUNDS: a UAS scenario that takes an OPTIONS,
# checks its Via branch, From tag, CSeq and Max-Forwards, and answers 200
# echoing Via, From, To, Call-ID and CSeq; ROUNDS times in one call (a
# prober keeps one Call-ID for all its rounds).
sipp_uas_scenario() {
  local file=$1 rounds=$2 k
  {
    cat <<'EOF'
<?xml version="1.0" encoding="ISO-8859-1" ?>
<!-- siphb interop: sipp takes an OPTIONS, checks a few of its fields and
     answers 200, echoing Via, From, To, Call-ID and CSeq. -->
<scenario name="siphb interop OPTIONS UAS">
EOF
    for ((k = 0; k < rounds; k++)); do
      cat <<'EOF'
  <recv request="OPTIONS">
    <action>
      <ereg regexp="branch=z9hG4bK[^;, ]+" search_in="hdr" header="Via:" check_it="true" assign_to="1"/>
      <ereg regexp=";tag=[^;, ]+" search_in="hdr" header="From:" check_it="true" assign_to="2"/>
      <ereg regexp="[0-9]+ OPTIONS" search_in="hdr" header="CSeq:" check_it="true" assign_to="3"/>
      <ereg regexp="[0-9]+" search_in="hdr" header="Max-Forwards:" check_it="true" assign_to="4"/>
    </action>
  </recv>
  <send>
    <![CDATA[

      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]uas[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
      Allow: OPTIONS
      Accept: application/sdp
      Server: sipp-uas
      Content-Length: 0

    ]]>
  </send>
EOF
    done
    cat <<'EOF'
  <Reference variables="1,2,3,4"/>
</scenario>
EOF
  } >"$file"
}

# sipp_uas_start NAME SCENARIO udp|tcp PORT: sipp as a UAS on
# 127.0.0.1:PORT for one call of SCENARIO, for at most 15 s, logging to
# $tmp/sipp-NAME.log and $tmp/sipp-NAME-errors.log, its control and media
# ports taken from port(); sets uas_pid. Returns 1 (sipp stopped, its log
# shown) when it does not listen within 5 s.
sipp_uas_start() {
  local name=$1 t=$3 p=$4 ctrl media
  port; ctrl=$PORT
  port; media=$PORT
  port; port # media uses M and M+2
  start_bg "$tmp/sipp-$name.log" timeout 15 sipp -sf "$2" -t "${t:0:1}1" \
    -i 127.0.0.1 -p "$p" -ci 127.0.0.1 -cp "$ctrl" -mi 127.0.0.1 -mp "$media" \
    -bind_local -m 1 -nostdin -timeout 10s -timeout_error \
    -trace_err -error_file "$tmp/sipp-$name-errors.log"
  uas_pid=$BG
  wait_listen "${t:0:1}" 127.0.0.1 "$p" "$uas_pid" && return 0
  show "$tmp/sipp-$name.log"
  stop_bg TERM "$uas_pid"
  return 1
}

# ---- tshark -------------------------------------------------------------------
# Prints what tshark finds wrong in PCAP, one line each (nothing when all is
# well): expert items of severity warning or error from PROTO (as the expert
# table names the protocol: SIP, STUN), any Malformed item, and -V's
# "Malformed Packet" lines. Keeps tshark's reports in $tmp/*-NAME.txt.
tshark_problems() { # NAME PCAP PROTO DECODE-ARGS...
  local name=$1 pcap=$2 proto=$3
  shift 3
  tshark -r "$pcap" "$@" -q -z expert,note >"$tmp/expert-$name.txt" 2>/dev/null
  tshark -r "$pcap" "$@" -V >"$tmp/verbose-$name.txt" 2>/dev/null
  awk -v proto="$proto" '/^(Errors|Warns|Notes|Chats) \(/ { sec = $1; next }
       $1 !~ /^[0-9]+$/ { next }
       $2 == "Malformed" || ((sec == "Errors" || sec == "Warns") && $3 == proto) { print sec ": " $0 }' \
    "$tmp/expert-$name.txt"
  if grep -q 'Malformed Packet' "$tmp/verbose-$name.txt"; then
    echo "-V: $(grep -c 'Malformed Packet' "$tmp/verbose-$name.txt") line(s) with 'Malformed Packet'"
  fi
}
# The frames behind tshark_problems' lines, under a failed check.
tshark_show_problems() { # PCAP DECODE-ARGS...
  local pcap=$1
  shift
  tshark -r "$pcap" "$@" -Y '_ws.malformed || _ws.expert.severity >= 6291456' \
    -T fields -e frame.number -e _ws.expert.message 2>/dev/null | sed 's/^/      | frame /'
}

# After start_capture: waits for tshark and says so, PASS, or SKIP with
# NOTE appended (what is checked without the capture).
report_capture() { # FILTER NOTE
  if wait_capture; then
    pass "capture: tshark on lo, filter '$1'"
  else
    skip "capture: tshark could not capture on lo$2"
    show "$tmp/tshark-capture.log" 5
  fi
}

# Stops the capture started by start_capture, once the last packets are in.
stop_capture() {
  [ "$capture_ok" = 1 ] || return 0
  sleep 0.3 # let the last packets reach dumpcap
  stop_bg INT "$cap_pid"
}

# The pcap of exact bytes: every non-empty DIR/req-* file becomes one UDP
# packet from port 40000 to PORT, every DIR/rsp-* one from PORT back, so
# that tshark's dissector for PORT (5060 SIP, 3478 STUN) takes them. Writes
# OUT and sets nmsg_req and nmsg_rsp; returns 1 (OUT not made) when there
# was nothing to write or text2pcap/mergecap failed ($tmp/text2pcap.log).
encoded_pcap() { # OUT PORT DIR
  local out=$1 port=$2 dir=$3 f kind
  local -a parts=()
  : >"$tmp/text2pcap.log"
  nmsg_req=0 nmsg_rsp=0
  for kind in req rsp; do
    : >"$tmp/$kind.hex"
    for f in "$dir/$kind"-*; do
      [ -s "$f" ] || continue
      od -Ax -tx1 -v "$f" >>"$tmp/$kind.hex"
      if [ "$kind" = req ]; then nmsg_req=$((nmsg_req + 1)); else nmsg_rsp=$((nmsg_rsp + 1)); fi
    done
    [ -s "$tmp/$kind.hex" ] || continue
    if [ "$kind" = req ]; then f=40000,$port; else f=$port,40000; fi
    text2pcap -q -u "$f" "$tmp/$kind.hex" "$tmp/encoded-$kind.pcap" >>"$tmp/text2pcap.log" 2>&1 &&
      parts+=("$tmp/encoded-$kind.pcap")
  done
  [ "${#parts[@]}" -gt 0 ] && mergecap -F pcap -w "$out" "${parts[@]}" >>"$tmp/text2pcap.log" 2>&1
}

# What the scripts that test `siphb serve` start with: the header lines, a
# capture of port $SRV, then serve on UDP and TCP of every loopback family
# ($families: v4, and v6 when there is one) with ARGS added, its listening
# reported as PASS (LABEL) or FAIL. Sets cap, families, listen, serve_pid
# and serve_up (1 when it listens). NOTE is report_capture's.
serve_start() { # LABEL NOTE ARGS...
  local label=$1 note=$2
  shift 2
  echo "$interop_name: temp dir $tmp, ports $base..$((base + 47)), IPv6 loopback: $([ "$have_v6" = 1 ] && echo yes || echo no)"
  echo "$interop_name: $(sipp -v 2>/dev/null | grep -o 'SIPp v[^ ]*'); $(tshark -v 2>/dev/null | head -1)"
  cap=$tmp/capture.pcapng
  start_capture "$cap" "port $SRV" 50
  families=(v4)
  [ "$have_v6" = 1 ] && families+=(v6)
  listen=(--udp "127.0.0.1:$SRV" --tcp "127.0.0.1:$SRV")
  [ "$have_v6" = 1 ] && listen+=(--udp "[::1]:$SRV" --tcp "[::1]:$SRV")
  start_bg "$tmp/serve.out" timeout 45 "$tool" serve "${listen[@]}" "$@"
  serve_pid=$BG
  report_capture "port $SRV" "$note"
  serve_up=0
  wait_listen_sip "$serve_pid" "$SRV" && serve_up=1
  if [ "$serve_up" = 1 ]; then
    pass "$label: $(grep -c '^listening ' "$tmp/serve.out") sockets: $(grep '^listening ' "$tmp/serve.out" | sed 's/^listening //' | tr '\n' ' ')"
  else
    fail "siphb serve: did not start"
    show "$tmp/serve.out"
  fi
}
