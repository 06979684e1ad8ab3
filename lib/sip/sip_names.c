/*
 * sip_names.c - header names (long and compact forms, RFC 3261 section 7.3.3
 * and the extensions that define compact forms) and method names.
 */
#include <siphb/sip.h>

#include <string.h>

#include "sip/sip_lex.h"
#include "sip/sip_names.h"

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

/* Long names in lower case, found through a hash of the length and the
 * first and last letters that has no collisions among them (checked when
 * the table was generated): slot = index + 1 into long_names, 0 = none. */
typedef struct hdr_entry {
  char lower[24]; /* zero-padded, so 8-byte loads stay inside */
  char fold[24];  /* 0x20 where a letter may come in either case, else 0 */
  uint8_t len;
  uint8_t id;
} hdr_entry;

static const hdr_entry long_names[] = {
    {"to", "  ", 2, SIPHB_SIP_HDR_TO},
    {"via", "   ", 3, SIPHB_SIP_HDR_VIA},
    {"cseq", "    ", 4, SIPHB_SIP_HDR_CSEQ},
    {"from", "    ", 4, SIPHB_SIP_HDR_FROM},
    {"path", "    ", 4, SIPHB_SIP_HDR_PATH},
    {"allow", "     ", 5, SIPHB_SIP_HDR_ALLOW},
    {"event", "     ", 5, SIPHB_SIP_HDR_EVENT},
    {"route", "     ", 5, SIPHB_SIP_HDR_ROUTE},
    {"accept", "      ", 6, SIPHB_SIP_HDR_ACCEPT},
    {"min-se", "   \0  ", 6, SIPHB_SIP_HDR_MIN_SE},
    {"server", "      ", 6, SIPHB_SIP_HDR_SERVER},
    {"call-id", "    \0  ", 7, SIPHB_SIP_HDR_CALL_ID},
    {"contact", "       ", 7, SIPHB_SIP_HDR_CONTACT},
    {"expires", "       ", 7, SIPHB_SIP_HDR_EXPIRES},
    {"require", "       ", 7, SIPHB_SIP_HDR_REQUIRE},
    {"subject", "       ", 7, SIPHB_SIP_HDR_SUBJECT},
    {"identity", "        ", 8, SIPHB_SIP_HDR_IDENTITY},
    {"refer-to", "     \0  ", 8, SIPHB_SIP_HDR_REFER_TO},
    {"supported", "         ", 9, SIPHB_SIP_HDR_SUPPORTED},
    {"flow-timer", "    \0     ", 10, SIPHB_SIP_HDR_FLOW_TIMER},
    {"user-agent", "    \0     ", 10, SIPHB_SIP_HDR_USER_AGENT},
    {"min-expires", "   \0       ", 11, SIPHB_SIP_HDR_MIN_EXPIRES},
    {"referred-by", "        \0  ", 11, SIPHB_SIP_HDR_REFERRED_BY},
    {"retry-after", "     \0     ", 11, SIPHB_SIP_HDR_RETRY_AFTER},
    {"allow-events", "     \0      ", 12, SIPHB_SIP_HDR_ALLOW_EVENTS},
    {"content-type", "       \0    ", 12, SIPHB_SIP_HDR_CONTENT_TYPE},
    {"max-forwards", "   \0        ", 12, SIPHB_SIP_HDR_MAX_FORWARDS},
    {"record-route", "      \0     ", 12, SIPHB_SIP_HDR_RECORD_ROUTE},
    {"authorization", "             ", 13, SIPHB_SIP_HDR_AUTHORIZATION},
    {"identity-info", "        \0    ", 13, SIPHB_SIP_HDR_IDENTITY_INFO},
    {"accept-contact", "      \0       ", 14, SIPHB_SIP_HDR_ACCEPT_CONTACT},
    {"content-length", "       \0      ", 14, SIPHB_SIP_HDR_CONTENT_LENGTH},
    {"reject-contact", "      \0       ", 14, SIPHB_SIP_HDR_REJECT_CONTACT},
    {"session-expires", "       \0       ", 15, SIPHB_SIP_HDR_SESSION_EXPIRES},
    {"content-encoding", "       \0        ", 16, SIPHB_SIP_HDR_CONTENT_ENCODING},
    {"www-authenticate", "   \0            ", 16, SIPHB_SIP_HDR_WWW_AUTHENTICATE},
    {"proxy-authenticate", "     \0            ", 18, SIPHB_SIP_HDR_PROXY_AUTHENTICATE},
    {"proxy-authorization", "     \0             ", 19, SIPHB_SIP_HDR_PROXY_AUTHORIZATION},
    {"request-disposition", "       \0           ", 19, SIPHB_SIP_HDR_REQUEST_DISPOSITION},
};

#define LONGEST_NAME 19
#define NAME_HASH(len, first, last) (((len) + (first)*14u + (last)*7u) & 127u)

static const uint8_t name_slots[128] = {
     9,  0,  0,  0,  8,  3, 15,  0, 31,  0,  0, 28,  0,  0,  0, 19,
     0,  0,  0,  4,  6, 17, 23,  0,  0,  0,  0,  0, 21, 13,  2,  0,
     0,  0,  0,  0,  0,  0, 22, 27,  0,  0,  0,  0,  0, 12,  0,  0,
     0,  0, 14,  0,  0, 38,  0,  7,  0, 26,  0,  0, 20,  0,  0, 10,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0, 35,  0, 18,  0,  0,
    32, 39,  0,  0, 30, 36,  0,  0,  0,  0,  0,  0,  0, 29,  0,  0,
     0,  0,  0,  1,  0, 24,  0,  0,  0,  0,  0,  0,  0,  0, 11,  0,
     0,  0,  0,  0,  0, 37, 33,  0,  0,  0,  0,  0,  5, 16, 34, 25,
};

