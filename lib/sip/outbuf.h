/*
 * outbuf.h - writing SIP text into a caller's buffer (internal).
 *
 * Shared by the OPTIONS encoder (sip_encode.c) and the responder
 * (sip_respond.c). Two ways to write:
 *
 *  - unchecked: siphb_put_*() take a pointer and return it advanced. The
 *    caller has already computed the exact size and checked it against the
 *    capacity; the encoder does this because every length it writes is known
 *    before it writes anything.
 *  - bounded: a siphb_outbuf writes while there is room and keeps counting
 *    past the end, so one pass gives either the message or the exact size
 *    the caller must supply (SIPHB_ERR_NOBUF). The responder uses it because
 *    the unfolded lengths of the request's values are only known by walking
 *    them.
 *
 * Nothing here allocates or needs more than string.h (memcpy only). The
 * digit tables live in outbuf.c.
 */
#ifndef SIPHB_LIB_OUTBUF_H
#define SIPHB_LIB_OUTBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <siphb/common.h>

#include "base/hint.h"

/* A string literal and its length without the NUL, as two arguments. */
#define SIPHB_LIT(s) (s), (sizeof(s) - 1)

/* Largest single value the encoders accept. Far above any SIP message
 * (65,535 bytes at most over UDP, RFC 3261 section 18.1.1), and small enough
 * that the sum of a dozen of them cannot overflow size_t or siphb_ssize. */
#define SIPHB_OUT_MAX_VALUE ((size_t)PTRDIFF_MAX / 32)

/* ---- checks on values about to be written ------------------------------- */

/* The checks below run once per field of an encoder's struct. Each field
 * gets its own copy (SIPHB_HOT_INLINE, the loop over a table unrolled), so
 * that each has its own branches: with one shared loop the branch
 * predictor mixes the fields' lengths, and the OPTIONS encoder took 55-57
 * ns instead of 50. */

static inline bool siphb_out_bad_byte(uint8_t c) {
  /* NUL, LF, CR: bits 0, 10 and 13. */
  return c < 14 && ((0x2401u >> c) & 1u);
}

/* true if none of the 8 bytes at p is NUL, CR or LF. The word is looked at
 * byte by byte only when it holds a byte below 0x0E (the classic "has a
 * byte less than n" test, exact in telling whether one exists), which plain
 * text rarely does. */
static SIPHB_HOT_INLINE bool siphb_out_word_ok(const uint8_t *p) {
  uint64_t w;
  memcpy(&w, p, 8);
  if (!((w - UINT64_C(0x0E0E0E0E0E0E0E0E)) & ~w & UINT64_C(0x8080808080808080))) return true;
  for (unsigned i = 0; i < 8; i++)
    if (siphb_out_bad_byte(p[i])) return false;
  return true;
}

/*
 * true if `s` can be written as (part of) a header value: a well-formed
 * slice with no CR, LF or NUL. A line break would end the header (or, with
 * a blank after it, fold it: RFC 3261 section 7.3.1), which would let a
 * value inject headers; NUL ends the message for many C stacks.
 *
 * Eight bytes at a time; a value of 8 bytes or more ends with the word of
 * its last 8 bytes, overlapping the one before, rather than a byte loop
 * over the rest (the OPTIONS encoder: 53-56 ns with the byte loop, 50 ns
 * with the overlapping word).
 */
static SIPHB_HOT_INLINE bool siphb_out_value_ok(siphb_str s) {
  if (s.len == 0) return true;
  if (!s.ptr || s.len > SIPHB_OUT_MAX_VALUE) return false;
  const uint8_t *p = (const uint8_t *)s.ptr;
  if (s.len < 8) {
    for (size_t i = 0; i < s.len; i++)
      if (siphb_out_bad_byte(p[i])) return false;
    return true;
  }
  for (size_t i = 0; i + 8 <= s.len; i += 8)
    if (!siphb_out_word_ok(p + i)) return false;
  return s.len % 8 == 0 || siphb_out_word_ok(p + s.len - 8);
}

/* A siphb_str field of a caller's struct, by its offset, and what an error
 * says of it when it does not pass siphb_out_value_ok(), e.g. "via_host:
 * CR, LF or NUL, or too long". A static table of these names every text
 * field once; nothing is built per call. */
typedef struct siphb_out_field {
  size_t offset;
  const char *why;
} siphb_out_field;

/* The `why` of the first of the n fields of `s` that is not a valid value,
 * or NULL. */
static SIPHB_HOT_INLINE const char *siphb_out_first_bad(const void *s,
                                                        const siphb_out_field *fields, size_t n) {
  SIPHB_HOT_UNROLL
  for (size_t i = 0; i < n; i++) {
    siphb_str v;
    memcpy(&v, (const char *)s + fields[i].offset, sizeof v);
    if (!siphb_out_value_ok(v)) return fields[i].why;
  }
  return NULL;
}

/* ---- numbers -------------------------------------------------------------- */

/* Decimal digits of v. */
static inline unsigned siphb_dec_len(uint32_t v) {
  unsigned n = 1;
  while (v >= 10000) {
    v /= 10000;
    n += 4;
  }
  return n + (v >= 10) + (v >= 100) + (v >= 1000);
}

/* "00" .. "99" and "00" .. "ff": two characters per value (outbuf.c). */
extern const char siphb_dec_pairs[201];
extern const char siphb_hex_pairs[513];

