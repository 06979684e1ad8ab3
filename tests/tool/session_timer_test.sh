#!/usr/bin/env bash
# tests/tool/session_timer_test.sh SIPHB - `siphb session-timer`: the
# decision of each role on the peer's headers and the timeline after it,
# compared byte for byte with the expected output (text and --json), the
# error line and exit status 1 of malformed peer values, and exit status 2
# with one message line (and the --help hint) for bad arguments.
#
# What the cases pin (RFC 4028 sections in brackets):
#   uas: a Session-Expires below the local Min-SE is a 422 with it [9]; the
#   UAS's preference names the refresher when the request names none, with
#   Require: timer for refresher=uac; a UAC without Supported: timer gets
#   refresher=uas [9]; proxy: Min-SE raised to its minimum, or 422 [8.1];
#   uac: the retry after a 422 with its Min-SE, the loop guard (a 422 for
#   the value offered is not retried), a 2xx without Session-Expires still
#   refreshed [7.2, 7.3]; timelines: the refresher at half the interval
#   (900000, 1800000, 2700000, 3600000 ms within the hour), the other side's
#   BYE at interval - min(32 s, interval/3) (1768 s) [10], segment mode 3
#   at T/3 and 2T/3, the margin divisor and grace, the hard limits.
set -uo pipefail
siphb=$1
fails=0 checks=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/siphb-st-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() {
  echo "FAIL: $*"
  fails=$((fails + 1))
}

# expect NAME STATUS STDERR ARGS... <<EOF (the exact stdout): one run of
# `siphb session-timer ARGS`, its status, stdout and stderr exact.
expect() {
  local name=$1 want=$2 want_err=$3
  shift 3
  checks=$((checks + 1))
  cat >"$tmp/want"
  [ -n "$want_err" ] && printf '%s\n' "$want_err" >"$tmp/want_err" || : >"$tmp/want_err"
  timeout 20 "$siphb" session-timer "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  local rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "$name: exit $rc, wanted $want ($(head -2 "$tmp/err"))"
  elif ! diff -u "$tmp/want" "$tmp/out" >"$tmp/diff"; then
    fail "$name: stdout differs"
    cat "$tmp/diff"
  elif ! diff -u "$tmp/want_err" "$tmp/err" >"$tmp/diff"; then
    fail "$name: stderr differs"
    cat "$tmp/diff"
  fi
}

# usage NAME PATTERN ARGS...: exit 2, nothing on stdout, the first stderr
# line "siphb: session-timer: ..." containing PATTERN, at most the --help
# hint after it.
usage() {
  local name=$1 pattern=$2
  shift 2
  checks=$((checks + 1))
  timeout 20 "$siphb" session-timer "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  local rc=$?
  if [ "$rc" -ne 2 ] || [ -s "$tmp/out" ] || [ "$(wc -l <"$tmp/err")" -gt 2 ] ||
    ! head -1 "$tmp/err" | grep -q "^siphb: session-timer: " ||
    ! head -1 "$tmp/err" | grep -qF -- "$pattern"; then
    fail "$name: exit $rc (want 2), stderr '$(cat "$tmp/err")' should be one line with '$pattern'"
  fi
}

expect 'uas 422 below the local minimum' 0 '' --role uas --min-se 1800 --peer 'Session-Expires: 90' --peer 'Supported: timer' <<'EOF'
role: uas
decision: 422 reject (Session-Expires below the minimum (section 9))
headers (in the 422):
  Min-SE: 1800
timeline: none (no dialog)
EOF

expect 'uas refresher uac by preference' 0 '' --role uas --refresher uac --peer 'Session-Expires: 1800' --peer 'Supported: timer' <<'EOF'
role: uas
decision: 200 accept (accepted (section 9))
headers (in the 200):
  Supported: timer
  Session-Expires: 1800;refresher=uac
  Require: timer
interval: 1800 s
refresher: uac (the peer refreshes)
timeline (first 1 h, every refresh succeeding):
          0 s  start                         BYE at 1768 s unless refreshed
        900 s  refreshed by the peer         BYE at 2668 s unless refreshed
       1800 s  refreshed by the peer         BYE at 3568 s unless refreshed
       2700 s  refreshed by the peer         BYE at 4468 s unless refreshed
       3600 s  refreshed by the peer         BYE at 5368 s unless refreshed
BYE deadline if the refresh at 4500 s does not come: 5368 s
EOF

