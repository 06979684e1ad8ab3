#!/usr/bin/env bash
# bench/kamailio_ping.sh - CPU time per OPTIONS ping: siphb's probes beside
# Kamailio's dispatcher, in one run, on one loopback responder.
#
#   bench/kamailio_ping.sh BUILD_DIR [DESTINATIONS [SECONDS]]
#   e.g. bench/kamailio_ping.sh build-bench 1000 20
#
# BUILD_DIR has bench_probe_udp (-DSIPHB_BUILD_BENCH=ON) and
# tests/interop/sip_options_responder (-DSIPHB_BUILD_TESTS=ON); it may be
# two dirs "BENCH_DIR:TEST_DIR". Needs the Debian package kamailio.
#
# The responder (siphb's codec, one process) answers every OPTIONS with a
# 200. Kamailio (dispatcher with ds_probing_mode=1 and ds_ping_interval=1:
# every destination pinged every second, through tm) pings DESTINATIONS
# destinations on it; its processes' CPU time (utime + stime from
# /proc/PID/stat) over SECONDS is divided by the pings the responder saw in
# that time. Then bench_probe_udp runs as many probes, interval 1 s, on the
# same responder, measured with getrusage over the same time, once waking
# at every deadline (--slack 0) and on a coarse tick as the dispatcher does
# (--slack 100: a 100 ms tick; a 1 s tick bursts all the requests at once
# and overflows the responder's socket buffer). Both sides pay their system
# calls; neither counts the responder. Prints the figures and the ratios.
set -uo pipefail

[ "$#" -ge 1 ] || { echo "usage: $0 BUILD_DIR[:TEST_DIR] [DESTINATIONS [SECONDS]]" >&2; exit 2; }
bench_dir=${1%%:*}
test_dir=${1#*:}
n=${2:-1000}
secs=${3:-20}
udp=$bench_dir/bench/bench_probe_udp
responder=$test_dir/tests/interop/sip_options_responder
for x in "$udp" "$responder"; do
  [ -x "$x" ] || { echo "kamailio_ping.sh: $x is not built" >&2; exit 2; }
done
command -v kamailio >/dev/null || { echo "kamailio_ping.sh: kamailio not found (scripts/deps.sh kamailio)" >&2; exit 2; }
modpath=$(dirname "$(dpkg -L kamailio 2>/dev/null | grep -m1 '/modules/tm\.so$')" 2>/dev/null)
[ -n "$modpath" ] || modpath=/usr/lib/x86_64-linux-gnu/kamailio/modules

tmp=$(mktemp -d)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null; done
  sleep 0.3
  for p in "${pids[@]}"; do kill -KILL -- "-$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { # a UDP port nobody uses on 127.0.0.1
  local p
  for p in $(seq $((20000 + RANDOM % 20000)) 60000); do
    ss -Huln "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return; }
  done
}
resp_port=$(free_port)
kam_port=$(free_port)
[ "$kam_port" = "$resp_port" ] && kam_port=$((resp_port + 1))

# The responder prints a line per request: the ping count.
timeout $((secs * 3 + 60)) "$responder" --listen "127.0.0.1:$resp_port" --transport udp \
  --timeout $((secs * 3 + 50)) >"$tmp/resp.log" 2>&1 &
pids+=($!)
sleep 0.5
grep -q listening "$tmp/resp.log" || { echo "kamailio_ping.sh: the responder did not start" >&2; exit 1; }

for i in $(seq 1 "$n"); do echo "1 sip:d$i@127.0.0.1:$resp_port 0 0"; done >"$tmp/ds.list"
cat >"$tmp/kamailio.cfg" <<CFG
#!KAMAILIO
# Written by siphb bench/kamailio_ping.sh: the dispatcher pinging its list.
debug=1
log_stderror=yes
fork=yes
children=1
dns=no
rev_dns=no
auto_aliases=no
listen=udp:127.0.0.1:$kam_port
mpath="$modpath/"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "dispatcher.so"
modparam("tm", "fr_timer", 5000)
modparam("dispatcher", "list_file", "$tmp/ds.list")
modparam("dispatcher", "ds_ping_interval", 1)
modparam("dispatcher", "ds_probing_mode", 1)
modparam("dispatcher", "ds_probing_threshold", 1)
modparam("dispatcher", "ds_ping_from", "sip:ping@127.0.0.1")
request_route { sl_send_reply("404", "Not here"); }
CFG

kam_cpu() { # CPU ticks of every process of this Kamailio
  local t=0 p f
  for p in $(pgrep -f "kamailio -f $tmp/kamailio.cfg"); do
    [ -r "/proc/$p/stat" ] || continue
    read -r -a f <"/proc/$p/stat" || continue
    [ "${f[1]}" = "(kamailio)" ] && t=$((t + f[13] + f[14]))
  done
  echo "$t"
}
timeout $((secs + 30)) kamailio -f "$tmp/kamailio.cfg" -D -E >"$tmp/kam.log" 2>&1 &
kam=$!
pids+=("$kam")
sleep 3
tck=$(getconf CLK_TCK)
c0=$(kam_cpu)
l0=$(wc -l <"$tmp/resp.log")
sleep "$secs"
c1=$(kam_cpu)
l1=$(wc -l <"$tmp/resp.log")
kill -TERM -- "-$kam" 2>/dev/null || kill -TERM "$kam"
wait "$kam" 2>/dev/null
sleep 1
kam_pings=$((l1 - l0))
[ "$kam_pings" -gt 0 ] || { echo "kamailio_ping.sh: Kamailio sent no ping"; tail "$tmp/kam.log"; exit 1; }
kam_ns=$(( (c1 - c0) * (1000000000 / tck) / kam_pings ))
echo "kamailio $(kamailio -v 2>/dev/null | head -1 | sed 's/^version: //')"
echo "  destinations $n  pings $kam_pings in ${secs} s  cpu $(( (c1 - c0) * 1000 / tck )) ms  ${kam_ns} ns per ping"

rc=0
for slack in 0 100; do
  line=$("$udp" --target "127.0.0.1:$resp_port" --probes "$n" --interval 1000 --seconds "$secs" \
    --warmup 3 --slack "$slack") || rc=1
  ns=$(sed -n 's/.*ns_per_round \([0-9]*\).*/\1/p' <<<"$line")
  echo "siphb  $line"
  [ -n "$ns" ] && [ "$ns" -gt 0 ] &&
    echo "  kamailio / siphb (slack $slack ms): $(awk -v k="$kam_ns" -v s="$ns" 'BEGIN { printf "%.2f", k / s }')x"
done
exit "$rc"
