/*
 * sip_lex.h - character classes and small scanning helpers shared by the
 * SIP parser, its iterators and the stream framer (internal).
 *
 * Every helper takes the end of the range it may read and never reads at or
 * past it. Inside a header value, CR and LF only occur as part of a fold
 * (the line splitter guarantees it), so they count as linear white space.
 */
#ifndef SIPHB_LIB_SIP_LEX_H
#define SIPHB_LIB_SIP_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <siphb/common.h>

/* Class bits of siphb_sip_cc[]. */
enum {
  SIPHB_CC_TOKEN = 1u << 0, /* RFC 3261 token: alphanum - . ! % * _ + ` ' ~ */
  SIPHB_CC_WS = 1u << 1,    /* SP, HTAB */
  SIPHB_CC_LWS = 1u << 2,   /* SP, HTAB, CR, LF (white space inside a value) */
  SIPHB_CC_DIGIT = 1u << 3, /* 0-9 */
  SIPHB_CC_WORD = 1u << 4,  /* RFC 3261 word (Call-ID): token plus ( ) < > : \ " / [ ] ? { } */
  SIPHB_CC_HOST = 1u << 5,  /* host name / IPv4 characters: alphanum - . _ */
  SIPHB_CC_CALLID = 1u << 6, /* Call-ID: word or "@" */
  SIPHB_CC_PVAL = 1u << 7    /* unquoted parameter value: printable or 8-bit,
                                not ; , ? > DQUOTE */
};

extern const uint8_t siphb_sip_cc[256];

static inline bool siphb_cc(uint8_t c, unsigned cls) { return (siphb_sip_cc[c] & cls) != 0; }

static inline uint8_t siphb_lower(uint8_t c) {
  return (uint8_t)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
}

/* Case-insensitive equality of a[0..n) and the lower-case ASCII b[0..n). */
static inline bool siphb_ieq_lower(const char *a, const char *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (siphb_lower((uint8_t)a[i]) != (uint8_t)b[i]) return false;
  return true;
}

/* Skips white space inside a value (SP, HTAB and folds). */
static inline const char *siphb_skip_lws(const char *p, const char *end) {
  while (p < end && siphb_cc((uint8_t)*p, SIPHB_CC_LWS)) p++;
  return p;
}

/* Drops white space at the end of [p, end). */
static inline const char *siphb_trim_end(const char *p, const char *end) {
  while (end > p && siphb_cc((uint8_t)end[-1], SIPHB_CC_LWS)) end--;
  return end;
}

/* Skips the bytes of class cls; four per bound check, since runs of them
 * (names, hosts, parameter values) are where parsing spends its time. */
static inline const char *siphb_skip_class(const char *p, const char *end, unsigned cls) {
  while (end - p >= 4) {
    if (!siphb_cc((uint8_t)p[0], cls)) return p;
    if (!siphb_cc((uint8_t)p[1], cls)) return p + 1;
    if (!siphb_cc((uint8_t)p[2], cls)) return p + 2;
    if (!siphb_cc((uint8_t)p[3], cls)) return p + 3;
    p += 4;
  }
  while (p < end && siphb_cc((uint8_t)*p, cls)) p++;
  return p;
}

static inline siphb_str siphb_mkstr(const char *p, const char *end) {
  siphb_str s;
  s.ptr = p;
  s.len = (size_t)(end - p);
  return s;
}

/* The end of a quoted string that starts at p (p[0] == '"'): the position
 * after the closing quote, honouring backslash escapes; NULL when it is not
 * closed before end. */
const char *siphb_skip_quoted(const char *p, const char *end);

/* Reads a decimal number of at most max into *out. Returns the position after
 * the digits, or NULL when there are none or the value exceeds max. */
const char *siphb_parse_u32(const char *p, const char *end, uint32_t max, uint32_t *out);

#endif /* SIPHB_LIB_SIP_LEX_H */
