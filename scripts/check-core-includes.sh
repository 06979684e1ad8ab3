#!/usr/bin/env bash
# scripts/check-core-includes.sh - the core must build without an OS.
#
# Fails if a core source (SIPHB_CORE_SOURCES in lib/CMakeLists.txt) or an
# internal header lib/*.h or lib/crypto/*.h includes a system header other than
#   string.h stdint.h stddef.h stdbool.h limits.h
# and if a public header include/siphb/*.h includes one other than
#   stddef.h stdint.h stdbool.h
# (DESIGN.md: public headers must stay readable by cffi).
# Project headers ("..." and <siphb/...>) are fine. Comments are stripped
# first; includes under #if count too (the core must not need them).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

core_allowed="string.h stdint.h stddef.h stdbool.h limits.h"
public_allowed="stddef.h stdint.h stdbool.h"

# The file list between `set(SIPHB_CORE_SOURCES` and the closing `)`.
core_sources=$(awk '
  /^[[:space:]]*set[[:space:]]*\([[:space:]]*SIPHB_CORE_SOURCES/ { on = 1; sub(/.*SIPHB_CORE_SOURCES/, "") }
  on {
    line = $0; sub(/#.*/, "", line)
    done = (line ~ /\)/); sub(/\).*/, "", line)
    n = split(line, w, /[[:space:]]+/)
    for (i = 1; i <= n; i++) if (w[i] != "") print w[i]
    if (done) exit
  }' lib/CMakeLists.txt)
if [ -z "$core_sources" ]; then
  echo "check-core-includes: no SIPHB_CORE_SOURCES found in lib/CMakeLists.txt" >&2
  exit 1
fi

# Strip comments without preprocessing: gcc -fpreprocessed keeps directives.
strip_comments() {
  if command -v gcc >/dev/null 2>&1; then
    gcc -fpreprocessed -dD -E -P -x c "$1" 2>/dev/null
  else
    cat "$1"
  fi
}

bad=0 checked=0
check_file() { # file allowed-list
  local f=$1 allowed=$2 line hdr
  checked=$((checked + 1))
  while IFS= read -r line; do
    if [[ $line =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\<([^>]+)\> ]]; then
      hdr=${BASH_REMATCH[1]}
      [[ $hdr == siphb/* ]] && continue
      [[ " $allowed " == *" $hdr "* ]] && continue
      echo "  $f: #include <$hdr> (allowed: $allowed)"
      bad=1
    elif [[ $line =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\" ]]; then
      continue
    elif [[ $line =~ ^[[:space:]]*#[[:space:]]*include ]]; then
      echo "  $f: computed include cannot be checked: $line"
      bad=1
    fi
  done < <(strip_comments "$f")
}

for s in $core_sources; do
  if [ ! -f "lib/$s" ]; then
    echo "  lib/$s: listed in SIPHB_CORE_SOURCES but missing"
    bad=1
    continue
  fi
  check_file "lib/$s" "$core_allowed"
done
for h in lib/*.h lib/crypto/*.h; do
  [ -e "$h" ] && check_file "$h" "$core_allowed"
done
for h in include/siphb/*.h include/siphb/*.h.in; do
  [ -e "$h" ] && check_file "$h" "$public_allowed"
done

if [ "$bad" -ne 0 ]; then
  echo "check-core-includes: FAILED (see the files listed above)"
  exit 1
fi
echo "check-core-includes: ok ($checked files: core sources, lib/*.h, lib/crypto/*.h, public headers)"