expect 'uas without Supported: timer' 0 '' --role uas --refresher uac --peer 'Session-Expires: 1800' --json <<'EOF'
{"role":"uas","decision":"accept","status":200,"reason":"accepted (section 9)","headers":["Supported: timer","Session-Expires: 1800;refresher=uas"],"active":true,"interval":1800,"min_se":90,"refresher":"uas","local_refresher":true,"timeline":[{"t_ms":0,"event":"start","bye_at_ms":1800000},{"t_ms":900000,"event":"refresh","method":"re-INVITE","bye_at_ms":2700000},{"t_ms":1800000,"event":"refresh","method":"re-INVITE","bye_at_ms":3600000},{"t_ms":2700000,"event":"refresh","method":"re-INVITE","bye_at_ms":4500000},{"t_ms":3600000,"event":"refresh","method":"re-INVITE","bye_at_ms":5400000}],"next_refresh_ms":4500000,"bye_deadline_ms":5400000,"hard_limit_ms":null}
EOF

expect 'proxy raising Min-SE' 0 '' --role proxy --min-se 600 --peer 'Session-Expires: 1800' --peer 'Supported: timer' --peer 'Min-SE: 120' <<'EOF'
role: proxy
decision: forward (forwarded (section 8.1))
headers (forwarded):
  Session-Expires: 1800
  Min-SE: 600
interval: 1800 s
refresher: none (the UAs refresh)
timeline (first 1 h, every refresh succeeding):
          0 s  start                         end at 1768 s unless refreshed
        900 s  refresh passing               end at 2668 s unless refreshed
       1800 s  refresh passing               end at 3568 s unless refreshed
       2700 s  refresh passing               end at 4468 s unless refreshed
       3600 s  refresh passing               end at 5368 s unless refreshed
end deadline if the refresh at 4500 s does not come: 5368 s
EOF

expect 'proxy 422' 0 '' --role proxy --min-se 600 --peer 'Session-Expires: 300' --peer 'k: timer' --json <<'EOF'
{"role":"proxy","decision":"reject","status":422,"reason":"Session-Expires below the proxy's minimum (section 8.1)","headers":["Min-SE: 600"],"active":false,"interval":null,"min_se":600,"refresher":null,"local_refresher":false,"timeline":null}
EOF

expect 'uac retry after 422' 0 '' --role uac --se 600 --status 422 --peer 'Min-SE: 1800' <<'EOF'
role: uac
headers (in the INVITE offered):
  Supported: timer
  Session-Expires: 600
