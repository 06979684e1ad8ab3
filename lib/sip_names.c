/*
 * sip_names.c - header names (long and compact forms, RFC 3261 section 7.3.3
 * and the extensions that define compact forms) and method names.
 */
#include <siphb/sip.h>

#include <string.h>

#include "sip_lex.h"

/* Indexed by siphb_sip_hdr. */
static const char *const hdr_names[SIPHB_SIP_HDR_COUNT_] = {
    "",
    "Via",
    "From",
    "To",
    "Call-ID",
    "CSeq",
    "Max-Forwards",
    "Content-Length",
    "Contact",
    "Expires",
    "Min-Expires",
    "Retry-After",
    "Session-Expires",
    "Min-SE",
    "Flow-Timer",
    "Supported",
    "Require",
    "Allow",
    "Server",
    "User-Agent",
    "Content-Type",
    "Content-Encoding",
    "Subject",
    "Event",
    "Allow-Events",
    "Refer-To",
    "Referred-By",
    "Accept-Contact",
    "Reject-Contact",
    "Request-Disposition",
    "Identity",
    "Identity-Info",
    "Accept",
    "Path",
    "WWW-Authenticate",
    "Proxy-Authenticate",
    "Authorization",
    "Proxy-Authorization",
    "Record-Route",
    "Route",
};

/* Compact forms, indexed by letter - 'a'. */
static const uint8_t compact_forms[26] = {
    SIPHB_SIP_HDR_ACCEPT_CONTACT, /* a */
    SIPHB_SIP_HDR_REFERRED_BY, /* b */
    SIPHB_SIP_HDR_CONTENT_TYPE, /* c */
    SIPHB_SIP_HDR_REQUEST_DISPOSITION, /* d */
    SIPHB_SIP_HDR_CONTENT_ENCODING, /* e */
    SIPHB_SIP_HDR_FROM, /* f */
    SIPHB_SIP_HDR_OTHER, /* g */
    SIPHB_SIP_HDR_OTHER, /* h */
    SIPHB_SIP_HDR_CALL_ID, /* i */
    SIPHB_SIP_HDR_REJECT_CONTACT, /* j */
    SIPHB_SIP_HDR_SUPPORTED, /* k */
    SIPHB_SIP_HDR_CONTENT_LENGTH, /* l */
    SIPHB_SIP_HDR_CONTACT, /* m */
    SIPHB_SIP_HDR_IDENTITY_INFO, /* n */
    SIPHB_SIP_HDR_EVENT, /* o */
    SIPHB_SIP_HDR_OTHER, /* p */
    SIPHB_SIP_HDR_OTHER, /* q */
    SIPHB_SIP_HDR_REFER_TO, /* r */
    SIPHB_SIP_HDR_SUBJECT, /* s */
    SIPHB_SIP_HDR_TO, /* t */
    SIPHB_SIP_HDR_ALLOW_EVENTS, /* u */
    SIPHB_SIP_HDR_VIA, /* v */
    SIPHB_SIP_HDR_OTHER, /* w */
    SIPHB_SIP_HDR_SESSION_EXPIRES, /* x */
    SIPHB_SIP_HDR_IDENTITY, /* y */
    SIPHB_SIP_HDR_OTHER, /* z */
};

/* Long names in lower case, grouped by length: entries of length L are
 * long_names[by_length[L] .. by_length[L + 1]). */
typedef struct hdr_entry {
  const char *lower;
  uint8_t id;
} hdr_entry;

