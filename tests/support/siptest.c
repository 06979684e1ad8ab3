/*
 * siptest.c - see siptest.h.
 */
#include "siptest.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

const char sipt_omit[] = "(omitted)";

sipt_state sipt;

void sipt_reset(void) {
  free(sipt.buf);
  memset(&sipt, 0, sizeof sipt);
}

static void configure(const sipt_spec *s) {
  siphb_sip_parse_config_init(&sipt.cfg, sizeof sipt.cfg);
  if (!s) return;
  sipt.cfg.mode = s->stream ? SIPHB_SIP_STREAM : SIPHB_SIP_DATAGRAM;
  sipt.cfg.lenient = s->lenient;
  if (s->max_size) sipt.cfg.max_size = s->max_size;
  if (s->max_headers) sipt.cfg.max_headers = s->max_headers;
}

siphb_ssize sipt_parse_bytes(const void *data, size_t len, const sipt_spec *s) {
  sipt_reset();
  configure(s);
  /* Exactly len bytes, so that ASan reports a read at data[len]; a
   * zero-length input still gets a valid pointer. */
  sipt.buf = malloc(len ? len : 1);
  assert_non_null(sipt.buf);
  if (len) memcpy(sipt.buf, data, len);
  sipt.len = len;
  memset(&sipt.err, 0x5a, sizeof sipt.err); /* the parser must clear it */
  sipt.rc = siphb_sip_parse(&sipt.msg, sipt.buf, len, &sipt.cfg, &sipt.err);
  return sipt.rc;
}

/* Appends "name: value\r\n" unless value is SIPT_OMIT. */
static size_t put_header(char *out, const char *name, const char *value, const char *dflt) {
  if (value == SIPT_OMIT) return 0;
  return (size_t)sprintf(out, "%s: %s\r\n", name, value ? value : dflt);
}

static size_t build(const sipt_spec *s, char *out) {
  size_t n = (size_t)sprintf(out, "%s\r\n", s->start ? s->start : "SIP/2.0 200 OK");
  n += put_header(out + n, "Via", s->via, SIPT_DEFAULT_VIA);
  n += put_header(out + n, "From", s->from, SIPT_DEFAULT_FROM);
  n += put_header(out + n, "To", s->to, SIPT_DEFAULT_TO);
  n += put_header(out + n, "Call-ID", s->call_id, SIPT_DEFAULT_CALL_ID);
  n += put_header(out + n, "CSeq", s->cseq, SIPT_DEFAULT_CSEQ);
  n += (size_t)sprintf(out + n, "%s\r\n%s", s->extra ? s->extra : "", s->body ? s->body : "");
  return n;
}

static size_t len_or_0(const char *s) { return s && s != SIPT_OMIT ? strlen(s) : 0; }

siphb_ssize sipt_parse(const sipt_spec *s) {
  if (s->raw) return sipt_parse_bytes(s->raw, s->raw_len ? s->raw_len : strlen(s->raw), s);
  size_t cap = 256 + len_or_0(s->start) + len_or_0(s->via) + len_or_0(s->from) +
               len_or_0(s->to) + len_or_0(s->call_id) + len_or_0(s->cseq) +
               len_or_0(s->extra) + len_or_0(s->body);
  char *text = malloc(cap);
  assert_non_null(text);
  size_t n = build(s, text);
  assert_true(n < cap);
  siphb_ssize rc = sipt_parse_bytes(text, n, s);
  free(text);
  return rc;
}

bool sipt_ok(const sipt_spec *s) {
  siphb_ssize rc = sipt_parse(s);
  if (rc != (siphb_ssize)sipt.len || sipt.err.code != 0 || sipt.err.message != NULL) {
    print_error("parse returned %td (%s: %s at offset %zu), expected %zu\n", rc,
                siphb_errname((int)rc), sipt.err.message ? sipt.err.message : "-",
                sipt.err.offset, sipt.len);
    return false;
  }
  return true;
}

size_t sipt_off(const char *needle) {
  size_t n = strlen(needle);
  for (size_t i = 0; n <= sipt.len && i <= sipt.len - n; i++)
    if (memcmp(sipt.buf + i, needle, n) == 0) return i;
  return SIZE_MAX;
}