response: 422
decision: retry (retry with the 422's Min-SE (sections 7.3, 7.4))
headers (in the new INVITE):
  Supported: timer
  Session-Expires: 1800
  Min-SE: 1800
interval: 1800 s
refresher: none
timeline: none (no dialog)
EOF

expect 'uac loop guard' 0 '' --role uac --status 422 --peer 'Min-SE: 1800' --json <<'EOF'
{"role":"uac","offer":["Supported: timer","Session-Expires: 1800"],"response_status":422,"decision":"give-up","status":null,"reason":"422 for a Min-SE already offered: not retried (loop guard)","headers":[],"active":false,"interval":null,"min_se":null,"refresher":null,"local_refresher":false,"timeline":null}
EOF

expect 'uac 2xx without Session-Expires' 0 '' --role uac --json <<'EOF'
{"role":"uac","offer":["Supported: timer","Session-Expires: 1800"],"response_status":200,"decision":"accept","status":null,"reason":"2xx without Session-Expires: the UAC refreshes anyway (section 7.2)","headers":[],"active":true,"interval":1800,"min_se":90,"refresher":"uac","local_refresher":true,"timeline":[{"t_ms":0,"event":"start","bye_at_ms":1800000},{"t_ms":900000,"event":"refresh","method":"re-INVITE","bye_at_ms":2700000},{"t_ms":1800000,"event":"refresh","method":"re-INVITE","bye_at_ms":3600000},{"t_ms":2700000,"event":"refresh","method":"re-INVITE","bye_at_ms":4500000},{"t_ms":3600000,"event":"refresh","method":"re-INVITE","bye_at_ms":5400000}],"next_refresh_ms":4500000,"bye_deadline_ms":5400000,"hard_limit_ms":null}
EOF

expect 'uac segment mode 3, UPDATE allowed' 0 '' --role uac --segments 3 --peer 'x: 1800;refresher=uac' --peer 'Allow: INVITE, ACK, UPDATE' --json <<'EOF'
{"role":"uac","offer":["Supported: timer","Session-Expires: 1800"],"response_status":200,"decision":"accept","status":null,"reason":"2xx (section 7.2)","headers":["Session-Expires: 1800;refresher=uac"],"active":true,"interval":1800,"min_se":90,"refresher":"uac","local_refresher":true,"timeline":[{"t_ms":0,"event":"start","bye_at_ms":1800000},{"t_ms":600000,"event":"refresh","method":"UPDATE","bye_at_ms":2400000},{"t_ms":1200000,"event":"refresh","method":"UPDATE","bye_at_ms":3000000},{"t_ms":1800000,"event":"refresh","method":"UPDATE","bye_at_ms":3600000},{"t_ms":2400000,"event":"refresh","method":"UPDATE","bye_at_ms":4200000},{"t_ms":3000000,"event":"refresh","method":"UPDATE","bye_at_ms":4800000},{"t_ms":3600000,"event":"refresh","method":"UPDATE","bye_at_ms":5400000}],"next_refresh_ms":4200000,"bye_deadline_ms":5400000,"hard_limit_ms":null}
EOF

expect 'no timer: hard limit' 0 '' --role uas --se 0 --hours 3 <<'EOF'
role: uas
decision: 200 accept (no Session-Expires asked, none wanted: no session timer)
headers (in the 200): none
interval: none (no session timer)
timeline (first 3 h, every refresh succeeding):
          0 s  start                         hard limit at 7200 s
       7200 s  hard limit: BYE
hard limit: BYE at 7200 s
EOF

expect 'bye margin divisor and grace' 0 '' --role uas --se 300 --peer 'SESSION-EXPIRES: 300;refresher=uac' --peer 'k: timer' --bye-margin-divisor 10 --grace 5 --json <<'EOF'
{"role":"uas","decision":"accept","status":200,"reason":"accepted (section 9)","headers":["Supported: timer","Session-Expires: 300;refresher=uac","Require: timer"],"active":true,"interval":300,"min_se":90,"refresher":"uac","local_refresher":false,"timeline":[{"t_ms":0,"event":"start","bye_at_ms":275000},{"t_ms":150000,"event":"peer-refresh","bye_at_ms":425000},{"t_ms":300000,"event":"peer-refresh","bye_at_ms":575000},{"t_ms":450000,"event":"peer-refresh","bye_at_ms":725000},{"t_ms":600000,"event":"peer-refresh","bye_at_ms":875000},{"t_ms":750000,"event":"peer-refresh","bye_at_ms":1025000},{"t_ms":900000,"event":"peer-refresh","bye_at_ms":1175000},{"t_ms":1050000,"event":"peer-refresh","bye_at_ms":1325000},{"t_ms":1200000,"event":"peer-refresh","bye_at_ms":1475000},{"t_ms":1350000,"event":"peer-refresh","bye_at_ms":1625000},{"t_ms":1500000,"event":"peer-refresh","bye_at_ms":1775000},{"t_ms":1650000,"event":"peer-refresh","bye_at_ms":1925000},{"t_ms":1800000,"event":"peer-refresh","bye_at_ms":2075000},{"t_ms":1950000,"event":"peer-refresh","bye_at_ms":2225000},{"t_ms":2100000,"event":"peer-refresh","bye_at_ms":2375000},{"t_ms":2250000,"event":"peer-refresh","bye_at_ms":2525000},{"t_ms":2400000,"event":"peer-refresh","bye_at_ms":2675000},{"t_ms":2550000,"event":"peer-refresh","bye_at_ms":2825000},{"t_ms":2700000,"event":"peer-refresh","bye_at_ms":2975000},{"t_ms":2850000,"event":"peer-refresh","bye_at_ms":3125000},{"t_ms":3000000,"event":"peer-refresh","bye_at_ms":3275000},{"t_ms":3150000,"event":"peer-refresh","bye_at_ms":3425000},{"t_ms":3300000,"event":"peer-refresh","bye_at_ms":3575000},{"t_ms":3450000,"event":"peer-refresh","bye_at_ms":3725000},{"t_ms":3600000,"event":"peer-refresh","bye_at_ms":3875000}],"next_refresh_ms":3750000,"bye_deadline_ms":3875000,"hard_limit_ms":null}
EOF

expect 'max duration' 0 '' --role uac --peer 'Session-Expires: 1800' --max-duration 3000 <<'EOF'
role: uac
headers (in the INVITE offered):
  Supported: timer
  Session-Expires: 1800
response: 200
decision: timer in force (2xx (section 7.2))
headers (the timer in force):
  Session-Expires: 1800;refresher=uac
interval: 1800 s
refresher: uac (we refresh)
timeline (first 1 h, every refresh succeeding):
          0 s  start                         BYE at 1800 s unless refreshed
        900 s  refresh (re-INVITE)           BYE at 2700 s unless refreshed
       1800 s  refresh (re-INVITE)           BYE at 3600 s unless refreshed
       2700 s  refresh (re-INVITE)           BYE at 4500 s unless refreshed
       3000 s  hard limit: BYE
hard limit: BYE at 3000 s
EOF

expect 'uac non-2xx' 0 '' --role uac --status 486 <<'EOF'
role: uac
headers (in the INVITE offered):
  Supported: timer
  Session-Expires: 1800
response: 486
decision: no timer (no 2xx: no session timer)
headers: none
interval: none (no session timer)
timeline: none (no dialog)
EOF

expect 'malformed: abc' 1 'error: Session-Expires: abc: SIPHB_ERR_SIP_NUMBER: Session-Expires without delta-seconds' --role uas --peer 'Session-Expires: abc' --peer 'Supported: timer' <<'EOF'
role: uas
decision: 400 reject (malformed Session-Expires or Min-SE)
headers (in the 400): none
timeline: none (no dialog)
EOF

expect 'malformed: overflow' 1 'error: Session-Expires: 4294967296: SIPHB_ERR_SIP_NUMBER: Session-Expires above 4294967295 s' --role uas --peer 'Session-Expires: 4294967296' --peer 'Supported: timer' --json <<'EOF'
{"role":"uas","error":{"header":"Session-Expires: 4294967296","code":"SIPHB_ERR_SIP_NUMBER","message":"Session-Expires above 4294967295 s"},"decision":"reject","status":400,"reason":"malformed Session-Expires or Min-SE","headers":[],"active":false,"interval":null,"min_se":null,"refresher":null,"local_refresher":false,"timeline":null}
EOF

expect 'malformed: below 90' 1 'error: Session-Expires: 60: SIPHB_ERR_SIP_SESSION_INTERVAL: Session-Expires below 90 s (RFC 4028 section 4)' --role uas --peer 'Session-Expires: 60' --peer 'Supported: timer' <<'EOF'
role: uas
decision: 422 reject (Session-Expires below the minimum (section 9))
headers (in the 422):
  Min-SE: 90
timeline: none (no dialog)
EOF

expect 'malformed: refresher=bad' 1 'error: Session-Expires: 600;refresher=bad: SIPHB_ERR_SIP_REFRESHER: refresher is neither uac nor uas' --role proxy --peer 'Session-Expires: 600;refresher=bad' --json <<'EOF'
{"role":"proxy","error":{"header":"Session-Expires: 600;refresher=bad","code":"SIPHB_ERR_SIP_REFRESHER","message":"refresher is neither uac nor uas"},"decision":"reject","status":400,"reason":"malformed Session-Expires or Min-SE","headers":[],"active":false,"interval":null,"min_se":null,"refresher":null,"local_refresher":false,"timeline":null}
EOF

expect 'malformed: Min-SE below 90 in a 422' 1 'error: Min-SE: 60: SIPHB_ERR_SIP_SESSION_INTERVAL: Min-SE below 90 s (RFC 4028 section 5)' --role uac --status 422 --peer 'Min-SE: 60' <<'EOF'
role: uac
headers (in the INVITE offered):
  Supported: timer
  Session-Expires: 1800
response: 422
decision: give up (422 without a usable Min-SE (section 7.3): not retried)
headers: none
timeline: none (no dialog)
EOF

expect 'malformed: Session-Expires twice' 1 'error: x: 900: SIPHB_ERR_SIP_MULTIPLE_VALUES: single-valued header given twice' --role uas --peer 'Session-Expires: 600' --peer 'x: 900' --peer 'Supported: timer' <<'EOF'
role: uas
decision: 400 reject (malformed Session-Expires or Min-SE)
headers (in the 400): none
timeline: none (no dialog)
EOF

expect 'no timer, no hard limit' 0 '' --role uas --se 0 --max-duration-no-timer 0 <<'EOF'
role: uas
decision: 200 accept (no Session-Expires asked, none wanted: no session timer)
headers (in the 200): none
interval: none (no session timer)
timeline (first 1 h, every refresh succeeding):
          0 s  start
no deadline: the call lasts until a BYE
EOF

# The timelines' numbers on their own, so that a change of layout does not
# hide them: the refresher's points within the hour, the other side's BYE.
checks=$((checks + 1))
"$siphb" session-timer --role uas --peer 'Session-Expires: 1800' --peer 'Supported: timer' \
  --json >"$tmp/out" 2>&1
grep -o '"t_ms":[0-9]*,"event":"refresh"' "$tmp/out" | tr -dc '0-9\n' >"$tmp/points"
printf '900000\n1800000\n2700000\n3600000\n' | diff -u - "$tmp/points" >/dev/null ||
  fail "refresher points: $(tr '\n' ' ' <"$tmp/points")"
checks=$((checks + 1))
"$siphb" session-timer --role uas --refresher uac --peer 'Session-Expires: 1800' \
  --peer 'Supported: timer' --json >"$tmp/out" 2>&1
grep -q '{"t_ms":0,"event":"start","bye_at_ms":1768000}' "$tmp/out" ||
  fail "non-refresher BYE at 1768 s: $(cat "$tmp/out")"
checks=$((checks + 1))
"$siphb" session-timer --role uas --se 3600 --peer 'Session-Expires: 3600;refresher=uas' \
  --peer 'Supported: timer' --segments 3 --json >"$tmp/out" 2>&1
grep -o '"t_ms":[0-9]*,"event":"refresh"' "$tmp/out" | tr -dc '0-9\n' >"$tmp/points"
printf '1200000\n2400000\n3600000\n' | diff -u - "$tmp/points" >/dev/null ||
  fail "segment mode 3 of 3600 s: $(tr '\n' ' ' <"$tmp/points")"
checks=$((checks + 1))
out=$("$siphb" session-timer --role uas --se 0 --hours 3 --json 2>&1)
case $out in
*'{"t_ms":7200000,"event":"hard-limit","bye_at_ms":null}'*'"hard_limit_ms":7200000}') ;;
*) fail "no-timer hard limit at 7200 s: $out" ;;
esac

