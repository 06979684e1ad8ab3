/*
 * siphb_xw.h - the export layer's bounded text writer (internal).
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

typedef struct siphb_xw {
  char *buf;
  size_t cap;
  size_t len; /* bytes the text has so far; may exceed cap */
} siphb_xw;

static inline void siphb_xw_init(siphb_xw *w, char *buf, size_t cap) {
  w->buf = buf;
  w->cap = cap;
  w->len = 0;
}

/* n bytes of s; those beyond cap are counted only. */
void siphb_xw_put(siphb_xw *w, const char *s, size_t n);
void siphb_xw_byte(siphb_xw *w, char c);
/* A NUL-terminated string, unescaped (the library's own names, fixed keys). */
void siphb_xw_cstr(siphb_xw *w, const char *s);
#define SIPHB_XW_LIT(w, s) siphb_xw_put((w), (s), sizeof(s) - 1)

void siphb_xw_u64(siphb_xw *w, uint64_t v);
void siphb_xw_i64(siphb_xw *w, int64_t v);
/* A time in ms: SIPHB_NEVER as `null`, else the number. */
void siphb_xw_ms(siphb_xw *w, siphb_ms v);
/* ms as seconds in the shortest exact decimal ("0.12", "1", "0.001");
 * SIPHB_NEVER as "NaN" (Prometheus' float syntax). */
void siphb_xw_seconds(siphb_xw *w, siphb_ms ms);
void siphb_xw_bool(siphb_xw *w, bool v);

/* A JSON string (RFC 8259 section 7) of len bytes at s, quotes included:
 * '"' and '\\' escaped, control characters as \u00XX, each byte that is
 * not part of a well-formed UTF-8 sequence (RFC 3629 section 4: no
 * overlong forms, no surrogates, nothing above U+10FFFF) as \ufffd. */
void siphb_xw_json_str(siphb_xw *w, const char *s, size_t len);
void siphb_xw_json_cstr(siphb_xw *w, const char *s);
/* A Prometheus label value, without its quotes: '\\', '"' and newline
 * escaped (exposition format 0.0.4), everything else as given. */
void siphb_xw_label_value(siphb_xw *w, const char *s);

/* Ends the text: the NUL when it fits, and the call's return (the length,
 * or SIPHB_ERR_NOBUF with need = len + 1). */
siphb_ssize siphb_xw_finish(siphb_xw *w, siphb_error_info *err);

/* The checks every export entry point makes before writing: buf NULL only
 * with cap 0. Returns 0 or SIPHB_ERR_INVALID_ARGUMENT (recorded in err). */
int siphb_xw_check_buffer(const char *buf, size_t cap, siphb_error_info *err);

#endif /* SIPHB_LIB_EXPORT_XW_H */
