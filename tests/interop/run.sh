#!/usr/bin/env bash
# tests/interop/run.sh - loopback interop of siphb's SIP codec with real peers.
#
#   tests/interop/run.sh BUILD_DIR      e.g. tests/interop/run.sh build/gcc
#
# Needs the Debian packages kamailio, sip-tester (sipp) and tshark (stage i
# of scripts/test.sh installs them) and, for the live capture, root.
#
# What it checks, everything on 127.0.0.1 (and ::1 for Kamailio when the
# loopback has it), on ports it picks, with configs it writes to a temp dir:
#   1. sip_options_client (OPTIONS from siphb_sip_encode_options) gets a 200
#      from Kamailio (sl module, no database) over UDP and TCP; sipp's own
#      OPTIONS to the same Kamailio serve as the control;
#   2. the client gets a 200 from sipp acting as a UAS (-t u1 and -t t1),
#      whose scenario also checks the request's Via branch, From tag and CSeq;
#   3. sipp as a UAC gets a 200 for every OPTIONS it sends to
#      sip_options_responder (siphb_sip_parse + siphb_sip_encode_response,
#      told each request's source address so the top Via gets received/rport),
#      over UDP and TCP: sipp exits 0 only when all its calls succeeded;
#   4. tshark dissects every message: the live capture of all the above and
#      a pcap made from the exact bytes our programs encoded show no
#      malformed packet and no SIP expert item of severity warning or error,
#      and every message of ours has its branch, Call-ID, CSeq and tags.
# One PASS/FAIL/SKIP line per check, a summary, exit 0 only if nothing
# failed. Every process started here runs under `timeout`, and the EXIT trap
# stops what is left by PID. SIPHB_INTEROP_KEEP=1 keeps the temp dir.
set -uo pipefail

interop_name=run.sh
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
interop_args "$@"
client=$build/tests/interop/sip_options_client
responder=$build/tests/interop/sip_options_responder
interop_need "kamailio sip-tester tshark" "$client" "$responder" kamailio sipp tshark text2pcap \
  mergecap ss timeout od
interop_init 40
mkdir -p "$tmp/msg"
UA=siphb-interop-client
SERVER=siphb-interop-responder

# Each server and each sipp gets its own ports from the block.
port; KAM=$PORT
port; UAS_UDP=$PORT
port; UAS_TCP=$PORT
port; RESP=$PORT

echo "run.sh: temp dir $tmp, ports $base..$((base + 39)), IPv6 loopback: $([ $have_v6 = 1 ] && echo yes || echo no)"
echo "run.sh: $(kamailio -v 2>/dev/null | head -1 | sed 's/^version: //'); $(sipp -v 2>/dev/null | grep -o 'SIPp v[^ ]*'); $(tshark -v 2>/dev/null | head -1)"

# ---- live capture -----------------------------------------------------------
# Every message goes to or from one of the server ports.
cap=$tmp/capture.pcapng
filter="port $KAM or port $UAS_UDP or port $UAS_TCP or port $RESP"
start_capture "$cap" "$filter" 50

# ---- Kamailio -----------------------------------------------------------------
kamailio_config "$tmp/kamailio" "$KAM"
kamailio_start "$tmp/kamailio" 45

# Both start in parallel; the capture has to be on before any traffic.
report_capture "$filter" " (the pcap made from the encoded bytes is still checked)"

kam_up=0
kamailio_wait "$KAM" && kam_up=1
if [ "$kam_up" = 1 ]; then
  pass "kamailio: started (pid $(cat "$tmp/kamailio/kamailio.pid" 2>/dev/null || echo '?')), udp+tcp on 127.0.0.1:$KAM$([ $have_v6 = 1 ] && echo " and [::1]:$KAM")"
else
  fail "kamailio: did not start"
  show "$tmp/kamailio/kamailio.log"
fi

# ---- sipp scenarios -----------------------------------------------------------
sipp_options_uac "$tmp/uac.xml" '[local_ip]:[local_port]' ''
sipp_uas_scenario "$tmp/uas.xml" 1

# sipp as a UAC with the OPTIONS scenario: run_sipp_uac NAME TRANSPORT(u1|t1) TARGET CALLS
run_sipp_uac() { sipp_uac "$1" "$tmp/uac.xml" "$2" 127.0.0.1 "$3" "$4"; }

