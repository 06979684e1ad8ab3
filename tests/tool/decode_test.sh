#!/usr/bin/env bash
# tests/tool/decode_test.sh SIPHB DATA_DIR - checks `siphb decode` (ctest:
# tool_decode). Runs the built tool on the files in DATA_DIR (tests/data/sip)
# and, with --stun, in DATA_DIR/../stun, and compares, byte for byte, stdout
# with the expected .json files, stderr with the expected text, and the exit
# status (0 decoded, 1 malformed input, 2 usage or I/O error); also the
# usage errors of `siphb stun`.
#
# SIPHB_UPDATE_EXPECTED=1 rewrites the expected .json files from the tool's
# output instead of comparing: read every changed file against its input
# before committing it.
set -u

# Absolute: the tests run inside the data directory.
tool=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
data=$2
update=${SIPHB_UPDATE_EXPECTED:-0}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/siphb-decode-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$data" || exit 1

passed=0
failed=0
# say: one line per problem; a case counts once however many it has.
say() { printf 'FAIL: %s\n' "$*"; }
fail() {
  failed=$((failed + 1))
  say "$@"
}

# run ARGS...: runs the tool with stdin from $stdin (default /dev/null);
# leaves the status in $rc and the output in $tmp/out and $tmp/err.
stdin=/dev/null
run() {
  rc=0
  "$tool" "$@" <"$stdin" >"$tmp/out" 2>"$tmp/err" || rc=$?
}

