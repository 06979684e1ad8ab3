/*
 * json.c - the siphb tool's JSON writer (see json.h).
 */
#include "json.h"

#include <string.h>

void json_init(json_writer *w, FILE *out, bool pretty) {
  memset(w, 0, sizeof *w);
  w->out = out;
  w->pretty = pretty;
}

static void indent(json_writer *w) {
  if (!w->pretty) return;
  fputc('\n', w->out);
  for (int i = 0; i < w->depth; i++) fputs("  ", w->out);
}

/* Whatever has to come before a value or a key: nothing right after a key,
 * otherwise a comma after an earlier sibling, and the line break. */
static void before_item(json_writer *w) {
  if (w->after_key) {
    w->after_key = false;
    return;
  }
  if (w->depth == 0) return;
  if (w->depth > JSON_MAX_DEPTH) return; /* overflow: keep writing, flagged */
  if (w->has_items[w->depth - 1]) fputc(',', w->out);
  w->has_items[w->depth - 1] = true;
  indent(w);
}

static void open_container(json_writer *w, char c) {
  before_item(w);
  fputc(c, w->out);
  w->depth++;
  if (w->depth > JSON_MAX_DEPTH) {
    w->overflow = true;
    return;
  }
  w->has_items[w->depth - 1] = false;
}

static void close_container(json_writer *w, char c) {
  if (w->depth == 0) {
    w->overflow = true; /* unbalanced: a bug in the caller */
    return;
  }
  bool had_items = w->depth <= JSON_MAX_DEPTH && w->has_items[w->depth - 1];
  w->depth--;
  if (had_items) indent(w);
  fputc(c, w->out);
}

void json_begin_object(json_writer *w) { open_container(w, '{'); }
void json_end_object(json_writer *w) { close_container(w, '}'); }
void json_begin_array(json_writer *w) { open_container(w, '['); }
void json_end_array(json_writer *w) { close_container(w, ']'); }

/* Length of the well-formed UTF-8 sequence at p[0..n) (RFC 3629 section 4:
 * no overlong forms, no surrogates, nothing above U+10FFFF), or 0. */
static size_t utf8_sequence(const unsigned char *p, size_t n) {
  unsigned char b = p[0];
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
  if (b >= 0xC2 && b <= 0xDF) {
    len = 2;
  } else if (b >= 0xE0 && b <= 0xEF) {
    len = 3;
    if (b == 0xE0) lo = 0xA0;      /* overlong below U+0800 */
    else if (b == 0xED) hi = 0x9F; /* U+D800..U+DFFF are surrogates */
  } else if (b >= 0xF0 && b <= 0xF4) {
    len = 4;
    if (b == 0xF0) lo = 0x90;      /* overlong below U+10000 */
    else if (b == 0xF4) hi = 0x8F; /* above U+10FFFF */
  } else {
    return 0; /* ASCII is handled by the caller; 80..C1 and F5..FF never start one */
  }
  if (n < len || p[1] < lo || p[1] > hi) return 0;
  for (size_t i = 2; i < len; i++)
    if (p[i] < 0x80 || p[i] > 0xBF) return 0;
  return len;
}

static void write_escaped(FILE *out, const unsigned char *p, size_t n) {
  static const char hex[] = "0123456789abcdef";
  size_t run = 0; /* bytes at p[i - run .. i) still to be copied as they are */
  size_t i = 0;
  while (i < n) {
    unsigned char c = p[i];
    size_t seq = 1;
    const char *esc = NULL;
    char buf[7];
    if (c >= 0x80) {
      seq = utf8_sequence(p + i, n - i);
      if (seq == 0) {
        esc = "\\ufffd"; /* one replacement character per stray byte */
        seq = 1;
      }
    } else if (c == '"') {
      esc = "\\\"";
    } else if (c == '\\') {
      esc = "\\\\";
    } else if (c == '\n') {
      esc = "\\n";
    } else if (c == '\r') {
      esc = "\\r";
    } else if (c == '\t') {
      esc = "\\t";
    } else if (c == '\b') {
      esc = "\\b";
    } else if (c == '\f') {
      esc = "\\f";
    } else if (c < 0x20 || c == 0x7f) {
      buf[0] = '\\';
      buf[1] = 'u';
      buf[2] = '0';
      buf[3] = '0';
      buf[4] = hex[c >> 4];
      buf[5] = hex[c & 15];
      buf[6] = '\0';
      esc = buf;
    }
    if (esc) {
      if (run) fwrite(p + i - run, 1, run, out);
      run = 0;
      fputs(esc, out);
    } else {
      run += seq;
    }
    i += seq;
  }
  if (run) fwrite(p + n - run, 1, run, out);
}

void json_key(json_writer *w, const char *key) {
  before_item(w);
  fputc('"', w->out);
  write_escaped(w->out, (const unsigned char *)key, strlen(key));
  fputs(w->pretty ? "\": " : "\":", w->out);
  w->after_key = true;
}

void json_string(json_writer *w, const char *p, size_t n) {
  before_item(w);
  fputc('"', w->out);
  if (n) write_escaped(w->out, (const unsigned char *)p, n);
  fputc('"', w->out);
}

void json_cstring(json_writer *w, const char *s) { json_string(w, s, strlen(s)); }

void json_uint(json_writer *w, uint64_t v) {
  char buf[24];
  size_t i = sizeof buf;
  buf[--i] = '\0';
  do {
    buf[--i] = (char)('0' + (int)(v % 10));
    v /= 10;
  } while (v);
  before_item(w);
  fputs(buf + i, w->out);
}

void json_hex(json_writer *w, const uint8_t *p, size_t n) {
  static const char digits[] = "0123456789abcdef";
  before_item(w);
  fputc('"', w->out);
  for (size_t i = 0; i < n; i++) {
    fputc(digits[p[i] >> 4], w->out);
    fputc(digits[p[i] & 15], w->out);
  }
  fputc('"', w->out);
}

void json_fixed(json_writer *w, double v, int decimals) {
  before_item(w);
  fprintf(w->out, "%.*f", decimals, v);
}

bool json_utf8_valid(const char *p, size_t n) {
  const unsigned char *u = (const unsigned char *)p;
  for (size_t i = 0; i < n;) {
    if (u[i] < 0x80) {
      i++;
      continue;
    }
    size_t seq = utf8_sequence(u + i, n - i);
    if (seq == 0) return false;
    i += seq;
  }
  return true;
}

void json_bool(json_writer *w, bool v) {
  before_item(w);
  fputs(v ? "true" : "false", w->out);
}

void json_null(json_writer *w) {
  before_item(w);
  fputs("null", w->out);
}

int json_finish(json_writer *w) {
  fputc('\n', w->out);
  if (fflush(w->out) != 0 || ferror(w->out)) return -1;
  return w->overflow || w->depth != 0 || w->after_key ? -1 : 0;
}
