#!/usr/bin/env bash
# tests/tool/deps_test.sh - scripts/deps.sh, with apt-get, dpkg-query,
# apt-cache and id replaced by fakes on PATH and the policy file in a temp
# dir (SIPHB_POLICY_RC_D): during the install a policy that forbids every
# daemon start (exit 101) is in place; afterwards one deps.sh created is
# gone, someone else's is back as it was, one that already forbade starts
# is untouched, also when apt-get fails; without root nothing is installed
# and the command to run is printed.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/siphb-deps-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fake=$tmp/bin
mkdir -p "$fake"
policy=$tmp/policy-rc.d
failures=0
check() { # description, then a command that must succeed
  local what=$1
  shift
  if "$@"; then echo "PASS $what"; else echo "FAIL $what"; failures=$((failures + 1)); fi
}

# dpkg-query: a package is installed once the fake apt-get made its marker.
cat >"$fake/dpkg-query" <<'FAKE'
#!/bin/sh
for p; do :; done
[ -e "$FAKE_STATE/installed-$p" ] && printf installed || printf not-installed
FAKE
cat >"$fake/apt-cache" <<'FAKE'
#!/bin/sh
echo "  Candidate: 1.0"
FAKE
# apt-get: records what the policy said while it ran; FAKE_APT_FAIL fails it.
cat >"$fake/apt-get" <<'FAKE'
#!/bin/sh
[ "$1" = update ] && exit 0
if [ -x "$SIPHB_POLICY_RC_D" ]; then
  "$SIPHB_POLICY_RC_D" >/dev/null 2>&1
  echo "policy exit $?" >>"$FAKE_STATE/during"
else
  echo "no policy" >>"$FAKE_STATE/during"
fi
[ -n "${FAKE_APT_FAIL:-}" ] && exit 100
for p; do case $p in -*) ;; *) : >"$FAKE_STATE/installed-$p" ;; esac; done
exit 0
FAKE
cat >"$fake/id" <<'FAKE'
#!/bin/sh
echo "${FAKE_UID:-0}"
FAKE
chmod 755 "$fake"/*

run_deps() { # runs siphb_deps_ensure fakepkg; output in $tmp/out
  rm -rf "$tmp/state"
  mkdir -p "$tmp/state"
  PATH="$fake:$PATH" FAKE_STATE=$tmp/state SIPHB_POLICY_RC_D=$policy \
    bash -c '. "$1/scripts/deps.sh"; siphb_deps_ensure fakepkg' _ "$root" >"$tmp/out" 2>&1
}
during() { [ "$(cat "$tmp/state/during" 2>/dev/null)" = "$1" ]; }

# 1. no policy before
rm -f "$policy"
check "no policy before: the install succeeds" run_deps
check "no policy before: one forbidding starts during the install" during "policy exit 101"
check "no policy before: none after" test ! -e "$policy"

# 2. someone else's policy (allows starts)
printf '#!/bin/sh\n# the admin'"'"'s\nexit 0\n' >"$policy"
chmod 755 "$policy"
cp -p "$policy" "$tmp/theirs"
check "their policy: the install succeeds" run_deps
check "their policy: replaced by one forbidding starts during the install" during "policy exit 101"
check "their policy: back as it was after" cmp -s "$policy" "$tmp/theirs"
check "their policy: no copy left behind" test -z "$(ls "$tmp" | grep 'policy-rc.d.siphb' || true)"

# 3. a policy that already forbids starts: untouched
printf '#!/bin/sh\nexit 101\n' >"$policy"
chmod 755 "$policy"
touch -d '2001-01-01' "$policy"
check "forbidding policy: the install succeeds" run_deps
check "forbidding policy: in place during the install" during "policy exit 101"
check "forbidding policy: untouched after" test "$(stat -c %Y "$policy")" = "$(date -d 2001-01-01 +%s)"

# 4. apt-get fails: the policy deps.sh made is still removed
rm -f "$policy"
FAKE_APT_FAIL=1 run_deps && check "failing apt-get: reported" false
check "failing apt-get: reported" grep -q 'apt-get install failed' "$tmp/out"
check "failing apt-get: no policy left" test ! -e "$policy"

# 5. not root: nothing installed, the command printed
FAKE_UID=1000 run_deps && check "not root: fails" false
check "not root: names the package and the command" grep -q 'apt-get install -y --no-install-recommends fakepkg' "$tmp/out"
check "not root: apt-get never ran" test ! -e "$tmp/state/during"
check "not root: no policy made" test ! -e "$policy"

if [ "$failures" -ne 0 ]; then
  echo "deps_test.sh: $failures check(s) FAILED"
  exit 1
fi
echo "deps_test.sh: all checks passed"
