/*
 * siphb_xw.c - the export layer's bounded text writer: bytes, integers, JSON
 * strings, Prometheus label values (export/siphb_xw.h).
 */
#include "export/xw.h"

#include <string.h>

#include "base/error_info.h"

/* The most a text may count: beyond it need = len + 1 and the return value
 * would no longer fit siphb_ssize. No export text comes near it (an event
 * is under a kilobyte plus six times its reason phrase). */
#define XW_MAX ((size_t)PTRDIFF_MAX - 1)

void siphb_xw_put(siphb_xw *w, const char *s, size_t n) {
  if (w->len < w->cap) {
    size_t room = w->cap - w->len;
    memcpy(w->buf + w->len, s, n < room ? n : room);
  }
  w->len = n > XW_MAX - w->len ? XW_MAX : w->len + n;
}

void siphb_xw_byte(siphb_xw *w, char c) { siphb_xw_put(w, &c, 1); }

void siphb_xw_cstr(siphb_xw *w, const char *s) { siphb_xw_put(w, s, strlen(s)); }

void siphb_xw_u64(siphb_xw *w, uint64_t v) {
  char digits[20]; /* 18446744073709551615 */
  size_t i = sizeof digits;
  do {
    digits[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  siphb_xw_put(w, digits + i, sizeof digits - i);
}

void siphb_xw_i64(siphb_xw *w, int64_t v) {
  if (v < 0) {
    siphb_xw_byte(w, '-');
    /* -(v + 1) + 1 stays in range for INT64_MIN. */
    siphb_xw_u64(w, (uint64_t)(-(v + 1)) + 1u);
  } else {
    siphb_xw_u64(w, (uint64_t)v);
  }
}

void siphb_xw_ms(siphb_xw *w, siphb_ms v) {
  if (v == SIPHB_NEVER)
    SIPHB_XW_LIT(w, "null");
  else
    siphb_xw_u64(w, v);
}

void siphb_xw_seconds(siphb_xw *w, siphb_ms ms) {
  if (ms == SIPHB_NEVER) {
    SIPHB_XW_LIT(w, "NaN");
    return;
  }
  siphb_xw_u64(w, ms / 1000);
  unsigned frac = (unsigned)(ms % 1000);
  if (!frac) return;
  char d[4] = {'.', (char)('0' + frac / 100), (char)('0' + frac / 10 % 10),
               (char)('0' + frac % 10)};
  size_t n = 4;
  while (d[n - 1] == '0') n--; /* frac > 0: stops at a digit */
  siphb_xw_put(w, d, n);
}

void siphb_xw_bool(siphb_xw *w, bool v) {
  if (v)
    SIPHB_XW_LIT(w, "true");
  else
    SIPHB_XW_LIT(w, "false");
}

static const char hex[] = "0123456789abcdef";

/* Length of the well-formed UTF-8 sequence at p[0..n) (RFC 3629 section
 * 4's table), or 0 when the lead byte does not start one. */
static size_t utf8_len(const unsigned char *p, size_t n) {
  unsigned char c = p[0];
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF; /* the range of the second byte */
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0; /* no overlong forms */
    if (c == 0xED) hi = 0x9F; /* no surrogates U+D800..U+DFFF */
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F; /* nothing above U+10FFFF */
  } else {
    return 0; /* 80..C1 (continuations, overlong leads), F5..FF */
  }
  if (n < len || p[1] < lo || p[1] > hi) return 0;
  for (size_t i = 2; i < len; i++)
    if (p[i] < 0x80 || p[i] > 0xBF) return 0;
  return len;
}

void siphb_xw_json_str(siphb_xw *w, const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s;
  siphb_xw_byte(w, '"');
  size_t i = 0;
  while (i < len) {
    /* Runs of bytes that need no escape go out in one copy. */
    size_t run = i;
    while (run < len && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' && p[run] != '\\')
      run++;
    if (run > i) {
      siphb_xw_put(w, s + i, run - i);
      i = run;
      continue;
    }
    unsigned char c = p[i];
    if (c == '"' || c == '\\') {
      char e[2] = {'\\', (char)c};
      siphb_xw_put(w, e, 2);
      i++;
    } else if (c < 0x20) {
      char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
      siphb_xw_put(w, e, 6);
      i++;
    } else {
      size_t n = utf8_len(p + i, len - i);
      if (n) {
        siphb_xw_put(w, s + i, n);
        i += n;
      } else {
        SIPHB_XW_LIT(w, "\\ufffd");
        i++;
      }
    }
  }
  siphb_xw_byte(w, '"');
}

void siphb_xw_json_cstr(siphb_xw *w, const char *s) { siphb_xw_json_str(w, s, strlen(s)); }

/* Hand-written scans rather than strcspn: the freestanding core links
 * nothing from the C library beyond memcpy, memmove, memset, memcmp, memchr
 * and strlen (scripts/cross-cortex-m4.sh). */
void siphb_xw_label_value(siphb_xw *w, const char *s) {
  for (;;) {
    size_t run = 0;
    while (s[run] && s[run] != '\\' && s[run] != '"' && s[run] != '\n') run++;
    siphb_xw_put(w, s, run);
    s += run;
    if (!*s) return;
    char e[2] = {'\\', *s == '\n' ? 'n' : *s};
    siphb_xw_put(w, e, 2);
    s++;
  }
}

siphb_ssize siphb_xw_finish(siphb_xw *w, siphb_error_info *err) {
  if (w->len > w->cap)
    return siphb_fail(err, SIPHB_ERR_NOBUF, 0, w->len + 1, "buffer too small");
  if (w->len < w->cap) w->buf[w->len] = '\0';
  return (siphb_ssize)w->len;
}

int siphb_xw_check_buffer(const char *buf, size_t cap, siphb_error_info *err) {
  if (!buf && cap) return (int)siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, 0, 0, "buf");
  return 0;
}
