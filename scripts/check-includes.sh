#!/usr/bin/env bash
# scripts/check-includes.sh - what may include what (stage f of
# scripts/test.sh). Fails, listing every offending line, when:
#
# 1. the core would need an OS: a core source (SIPHB_CORE_SOURCES in
#    lib/CMakeLists.txt) or an internal header lib/<layer>/*.h includes a
#    system header other than string.h stdint.h stddef.h stdbool.h limits.h,
#    or a public header include/siphb/*.h one other than stddef.h stdint.h
#    stdbool.h (cffi reads the public headers);
# 2. an include points up a layer. lib/ is split by layer, each with a rank:
#      base 0 | hosted 1, crypto 1 | sip 2, stun 2 | stream 3 | engine 4 |
#      keepalive 5 | policy 6 | export 7, glue 7
#    (policy judges what keepalive reports, and its presets fill the
#    probe's config beside the health's; export writes what every layer
#    reports and keeps as JSON and Prometheus text; glue: the optional
#    bindings to other libraries, e.g. c-ares in glue/cares_srv.c, which
#    orders with policy's siphb_srv_order; never in the core, so their .c
#    files may include any system header.)
#    A file may include its own layer and lower ranks only; layers of the
#    same rank never include each other. Of a lower layer, a file may use
#    the public headers and only the internal headers that layer exports
#    to the layers above (`exports` below: e.g. crypto/crypto.h for STUN,
#    engine/ctx_int.h for the objects); the rest of a layer's internals are
#    its own. Public headers have the layer of the code behind them (table
#    below). Internal includes name their layer ("engine/wheel.h"), never a
#    bare or relative path;
# 3. a program outside lib/ reaches into it wrongly: tools/ may include only
#    public headers (<siphb/...>), system headers and their own directory's
#    headers; tests/<layer>/ may include the internal headers of their layer
#    and the exports of the layers below; bench/ and fuzz/ (above every
#    layer) any internal header, by its layer path; nothing includes a path
#    with "lib/" in it.
# Comments are stripped first; includes under #if count too.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

core_allowed="string.h stdint.h stddef.h stdbool.h limits.h"
public_allowed="stddef.h stdint.h stdbool.h"

declare -A rank=([base]=0 [hosted]=1 [crypto]=1 [sip]=2 [stun]=2 [stream]=3 [engine]=4
                 [keepalive]=5 [policy]=6 [glue]=7 [export]=7 [top]=9)
# The internal headers a layer offers to the layers above it ("*": all).
declare -A exports=([base]="*" [hosted]="hosted.h" [crypto]="crypto.h" [sip]="sip_parse_int.h" [stun]="stun_frame.h"
                    [stream]="stream_frame.h" [engine]="ctx_int.h obj.h wheel.h prng.h hmap.h obs.h" [keepalive]="" [policy]="" [glue]="" [export]="")
# Internal headers that only the files listed may include, even in their
# own layer: the ctx's fields are the ctx's (objects use ctx_int.h).
declare -A private=([engine/ctx_state.h]="lib/engine/ctx.c lib/engine/receive.c")
exported() { # layer/file.h -> true when the layer exports it
  local layer=${1%%/*} file=${1#*/}
  [ "${exports[$layer]:-}" = "*" ] || [[ " ${exports[$layer]:-} " == *" $file "* ]]
}

# The layer of each public header; a module's *_types.h (the enums and
# payload structs of its events, declarations only) is base, so that
# event.h can gather them. The umbrella siphb.h is above everything.
declare -A public_layer=([common.h]=base [version.h]=base [version.h.in]=base [event.h]=base
                         [sip.h]=sip [st.h]=sip [stun.h]=stun [stream.h]=stream
                         [ctx.h]=engine [timer.h]=engine [probe.h]=keepalive [flow.h]=keepalive [reg.h]=keepalive [responder.h]=keepalive
                         [health.h]=policy [preset.h]=policy [failover.h]=policy [session.h]=policy [srv.h]=policy [rtcp.h]=policy [mos.h]=policy [cares.h]=glue [export.h]=export [tcp_keepalive.h]=hosted [siphb.h]=top)

