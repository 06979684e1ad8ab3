/*
 * sip_lex.c - the SIP character-class table and the scanning helpers that
 * are too large to inline (see sip_lex.h).
 */
#include "sip/sip_lex.h"

#include <string.h>

/* Bits: 1 token, 2 SP/HTAB, 4 SP/HTAB/CR/LF, 8 digit, 16 word, 32 host,
 * 64 Call-ID (word or "@"), 128 unquoted parameter value (printable and
 * 8-bit bytes except ; , ? > DQUOTE). RFC 3261 section 25.1: token =
 * alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~";
 * word adds ( ) < > : \ DQUOTE / [ ] ? { }. */
const uint8_t siphb_sip_cc[256] = {
      0,   0,   0,   0,   0,   0,   0,   0,   0,   6,   4,   0,   0,   4,   0,   0,  /* 0x00 */
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,  /* 0x10 */
      6, 209,  80, 128, 128, 209, 128, 209, 208, 208, 209, 209,   0, 241, 241, 208,  /* 0x20 */
    249, 249, 249, 249, 249, 249, 249, 249, 249, 249, 208,   0, 208, 128,  80,  80,  /* 0x30 */
    192, 241, 241, 241, 241, 241, 241, 241, 241, 241, 241, 241, 241, 241, 241, 241,  /* 0x40 */
    241, 241, 241, 241, 241, 241, 241, 241, 241, 241, 241, 208, 208, 208, 128, 241,  /* 0x50 */
    209, 241, 241, 241, 241, 241, 241, 241, 241, 241, 241, 241, 241, 241, 241, 241,  /* 0x60 */
    241, 241, 241, 241, 241, 241, 241, 241, 241, 241, 241, 208, 128, 208, 209,   0,  /* 0x70 */
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,  /* 0x80 */
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,  /* 0x90 */
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,  /* 0xa0 */
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,  /* 0xb0 */
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,  /* 0xc0 */
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,  /* 0xd0 */
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,  /* 0xe0 */
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,  /* 0xf0 */
};

const char *siphb_skip_quoted(const char *p, const char *end) {
  /* memchr finds the candidates; most quoted strings have no escapes. */
  const char *q = p + 1;
  for (;;) {
    const char *quote = memchr(q, '"', (size_t)(end - q));
    if (!quote) return NULL;
    const char *bs = memchr(q, '\\', (size_t)(quote - q));
    if (!bs) return quote + 1;
    /* quoted-pair: the escaped character may not be CR or LF (section 25.1) */
    if (bs + 1 >= end || bs[1] == '\r' || bs[1] == '\n') return NULL;
    q = bs + 2;
  }
}

const char *siphb_parse_u32(const char *p, const char *end, uint32_t max, uint32_t *out) {
  const char *start = p;
  uint64_t v = 0;
  unsigned d;
  while (p < end && (d = (unsigned)((uint8_t)*p - '0')) < 10u) {
    v = v * 10u + d;
    if (v > max) return NULL;
    p++;
  }
  if (p == start) return NULL;
  *out = (uint32_t)v;
  return p;
}
