#!/usr/bin/env bash
# scripts/deps.sh - make sure the Debian packages a script needs are installed.
#
#   . scripts/deps.sh; siphb_deps_ensure cmake gcc ... || exit 1   (sourced)
#   scripts/deps.sh cmake gcc ...                                  (called)
#
# Packages already installed are left alone (checked with dpkg-query). As
# root, the missing ones are installed with apt-get (running `apt-get update`
# only when the package lists are missing, do not know a package, or are too
# stale for the install to succeed), with /usr/sbin/policy-rc.d in place so
# that no installed daemon starts by itself. Not as root, it prints which
# packages are missing and the command to run, and fails (exit status 1).

siphb_deps_missing() {
  local p status
  for p in "$@"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$status" = "installed" ] || printf '%s\n' "$p"
  done
}

# Installing a package with a daemon must not start it: invoke-rc.d asks
# /usr/sbin/policy-rc.d, and exit status 101 means "action forbidden".
_siphb_policy_rc_d_restore=""
_siphb_policy_rc_d_ensure() {
  local f=/usr/sbin/policy-rc.d rc=0
  if [ ! -e "$f" ]; then
    printf '#!/bin/sh\n# Created by siphb scripts/deps.sh: never start daemons on install.\nexit 101\n' >"$f"
    chmod 755 "$f"
    echo "deps: created $f (exit 101: installed daemons do not start)"
    return
  fi
  "$f" >/dev/null 2>&1 || rc=$?
  if [ "$rc" -ne 101 ]; then
    # Someone else's policy: replace it for the duration of the install only.
    _siphb_policy_rc_d_restore=$(mktemp /usr/sbin/policy-rc.d.siphb.XXXXXX)
    cp -p "$f" "$_siphb_policy_rc_d_restore"
    printf '#!/bin/sh\nexit 101\n' >"$f"
    chmod 755 "$f"
  fi
}
_siphb_policy_rc_d_done() {
  if [ -n "$_siphb_policy_rc_d_restore" ]; then
    mv -f "$_siphb_policy_rc_d_restore" /usr/sbin/policy-rc.d
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

siphb_deps_ensure() {
  local missing rc=0 updated=0
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
  _siphb_policy_rc_d_ensure
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086  # one word per package
  if _siphb_apt_needs_update $missing; then
    apt-get update -qq || true
    updated=1
  fi
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing </dev/null || rc=$?
  if [ "$rc" -ne 0 ] && [ "$updated" -eq 0 ]; then
    # Stale lists (e.g. 404 on a superseded version): refresh and retry once.
    rc=0
    apt-get update -qq || true
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing </dev/null || rc=$?
  fi
  _siphb_policy_rc_d_done
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