/* Writes v in decimal as exactly `len` = siphb_dec_len(v) digits, two at a
 * time from the right (one division by 100 per pair). */
static inline uint8_t *siphb_put_dec(uint8_t *p, uint32_t v, unsigned len) {
  uint8_t *e = p + len;
  while (v >= 100) {
    uint32_t r = v % 100;
    v /= 100;
    e -= 2;
    memcpy(e, siphb_dec_pairs + 2 * r, 2);
  }
  if (v >= 10) {
    e -= 2;
    memcpy(e, siphb_dec_pairs + 2 * v, 2);
  } else {
    *--e = (uint8_t)('0' + v);
  }
  return p + len;
}

/* Writes n bytes as 2n lowercase hex digits (every one a token character,
 * RFC 3261 section 25.1, so fit for branch, tag and Call-ID). */
static inline uint8_t *siphb_put_hex(uint8_t *p, const uint8_t *src, size_t n) {
  for (size_t i = 0; i < n; i++) memcpy(p + 2 * i, siphb_hex_pairs + 2 * src[i], 2);
  return p + 2 * n;
}

/* ---- unchecked writes ----------------------------------------------------- */

static inline uint8_t *siphb_put(uint8_t *p, const char *src, size_t n) {
  memcpy(p, src, n);
  return p + n;
}

/* An empty siphb_str may have a NULL ptr, which memcpy must not see. */
static inline uint8_t *siphb_put_str(uint8_t *p, siphb_str s) {
  if (s.len) memcpy(p, s.ptr, s.len);
  return p + s.len;
}

/* ---- the bounded, counting writer ---------------------------------------- */

typedef struct siphb_outbuf {
  uint8_t *buf;
  size_t cap;
  size_t len; /* bytes the output needs so far; may exceed cap */
} siphb_outbuf;

static inline void siphb_ob_init(siphb_outbuf *ob, uint8_t *buf, size_t cap) {
  ob->buf = buf;
  ob->cap = cap;
  ob->len = 0;
}

/* Space for n more bytes at the current end? Once one piece did not fit,
 * len > cap and nothing later is written, so the buffer never holds a
 * message with a hole in it. */
static inline bool siphb_ob_room(const siphb_outbuf *ob, size_t n) {
  return ob->len <= ob->cap && n <= ob->cap - ob->len;
}

static inline void siphb_ob_put(siphb_outbuf *ob, const char *src, size_t n) {
  if (n && siphb_ob_room(ob, n)) memcpy(ob->buf + ob->len, src, n);
  ob->len += n;
}

static inline void siphb_ob_put_str(siphb_outbuf *ob, siphb_str s) {
  siphb_ob_put(ob, s.ptr, s.len);
}

static inline void siphb_ob_put_dec(siphb_outbuf *ob, uint32_t v) {
  unsigned n = siphb_dec_len(v);
  if (siphb_ob_room(ob, n)) siphb_put_dec(ob->buf + ob->len, v, n);
  ob->len += n;
}

/* Counts n bytes to be filled in later (at the returned offset, if the
 * whole output fits). */
static inline size_t siphb_ob_reserve(siphb_outbuf *ob, size_t n) {
  size_t at = ob->len;
  ob->len += n;
  return at;
}

static inline bool siphb_ob_is_sp_or_tab(char c) { return c == ' ' || c == '\t'; }

/* The first CR or LF in [p, end), or end. Eight bytes at a time with the
 * same "byte below 0x0E" test as siphb_out_value_ok: most values have no
 * line break at all. */
static inline const char *siphb_out_find_break(const char *p, const char *end) {
  while (end - p >= 8) {
    uint64_t w;
    memcpy(&w, p, 8);
    if ((w - UINT64_C(0x0E0E0E0E0E0E0E0E)) & ~w & UINT64_C(0x8080808080808080)) {
      for (unsigned i = 0; i < 8; i++)
        if (p[i] == '\r' || p[i] == '\n') return p + i;
    }
    p += 8;
  }
  for (; p < end; p++)
    if (*p == '\r' || *p == '\n') return p;
  return end;
}

/*
 * Writes a header value as received, with every folded line break turned
 * into one SP (RFC 3261 section 7.3.1: the CRLF and the blanks around it
 * are equivalent to a single SP). Any run of CR, LF, SP and HTAB that holds
 * a CR or LF counts as one fold, so no line break can reach the output even
 * from a value the parser did not produce.
 */
static inline void siphb_ob_put_unfolded(siphb_outbuf *ob, siphb_str s) {
  if (s.len == 0) return; /* ptr may be NULL: no arithmetic on it */
  const char *end = s.ptr + s.len;
  const char *run = s.ptr; /* start of the text not yet written */
  for (;;) {
    const char *p = siphb_out_find_break(run, end);
    if (p == end) break;
    const char *cut = p; /* drop the blanks before the break */
    while (cut > run && siphb_ob_is_sp_or_tab(cut[-1])) cut--;
    siphb_ob_put(ob, run, (size_t)(cut - run));
    while (p < end && (*p == '\r' || *p == '\n' || siphb_ob_is_sp_or_tab(*p))) p++;
    siphb_ob_put(ob, SIPHB_LIT(" "));
    run = p;
  }
  siphb_ob_put(ob, run, (size_t)(end - run));
}

#endif /* SIPHB_LIB_OUTBUF_H */
