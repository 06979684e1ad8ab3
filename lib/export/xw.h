/*
 * xw.h - the export layer's bounded text writer (internal).
 *
 * Writes while there is room and keeps counting past the end, so one pass
 * gives either the text or the exact size it needs (SIPHB_ERR_NOBUF with
 * err->need): the export's texts depend on values (numbers, escaped
 * strings) whose printed length is only known by printing them. Nothing
 * here allocates or uses stdio: numbers and escapes are formatted by hand
 * so that the core keeps to string.h (docs/CONVENTIONS.md, Portability).
 */
#ifndef SIPHB_LIB_EXPORT_XW_H
#define SIPHB_LIB_EXPORT_XW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <siphb/common.h>

typedef struct xw {
  char *buf;
  size_t cap;
  size_t len; /* bytes the text has so far; may exceed cap */
} xw;

static inline void xw_init(xw *w, char *buf, size_t cap) {
  w->buf = buf;
  w->cap = cap;
  w->len = 0;
}

/* n bytes of s; those beyond cap are counted only. */
void xw_put(xw *w, const char *s, size_t n);
void xw_byte(xw *w, char c);
/* A NUL-terminated string, unescaped (the library's own names, fixed keys). */
void xw_cstr(xw *w, const char *s);
#define XW_LIT(w, s) xw_put((w), (s), sizeof(s) - 1)

void xw_u64(xw *w, uint64_t v);
void xw_i64(xw *w, int64_t v);
/* A time in ms: SIPHB_NEVER as `null`, else the number. */
void xw_ms(xw *w, siphb_ms v);
/* ms as seconds in the shortest exact decimal ("0.12", "1", "0.001");
 * SIPHB_NEVER as "NaN" (Prometheus' float syntax). */
void xw_seconds(xw *w, siphb_ms ms);
void xw_bool(xw *w, bool v);

/* A JSON string (RFC 8259 section 7) of len bytes at s, quotes included:
 * '"' and '\\' escaped, control characters as \u00XX, each byte that is
 * not part of a well-formed UTF-8 sequence (RFC 3629 section 4: no
 * overlong forms, no surrogates, nothing above U+10FFFF) as \ufffd. */
void xw_json_str(xw *w, const char *s, size_t len);
void xw_json_cstr(xw *w, const char *s);
/* A Prometheus label value, without its quotes: '\\', '"' and newline
 * escaped (exposition format 0.0.4), everything else as given. */
void xw_label_value(xw *w, const char *s);

/* Ends the text: the NUL when it fits, and the call's return (the length,
 * or SIPHB_ERR_NOBUF with need = len + 1). */
siphb_ssize xw_finish(xw *w, siphb_error_info *err);

/* The checks every export entry point makes before writing: buf NULL only
 * with cap 0. Returns 0 or SIPHB_ERR_INVALID_ARGUMENT (recorded in err). */
int xw_check_buffer(const char *buf, size_t cap, siphb_error_info *err);

#endif /* SIPHB_LIB_EXPORT_XW_H */
