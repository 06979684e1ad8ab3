#!/usr/bin/env bash
# tests/interop/session_timer_run.sh - loopback interop of the RFC 4028
# session timers of `siphb serve --session-timer` with sipp as the UAC, and
# tshark (issue 14).
#
#   tests/interop/session_timer_run.sh BUILD_DIR   e.g. ... build/gcc
#
# Needs the Debian packages sip-tester (sipp) and tshark (stage i of
# scripts/test.sh installs them) and, for the live capture, root.
#
# `siphb serve --session-timer 1800 --refresher uac` answers on 127.0.0.1
# and ::1 (when the loopback has it), UDP and TCP, on ports picked here.
# What it checks, one call per transport and family:
#   1. the "422" scenario: sipp sends INVITE with Supported: timer and
#      Session-Expires: 90 and wants a 422 whose Min-SE is 1800 (RFC 4028
#      section 9), ACKs it in the INVITE's transaction (same branch, RFC
#      3261 section 17.1.1.3), sends a new INVITE (CSeq 2) with
#      Session-Expires: 1800 and Min-SE: 1800 (section 7.3) and wants a 200
#      with Session-Expires: 1800;refresher=uac and Require: timer (the
#      UAS's preference, section 9), ACKs it to the 200's Contact, sends BYE
#      there and wants a 200;
#   2. the "uas" scenario: the UAC asks refresher=uas; the 200 keeps it and
#      carries no Require: timer (section 9's table);
#   3. `siphb serve --json` logged each request as the scenarios want (422
#      with min_se, 200 with session_expires and refresher, ACK with no
#      answer, BYE 200), and its summary after SIGTERM counts them;
#   4. tshark dissects the live capture: no malformed packet, no SIP expert
#      warning or error; every 422 has Min-SE 1800, every 200 to INVITE
#      Session-Expires with the refresher, Require: timer when it is uac.
# One PASS/FAIL/SKIP line per check, a summary, exit 0 only if nothing
# failed. Every process started here runs under `timeout`, and the EXIT trap
# stops what is left by PID. SIPHB_INTEROP_KEEP=1 keeps the temp dir.
set -uo pipefail

interop_name=session_timer_run.sh
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
interop_args "$@"
interop_need "sip-tester tshark" "$build/tools/siphb/siphb" sipp tshark ss timeout
tool=$build/tools/siphb/siphb
interop_init 48
port; SRV=$PORT
MIN_SE=1800

serve_start "siphb serve --session-timer $MIN_SE --refresher uac" \
  " (the sipp scenarios still check the headers)" --session-timer "$MIN_SE" --refresher uac --json
up=$serve_up