/* Bytes 0..k-1 set: masks the last, partial word of a name the same way on
 * either byte order. */
static const uint8_t word_masks[8][8] = {
    {0}, {255}, {255, 255}, {255, 255, 255}, {255, 255, 255, 255},
    {255, 255, 255, 255, 255}, {255, 255, 255, 255, 255, 255},
    {255, 255, 255, 255, 255, 255, 255},
};

/* The long-name entry the hash points at, or NULL. `| 0x20` lowers letters;
 * every name in the table starts and ends with one, so other bytes can only
 * land on a wrong entry, which the comparison then refuses. */
static const hdr_entry *long_entry(const char *name, size_t len) {
  if (len > LONGEST_NAME) return NULL;
  unsigned first = (uint8_t)name[0] | 0x20u, last = (uint8_t)name[len - 1] | 0x20u;
  unsigned slot = name_slots[NAME_HASH((unsigned)len, first, last)];
  if (!slot || long_names[slot - 1].len != len) return NULL;
  return &long_names[slot - 1];
}

/* c | fold == lower holds exactly for the letter in either case and for
 * '-' itself; whole words are compared, the last one masked. The caller
 * guarantees that the words around name[0..len) are readable. */
static bool entry_matches_words(const hdr_entry *e, const char *name, size_t len) {
  size_t i = 0;
  uint64_t c, fold, lower, mask;
  for (; i + 8 <= len; i += 8) {
    memcpy(&c, name + i, 8);
    memcpy(&fold, e->fold + i, 8);
    memcpy(&lower, e->lower + i, 8);
    if ((c | fold) != lower) return false;
  }
  if (i == len) return true;
  memcpy(&c, name + i, 8);
  memcpy(&fold, e->fold + i, 8);
  memcpy(&lower, e->lower + i, 8);
  memcpy(&mask, word_masks[len - i], 8);
  return ((c | fold) & mask) == lower;
}

static bool entry_matches_bytes(const hdr_entry *e, const char *name, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (((uint8_t)name[i] | (uint8_t)e->fold[i]) != (uint8_t)e->lower[i]) return false;
  return true;
}

static siphb_sip_hdr compact_form(uint8_t c) {
  c = siphb_lower(c);
  return c >= 'a' && c <= 'z' ? (siphb_sip_hdr)compact_forms[c - 'a'] : SIPHB_SIP_HDR_OTHER;
}

siphb_sip_hdr siphb_sip_hdr_from(siphb_str name) {
  if (!name.ptr || name.len == 0) return SIPHB_SIP_HDR_OTHER;
  if (name.len == 1) return compact_form((uint8_t)name.ptr[0]);
  const hdr_entry *e = long_entry(name.ptr, name.len);
  return e && entry_matches_bytes(e, name.ptr, name.len) ? (siphb_sip_hdr)e->id
                                                         : SIPHB_SIP_HDR_OTHER;
}

siphb_sip_hdr siphb_sip_hdr_lookup(const char *name, size_t len, const char *readable_end) {
  if (len == 1) return compact_form((uint8_t)name[0]);
  const hdr_entry *e = long_entry(name, len);
  if (!e) return SIPHB_SIP_HDR_OTHER;
  bool same = (size_t)(readable_end - name) >= ((len + 7) & ~(size_t)7)
                  ? entry_matches_words(e, name, len)
                  : entry_matches_bytes(e, name, len);
  return same ? (siphb_sip_hdr)e->id : SIPHB_SIP_HDR_OTHER;
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
  if (!name.ptr || name.len < 3 || name.len > 9) return SIPHB_SIP_METHOD_OTHER;
  /* Methods are case-sensitive (RFC 3261 section 7.1). The length and the
   * first letter leave at most one candidate. */
  siphb_sip_method m = SIPHB_SIP_METHOD_OTHER;
  switch (name.ptr[0]) {
  case 'A': m = SIPHB_SIP_METHOD_ACK; break;
  case 'B': m = SIPHB_SIP_METHOD_BYE; break;
  case 'C': m = SIPHB_SIP_METHOD_CANCEL; break;
  case 'I': m = name.len == 6 ? SIPHB_SIP_METHOD_INVITE : SIPHB_SIP_METHOD_INFO; break;
  case 'M': m = SIPHB_SIP_METHOD_MESSAGE; break;
  case 'N': m = SIPHB_SIP_METHOD_NOTIFY; break;
  case 'O': m = SIPHB_SIP_METHOD_OPTIONS; break;
  case 'P': m = name.len == 5 ? SIPHB_SIP_METHOD_PRACK : SIPHB_SIP_METHOD_PUBLISH; break;
  case 'R': m = name.len == 5 ? SIPHB_SIP_METHOD_REFER : SIPHB_SIP_METHOD_REGISTER; break;
  case 'S': m = SIPHB_SIP_METHOD_SUBSCRIBE; break;
  case 'U': m = SIPHB_SIP_METHOD_UPDATE; break;
  default: return SIPHB_SIP_METHOD_OTHER;
  }
  if (methods[m].len != name.len) return SIPHB_SIP_METHOD_OTHER;
  for (size_t i = 1; i < name.len; i++) /* too short for memcmp to pay */
    if (methods[m].name[i] != name.ptr[i]) return SIPHB_SIP_METHOD_OTHER;
  return m;
}

const char *siphb_sip_method_name(siphb_sip_method method) {
  return (unsigned)method < METHOD_COUNT ? methods[method].name : "";
}