# check WHAT WANT_RC WANT_STDOUT WANT_STDERR: WANT_STDOUT is a file in the
# data dir or '-' for empty; WANT_STDERR the exact text (without the final
# newline; '' for empty).
check() {
  local what=$1 want_rc=$2 want_out=$3 want_err=$4 ok=1
  if [ "$rc" -ne "$want_rc" ]; then
    say "$what: exit status $rc, expected $want_rc"
    ok=0
  fi
  if [ "$want_out" = - ]; then
    if [ -s "$tmp/out" ]; then
      say "$what: unexpected output on stdout:"
      head -c 400 "$tmp/out"
      ok=0
    fi
  elif [ "$update" = 1 ]; then
    cp "$tmp/out" "$want_out"
  elif ! cmp -s "$tmp/out" "$want_out"; then
    say "$what: stdout differs from $want_out:"
    diff -u "$want_out" "$tmp/out" | head -n 40
    ok=0
  fi
  if [ -n "$want_err" ]; then
    printf '%s\n' "$want_err" >"$tmp/want_err"
  else
    : >"$tmp/want_err"
  fi
  if ! cmp -s "$tmp/err" "$tmp/want_err"; then
    say "$what: stderr differs:"
    diff -u "$tmp/want_err" "$tmp/err" | head -n 20
    ok=0
  fi
  # Whatever the tool printed on stdout must be one valid JSON document
  # (python3 is optional: the byte comparison above is the real check).
  if [ -s "$tmp/out" ] && command -v python3 >/dev/null 2>&1 &&
     ! python3 -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$tmp/out"; then
    say "$what: stdout is not valid JSON"
    ok=0
  fi
  if [ "$ok" = 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

# decodes ARGS... EXPECTED: exit 0, nothing on stderr, stdout == EXPECTED.
decodes() {
  local expected=${*: -1}
  run decode "${@:1:$#-1}"
  check "decode ${*:1:$#-1}" 0 "$expected" ''
}

# refuses WANT_RC WANT_STDOUT WANT_STDERR ARGS...
refuses() {
  local want_rc=$1 want_out=$2 want_err=$3
  shift 3
  run "$@"
  check "$*" "$want_rc" "$want_out" "$want_err"
}

# ---- messages that decode ---------------------------------------------------
for f in 01_options_200 02_register_200 03_401 04_503 05_422 06_compact 07_folded \
         08_large 09_request_options 10_request_invite 11_423_min_expires \
         12_register_star 13_compact_request 14_folded_request 15_escapes; do
  decodes "$f.sip" "$f.json"
done
decodes --sip 10_request_invite.sip 10_request_invite.json
decodes --compact 01_options_200.sip 01_options_200.compact.json
decodes --compact --sip 15_escapes.sip 15_escapes.compact.json
# standard input, as '-' and with no file at all
stdin=06_compact.sip
decodes - 06_compact.json
stdin=07_folded.sip
decodes --sip 07_folded.json
stdin=/dev/null

# lenient mode accepts what strict mode refuses (errors below)
decodes --lenient missing_call_id.sip missing_call_id.lenient.json
decodes --lenient bad_version.sip bad_version.lenient.json
decodes --lenient bad_content_length.sip bad_content_length.lenient.json
decodes --lenient bad_two_call_ids.sip bad_two_call_ids.lenient.json
decodes --lenient bad_cseq_method.sip bad_cseq_method.lenient.json
# lines ended by LF alone (a message typed by hand or pasted from a log):
# one such line, and every line with a fold; strict mode refuses them below
decodes --lenient bad_bare_lf.sip bad_bare_lf.lenient.json
decodes --lenient pasted_lf.sip pasted_lf.lenient.json

# ---- streams ------------------------------------------------------------------
decodes --stream stream_mixed.bin stream_mixed.json
decodes --stream --role=client stream_mixed.bin stream_mixed.json
decodes --stream --role client stream_ping_sip_pong.bin stream_ping_sip_pong.client.json
decodes --stream --compact 10_request_invite.sip 10_request_invite.stream.json
decodes --stream --lenient missing_call_id.sip missing_call_id.stream.json
decodes --stream empty.sip empty.stream.json

# ---- STUN (--stun): the RFC 5769 vectors and other messages in ../stun -----------
# Hex text as in the .hex files (the tool decodes it first) and, for one,
# the same bytes in binary on standard input. Credentials of tests/data/stun/
# README.md; the long-term username is passed as its UTF-8 bytes.
stun=../stun
short_pw=VOkJxbRl1RmTxUk/WvJxBt
lt_user=$(printf '\xe3\x83\x9e\xe3\x83\x88\xe3\x83\xaa\xe3\x83\x83\xe3\x82\xaf\xe3\x82\xb9')
lt=(--user "$lt_user" --realm example.org --password TheMatrIX)
for f in sample-request sample-ipv4-response sample-ipv6-response; do
  decodes --stun --password "$short_pw" "$stun/$f.hex" "$stun/$f.json"
done
for f in sample-request-long-term-auth rfc8489-b1-request-long-term-sha256; do
  decodes --stun "${lt[@]}" "$stun/$f.hex" "$stun/$f.json"
done
# no credentials: no integrity_ok; --user without --realm is the short-term key
decodes --stun --compact "$stun/sample-ipv4-response.hex" "$stun/sample-ipv4-response.compact.json"
decodes --stun --user evtj:h6vY --password="$short_pw" "$stun/sample-request.hex" "$stun/sample-request.json"
printf '%b' "$(tr -d ' \n' <"$stun/sample-ipv4-response.hex" | sed 's/../\\x&/g')" >"$tmp/v4.bin"
stdin=$tmp/v4.bin
decodes --compact --stun - "$stun/sample-ipv4-response.compact.json"
stdin=/dev/null
# coturn 4.6.1's answer (RESPONSE-ORIGIN), an RFC 3489 response, and an
# error response with every attribute the codec decodes, a repeated one, an
# unknown required and an unknown optional one, one after MESSAGE-INTEGRITY,
# a SOFTWARE that is not UTF-8, and PASSWORD-ALGORITHM SHA-256 (so the
# long-term key is SHA-256)
decodes --stun "$stun/coturn-binding-response.hex" "$stun/coturn-binding-response.json"
decodes --stun "$stun/classic-binding-response.hex" "$stun/classic-binding-response.json"
decodes --stun --user user --realm example.org --password pass "$stun/crafted-error-response.hex" \
  "$stun/crafted-error-response.json"

# Failed checks print the JSON and the error: exit 1.
refuses 1 "$stun/sample-request.wrong-password.json" \
  'error: SIPHB_ERR_STUN_INTEGRITY: message integrity does not match the key at offset 76' \
  decode --stun --password wrong "$stun/sample-request.hex"
refuses 1 "$stun/rfc8489-b1-request-long-term-sha256.wrong-realm.json" \
  'error: SIPHB_ERR_STUN_INTEGRITY: message integrity does not match the key at offset 120' \
  decode --stun --user "$lt_user" --realm example.com --password TheMatrIX \
  "$stun/rfc8489-b1-request-long-term-sha256.hex"
refuses 1 "$stun/bad-fingerprint.json" \
  'error: SIPHB_ERR_STUN_FINGERPRINT: FINGERPRINT does not match the message at offset 72' \
  decode --stun "$stun/bad-fingerprint.hex"

# Malformed STUN: nothing on stdout.
refuses 1 - 'error: SIPHB_ERR_STUN_LENGTH: length does not match the datagram at offset 2' \
  decode --stun "$stun/bad-truncated.hex"
refuses 1 - 'error: SIPHB_ERR_STUN_LENGTH: header cut short at offset 12' \
  decode --stun "$stun/bad-short.hex"
refuses 1 - 'error: SIPHB_ERR_STUN_LENGTH: length not a multiple of 4 at offset 2' \
  decode --stun "$stun/bad-length.hex"
refuses 1 - 'error: SIPHB_ERR_STUN_ADDRESS_FAMILY: address family neither 1 nor 2 at offset 41' \
  decode --stun "$stun/bad-family.hex"
refuses 1 - 'error: SIPHB_ERR_STUN_ATTRIBUTE: attribute runs past the end of the message at offset 36' \
  decode --stun "$stun/bad-attribute-length.hex"
refuses 1 - 'error: SIPHB_ERR_PARSE: odd number of hex digits at offset 237' \
  decode --stun "$stun/bad-odd-digits.hex"
refuses 1 - 'error: SIPHB_ERR_STUN_NOT_STUN: first two bits of the type are not 00 at offset 0' \
  decode --stun 01_options_200.sip
refuses 1 - 'error: SIPHB_ERR_STUN_LENGTH: header cut short at offset 0' decode --stun empty.sip

# ---- no mode option: STUN is recognised, SIP stays SIP ---------------------------
# same_as_stun ARGS... FILE: `decode ARGS FILE` prints what `decode --stun
# ARGS FILE` prints, on stdout and stderr, and exits with its status.
same_as_stun() {
  run decode --stun "$@"
  local want_rc=$rc
  cp "$tmp/out" "$tmp/stun.out"
  cp "$tmp/err" "$tmp/stun.err"
  run decode "$@"
  check "decode $* (as decode --stun $*)" "$want_rc" "$tmp/stun.out" "$(cat "$tmp/stun.err")"
}
# binary (the RFC 5769 IPv4 response made above), from a file and on stdin
decodes --compact "$tmp/v4.bin" "$stun/sample-ipv4-response.compact.json"
same_as_stun --compact "$tmp/v4.bin"
stdin=$tmp/v4.bin
decodes --compact - "$stun/sample-ipv4-response.compact.json"
stdin=/dev/null
# hex text; a failed FINGERPRINT check (JSON and the error, exit 1); malformed
# STUN (the STUN error, exit 1); an odd number of hex digits
decodes "$stun/coturn-binding-response.hex" "$stun/coturn-binding-response.json"
same_as_stun "$stun/coturn-binding-response.hex"
same_as_stun "$stun/sample-request.hex"
same_as_stun "$stun/bad-fingerprint.hex"
same_as_stun "$stun/bad-family.hex"
same_as_stun "$stun/bad-odd-digits.hex"
# --sip on STUN: the SIP error, then the hint
sip_stun_hint="hint: the input looks like a STUN message (magic cookie 2112a442 in bytes 4-7): try 'siphb decode --stun'"
refuses 1 - "error: SIPHB_ERR_SIP_START_LINE: CR or NUL in the start line at offset 2
$sip_stun_hint" decode --sip "$tmp/v4.bin"
refuses 1 - "error: SIPHB_ERR_SIP_START_LINE: start line ends in LF without CR at offset 11
$sip_stun_hint" decode --sip "$stun/sample-request.hex"
# --lenient is a SIP option: SIP, with the hint
refuses 1 - "error: SIPHB_ERR_SIP_START_LINE: CR or NUL in the start line at offset 2
$sip_stun_hint" decode --lenient "$tmp/v4.bin"
# an RFC 3489 message has no magic cookie: SIP, no hint (it needs --stun)
refuses 1 - 'error: SIPHB_ERR_SIP_START_LINE: start line ends in LF without CR at offset 11' \
  decode "$stun/classic-binding-response.hex"
# SIP without a mode option is still SIP
decodes --compact 15_escapes.sip 15_escapes.compact.json
stdin=10_request_invite.sip
decodes - 10_request_invite.json
stdin=/dev/null

# ---- malformed input: exit 1, the error on stderr -----------------------------
refuses 1 - 'error: SIPHB_ERR_SIP_STATUS: status code outside 100-699 at offset 8' \
  decode bad_status.sip
refuses 1 - 'error: SIPHB_ERR_SIP_VERSION: version is not SIP/2.0 at offset 0' \
  decode bad_version.sip
refuses 1 - 'error: SIPHB_ERR_SIP_VIA: malformed IPv6 reference in Via sent-by at offset 45' \
  decode bad_via.sip
refuses 1 - 'error: SIPHB_ERR_SIP_QUOTE: unterminated quoted display name at offset 74' \
  decode bad_quote.sip
refuses 1 - 'error: SIPHB_ERR_SIP_CSEQ: CSeq number missing or above 2^31-1 at offset 154' \
  decode bad_cseq.sip
refuses 1 - 'error: SIPHB_ERR_SIP_CONTENT_LENGTH: Content-Length larger than the rest of the datagram at offset 187' \
  decode bad_content_length.sip
refuses 1 - 'error: SIPHB_ERR_SIP_HEADER: line ends in LF without CR at offset 66' \
  decode bad_bare_lf.sip
refuses 1 - 'error: SIPHB_ERR_SIP_START_LINE: start line ends in LF without CR at offset 35' \
  decode pasted_lf.sip
refuses 1 - 'error: SIPHB_ERR_SIP_CSEQ_METHOD: CSeq method differs from the request method at offset 193' \
  decode bad_cseq_method.sip
refuses 1 - 'error: SIPHB_ERR_SIP_MULTIPLE_VALUES: single-valued header given twice at offset 148' \
  decode bad_two_call_ids.sip
refuses 1 - 'error: SIPHB_ERR_SIP_MISSING_HEADER: no Call-ID header at offset 170' \
  decode missing_call_id.sip
refuses 1 - 'error: SIPHB_ERR_SIP_START_LINE: empty datagram at offset 0' \
  decode empty.sip
refuses 1 - 'error: SIPHB_ERR_SIP_HEADER: CR without LF, or NUL, in a header line at offset 198' \
  decode bad_nul.sip
stdin=bad_status.sip
refuses 1 - 'error: SIPHB_ERR_SIP_STATUS: status code outside 100-699 at offset 8' decode -
stdin=/dev/null

# A stream prints the items before the error (a complete JSON array).
refuses 1 stream_ping_sip_pong.server.json \
  'error: SIPHB_ERR_INCOMPLETE: keepalive incomplete (the item at offset 249 needs at least 2 more bytes) at offset 251' \
  decode --stream stream_ping_sip_pong.bin
refuses 1 stream_truncated.json \
  'error: SIPHB_ERR_INCOMPLETE: message incomplete (the item at offset 245 needs at least 3 more bytes) at offset 517' \
  decode --stream --role client stream_truncated.bin
refuses 1 stream_no_content_length.json \
  'error: SIPHB_ERR_SIP_NO_CONTENT_LENGTH: no Content-Length on a stream at offset 4' \
  decode --stream stream_no_content_length.bin
refuses 1 stream_junk.json \
  'error: SIPHB_ERR_PARSE: neither SIP, STUN nor a CRLF keepalive at offset 245' \
  decode --stream stream_junk.bin
# the framer is lenient; the message is then decoded strictly unless --lenient
refuses 1 empty.stream.json 'error: SIPHB_ERR_SIP_MISSING_HEADER: no Call-ID header at offset 170' \
  decode --stream missing_call_id.sip
# on a stream CRLF ends every line, lenient or not
refuses 1 empty.stream.json 'error: SIPHB_ERR_SIP_START_LINE: start line ends in LF without CR at offset 35' \
  decode --stream --lenient pasted_lf.sip

# Input size: 1 MiB is read (and a datagram that big is too large for the
# parser), one byte more is refused before parsing.
head -c 1048576 /dev/zero | tr '\0' 'A' >"$tmp/1mib"
refuses 1 - 'error: SIPHB_ERR_SIP_TOO_LARGE: datagram larger than the size limit at offset 65535' \
  decode "$tmp/1mib"
printf 'A' >>"$tmp/1mib"
refuses 1 - 'error: SIPHB_ERR_LIMIT: input larger than 1 MiB (1048576 bytes), the most decode reads' \
  decode --stream "$tmp/1mib"

# ---- usage: exit 2 --------------------------------------------------------------
decode_hint="Run 'siphb decode --help' for the options."
refuses 2 - "siphb: decode: --user, --password and --realm apply to --stun only
$decode_hint" decode --password x 01_options_200.sip
refuses 2 - "siphb: decode: --user and --realm need --password
$decode_hint" decode --stun --user u "$stun/sample-request.hex"
refuses 2 - "siphb: decode: --realm needs --user (the long-term key)
$decode_hint" decode --stun --realm r --password p "$stun/sample-request.hex"
refuses 2 - "siphb: decode: --password needs a value
$decode_hint" decode --stun --password
refuses 2 - "siphb: decode: --lenient applies to --sip and --stream only
$decode_hint" decode --stun --lenient "$stun/sample-request.hex"
refuses 2 - "siphb: decode: unknown option '--frob'
$decode_hint" decode --frob 01_options_200.sip
refuses 2 - "siphb: decode: --stream: --sip, --stream and --stun exclude each other
$decode_hint" decode --sip --stream 01_options_200.sip
refuses 2 - "siphb: decode: --stun: --sip, --stream and --stun exclude each other
$decode_hint" decode --stream --stun 01_options_200.sip
refuses 2 - "siphb: decode: --role must be 'client' or 'server', not 'sideways'
$decode_hint" decode --stream --role sideways stream_mixed.bin
refuses 2 - "siphb: decode: --role needs a value: client or server
$decode_hint" decode --stream --role
refuses 2 - "siphb: decode: --role applies to --stream only
$decode_hint" decode --role client 01_options_200.sip
refuses 2 - "siphb: decode: more than one input given ('02_register_200.sip')
$decode_hint" decode 01_options_200.sip 02_register_200.sip
refuses 2 - "siphb: decode: cannot open 'no-such-file.sip': No such file or directory" \
  decode no-such-file.sip
# siphb stun: usage errors only (tests/interop/stun_run.sh runs it against
# servers)
stun_hint="Run 'siphb stun --help' for the options."
refuses 2 - "siphb: stun: no server given (HOST[:PORT])
$stun_hint" stun --json
refuses 2 - "siphb: stun: '127.0.0.1:0': the port must be a number from 1 to 65535
$stun_hint" stun 127.0.0.1:0
refuses 2 - "siphb: stun: '[::1:3478': no ']' after the IPv6 address
$stun_hint" stun '[::1:3478'
refuses 2 - "siphb: stun: '[::1]3478': only ':PORT' may follow ']'
$stun_hint" stun '[::1]3478'
refuses 2 - "siphb: stun: --rc must be a number from 1 to 20
$stun_hint" stun 127.0.0.1 --rc 0
refuses 2 - "siphb: stun: --rto must be a number from 1 to 60000
$stun_hint" stun 127.0.0.1 --rto=1e3
refuses 2 - "siphb: stun: --rm needs a number
$stun_hint" stun 127.0.0.1 --rm
refuses 2 - "siphb: stun: -6: -4 and -6 exclude each other
$stun_hint" stun 127.0.0.1 -4 -6
refuses 2 - "siphb: stun: unknown option '--frob'
$stun_hint" stun 127.0.0.1 --frob
refuses 2 - "siphb: stun: more than one server given ('127.0.0.2')
$stun_hint" stun 127.0.0.1 127.0.0.2
refuses 2 - "siphb: unknown command 'frobnicate'
Run 'siphb --help' for the list of commands." frobnicate
refuses 2 - "siphb: unknown option '--frob'
Run 'siphb --help' for the list of commands." --frob
# a file named like an option, after --
cp 05_422.sip "$tmp/--sip"
run decode -- "$tmp/--sip"
check "decode -- --sip" 0 05_422.json ''

# help and version: stdout, exit 0
run
if [ "$rc" -ne 2 ] || [ -s "$tmp/out" ] || ! head -n 1 "$tmp/err" | grep -q '^Usage: siphb '; then
  fail "no arguments: expected the usage on stderr and exit 2 (got $rc)"
else
  passed=$((passed + 1))
fi
for args in "--help" "-h" "decode --help" "stun --help"; do
  # shellcheck disable=SC2086  # the words are separate arguments
  run $args
  if [ "$rc" -ne 0 ] || [ -s "$tmp/err" ] || ! head -n 1 "$tmp/out" | grep -q '^Usage: siphb '; then
    fail "$args: expected the usage on stdout and exit 0 (got $rc)"
  else
    passed=$((passed + 1))
  fi
done
run --version
if [ "$rc" -ne 0 ] || ! grep -Eqx 'siphb [0-9]+\.[0-9]+\.[0-9]+' "$tmp/out"; then
  fail "--version: got '$(cat "$tmp/out")', status $rc"
else
  passed=$((passed + 1))
fi

# A failed write is an I/O error (exit 2), not a success.
if [ -w /dev/full ]; then
  rc=0
  "$tool" decode 08_large.sip >/dev/full 2>"$tmp/err" || rc=$?
  if [ "$rc" -ne 2 ] || ! grep -q 'writing the output failed' "$tmp/err"; then
    fail "decode >/dev/full: status $rc, stderr '$(cat "$tmp/err")'"
  else
    passed=$((passed + 1))
  fi
fi

echo "tool_decode: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