problems=0 checked=0
fail() {
  echo "  $1"
  problems=$((problems + 1))
}

# Strip comments without preprocessing: gcc -fpreprocessed keeps directives.
strip_comments() {
  if command -v gcc >/dev/null 2>&1; then
    gcc -fpreprocessed -dD -E -P -x c "$1" 2>/dev/null
  else
    cat "$1"
  fi
}

# Prints one line per include of a file: "<q|a> name" (q for "...", a for <...>).
includes_of() {
  local line
  while IFS= read -r line; do
    if [[ $line =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\"([^\"]+)\" ]]; then
      echo "q ${BASH_REMATCH[1]}"
    elif [[ $line =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\<([^>]+)\> ]]; then
      echo "a ${BASH_REMATCH[1]}"
    elif [[ $line =~ ^[[:space:]]*#[[:space:]]*include ]]; then
      echo "? $line"
    fi
  done < <(strip_comments "$1")
}

public_layer_of() { # header name in include/siphb -> layer, or empty
  local h=$1
  if [ -n "${public_layer[$h]:-}" ]; then
    echo "${public_layer[$h]}"
  elif [[ $h == *_types.h ]]; then
    echo base
  fi
}

# check_layered FILE LAYER SYSTEM_ALLOWED: rule 1 (when SYSTEM_ALLOWED is
# not "any") and rule 2 for a file of lib/ or include/siphb/.
check_layered() {
  local f=$1 layer=$2 sys=$3 kind name target tl
  checked=$((checked + 1))
  while read -r kind name; do
    case $kind in
    '?') fail "$f: computed include cannot be checked: $name" ;;
    a)
      if [[ $name == siphb/* ]]; then
        tl=$(public_layer_of "${name#siphb/}")
        if [ ! -e "include/$name" ] && [ ! -e "include/$name.in" ]; then
          fail "$f: <$name> is not a public header"
        elif [ -z "$tl" ]; then
          fail "$f: <$name> has no layer: add it to public_layer in $0"
        elif [ "$tl" != "$layer" ] && [ "${rank[$tl]}" -ge "${rank[$layer]}" ]; then
          fail "$f ($layer): <$name> is layer $tl: points up or sideways"
        fi
      elif [ "$sys" != any ] && [[ " $sys " != *" $name "* ]]; then
        fail "$f: #include <$name> (allowed: $sys)"
      fi
      ;;
    q)
      target=${name%%/*}
      if [ -n "${private[$name]:-}" ] && [[ " ${private[$name]} " != *" $f "* ]]; then
        fail "$f: \"$name\" is private to ${private[$name]}"
      elif [[ $name != */* || $name == ../* || $name == ./* ]]; then
        fail "$f: \"$name\": internal includes name their layer (\"<layer>/file.h\")"
      elif [ -z "${rank[$target]:-}" ] || [ ! -e "lib/$name" ]; then
        fail "$f: \"$name\" is not an internal header lib/<layer>/..."
      elif [ "$target" != "$layer" ] && [ "${rank[$target]}" -ge "${rank[$layer]}" ]; then
        fail "$f ($layer): \"$name\" is layer $target: points up or sideways"
      elif [ "$target" != "$layer" ] && ! exported "$name"; then
        fail "$f ($layer): \"$name\" is internal to $target (not in its exports; use its public API)"
      fi
      ;;
    esac
  done < <(includes_of "$f")
}

# check_program FILE MAX_LAYER: rule 3 for tools/, tests/, bench/, fuzz/.
# MAX_LAYER: the highest internal layer it may include, or "none".
check_program() {
  local f=$1 max=$2 dir kind name target
  dir=$(dirname "$f")
  checked=$((checked + 1))
  while read -r kind name; do
    case $kind in
    '?') fail "$f: computed include cannot be checked: $name" ;;
    a)
      if [[ $name == siphb/* ]] && [ ! -e "include/$name" ] && [ ! -e "include/$name.in" ]; then
        fail "$f: <$name> is not a public header"
      fi
      ;;
    q)
      if [[ $name == *lib/* ]]; then
        fail "$f: \"$name\" reaches into lib/ by path"
      elif [ -n "${private[$name]:-}" ]; then
        fail "$f: \"$name\" is private to ${private[$name]}"
      elif [ -e "$dir/$name" ]; then
        : # its own directory (or one below it)
      elif [ -e "tests/support/$name" ] && [[ $f == tests/* || $f == fuzz/* ]]; then
        : # the test support library
      else
        target=${name%%/*}
        if [ -z "${rank[$target]:-}" ] || [ ! -e "lib/$name" ]; then
          fail "$f: \"$name\" not found (own directory, tests/support or lib/<layer>/)"
        elif [ "$max" = none ]; then
          fail "$f: \"$name\" is a lib/ internal header: use the public API"
        elif [ "${rank[$target]}" -gt "${rank[$max]}" ] ||
          { [ "${rank[$target]}" -eq "${rank[$max]}" ] && [ "$target" != "$max" ]; }; then
          fail "$f (tests of $max): \"$name\" is layer $target, above the tested one"
        elif [ "$max" != top ] && [ "$target" != "$max" ] && ! exported "$name"; then
          fail "$f (tests of $max): \"$name\" is internal to $target (not in its exports)"
        fi
      fi
      ;;
    esac
  done < <(includes_of "$f")
}

# The core sources: the file list between `set(SIPHB_CORE_SOURCES` and `)`.
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
  echo "check-includes: no SIPHB_CORE_SOURCES found in lib/CMakeLists.txt" >&2
  exit 1
fi
declare -A is_core=()
for s in $core_sources; do
  [ -f "lib/$s" ] || fail "lib/$s: listed in SIPHB_CORE_SOURCES but missing"
  is_core[lib/$s]=1
done

echo "--- lib/: layers and the core's system headers"
while IFS= read -r f; do
  layer=${f#lib/}
  layer=${layer%%/*}
  if [[ $f != lib/*/* ]]; then
    fail "$f: lib/ sources live in a layer folder (lib/<layer>/)"
    continue
  fi
  if [ -z "${rank[$layer]:-}" ]; then
    fail "$f: lib/$layer is not a layer (known: ${!rank[*]})"
    continue
  fi
  sys=any
  if [[ $f == *.h ]] || [ -n "${is_core[$f]:-}" ]; then sys=$core_allowed; fi
  check_layered "$f" "$layer" "$sys"
done < <(find lib -name '*.[ch]' | sort)

echo "--- include/siphb/: public headers"
for f in include/siphb/*.h include/siphb/*.h.in; do
  [ -e "$f" ] || continue
  layer=$(public_layer_of "$(basename "$f")")
  if [ -z "$layer" ]; then
    fail "$f: has no layer: add it to public_layer in $0"
    continue
  fi
  check_layered "$f" "$layer" "$public_allowed"
done

echo "--- tools/, tests/, bench/, fuzz/, examples/"
while IFS= read -r f; do
  case $f in
  tools/* | examples/* | tests/interop/* | tests/consumer/*) max=none ;;
  tests/support/*) max=base ;;
  tests/*/*)
    max=${f#tests/}
    max=${max%%/*}
    [ -n "${rank[$max]:-}" ] || { fail "$f: tests/$max does not mirror a layer of lib/"; continue; }
    ;;
  tests/*) fail "$f: tests live in tests/<layer>/, mirroring lib/"; continue ;;
  bench/* | fuzz/*) max=top ;;
  esac
  check_program "$f" "$max"
done < <(find tools tests bench fuzz examples -name '*.[ch]' | sort)

if [ "$problems" -ne 0 ]; then
  echo "check-includes: FAILED: $problems problem(s) (listed above)"
  exit 1
fi
echo "check-includes: ok ($checked files: lib/ by layer, public headers, tools, tests, bench, fuzz, examples)"
