#!/usr/bin/env bash
# tests/interop/probe_run.sh - loopback interop of `siphb probe` (the
# library's probe object over the tool's sockets) with real SIP servers.
#
#   tests/interop/probe_run.sh BUILD_DIR      e.g. tests/interop/probe_run.sh build/gcc
#
# Needs the Debian packages kamailio and sip-tester (sipp). What it checks,
# on 127.0.0.1 (and ::1 for Kamailio when the loopback has it), on ports it
# picks, with configs it writes to a temp dir:
#   1. `siphb probe` against Kamailio (the stateless config of lib.sh,
#      answering OPTIONS with 200) over UDP and TCP, IPv4 and IPv6: alive;
#   2. against sipp as a UAS (a scenario answering three OPTIONS of one
#      Call-ID) over UDP and TCP: alive, and sipp's checks of the requests
#      pass;
#   3. Kamailio stopped (SIGTERM, by PID) while a probe runs with
#      --interval 1 --timeout 1 --retries 1, over UDP and TCP: the time from
#      the stop to the first failed line is printed and must be within
#      interval + timeout x (retries + 1) = 3 s: a round starts at most
#      `interval` after the previous one started, sends at 0 and `timeout`
#      (UDP) and ends (retries + 1) x timeout after it started (Timer F). On
#      UDP the ICMP port unreachable, on TCP the refused connection end the
#      round sooner.
#      Then Kamailio is started again on the same port and the same probe
#      reports alive again (TCP: it reconnects at the next round);
#   4. Kamailio frozen (SIGSTOP) instead: no ICMP, no RST, so the round must
#      time out, again within interval + timeout x (retries + 1); after SIGCONT, alive again.
# One PASS/FAIL/SKIP line per check, a summary, exit 0 only if nothing
# failed. Every process started here runs under `timeout`, and the EXIT trap
# stops what is left by PID. SIPHB_INTEROP_KEEP=1 keeps the temp dir.
set -uo pipefail

interop_name=probe_run.sh
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
interop_args "$@"
tool=$build/tools/siphb/siphb
interop_need "kamailio sip-tester" "$tool" kamailio sipp ss timeout
interop_init 12 # Kamailio 1, sipp 2 + 2 x 4

port; KAM=$PORT
port; UAS_UDP=$PORT
port; UAS_TCP=$PORT

INTERVAL=1 TIMEOUT=1 RETRIES=1
# The probe's bound: the next round starts at most `interval` after the
# last alive one started (before the stop), and ends by timeout x (retries + 1).
BOUND_MS=$(((INTERVAL + TIMEOUT * (RETRIES + 1)) * 1000))
# What the script's own polling of the output adds (50 ms steps).
SLACK_MS=250

echo "probe_run.sh: temp dir $tmp, ports $base..$((base + 11)), IPv6 loopback: $([ $have_v6 = 1 ] && echo yes || echo no)"
echo "probe_run.sh: $(kamailio -v 2>/dev/null | head -1 | sed 's/^version: //'); $(sipp -v 2>/dev/null | grep -o 'SIPp v[^ ]*'); $("$tool" --version)"

kamailio_config "$tmp/kamailio" "$KAM"
kamailio_start "$tmp/kamailio" 50
if kamailio_wait "$KAM"; then
  pass "kamailio: started, udp+tcp on 127.0.0.1:$KAM$([ $have_v6 = 1 ] && echo " and [::1]:$KAM")"
else
  fail "kamailio: did not start"
  show "$tmp/kamailio/kamailio.log"
  interop_summary
  exit
fi

now_ms() { date +%s%3N; }

# ---- 1. Kamailio: alive over UDP and TCP, IPv4 and IPv6 --------------------------
hosts=(127.0.0.1)
[ "$have_v6" = 1 ] && hosts+=("[::1]")
[ "$have_v6" = 1 ] || skip "probe -> kamailio over IPv6: no ::1 on the loopback"
for h in "${hosts[@]}"; do
  for t in udp tcp; do
    name=kam-$t-$([ "$h" = 127.0.0.1 ] && echo v4 || echo v6)
    timeout 10 "$tool" probe "sip:$h:$KAM" --transport "$t" --interval 0.2 --count 3 \
      >"$tmp/$name.out" 2>"$tmp/$name.err"
    rc=$?
    n=$(grep -c '^seq [0-9]* alive 200 OK rtt ' "$tmp/$name.out")
    if [ "$rc" -eq 0 ] && [ "$n" -eq 3 ]; then
      pass "probe sip:$h:$KAM over $t -> kamailio: $(head -1 "$tmp/$name.out"); $(cat "$tmp/$name.err")"
    else
      fail "probe sip:$h:$KAM over $t -> kamailio: exit $rc, $n alive lines (want 3)"
      show "$tmp/$name.out"
      show "$tmp/$name.err"
    fi
  done
done