# ---- the scenarios -------------------------------------------------------------
# One INVITE of the call: CSEQ, its timer headers and, for an INVITE
# answered with a non-2xx, the transaction name that its ACK reuses
# (sipp's start_txn/ack_txn; the ACK's [branch-2] is the INVITE's branch,
# two messages before: RFC 3261 section 17.1.1.3).
# sipp wants every start_txn INVITE ACKed with ack_txn, so an INVITE
# answered 2xx (whose ACK is a transaction of its own) has none.
invite() { # CSEQ TXN|'' HEADERS
  local txn=
  [ -n "$2" ] && txn=" start_txn=\"$2\""
  cat <<EOF
  <send retrans="500"$txn>
    <![CDATA[

      INVITE sip:serve@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      Max-Forwards: 70
      From: <sip:sipp@[local_ip]:[local_port]>;tag=[pid]st[call_number]
      To: <sip:serve@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: $1 INVITE
      Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>
$3
      User-Agent: sipp-uac
      Content-Length: 0

    ]]>
  </send>
EOF
}
# The ACK of a 2xx (a transaction of its own, to the Contact: [next_url]),
# then BYE and its 200.
ack_2xx_and_bye() { # CSEQ
  cat <<EOF
  <send>
    <![CDATA[

      ACK [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      Max-Forwards: 70
      From: <sip:sipp@[local_ip]:[local_port]>;tag=[pid]st[call_number]
      [last_To:]
      Call-ID: [call_id]
      CSeq: $1 ACK
      Content-Length: 0

    ]]>
  </send>
  <pause milliseconds="50"/>
  <send retrans="500">
    <![CDATA[

      BYE [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      Max-Forwards: 70
      From: <sip:sipp@[local_ip]:[local_port]>;tag=[pid]st[call_number]
      [last_To:]
      Call-ID: [call_id]
      CSeq: $(($1 + 1)) BYE
      Content-Length: 0

    ]]>
  </send>
  <recv response="200" timeout="3000"/>
EOF
}
ereg() { # VAR HEADER REGEXP [inverse]
  local how='check_it="true"'
  [ "${4:-}" = inverse ] && how='check_it_inverse="true"'
  printf '      <ereg regexp="%s" search_in="hdr" header="%s:" %s assign_to="%s"/>\n' \
    "$3" "$2" "$how" "$1"
}
head_xml() { # NAME
  printf '<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="%s">\n' "$1"
}

# 1. 422 with Min-SE, ACK in the INVITE's transaction, the retry gets 200.
{
  head_xml "siphb interop session timer UAC: 422, retry, 200"
  invite 1 inv1 "      Supported: timer
      Session-Expires: 90"
  cat <<EOF
  <recv response="422" timeout="3000" response_txn="inv1">
    <action>
$(ereg 1 Min-SE "^ *$MIN_SE *\$")
    </action>
  </recv>
  <send ack_txn="inv1">
    <![CDATA[

      ACK sip:serve@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch-2]
      Max-Forwards: 70
      From: <sip:sipp@[local_ip]:[local_port]>;tag=[pid]st[call_number]
      [last_To:]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Content-Length: 0

    ]]>
  </send>
EOF
  invite 2 '' "      Supported: timer
      Session-Expires: $MIN_SE
      Min-SE: $MIN_SE"
  cat <<EOF
  <recv response="200" timeout="3000" rrs="true">
    <action>
$(ereg 2 Session-Expires "^ *$MIN_SE;refresher=uac *\$")
$(ereg 3 Require '(^|[ ,])timer([ ,]|$)')
$(ereg 4 Supported '(^|[ ,])timer([ ,]|$)')
$(ereg 5 Contact 'sip:siphb@')
    </action>
  </recv>
EOF
  ack_2xx_and_bye 2
  printf '  <Reference variables="1,2,3,4,5"/>\n</scenario>\n'
} >"$tmp/uac-422.xml"

# 2. the UAC asks for the UAS as refresher: kept, no Require.
{
  head_xml "siphb interop session timer UAC: refresher=uas kept"
  invite 1 '' "      Supported: timer
      Session-Expires: 3600;refresher=uas
      Min-SE: $MIN_SE"
  cat <<EOF
  <recv response="200" timeout="3000" rrs="true">
    <action>
$(ereg 1 Session-Expires "^ *$MIN_SE;refresher=uas *\$")
$(ereg 2 Require 'timer' inverse)
    </action>
  </recv>
EOF
  ack_2xx_and_bye 1
  printf '  <Reference variables="1,2"/>\n</scenario>\n'
} >"$tmp/uac-uas.xml"

calls=0
if [ "$up" = 1 ]; then
  for fam in "${families[@]}"; do
    if [ "$fam" = v4 ]; then ip=127.0.0.1 target=127.0.0.1:$SRV; else ip=::1 target="[::1]:$SRV"; fi
    for t in udp tcp; do
      for sc in 422 uas; do
        name=$sc-$t-$fam
        if [ "$sc" = 422 ]; then
          what="INVITE Session-Expires 90 -> 422 Min-SE $MIN_SE, retry -> 200 refresher=uac + Require: timer, BYE -> 200"
        else
          what="INVITE refresher=uas -> 200 Session-Expires $MIN_SE;refresher=uas, no Require"
        fi
        if sipp_uac "$name" "$tmp/uac-$sc.xml" "${t:0:1}1" "$ip" "$target" 1; then
          pass "sipp UAC -> siphb serve $target over $t: $what: $SIPP_SUMMARY"
        else
          fail "sipp UAC -> siphb serve $target over $t: $what: $SIPP_SUMMARY"
          show "$tmp/sipp-$name.log" 12
          show "$tmp/sipp-$name-errors.log" 30
        fi
        calls=$((calls + 1))
      done
    done
  done
fi
n422=$((calls / 2))

# ---- what siphb serve says ------------------------------------------------------
stop_bg TERM "$serve_pid"
serve_rc=$RC
summary=$(grep '^siphb: serve: ' "$tmp/serve.out" | tail -1)
count() { grep -c "$1" "$tmp/serve.out"; }
j422=$(count "\"kind\":\"invite\",\"method\":\"INVITE\",\"action\":\"answered\",\"status\":422,\"min_se\":$MIN_SE,")
j200uac=$(count "\"kind\":\"invite\",\"method\":\"INVITE\",\"action\":\"answered\",\"status\":200,\"session_expires\":$MIN_SE,\"refresher\":\"uac\",")
j200uas=$(count "\"kind\":\"invite\",\"method\":\"INVITE\",\"action\":\"answered\",\"status\":200,\"session_expires\":$MIN_SE,\"refresher\":\"uas\",")
jack=$(count '"kind":"ack","method":"ACK","action":"none"')
jbye=$(count '"kind":"bye","method":"BYE","action":"answered","status":200,')
invites=$((j422 + j200uac + j200uas))
if [ "$up" = 1 ] && [ "$serve_rc" = 0 ] && [ "$j422" -ge "$n422" ] && [ "$j200uac" -ge "$n422" ] &&
  [ "$j200uas" -ge "$n422" ] && [ "$jack" -ge $((calls + n422)) ] && [ "$jbye" -ge "$calls" ] &&
  [[ $summary == *", invite $invites, bye $jbye)"* ]]; then
  pass "siphb serve: exit 0 after SIGTERM; JSON: $j422 x 422 min_se $MIN_SE, $j200uac x 200 refresher uac, $j200uas x 200 refresher uas, $jack ACK unanswered, $jbye BYE 200; $summary"
else
  fail "siphb serve: exit $serve_rc; JSON: $j422 x 422 (want $n422), $j200uac x 200 uac (want $n422), $j200uas x 200 uas (want $n422), $jack ACK (want $((calls + n422))), $jbye BYE (want $calls); ${summary:-no summary}"
  show "$tmp/serve.out"
fi

# ---- tshark ---------------------------------------------------------------------
stop_capture
if [ "$capture_ok" = 1 ] && [ -s "$cap" ]; then
  dec=(-d "udp.port==$SRV,sip" -d "tcp.port==$SRV,sip")
  bad=$(tshark_problems live "$cap" SIP "${dec[@]}")
  tshark -r "$cap" "${dec[@]}" -Y 'sip.Status-Code == 422' -T fields -E separator='|' \
    -E occurrence=f -e frame.number -e sip.Min-SE >"$tmp/f422.txt" 2>/dev/null
  tshark -r "$cap" "${dec[@]}" -Y 'sip.Status-Code == 200 && sip.CSeq.method == "INVITE"' \
    -T fields -E separator='|' -E occurrence=f -e frame.number -e sip.Session-Expires \
    -e sip.Require -e sip.Contact >"$tmp/f200.txt" 2>/dev/null
  # The ACK of each 422 has its INVITE's branch (RFC 3261 section
  # 17.1.1.3): requests with CSeq 1 of the calls that had a 422.
  tshark -r "$cap" "${dec[@]}" -Y 'sip.Method == "INVITE" || sip.Method == "ACK"' -T fields \
    -E separator='|' -E occurrence=f -e sip.Call-ID -e sip.CSeq.seq -e sip.Method \
    -e sip.Via.branch >"$tmp/freq.txt" 2>/dev/null
  ack_same=$(awk -F'|' '$2 == 1 && $3 == "INVITE" { inv[$1] = $4 }
                       $2 == 1 && $3 == "ACK" { ack[$1] = $4 }
                       $2 == 2 && $3 == "INVITE" { retried[$1] = 1 }
                       END { for (c in retried) if (c in inv && ack[c] == inv[c]) n++; print n + 0 }' \
    "$tmp/freq.txt")
  t422=$(wc -l <"$tmp/f422.txt")
  t422_ok=$(awk -F'|' -v m="$MIN_SE" '$2 == m' "$tmp/f422.txt" | wc -l)
  t200=$(wc -l <"$tmp/f200.txt")
  t200_uac=$(awk -F'|' -v m="$MIN_SE;refresher=uac" '$2 == m && $3 == "timer" && $4 != ""' "$tmp/f200.txt" | wc -l)
  t200_uas=$(awk -F'|' -v m="$MIN_SE;refresher=uas" '$2 == m && $3 == "" && $4 != ""' "$tmp/f200.txt" | wc -l)
  if [ -z "$bad" ] && [ "$t422" -ge "$n422" ] && [ "$t422_ok" = "$t422" ] && [ "$ack_same" -ge "$n422" ] &&
    [ "$t200" -ge "$calls" ] && [ $((t200_uac + t200_uas)) = "$t200" ] && [ "$t200_uac" -ge "$n422" ]; then
    pass "tshark: $t422 x 422 with Min-SE $MIN_SE, $ack_same ACKed in the INVITE's transaction (same branch); $t200 x 200 to INVITE with Contact: $t200_uac Session-Expires $MIN_SE;refresher=uac + Require timer, $t200_uas refresher=uas without Require; no malformed packet, no SIP expert warning/error"
  else
    fail "tshark: $t422 x 422 ($t422_ok with Min-SE $MIN_SE, want >= $n422; $ack_same ACKed with the INVITE's branch), $t200 x 200 to INVITE ($t200_uac uac+Require, $t200_uas uas, want >= $calls in all)"
    [ -n "$bad" ] && printf '%s\n' "$bad" | sed 's/^/      | /'
    sed 's/^/      | 422 frame /' "$tmp/f422.txt"
    sed 's/^/      | 200 frame /' "$tmp/f200.txt"
    tshark_show_problems "$cap" "${dec[@]}"
  fi
else
  skip "tshark: no live capture"
fi

interop_summary