static const hdr_entry long_names[] = {
    {"to", SIPHB_SIP_HDR_TO},
    {"via", SIPHB_SIP_HDR_VIA},
    {"cseq", SIPHB_SIP_HDR_CSEQ},
    {"from", SIPHB_SIP_HDR_FROM},
    {"path", SIPHB_SIP_HDR_PATH},
    {"allow", SIPHB_SIP_HDR_ALLOW},
    {"event", SIPHB_SIP_HDR_EVENT},
    {"route", SIPHB_SIP_HDR_ROUTE},
    {"accept", SIPHB_SIP_HDR_ACCEPT},
    {"min-se", SIPHB_SIP_HDR_MIN_SE},
    {"server", SIPHB_SIP_HDR_SERVER},
    {"call-id", SIPHB_SIP_HDR_CALL_ID},
    {"contact", SIPHB_SIP_HDR_CONTACT},
    {"expires", SIPHB_SIP_HDR_EXPIRES},
    {"require", SIPHB_SIP_HDR_REQUIRE},
    {"subject", SIPHB_SIP_HDR_SUBJECT},
    {"identity", SIPHB_SIP_HDR_IDENTITY},
    {"refer-to", SIPHB_SIP_HDR_REFER_TO},
    {"supported", SIPHB_SIP_HDR_SUPPORTED},
    {"flow-timer", SIPHB_SIP_HDR_FLOW_TIMER},
    {"user-agent", SIPHB_SIP_HDR_USER_AGENT},
    {"min-expires", SIPHB_SIP_HDR_MIN_EXPIRES},
    {"referred-by", SIPHB_SIP_HDR_REFERRED_BY},
    {"retry-after", SIPHB_SIP_HDR_RETRY_AFTER},
    {"allow-events", SIPHB_SIP_HDR_ALLOW_EVENTS},
    {"content-type", SIPHB_SIP_HDR_CONTENT_TYPE},
    {"max-forwards", SIPHB_SIP_HDR_MAX_FORWARDS},
    {"record-route", SIPHB_SIP_HDR_RECORD_ROUTE},
    {"authorization", SIPHB_SIP_HDR_AUTHORIZATION},
    {"identity-info", SIPHB_SIP_HDR_IDENTITY_INFO},
    {"accept-contact", SIPHB_SIP_HDR_ACCEPT_CONTACT},
    {"content-length", SIPHB_SIP_HDR_CONTENT_LENGTH},
    {"reject-contact", SIPHB_SIP_HDR_REJECT_CONTACT},
    {"session-expires", SIPHB_SIP_HDR_SESSION_EXPIRES},
    {"content-encoding", SIPHB_SIP_HDR_CONTENT_ENCODING},
    {"www-authenticate", SIPHB_SIP_HDR_WWW_AUTHENTICATE},
    {"proxy-authenticate", SIPHB_SIP_HDR_PROXY_AUTHENTICATE},
    {"proxy-authorization", SIPHB_SIP_HDR_PROXY_AUTHORIZATION},
    {"request-disposition", SIPHB_SIP_HDR_REQUEST_DISPOSITION},
};

#define LONGEST_NAME 19
static const uint8_t by_length[LONGEST_NAME + 2] = {0, 0, 0, 1, 2, 5, 8, 11, 16, 18, 19, 21, 24, 28, 30, 33, 34, 36, 36, 37, 39};

siphb_sip_hdr siphb_sip_hdr_from(siphb_str name) {
  if (!name.ptr) return SIPHB_SIP_HDR_OTHER;
  if (name.len == 1) {
    uint8_t c = siphb_lower((uint8_t)name.ptr[0]);
    return c >= 'a' && c <= 'z' ? (siphb_sip_hdr)compact_forms[c - 'a'] : SIPHB_SIP_HDR_OTHER;
  }
  if (name.len > LONGEST_NAME) return SIPHB_SIP_HDR_OTHER;
  uint8_t first = siphb_lower((uint8_t)name.ptr[0]);
  for (unsigned i = by_length[name.len]; i < by_length[name.len + 1]; i++) {
    const hdr_entry *e = &long_names[i];
    if ((uint8_t)e->lower[0] == first && siphb_ieq_lower(name.ptr, e->lower, name.len))
      return (siphb_sip_hdr)e->id;
  }
  return SIPHB_SIP_HDR_OTHER;
}

const char *siphb_sip_hdr_name(siphb_sip_hdr hdr) {
  return (unsigned)hdr < SIPHB_SIP_HDR_COUNT_ ? hdr_names[hdr] : "";
}

/* Indexed by siphb_sip_method. */
typedef struct method_entry {
  const char *name;
  uint8_t len;
} method_entry;

static const method_entry methods[] = {
    {"", 0},        {"INVITE", 6},    {"ACK", 3},     {"BYE", 3},     {"CANCEL", 6},
    {"OPTIONS", 7}, {"REGISTER", 8},  {"PRACK", 5},   {"SUBSCRIBE", 9}, {"NOTIFY", 6},
    {"PUBLISH", 7}, {"INFO", 4},      {"REFER", 5},   {"MESSAGE", 7}, {"UPDATE", 6},
};

#define METHOD_COUNT (sizeof(methods) / sizeof(methods[0]))

siphb_sip_method siphb_sip_method_from(siphb_str name) {
  if (!name.ptr) return SIPHB_SIP_METHOD_OTHER;
  /* Methods are case-sensitive (RFC 3261 section 7.1). */
  for (unsigned m = 1; m < METHOD_COUNT; m++)
    if (methods[m].len == name.len && memcmp(methods[m].name, name.ptr, name.len) == 0)
      return (siphb_sip_method)m;
  return SIPHB_SIP_METHOD_OTHER;
}

const char *siphb_sip_method_name(siphb_sip_method method) {
  return (unsigned)method < METHOD_COUNT ? methods[method].name : "";
}