# ---- 2. sipp as a UAS ---------------------------------------------------------------
sipp_uas_scenario "$tmp/uas.xml" 3
for t in udp tcp; do
  if [ "$t" = udp ]; then uport=$UAS_UDP; else uport=$UAS_TCP; fi
  if ! sipp_uas_start "uas-$t" "$tmp/uas.xml" "$t" "$uport"; then
    fail "probe -> sipp UAS over $t: sipp did not start"
    continue
  fi
  timeout 10 "$tool" probe "sip:127.0.0.1:$uport;transport=$t" --interval 0.3 --count 3 \
    >"$tmp/sipp-$t.out" 2>"$tmp/sipp-$t.err"
  prc=$?
  wait_bg "$uas_pid" 5
  n=$(grep -c '^seq [0-9]* alive 200 OK rtt ' "$tmp/sipp-$t.out")
  if [ "$prc" -eq 0 ] && [ "$n" -eq 3 ] && [ "$RC" -eq 0 ]; then
    pass "probe -> sipp UAS over $t: $(head -1 "$tmp/sipp-$t.out"); sipp exit 0"
  else
    fail "probe -> sipp UAS over $t: probe exit $prc, $n alive lines (want 3), sipp exit $RC"
    show "$tmp/sipp-$t.out"
    show "$tmp/sipp-$t.err"
    show "$tmp/sipp-uas-$t.log" 15
    show "$tmp/sipp-uas-$t-errors.log" 5
  fi
done

# ---- 3. and 4. Kamailio goes away while probing, then comes back -------------------
# wait_line FILE REGEX SECS: waits until a line of FILE after the first
# SKIP lines matches REGEX; prints the line. Polls every 50 ms.
wait_line() { # FILE SKIP REGEX SECS
  local i n=$(($4 * 20)) line
  for ((i = 0; i < n; i++)); do
    line=$(tail -n +"$(($2 + 1))" "$1" 2>/dev/null | grep -m1 -E "$3") && { echo "$line"; return 0; }
    sleep 0.05
  done
  return 1
}
failed_re='^seq [0-9]+ (timeout|transport error|rejected|send failed)'

# outage udp|tcp stop|freeze
outage() {
  local t=$1 how=$2 name=outage-$1-$2 out err pid t0 t1 line ms lines back
  out=$tmp/$name.out err=$tmp/$name.err
  start_bg "$err" timeout 30 "$tool" probe "sip:127.0.0.1:$KAM" --transport "$t" \
    --interval "$INTERVAL" --timeout "$TIMEOUT" --retries "$RETRIES"
  pid=$BG
  # stdout and stderr apart: start_bg sends both to one file
  if ! wait_line "$err" 0 '^seq 2 alive' 5 >/dev/null; then
    fail "$name: no two alive rounds before the outage"
    show "$err"
    stop_bg TERM "$pid"
    return
  fi
  lines=$(wc -l <"$err")
  t0=$(now_ms)
  if [ "$how" = stop ]; then
    stop_bg TERM "$kam_pid"
  else
    signal_bg STOP "$kam_pid"
  fi
  line=$(wait_line "$err" "$lines" "$failed_re" 10)
  t1=$(now_ms)
  ms=$((t1 - t0))
  if [ -n "$line" ] && [ "$ms" -le $((BOUND_MS + SLACK_MS)) ]; then
    pass "$name: kamailio $([ "$how" = stop ] && echo stopped || echo frozen) -> '$line' after $ms ms (bound interval + timeout x (retries + 1) = $BOUND_MS ms)"
  else
    fail "$name: kamailio $([ "$how" = stop ] && echo stopped || echo frozen) -> ${line:-no failed line} after $ms ms (bound $BOUND_MS ms)"
    show "$err"
  fi
  if [ "$how" = freeze ] && [ -n "$line" ] && ! grep -q 'timeout after' <<<"$line"; then
    fail "$name: a frozen server must make the round time out, not '$line'"
  fi
  # back again
  lines=$(wc -l <"$err")
  t0=$(now_ms)
  if [ "$how" = stop ]; then
    kamailio_start "$tmp/kamailio" 30 "$tmp/kamailio/kamailio-$name.log"
    if ! kamailio_wait "$KAM"; then
      fail "$name: kamailio did not start again on port $KAM"
      show "$tmp/kamailio/kamailio-$name.log"
      stop_bg TERM "$pid"
      return
    fi
  else
    signal_bg CONT "$kam_pid"
  fi
  # after a failed round the next one comes retry_interval (= the interval
  # here) after it ended; a round in flight during the restart may time out
  back=$(wait_line "$err" "$lines" '^seq [0-9]+ alive' $((2 * (INTERVAL + TIMEOUT) + 2)))
  t1=$(now_ms)
  if [ -n "$back" ]; then
    pass "$name: kamailio $([ "$how" = stop ] && echo "restarted on port $KAM" || echo continued) -> '$back' after $((t1 - t0)) ms"
  else
    fail "$name: no alive round after kamailio came back"
    show "$err"
  fi
  stop_bg TERM "$pid"
  local summary
  summary=$(grep -E '^sent [0-9]+, alive ' "$err")
  if [ "$RC" -eq 0 ] && [ -n "$summary" ] && grep -q '^state down$' "$err" &&
    [ "$(grep -c '^state up$' "$err")" -eq 2 ]; then
    pass "$name: SIGTERM -> exit 0, state up/down/up, '$summary'"
  else
    fail "$name: SIGTERM -> exit $RC, summary '${summary:-none}', state lines $(grep -c '^state ' "$err") (want up, down, up)"
    show "$err"
  fi
}

for t in udp tcp; do
  outage "$t" stop
  outage "$t" freeze
done
stop_bg TERM "$kam_pid"

interop_summary
