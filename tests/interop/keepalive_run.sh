#!/usr/bin/env bash
# tests/interop/keepalive_run.sh - loopback interop of the RFC 5626 flow
# keepalive commands (the library's flow object over the tool's sockets)
# with real servers.
#
#   tests/interop/keepalive_run.sh BUILD_DIR   e.g. tests/interop/keepalive_run.sh build/gcc
#
# Needs the Debian packages kamailio and coturn. What it checks, on
# 127.0.0.1 (and ::1 when the loopback has it), on ports it picks, with
# configs it writes to a temp dir:
#   1. `siphb crlf` against Kamailio over TCP (the stateless config of
#      lib.sh; Kamailio answers a double-CRLF ping with a CRLF pong, its
#      tcp_crlf_ping parameter, on by default) with --interval 0.5 --count 3:
#      3 pongs, exit 0, the summary;
#   2. `siphb stun --keepalive` against coturn's turnserver --stun-only with
#      --interval 1 --count 3: 3 rounds OK, each with the mapped address,
#      which on loopback is the socket's own address, and no rebinding.
# One PASS/FAIL/SKIP line per check, a summary, exit 0 only if nothing
# failed. Every process started here runs under `timeout`, and the EXIT trap
# stops what is left by PID. SIPHB_INTEROP_KEEP=1 keeps the temp dir.
set -uo pipefail

interop_name=keepalive_run.sh
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
interop_args "$@"
tool=$build/tools/siphb/siphb
interop_need "kamailio coturn" "$tool" kamailio turnserver ss timeout
interop_init 4

port; KAM=$PORT
port; TURN=$PORT # coturn; TURN + 1 its alternative port (RFC 5780)
port

echo "keepalive_run.sh: temp dir $tmp, ports $base..$((base + 3)), IPv6 loopback: $([ $have_v6 = 1 ] && echo yes || echo no)"
echo "keepalive_run.sh: $(kamailio -v 2>/dev/null | head -1 | sed 's/^version: //'); coturn $(turnserver --version 2>/dev/null | head -1); $("$tool" --version)"

hosts=(127.0.0.1)
[ "$have_v6" = 1 ] && hosts+=("[::1]")
family() { [ "$1" = 127.0.0.1 ] && echo v4 || echo v6; }

# ---- 1. siphb crlf -> Kamailio over TCP ---------------------------------------------
kamailio_config "$tmp/kamailio" "$KAM"
kamailio_start "$tmp/kamailio" 40
if kamailio_wait "$KAM"; then
  pass "kamailio: started, tcp on 127.0.0.1:$KAM$([ $have_v6 = 1 ] && echo " and [::1]:$KAM")"
  [ "$have_v6" = 1 ] || skip "crlf -> kamailio over IPv6: no ::1 on the loopback"
  for h in "${hosts[@]}"; do
    name=crlf-$(family "$h")
    timeout 15 "$tool" crlf "$h:$KAM" --interval 0.5 --count 3 >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
    rc=$?
    n=$(grep -cE '^seq [0-9]+ pong rtt [0-9]+\.[0-9]{3} ms$' "$tmp/$name.out")
    if [ "$rc" -eq 0 ] && [ "$n" -ge 3 ] && grep -q '^sent 3, pongs 3, failed 0, ' "$tmp/$name.err"; then
      pass "crlf $h:$KAM -> kamailio: $n pongs; $(cat "$tmp/$name.err")"
    else
      fail "crlf $h:$KAM -> kamailio: exit $rc, $n pong lines (want 3)"
      show "$tmp/$name.out"
      show "$tmp/$name.err"
    fi
  done
  stop_bg TERM "$kam_pid"
else
  fail "kamailio: did not start"
  show "$tmp/kamailio/kamailio.log"
fi

# ---- 2. siphb stun --keepalive -> coturn ----------------------------------------------
coturn_start "$TURN" 40
coturn_wait "$TURN"
if [ "$turn_up" = 1 ]; then
  [ "$have_v6" = 1 ] || skip "stun --keepalive -> coturn over IPv6: no ::1 on the loopback"
  for h in "${hosts[@]}"; do
    name=stun-$(family "$h")
    timeout 20 "$tool" stun "$h:$TURN" --keepalive --interval 1 --count 3 \
      >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
    rc=$?
    re='^seq [0-9]+ ok mapped [^ ]+ rtt [0-9]+\.[0-9]{3} ms'
    n=$(grep -cE "$re" "$tmp/$name.out")
    # One mapped address for all rounds (nothing translates on loopback).
    maps=$(grep -E "$re" "$tmp/$name.out" | awk '{ print $5 }' | sort -u)
    nmaps=$(printf '%s\n' "$maps" | grep -c .)
    if [ "$rc" -eq 0 ] && [ "$n" -ge 3 ] && [ "$nmaps" -eq 1 ] &&
      ! grep -q '^nat rebinding' "$tmp/$name.out" &&
      grep -q '^sent 3, ok 3, failed 0, rebindings 0, ' "$tmp/$name.err"; then
      pass "stun --keepalive $h:$TURN -> coturn: $n rounds OK, mapped $maps each time; $(cat "$tmp/$name.err")"
    else
      fail "stun --keepalive $h:$TURN -> coturn: exit $rc, $n ok lines (want 3), mapped addresses: $maps"
      show "$tmp/$name.out"
      show "$tmp/$name.err"
    fi
  done
fi
stop_bg TERM "$turn_pid"

interop_summary
