# tests/tool/lib.sh - what the tool tests that run servers on the loopback
# (probe_test.sh, crlf_test.sh) share; sourced, never run.
#
#   tool=$1; tool_cmd=(probe); . "$here/lib.sh"; tool_test_init probe
#
# tool_test_init makes the temp dir ($tmp) and installs the EXIT trap that
# stops every server in $pids and removes $tmp. Checks count through ok and
# bad; `run` runs the tool, `start_server` a python3 server of this folder.

py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3)
pids=()
passed=0 failed=0

tool_test_init() { # NAME
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/siphb-$1-test.XXXXXX")
  trap tool_test_cleanup EXIT
}
tool_test_cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$tmp"
}

ok() { passed=$((passed + 1)); }
bad() {
  failed=$((failed + 1))
  printf 'FAIL: %s\n' "$*"
  sed 's/^/  | /' "$tmp/out" "$tmp/err" 2>/dev/null | head -n 12
}

# run SECS ARGS...: `$tool ${tool_cmd[@]} ARGS` under timeout; status in
# $rc, output in $tmp/out and $tmp/err.
run() {
  local secs=$1
  shift
  rc=0
  timeout "$secs" "$tool" "${tool_cmd[@]}" "$@" </dev/null >"$tmp/out" 2>"$tmp/err" || rc=$?
}

# start_server NAME SCRIPT ARGS...: tests/tool/SCRIPT PORTFILE ARGS in the
# background (at most 30 s); once it has written the port it picked to
# PORTFILE, sets PORT and returns 0; else says so and returns 1.
start_server() {
  local f=$tmp/port-$1 log=$tmp/srv-$1.log script=$2 i
  shift 2
  timeout 30 "$py" "$here/$script" "$f" "$@" >"$log" 2>&1 </dev/null &
  pids+=($!)
  PORT=
  for ((i = 0; i < 50; i++)); do
    [ -s "$f" ] && { PORT=$(cat "$f"); return 0; }
    sleep 0.1
  done
  echo "FAIL: server $1 ($script) did not start"
  cat "$log"
  return 1
}

# usage_case WANT ARGS...: exit 2, nothing on stdout, and at most two lines
# on stderr (the error and the --help hint), the first containing WANT.
usage_case() {
  local want=$1
  shift
  run 5 "$@"
  if [ "$rc" -ne 2 ] || ! head -1 "$tmp/err" | grep -qF -- "$want" || [ -s "$tmp/out" ] ||
    [ "$(wc -l <"$tmp/err")" -gt 2 ]; then
    bad "${tool_cmd[*]} $*: exit $rc (want 2), stderr should start with a line containing '$want'"
  else
    ok
  fi
}

# sigterm_run PATTERN N ARGS...: `$tool ${tool_cmd[@]} ARGS` in the
# background until N lines of its stdout match PATTERN (5 s at most), then
# SIGTERM to the tool itself, not through timeout: timeout would follow it
# with SIGCONT to its process group, and a SIGCONT that lands while
# LeakSanitizer (the ASan build) stops the exiting tool cancels that stop
# and leaves its check waiting forever (as in serve_test.sh). Waits 5 s at
# most for the exit, then KILL to the group; status in $rc, output in
# $tmp/out and $tmp/err.
sigterm_run() {
  local pat=$1 want=$2 pid child i
  shift 2
  timeout 30 "$tool" "${tool_cmd[@]}" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null &
  pid=$!
  for ((i = 0; i < 50; i++)); do
    [ "$(grep -c -- "$pat" "$tmp/out")" -ge "$want" ] && break
    sleep 0.1
  done
  child=$(pgrep -P "$pid" | head -1)
  kill -TERM "${child:-$pid}" 2>/dev/null
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && { kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"; }
  wait "$pid"
  rc=$?
}
