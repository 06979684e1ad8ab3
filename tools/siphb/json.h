/*
 * json.h - a small streaming JSON writer for the siphb tool (RFC 8259).
 *
 * Values are written as they are produced; the writer only remembers, per
 * open object or array, whether a separator is due. Strings are arbitrary
 * bytes: valid UTF-8 is copied, every byte of an invalid sequence becomes
 * U+FFFD, and quotes, backslashes and control characters are escaped, so
 * the output is always valid JSON whatever the input held.
 */
#ifndef SIPHB_TOOL_JSON_H
#define SIPHB_TOOL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Deepest nesting the writer tracks; the tool needs five levels. */
#define JSON_MAX_DEPTH 16

typedef struct json_writer {
  FILE *out;
  bool pretty;           /* newlines and two-space indentation */
  int depth;             /* open containers */
  bool has_items[JSON_MAX_DEPTH]; /* per level: something written already */
  bool after_key;        /* a key was written: the value follows on its line */
  bool overflow;         /* nesting went past JSON_MAX_DEPTH (a tool bug) */
} json_writer;

void json_init(json_writer *w, FILE *out, bool pretty);

void json_begin_object(json_writer *w);
void json_end_object(json_writer *w);
void json_begin_array(json_writer *w);
void json_end_array(json_writer *w);

/* An object key (a NUL-terminated ASCII name); the value comes next. */
void json_key(json_writer *w, const char *key);

/* A string of n arbitrary bytes (p may be NULL when n is 0). */
void json_string(json_writer *w, const char *p, size_t n);
void json_cstring(json_writer *w, const char *s);
void json_uint(json_writer *w, uint64_t v);
/* n bytes as a string of lower-case hex digits ("" when n is 0). */
void json_hex(json_writer *w, const uint8_t *p, size_t n);
/* A number with a fixed count of decimals (e.g. 0.214 for an RTT in ms);
 * v must be finite. */
void json_fixed(json_writer *w, double v, int decimals);
void json_bool(json_writer *w, bool v);
void json_null(json_writer *w);

/* true if p[0..n) is well-formed UTF-8, i.e. json_string() keeps every
 * byte (apart from escaping) instead of writing U+FFFD for some. */
bool json_utf8_valid(const char *p, size_t n);

/* Ends the document with a newline. Returns 0, or -1 when the nesting was
 * unbalanced or the stream reported an error. */
int json_finish(json_writer *w);

#endif /* SIPHB_TOOL_JSON_H */
