#!/usr/bin/env bash
# scripts/deps.sh - make sure the Debian packages a script needs are installed.
#
#   . scripts/deps.sh; siphb_deps_ensure cmake gcc ... || exit 1   (sourced)
#   scripts/deps.sh cmake gcc ...                                  (called)
#
# Packages already installed are left alone (checked with dpkg-query). As
# root, the missing ones are installed with apt-get (running `apt-get update`
# only when the package lists are missing, do not know a package, or are too
# stale for the install to succeed), with /usr/sbin/policy-rc.d in place
# during the install so that no installed daemon starts by itself (and
# removed or restored afterwards). Not as root, it prints which
# packages are missing and the command to run, and fails (exit status 1).

siphb_deps_missing() {
  local p status
  for p in "$@"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$status" = "installed" ] || printf '%s\n' "$p"
  done
}

# Installing a package with a daemon must not start it: invoke-rc.d asks
# /usr/sbin/policy-rc.d, and exit status 101 means "action forbidden". The
# policy is put in place for the install only: one this script creates is
# removed afterwards, someone else's is put back, one that already forbids
# everything is left alone. (The test scripts start their peers themselves,
# with configs they write.) SIPHB_POLICY_RC_D overrides the path (tests).
_siphb_policy_rc_d=${SIPHB_POLICY_RC_D:-/usr/sbin/policy-rc.d}
_siphb_policy_rc_d_restore=""
_siphb_policy_rc_d_created=0
_siphb_policy_rc_d_ensure() {
  local f=$_siphb_policy_rc_d rc=0
  _siphb_policy_rc_d_restore=""
  _siphb_policy_rc_d_created=0
  if [ ! -e "$f" ]; then
    printf '#!/bin/sh\n# siphb scripts/deps.sh, during apt-get install only: no daemon starts.\nexit 101\n' >"$f"
    chmod 755 "$f"
    _siphb_policy_rc_d_created=1
    return
  fi
  "$f" >/dev/null 2>&1 || rc=$?
  if [ "$rc" -ne 101 ]; then
    # Someone else's policy: replaced for the duration of the install.
    _siphb_policy_rc_d_restore=$(mktemp "$f.siphb.XXXXXX")
    cp -p "$f" "$_siphb_policy_rc_d_restore"
    printf '#!/bin/sh\nexit 101\n' >"$f"
    chmod 755 "$f"
  fi
}
_siphb_policy_rc_d_done() {
  if [ "$_siphb_policy_rc_d_created" = 1 ]; then
    rm -f "$_siphb_policy_rc_d"
    _siphb_policy_rc_d_created=0
  elif [ -n "$_siphb_policy_rc_d_restore" ]; then
    mv -f "$_siphb_policy_rc_d_restore" "$_siphb_policy_rc_d"
    _siphb_policy_rc_d_restore=""
  fi
}

_siphb_apt_needs_update() {
  local p
  # No package lists at all (fresh container).
  compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null || return 0
  # A package apt does not know about, or knows no installable version of.
  for p in "$@"; do
    apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [^(]' || return 0
  done
  return 1
}

# apt-get install of the packages given (as root): refreshes the lists first
# when they cannot serve the install, and once more when it fails on stale
# lists. Returns apt-get's status.
_siphb_apt_install() {
  local rc=0 updated=0
  export DEBIAN_FRONTEND=noninteractive
  if _siphb_apt_needs_update "$@"; then
    apt-get update -qq || true
    updated=1
  fi
  apt-get install -y -qq --no-install-recommends "$@" </dev/null || rc=$?
  if [ "$rc" -ne 0 ] && [ "$updated" -eq 0 ]; then
    # Stale lists (e.g. 404 on a superseded version): refresh and retry once.
    rc=0
    apt-get update -qq || true
    apt-get install -y -qq --no-install-recommends "$@" </dev/null || rc=$?
  fi
  return "$rc"
}

siphb_deps_ensure() {
  local missing rc=0
  missing=$(siphb_deps_missing "$@" | tr '\n' ' ')
  missing=${missing% }
  [ -n "$missing" ] || return 0

  if [ "$(id -u)" -ne 0 ]; then
    echo "deps: missing Debian packages: $missing" >&2
    echo "deps: install them with:" >&2
    echo "  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing" >&2
    return 1
  fi

  echo "deps: installing $missing"
  # A subshell, so that the policy goes however the install ends (an error,
  # Ctrl-C) without touching the caller's own traps.
  (
    trap _siphb_policy_rc_d_done EXIT
    trap 'exit 130' INT TERM
    _siphb_policy_rc_d_ensure
    # shellcheck disable=SC2086  # one word per package
    _siphb_apt_install $missing
  ) || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "deps: apt-get install failed (status $rc) for: $missing" >&2
    return 1
  fi
  missing=$(siphb_deps_missing "$@" | tr '\n' ' ')
  if [ -n "$missing" ]; then
    echo "deps: still missing after install: $missing" >&2
    return 1
  fi
}

# Called rather than sourced: ensure the packages given as arguments.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  if [ "$#" -eq 0 ]; then
    echo "usage: $0 PACKAGE..." >&2
    exit 2
  fi
  siphb_deps_ensure "$@" || exit 1
fi
