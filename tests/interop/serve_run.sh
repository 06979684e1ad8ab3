#!/usr/bin/env bash
# tests/interop/serve_run.sh - loopback interop of `siphb serve` with sipp
# as the UAC, and tshark.
#
#   tests/interop/serve_run.sh BUILD_DIR     e.g. tests/interop/serve_run.sh build/gcc
#
# Needs the Debian packages sip-tester (sipp) and tshark (stage i of
# scripts/test.sh installs them) and, for the live capture, root.
#
# What it checks, on 127.0.0.1 and ::1 (when the loopback has it), on ports
# it picks:
#   1. sipp as a UAC gets a 200 for every OPTIONS it sends to `siphb serve`
#      over UDP and TCP, IPv4 and IPv6; its scenarios check the response's
#      top Via (regexps on the Via header, a failed one fails the call):
#      - Via with an empty rport: the answer has rport=<port> and
#        received=<sipp's address> (RFC 3581 section 4);
#      - Via with a host name as sent-by and no rport: the answer has
#        received=<sipp's address> and no rport (RFC 3261 section 18.2.1);
#   2. `siphb serve --json` logged every one of those requests as answered
#      with 200, and its summary after SIGTERM says so;
#   3. tshark dissects the live capture: no malformed packet, no SIP expert
#      warning or error, and every 200 carries Via received (and rport for
#      the rport scenario).
# One PASS/FAIL/SKIP line per check, a summary, exit 0 only if nothing
# failed. Every process started here runs under `timeout`, and the EXIT trap
# stops what is left by PID. SIPHB_INTEROP_KEEP=1 keeps the temp dir.
set -uo pipefail

interop_name=serve_run.sh
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
interop_args "$@"
interop_need "sip-tester tshark" "$build/tools/siphb/siphb" sipp tshark ss timeout
tool=$build/tools/siphb/siphb
interop_init 48
port; SRV=$PORT
calls=3

serve_start "siphb serve" " (the sipp scenarios still check the Via)" --json
up=$serve_up

# ---- the scenarios: regexps on the Via of the 200 (lib.sh: sipp_options_uac) ----
ereg() { # N REGEXP
  printf '      <ereg regexp="%s" search_in="hdr" header="Via:" check_it="true" assign_to="%s"/>\n' "$2" "$1"
}
for fam in "${families[@]}"; do
  if [ "$fam" = v4 ]; then rx='127\.0\.0\.1'; else rx='::1'; fi
  # RFC 3581: an empty rport gets the port, and received= although the
  # address is sent-by's.
  sipp_options_uac "$tmp/uac-rport-$fam.xml" '[local_ip]:[local_port]' ';rport' \
    "$(ereg 1 ';rport=[0-9]+(;|$)')
$(ereg 2 ";received=$rx(;|\$)")" 1,2
  # RFC 3261 section 18.2.1: a host name as sent-by gets received=; no
  # rport asked, none given.
  sipp_options_uac "$tmp/uac-host-$fam.xml" 'sipp.invalid:[local_port]' '' \
    "$(ereg 1 "^ *SIP/2\.0/(UDP|TCP) sipp\.invalid:[0-9]+;branch=[^;]+;received=$rx\$")
$(ereg 2 ';received=')" 1,2
done

total=0
if [ "$up" = 1 ]; then
  for fam in "${families[@]}"; do
    if [ "$fam" = v4 ]; then ip=127.0.0.1 target=127.0.0.1:$SRV; else ip=::1 target="[::1]:$SRV"; fi
    for t in udp tcp; do
      for sc in rport host; do
        name=$sc-$t-$fam
        if sipp_uac "$name" "$tmp/uac-$sc-$fam.xml" "${t:0:1}1" "$ip" "$target" "$calls"; then
          pass "sipp UAC -> siphb serve $target over $t, Via $sc: $SIPP_SUMMARY"
        else
          fail "sipp UAC -> siphb serve $target over $t, Via $sc: $SIPP_SUMMARY"
          show "$tmp/sipp-$name.log" 12
          show "$tmp/sipp-$name-errors.log" 12
        fi
        total=$((total + calls))
      done
    done
  done
fi

# ---- what siphb serve says ------------------------------------------------------
stop_bg TERM "$serve_pid"
serve_rc=$RC
summary=$(grep '^siphb: serve: ' "$tmp/serve.out" | tail -1)
answered=$(grep -c '"kind":"options","method":"OPTIONS","action":"answered","status":200' "$tmp/serve.out")
if [ "$up" = 1 ] && [ "$serve_rc" = 0 ] && [ "$answered" -ge "$total" ] &&
  [[ $summary == *"received $answered (options $answered,"* ]]; then
  pass "siphb serve: exit 0 after SIGTERM, $answered OPTIONS answered 200 in its JSON lines; $summary"
else
  fail "siphb serve: exit $serve_rc, $answered of $total OPTIONS answered in its JSON lines; ${summary:-no summary}"
  show "$tmp/serve.out"
fi

# ---- tshark ---------------------------------------------------------------------
stop_capture
if [ "$capture_ok" = 1 ] && [ -s "$cap" ]; then
  dec=(-d "udp.port==$SRV,sip" -d "tcp.port==$SRV,sip")
  bad=$(tshark_problems live "$cap" SIP "${dec[@]}")
  tshark -r "$cap" "${dec[@]}" -Y 'sip.Status-Code == 200' -T fields -E separator='|' \
    -E occurrence=f -e frame.number -e sip.Via.received -e sip.Via.rport -e sip.Via.sent-by.address \
    >"$tmp/fields.txt" 2>/dev/null
  n200=$(wc -l <"$tmp/fields.txt")
  no_received=$(awk -F'|' '$2 == ""' "$tmp/fields.txt" | wc -l)
  with_rport=$(awk -F'|' '$3 != ""' "$tmp/fields.txt" | wc -l)
  if [ -z "$bad" ] && [ "$n200" -ge "$total" ] && [ "$no_received" = 0 ] &&
    [ "$with_rport" -ge $((total / 2)) ]; then
    pass "tshark: $n200 200s dissected, every one with Via received, $with_rport with rport; no malformed packet, no SIP expert warning/error"
  else
    fail "tshark: $n200 200s (want >= $total), $no_received without received, $with_rport with rport (want >= $((total / 2)))"
    [ -n "$bad" ] && printf '%s\n' "$bad" | sed 's/^/      | /'
    tshark_show_problems "$cap" "${dec[@]}"
  fi
else
  skip "tshark: no live capture"
fi

interop_summary
