/*
 * error.c - names and descriptions of error codes.
 */
#include <siphb/common.h>

typedef struct error_text {
  int code;
  const char *name;
  const char *text;
} error_text;

/* Later modules append their codes here (one table keeps names unique). */
static const error_text errors[] = {
    {SIPHB_OK, "SIPHB_OK", "success"},
    {SIPHB_ERR_INVALID_ARGUMENT, "SIPHB_ERR_INVALID_ARGUMENT", "invalid argument"},
    {SIPHB_ERR_NOBUF, "SIPHB_ERR_NOBUF", "output buffer too small"},
    {SIPHB_ERR_PARSE, "SIPHB_ERR_PARSE", "malformed input"},
    {SIPHB_ERR_INCOMPLETE, "SIPHB_ERR_INCOMPLETE", "input incomplete: more bytes needed"},
    {SIPHB_ERR_INVALID_STATE, "SIPHB_ERR_INVALID_STATE",
     "call not allowed in this state (or from inside a callback)"},
    {SIPHB_ERR_NOT_FOUND, "SIPHB_ERR_NOT_FOUND", "not found"},
    {SIPHB_ERR_LIMIT, "SIPHB_ERR_LIMIT", "configured limit exceeded"},
    {SIPHB_ERR_UNSUPPORTED, "SIPHB_ERR_UNSUPPORTED", "not supported by this build"},
    {SIPHB_ERR_SEND, "SIPHB_ERR_SEND", "send failed"},
    {SIPHB_ERR_EXISTS, "SIPHB_ERR_EXISTS", "already exists (e.g. a flow on that peer)"},
    {SIPHB_ERR_OS, "SIPHB_ERR_OS", "the operating system refused the call"},
    {SIPHB_ERR_SIP_START_LINE, "SIPHB_ERR_SIP_START_LINE", "malformed SIP request or status line"},
    {SIPHB_ERR_SIP_VERSION, "SIPHB_ERR_SIP_VERSION", "SIP version is not SIP/2.0"},
    {SIPHB_ERR_SIP_STATUS, "SIPHB_ERR_SIP_STATUS", "SIP status code outside 100-699"},
    {SIPHB_ERR_SIP_HEADER, "SIPHB_ERR_SIP_HEADER", "malformed SIP header line"},
    {SIPHB_ERR_SIP_TOO_LARGE, "SIPHB_ERR_SIP_TOO_LARGE", "SIP message larger than the limit"},
    {SIPHB_ERR_SIP_TOO_MANY_HEADERS, "SIPHB_ERR_SIP_TOO_MANY_HEADERS",
     "more SIP header lines than the limit"},
    {SIPHB_ERR_SIP_MISSING_HEADER, "SIPHB_ERR_SIP_MISSING_HEADER",
     "mandatory SIP header missing (Via, From, To, Call-ID or CSeq)"},
    {SIPHB_ERR_SIP_MULTIPLE_VALUES, "SIPHB_ERR_SIP_MULTIPLE_VALUES",
     "several values in a single-valued SIP header"},
    {SIPHB_ERR_SIP_CSEQ, "SIPHB_ERR_SIP_CSEQ", "malformed CSeq or CSeq number above 2^31-1"},
    {SIPHB_ERR_SIP_CSEQ_METHOD, "SIPHB_ERR_SIP_CSEQ_METHOD",
     "CSeq method differs from the request method"},
    {SIPHB_ERR_SIP_NUMBER, "SIPHB_ERR_SIP_NUMBER", "malformed or overflowing number in a SIP header"},
    {SIPHB_ERR_SIP_CONTENT_LENGTH, "SIPHB_ERR_SIP_CONTENT_LENGTH",
     "bad Content-Length (malformed, negative, conflicting or beyond the data)"},
    {SIPHB_ERR_SIP_NO_CONTENT_LENGTH, "SIPHB_ERR_SIP_NO_CONTENT_LENGTH",
     "Content-Length missing on a stream"},
    {SIPHB_ERR_SIP_QUOTE, "SIPHB_ERR_SIP_QUOTE", "unbalanced quotes in a SIP header"},
    {SIPHB_ERR_SIP_ANGLE, "SIPHB_ERR_SIP_ANGLE", "unbalanced angle brackets in a SIP header"},
    {SIPHB_ERR_SIP_ADDRESS, "SIPHB_ERR_SIP_ADDRESS", "malformed From, To or Contact value"},
    {SIPHB_ERR_SIP_VIA, "SIPHB_ERR_SIP_VIA", "malformed Via value"},
    {SIPHB_ERR_SIP_PARAM, "SIPHB_ERR_SIP_PARAM", "malformed SIP header parameter"},
    {SIPHB_ERR_SIP_REFRESHER, "SIPHB_ERR_SIP_REFRESHER",
     "Session-Expires refresher is neither uac nor uas"},
    {SIPHB_ERR_SIP_SESSION_INTERVAL, "SIPHB_ERR_SIP_SESSION_INTERVAL",
     "session interval below the 90 s minimum of RFC 4028"},
    {SIPHB_ERR_STUN_NOT_STUN, "SIPHB_ERR_STUN_NOT_STUN",
     "not a STUN message (top bits not 00, or no magic cookie)"},
    {SIPHB_ERR_STUN_LENGTH, "SIPHB_ERR_STUN_LENGTH",
     "bad STUN length (header cut short, not a multiple of 4, or not the datagram's)"},
    {SIPHB_ERR_STUN_ATTRIBUTE, "SIPHB_ERR_STUN_ATTRIBUTE",
     "malformed STUN attribute (runs past the message, or unfit length or value)"},
    {SIPHB_ERR_STUN_UNKNOWN_REQUIRED, "SIPHB_ERR_STUN_UNKNOWN_REQUIRED",
     "unknown comprehension-required STUN attribute"},
    {SIPHB_ERR_STUN_INTEGRITY, "SIPHB_ERR_STUN_INTEGRITY", "STUN MESSAGE-INTEGRITY mismatch"},
    {SIPHB_ERR_STUN_FINGERPRINT, "SIPHB_ERR_STUN_FINGERPRINT",
     "STUN FINGERPRINT mismatch or not the last attribute"},
    {SIPHB_ERR_STUN_PADDING, "SIPHB_ERR_STUN_PADDING", "non-zero STUN attribute padding"},
    {SIPHB_ERR_STUN_ADDRESS_FAMILY, "SIPHB_ERR_STUN_ADDRESS_FAMILY",
     "STUN address family neither IPv4 nor IPv6"},
    {SIPHB_ERR_STUN_DUPLICATE_INTEGRITY, "SIPHB_ERR_STUN_DUPLICATE_INTEGRITY",
     "second STUN MESSAGE-INTEGRITY attribute"},
    {SIPHB_ERR_STUN_NO_INTEGRITY, "SIPHB_ERR_STUN_NO_INTEGRITY",
     "no STUN MESSAGE-INTEGRITY to check"},
    {SIPHB_ERR_STUN_NO_FINGERPRINT, "SIPHB_ERR_STUN_NO_FINGERPRINT", "no STUN FINGERPRINT to check"},
    {SIPHB_ERR_RTCP_VERSION, "SIPHB_ERR_RTCP_VERSION", "RTCP version is not 2"},
    {SIPHB_ERR_RTCP_LENGTH, "SIPHB_ERR_RTCP_LENGTH",
     "bad RTCP length (empty, header cut short, past the datagram, or bad padding)"},
    {SIPHB_ERR_RTCP_REPORT_COUNT, "SIPHB_ERR_RTCP_REPORT_COUNT",
     "RTCP report count does not fit in the packet length"},
    {SIPHB_ERR_RTCP_TYPE, "SIPHB_ERR_RTCP_TYPE", "first RTCP packet is not an SR or RR"},
    {SIPHB_ERR_SNAPSHOT_VERSION, "SIPHB_ERR_SNAPSHOT_VERSION",
     "snapshot written by another format version"},
    {SIPHB_ERR_SNAPSHOT_CORRUPT, "SIPHB_ERR_SNAPSHOT_CORRUPT",
     "snapshot truncated, or its length or checksum wrong"},
    {SIPHB_ERR_SNAPSHOT_KIND, "SIPHB_ERR_SNAPSHOT_KIND", "snapshot of another kind of object"},
    {SIPHB_ERR_FATAL, "SIPHB_ERR_FATAL", "fatal error"},
    {SIPHB_ERR_NOMEM, "SIPHB_ERR_NOMEM", "out of memory or memory budget exhausted"},
    {SIPHB_ERR_CALLBACK_FAILURE, "SIPHB_ERR_CALLBACK_FAILURE", "a callback reported failure"},
};

static const error_text *find(int code) {
  for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
    if (errors[i].code == code) return &errors[i];
  return NULL;
}

const char *siphb_strerror(int code) {
  const error_text *e = find(code);
  return e ? e->text : "unknown error";
}

const char *siphb_errname(int code) {
  const error_text *e = find(code);
  return e ? e->name : "SIPHB_ERR_UNKNOWN";
}

bool siphb_err_is_fatal(int code) { return code <= SIPHB_ERR_FATAL; }