bool sipt_failed_at(int code, size_t offset) {
  if (sipt.rc != code || sipt.err.code != code || sipt.err.offset != offset ||
      sipt.err.need != 0 || !sipt.err.message || !sipt.err.message[0]) {
    print_error("got %td %s (err %d at %zu, need %zu, \"%s\"), expected %s at %zu\n", sipt.rc,
                siphb_errname((int)sipt.rc), sipt.err.code, sipt.err.offset, sipt.err.need,
                sipt.err.message ? sipt.err.message : "(null)", siphb_errname(code), offset);
    return false;
  }
  return true;
}

bool sipt_refused(const sipt_spec *s, int code, const char *needle, size_t delta) {
  sipt_parse(s);
  size_t at = needle ? sipt_off(needle) : sipt.len;
  if (at == SIZE_MAX) {
    print_error("\"%s\" is not in the input\n", needle);
    return false;
  }
  return sipt_failed_at(code, at + delta);
}

void sipt_err_cases(const sipt_err_case *c, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!sipt_refused(&c[i].s, c[i].code, c[i].at, c[i].delta)) fail_msg("error case %zu", i);
}

int sipt_teardown(void **state) {
  (void)state;
  sipt_reset();
  return 0;
}

bool sipt_slice(siphb_str s, const char *want) {
  size_t n = want ? strlen(want) : 0;
  if (s.len != n || (n && memcmp(s.ptr, want, n) != 0)) {
    print_error("slice \"%.*s\" (%zu bytes), expected \"%s\"\n", (int)s.len,
                s.ptr ? s.ptr : "", s.len, want ? want : "");
    return false;
  }
  const char *base = (const char *)sipt.buf;
  if (n && (s.ptr < base || s.ptr + s.len > base + sipt.len)) {
    print_error("slice \"%s\" does not point into the input\n", want);
    return false;
  }
  return true;
}

bool sipt_slice_at(siphb_str s, const char *want, size_t offset) {
  if (!sipt_slice(s, want)) return false;
  if (s.ptr != (const char *)sipt.buf + offset) {
    print_error("slice \"%s\" at offset %td, expected %zu\n", want,
                s.ptr - (const char *)sipt.buf, offset);
    return false;
  }
  return true;
}

static bool flag_is(const char *what, long long got, long long want) {
  if (got == want) return true;
  print_error("%s is %lld, expected %lld\n", what, got, want);
  return false;
}

bool sipt_via_is(const siphb_sip_via *v, const sipt_via_want *w) {
  return sipt_slice(v->transport, w->transport) && sipt_slice(v->host, w->host) &&
         flag_is("host_is_ipv6", v->host_is_ipv6, w->ipv6) &&
         flag_is("has_port", v->has_port, w->port != 0) && flag_is("port", v->port, w->port) &&
         sipt_slice(v->branch, w->branch) && sipt_slice(v->received, w->received) &&
         flag_is("has_rport", v->has_rport, w->rport != 0) &&
         flag_is("rport_has_value", v->rport_has_value, w->rport > 0) &&
         flag_is("rport", v->rport, w->rport > 0 ? w->rport : 0) &&
         flag_is("has_keep", v->has_keep, w->keep != 0) &&
         flag_is("keep_has_value", v->keep_has_value, w->keep > 0) &&
         flag_is("keep", v->keep, w->keep > 0 ? w->keep : 0) &&
         sipt_slice(v->params, w->params) && (!w->value || sipt_slice(v->value, w->value));
}

bool sipt_addr_is(const siphb_sip_addr *a, const sipt_addr_want *w) {
  return sipt_slice(a->display_name, w->display_name) && sipt_slice(a->uri, w->uri) &&
         sipt_slice(a->tag, w->tag) && sipt_slice(a->params, w->params) &&
         flag_is("star", a->star, w->star) && flag_is("has_expires", a->has_expires, w->has_expires) &&
         flag_is("expires", a->expires, w->expires) &&
         (!w->value || sipt_slice(a->value, w->value));
}

uint8_t *sipt_load(const char *name, size_t *len) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", SIPHB_TEST_SIP_DATA, name);
  FILE *f = fopen(path, "rb");
  if (!f) fail_msg("cannot open %s", path);
  assert_int_equal(fseek(f, 0, SEEK_END), 0);
  long size = ftell(f);
  assert_true(size > 0);
  rewind(f);
  uint8_t *data = malloc((size_t)size);
  assert_non_null(data);
  assert_int_equal(fread(data, 1, (size_t)size, f), (size_t)size);
  fclose(f);
  *len = (size_t)size;
  return data;
}
