#!/usr/bin/env bash
# scripts/check-abi.sh - every public struct has a growth rule and a test
# of it (stage f of scripts/test.sh). Fails when a struct defined in
# include/siphb/*.h (opaque handles aside) is
#   - not named in tests/base/test_abi.c, which checks each one's rule; or
#   - neither a growable input (first field `uint32_t size;`), nor an output
#     with `reserved_` space, nor marked "Fixed layout" in the comment before
#     its closing line or above it, nor one of the structs siphb allocates
#     itself (listed below: they grow at their end or inside the event
#     union), nor an event payload of a *_types.h header.
# common.h says what each rule means.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

# Written by siphb, read by the integrator, never allocated by it.
library_allocated=" siphb_event siphb_send_info siphb_cares_target siphb_cares_result "
abi_test=tests/base/test_abi.c

problems=0 checked=0
for h in include/siphb/*.h; do
  # "name<TAB>rule" for each `typedef struct name { ... } name;`
  while IFS=$'\t' read -r name rule; do
    checked=$((checked + 1))
    if ! grep -q "\b$name\b" "$abi_test"; then
      echo "  $h: $name is not named in $abi_test"
      problems=$((problems + 1))
    fi
    if [ "$rule" = none ] && [[ $library_allocated != *" $name "* ]] && [[ $h != *_types.h ]]; then
      echo "  $h: $name has no growth rule (uint32_t size first, reserved_, or \"Fixed layout\")"
      problems=$((problems + 1))
    fi
  done < <(awk '
    # Remember the last comment lines, to find a "Fixed layout" note.
    /\/\*/ { note = "" }
    { note = note " " $0 }
    /^typedef struct [a-z_0-9]+ \{/ { name = $3; first = ""; body = ""; fixed = (note ~ /Fixed layout/); inside = 1; next }
    inside && first == "" && $0 ~ /;/ { first = $0 }
    inside { body = body "\n" $0 }
    inside && /^\}/ {
      rule = "none"
      if (first ~ /^[[:space:]]*uint32_t size;/) rule = "size"
      else if (body ~ /reserved_/) rule = "reserved"
      else if (fixed || body ~ /Fixed layout/) rule = "fixed"
      printf "%s\t%s\n", name, rule
      inside = 0
    }' "$h")
done

if [ "$problems" -ne 0 ]; then
  echo "check-abi: FAILED: $problems problem(s) (listed above)"
  exit 1
fi
echo "check-abi: ok ($checked public structs, each with its growth rule and in $abi_test)"