# Bad arguments: exit 2, one line.
usage "unknown role" "unknown role 'b2bua'" --role b2bua
usage "no role" "--role uac, uas or proxy is required" --se 1800
usage "non-numeric --se" "--se wants seconds (0 = no timer), got 'abc'" --role uas --se abc
usage "--min-se below 90" "--min-se wants seconds (at least 90), got '60'" --role uas --min-se 60
usage "--se below --min-se" "--se 600 is below --min-se 900" --role uas --se 600 --min-se 900
usage "--peer without a colon" "--peer 'Session-Expires 600' has no colon" --role uas \
  --peer 'Session-Expires 600'
usage "--peer without a name" "--peer ': 600' has no header name" --role uas --peer ': 600'
usage "--peer without a value" "--peer needs 'Name: value'" --role uas --peer
usage "--segments 1" "--segments wants 0 or 2-10, got '1'" --role uas --segments 1
usage "--segments 11" "--segments wants 0 or 2-10, got '11'" --role uas --segments 11
usage "--refresher" "--refresher wants uac, uas or any" --role uas --refresher both
usage "--status range" "--status wants 200-699, got '100'" --role uac --status 100
usage "--status for uas" "--status is for --role uac" --role uas --status 486
usage "--hours 0" "--hours wants 1-168, got '0'" --role uas --hours 0
usage "--grace overflow" "--grace wants seconds, got '4294968'" --role uas --grace 4294968
usage "--bye-margin-divisor 0" "--bye-margin-divisor wants 1-100, got '0'" --role uas \
  --bye-margin-divisor 0
usage "unknown option" "unknown option '--verbose'" --role uas --verbose
usage "an argument" "unexpected argument 'INVITE'" --role uas INVITE

checks=$((checks + 1))
"$siphb" session-timer --help >"$tmp/out" 2>&1 && grep -q '^Usage: siphb session-timer' "$tmp/out" ||
  fail "--help"

echo "session-timer: $checks checks, $fails failed"
[ "$fails" -eq 0 ]
