/*
 * stuntest.c - see stuntest.h.
 */
#include "stuntest.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

stunt_state stunt;

static int hex_digit(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

size_t stunt_hex(const char *hex, uint8_t *out, size_t cap) {
  size_t n = 0;
  int hi = -1;
  for (const char *p = hex; *p; p++) {
    if (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t') continue;
    int d = hex_digit((unsigned char)*p);
    if (d < 0) fail_msg("bad hex digit '%c' in \"%s\"", *p, hex);
    if (hi < 0) {
      hi = d;
      continue;
    }
    if (n >= cap) fail_msg("hex longer than %zu bytes", cap);
    out[n++] = (uint8_t)(hi << 4 | d);
    hi = -1;
  }
  if (hi >= 0) fail_msg("odd number of hex digits in \"%s\"", hex);
  return n;
}

uint8_t *stunt_load(const char *name, size_t *len) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", SIPHB_TEST_STUN_DATA, name);
  FILE *f = fopen(path, "rb");
  if (!f) fail_msg("cannot open %s", path);
  char text[4096];
  size_t got = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[got] = '\0';
  uint8_t tmp[2048];
  size_t n = stunt_hex(text, tmp, sizeof tmp);
  assert_true(n > 0);
  uint8_t *data = malloc(n);
  assert_non_null(data);
  memcpy(data, tmp, n);
  *len = n;
  return data;
}

void stunt_reset(void) {
  free(stunt.buf);
  memset(&stunt, 0, sizeof stunt);
}

siphb_ssize stunt_parse(const void *data, size_t len, const siphb_stun_parse_config *cfg) {
  stunt_reset();
  /* Exactly len bytes, so that ASan reports a read at data[len]; a
   * zero-length input still gets a valid pointer. */
  stunt.buf = malloc(len ? len : 1);
  assert_non_null(stunt.buf);
  if (len) memcpy(stunt.buf, data, len);
  stunt.len = len;
  memset(&stunt.err, 0x5a, sizeof stunt.err); /* the parser must clear it */
  stunt.rc = siphb_stun_parse(&stunt.msg, stunt.buf, len, cfg, &stunt.err);
  return stunt.rc;
}

siphb_ssize stunt_parse_hex(const char *hex, const siphb_stun_parse_config *cfg) {
  uint8_t tmp[2048];
  size_t n = stunt_hex(hex, tmp, sizeof tmp);
  return stunt_parse(tmp, n, cfg);
}

bool stunt_failed(int code, size_t offset, size_t need) {
  bool ok = stunt.rc == code && stunt.err.code == code && stunt.err.offset == offset &&
            stunt.err.need == need && stunt.err.message && stunt.err.message[0];
  if (!ok)
    print_error("want %s at %zu need %zu; got rc %s, err %s at %zu need %zu (%s)\n",
                siphb_errname(code), offset, need, siphb_errname((int)stunt.rc),
                siphb_errname(stunt.err.code), stunt.err.offset, stunt.err.need,
                stunt.err.message ? stunt.err.message : "(no message)");
  return ok;
}

bool stunt_ok(void) {
  bool ok = stunt.rc >= 0 && (size_t)stunt.rc == stunt.len && stunt.err.code == 0 &&
            stunt.err.message == NULL && stunt.msg.length == stunt.len;
  if (!ok)
    print_error("parse failed: rc %s, err at %zu: %s\n", siphb_errname((int)stunt.rc),
                stunt.err.offset, stunt.err.message ? stunt.err.message : "(none)");
  return ok;
}

int stunt_teardown(void **state) {
  (void)state;
  stunt_reset();
  return 0;
}

bool stunt_bytes_eq(siphb_str s, const void *want, size_t n) {
  if (s.len != n || (n && memcmp(s.ptr, want, n) != 0)) {
    print_error("slice of %zu bytes \"%.*s\", want %zu bytes\n", s.len, (int)s.len,
                s.ptr ? s.ptr : "", n);
    return false;
  }
  return true;
}

bool stunt_same(const uint8_t *buf, size_t len, const uint8_t *want, size_t n) {
  if (len != n) {
    print_error("length %zu, want %zu\n", len, n);
    return false;
  }
  for (size_t i = 0; i < n; i++) {
    if (buf[i] != want[i]) {
      print_error("byte %zu is %02x, want %02x\n", i, buf[i], want[i]);
      return false;
    }
  }
  return true;
}