# Our client: run_client NAME TARGET TRANSPORT ; sets CLIENT_LINE
nclient_msgs=0
run_client() {
  local name=$1 target=$2 tr=$3 rc
  timeout 8 "$client" --target "$target" --transport "$tr" --user-agent "$UA" \
    --save "$tmp/msg/req-$name.sip" -v >"$tmp/client-$name.out" 2>"$tmp/client-$name.err"
  rc=$?
  [ -s "$tmp/msg/req-$name.sip" ] && nclient_msgs=$((nclient_msgs + 1))
  CLIENT_LINE=$(head -1 "$tmp/client-$name.out")
  [ "$rc" -eq 0 ] && grep -q '^status=200 ' "$tmp/client-$name.out"
}

# ---- 1. Kamailio --------------------------------------------------------------
if [ "$kam_up" = 1 ]; then
  for t in udp tcp; do
    if run_sipp_uac "kamailio-$t" "${t:0:1}1" "127.0.0.1:$KAM" 2; then
      pass "control: sipp UAC -> kamailio over $t: $SIPP_SUMMARY"
    else
      fail "control: sipp UAC -> kamailio over $t: $SIPP_SUMMARY"
      show "$tmp/sipp-kamailio-$t.log" 12
    fi
  done
  targets=("127.0.0.1:$KAM")
  [ "$have_v6" = 1 ] && targets+=("[::1]:$KAM")
  for target in "${targets[@]}"; do
    for t in udp tcp; do
      name=kamailio-$t$([[ $target == \[* ]] && echo -v6)
      if run_client "$name" "$target" "$t"; then
        pass "our OPTIONS -> kamailio $target over $t: $CLIENT_LINE"
      else
        fail "our OPTIONS -> kamailio $target over $t: ${CLIENT_LINE:-no output}"
        show "$tmp/client-$name.err"
        show "$tmp/kamailio/kamailio.log" 10
      fi
    done
  done
else
  fail "our OPTIONS -> kamailio: not run (kamailio down)"
fi

# ---- 2. sipp as a UAS ---------------------------------------------------------
for t in udp tcp; do
  if [ "$t" = udp ]; then uport=$UAS_UDP; else uport=$UAS_TCP; fi
  if ! sipp_uas_start "uas-$t" "$tmp/uas.xml" "$t" "$uport"; then
    fail "our OPTIONS -> sipp UAS over $t: sipp did not start"
    continue
  fi
  run_client "sipp-uas-$t" "127.0.0.1:$uport" "$t"
  crc=$?
  wait_bg "$uas_pid" 5
  summary="sipp exit $RC, $(sipp_calls "$tmp/sipp-uas-$t.log")"
  if [ "$crc" -eq 0 ] && [ "$RC" -eq 0 ]; then
    pass "our OPTIONS -> sipp UAS over $t: $CLIENT_LINE; $summary"
  else
    fail "our OPTIONS -> sipp UAS over $t: ${CLIENT_LINE:-no output}; $summary"
    show "$tmp/client-sipp-uas-$t.err"
    show "$tmp/sipp-uas-$t.log" 15
    show "$tmp/sipp-uas-$t-errors.log" 5
  fi
done

# ---- 3. sipp as a UAC against our responder -----------------------------------
calls=3
start_bg "$tmp/responder.log" timeout 20 "$responder" --listen "127.0.0.1:$RESP" \
  --count $((2 * calls)) --timeout 15 --server "$SERVER" --save "$tmp/msg/rsp-"
resp_pid=$BG
if wait_listen u 127.0.0.1 "$RESP" "$resp_pid" && wait_listen t 127.0.0.1 "$RESP" "$resp_pid"; then
  for t in udp tcp; do
    if run_sipp_uac "responder-$t" "${t:0:1}1" "127.0.0.1:$RESP" "$calls"; then
      pass "sipp UAC -> our responder over $t: $SIPP_SUMMARY"
    else
      fail "sipp UAC -> our responder over $t: $SIPP_SUMMARY"
      show "$tmp/sipp-responder-$t.log" 15
      show "$tmp/sipp-responder-$t-errors.log" 8
      show "$tmp/responder.log" 8
    fi
  done
  wait_bg "$resp_pid" 5
  resp_summary=$(grep '^requests=' "$tmp/responder.log" | tail -1)
  if [ "$RC" -eq 0 ]; then
    pass "our responder: exit 0, ${resp_summary:-no summary}"
  else
    fail "our responder: exit $RC, ${resp_summary:-no summary}"
    show "$tmp/responder.log"
  fi
else
  fail "sipp UAC -> our responder: the responder did not start"
  show "$tmp/responder.log"
fi

# ---- stop the servers and the capture -------------------------------------------
[ "$kam_up" = 1 ] && stop_bg TERM "$kam_pid"
stop_capture

# ---- 4. tshark ----------------------------------------------------------------
# The pcap made from our own bytes: each saved message becomes one UDP
# packet to or from port 5060, where tshark's SIP dissector sits.
offline=$tmp/encoded.pcap
encoded_pcap "$offline" 5060 "$tmp/msg" || offline=

# tshark_check NAME PCAP EXPECT_REQ EXPECT_RSP DECODE-AS-ARGS...
tshark_check() {
  local name=$1 pcap=$2 want_req=$3 want_rsp=$4 bad fields ours_req ours_rsp incomplete
  shift 4
  local -a dec=("$@")
  bad=$(tshark_problems "$name" "$pcap" SIP "${dec[@]}")
  # Our messages, and whether tshark found their identifiers.
  tshark -r "$pcap" "${dec[@]}" -Y sip -T fields -E separator='|' -E occurrence=f \
    -e frame.number -e sip.Method -e sip.Status-Code -e sip.User-Agent -e sip.Server \
    -e sip.Via.branch -e sip.Call-ID -e sip.CSeq.seq -e sip.CSeq.method -e sip.from.tag \
    -e sip.to.tag >"$tmp/fields-$name.txt" 2>/dev/null
  ours_req=$(awk -F'|' -v ua="$UA" '$2 == "OPTIONS" && $4 == ua' "$tmp/fields-$name.txt" | wc -l)
  ours_rsp=$(awk -F'|' -v sv="$SERVER" '$3 != "" && $5 == sv' "$tmp/fields-$name.txt" | wc -l)
  incomplete=$(awk -F'|' -v ua="$UA" -v sv="$SERVER" '
      ($2 == "OPTIONS" && $4 == ua) || ($3 != "" && $5 == sv) {
        if ($6 !~ /^z9hG4bK./ || $7 == "" || $8 == "" || $9 == "" || $10 == "" || ($3 != "" && $11 == ""))
          print "frame " $1 ": " $0
      }' "$tmp/fields-$name.txt")
  if [ -n "$bad" ] || [ -n "$incomplete" ] || [ "$ours_req" -lt "$want_req" ] || [ "$ours_rsp" -lt "$want_rsp" ]; then
    fail "tshark $name: our requests $ours_req (want >= $want_req), our responses $ours_rsp (want >= $want_rsp)"
    [ -n "$bad" ] && printf '%s\n' "$bad" | sed 's/^/      | /'
    [ -n "$incomplete" ] && printf 'missing fields: %s\n' "$incomplete" | sed 's/^/      | /'
    tshark_show_problems "$pcap" "${dec[@]}"
  else
    local total
    total=$(wc -l <"$tmp/fields-$name.txt")
    pass "tshark $name: $total SIP messages dissected ($ours_req OPTIONS and $ours_rsp responses of ours, each with branch, Call-ID, CSeq, tags), no malformed packet, no SIP expert warning/error"
  fi
}

if [ -n "$offline" ]; then
  tshark_check encoded-bytes "$offline" "$nmsg_req" "$nmsg_rsp"
else
  fail "tshark encoded-bytes: could not build a pcap from the saved messages"
  show "$tmp/text2pcap.log"
fi
if [ "$capture_ok" = 1 ]; then
  if [ -s "$cap" ]; then
    dec=()
    for p in "$KAM" "$UAS_UDP" "$UAS_TCP" "$RESP"; do
      dec+=(-d "udp.port==$p,sip" -d "tcp.port==$p,sip")
    done
    tshark_check live-capture "$cap" "$nclient_msgs" "$nmsg_rsp" "${dec[@]}"
  else
    fail "tshark live-capture: the capture file is empty"
    show "$tmp/tshark-capture.log"
  fi
fi

# ---- summary ------------------------------------------------------------------
interop_summary
