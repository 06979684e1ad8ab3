/*
 * json_check.h - a strict JSON syntax check for the export's output
 * (RFC 8259: one object, no trailing bytes, strings with valid escapes and
 * no raw control characters, integers only, nesting at most 8 deep).
 * Header-only: the export tests and fuzz/fuzz_export.c use it.
 */
#ifndef SIPHB_TEST_JSON_CHECK_H
#define SIPHB_TEST_JSON_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef struct jcheck {
  const char *p, *end;
  int depth;
} jcheck;

static inline bool jc_value(jcheck *j);

static inline void jc_ws(jcheck *j) {
  while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
    j->p++;
}

static inline bool jc_lit(jcheck *j, const char *lit) {
  size_t n = strlen(lit);
  if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n)) return false;
  j->p += n;
  return true;
}

static inline bool jc_string(jcheck *j) {
  if (j->p >= j->end || *j->p != '"') return false;
  j->p++;
  while (j->p < j->end) {
    unsigned char c = (unsigned char)*j->p++;
    if (c == '"') return true;
    if (c < 0x20) return false;
    if (c == '\\') {
      if (j->p >= j->end) return false;
      char e = *j->p++;
      if (e == 'u') {
        for (int i = 0; i < 4; i++, j->p++)
          if (j->p >= j->end || !strchr("0123456789abcdefABCDEF", *j->p) || !*j->p) return false;
      } else if (!strchr("\"\\/bfnrt", e) || !e) {
        return false;
      }
    }
  }
  return false;
}

static inline bool jc_number(jcheck *j) {
  const char *s = j->p;
  if (j->p < j->end && *j->p == '-') j->p++;
  if (j->p >= j->end) return false;
  if (*j->p == '0') {
    j->p++;
  } else if (*j->p >= '1' && *j->p <= '9') {
    while (j->p < j->end && *j->p >= '0' && *j->p <= '9') j->p++;
  } else {
    return false;
  }
  return j->p > s; /* no fractions or exponents in our output */
}

static inline bool jc_value(jcheck *j) {
  if (++j->depth > 8) return false;
  jc_ws(j);
  bool ok = false;
  if (j->p >= j->end) return false;
  if (*j->p == '{' || *j->p == '[') {
    char close = *j->p == '{' ? '}' : ']';
    bool object = close == '}';
    j->p++;
    jc_ws(j);
    if (j->p < j->end && *j->p == close) {
      j->p++;
      ok = true;
    } else {
      for (;;) {
        jc_ws(j);
        if (object) {
          if (!jc_string(j)) break;
          jc_ws(j);
          if (j->p >= j->end || *j->p++ != ':') break;
        }
        if (!jc_value(j)) break;
        jc_ws(j);
        if (j->p >= j->end) break;
        char c = *j->p++;
        if (c == close) {
          ok = true;
          break;
        }
        if (c != ',') break;
      }
    }
  } else if (*j->p == '"') {
    ok = jc_string(j);
  } else if (*j->p == 't') {
    ok = jc_lit(j, "true");
  } else if (*j->p == 'f') {
    ok = jc_lit(j, "false");
  } else if (*j->p == 'n') {
    ok = jc_lit(j, "null");
  } else {
    ok = jc_number(j);
  }
  j->depth--;
  return ok;
}

/* true when s[0..len) is exactly one JSON object. */
static inline bool json_object_ok(const char *s, size_t len) {
  jcheck j = {s, s + len, 0};
  jc_ws(&j);
  if (j.p >= j.end || *j.p != '{') return false;
  if (!jc_value(&j)) return false;
  jc_ws(&j);
  return j.p == j.end;
}

#endif /* SIPHB_TEST_JSON_CHECK_H */
