/*
 * fuzz_sip_parse.c - libFuzzer harness for the SIP parser (siphb_sip_parse)
 * and the iterators over a parsed message.
 *
 * Each input is parsed in datagram and stream mode, strict and lenient, and
 * once more with small size and header limits. Every outcome is checked:
 * an error carries its code, a message and an offset inside the input; a
 * success has every slice inside the message, which lies inside the input;
 * walking the headers, Vias, Contacts and tokens again agrees with what the
 * parser counted; unfolding every value fits and leaves no line break. The
 * modes are then held against each other (strict success implies lenient
 * success, a stream message parses the same as a datagram, a prefix of a
 * stream is either incomplete or gives the same answer). Every parsed
 * request is answered by the responder, told a source address: a response
 * or a refusal (ACK always), NOBUF one byte short with the exact need, and
 * a response that parses with received= on its top Via when the request's
 * had an empty rport. siphb_sip_find_param agrees with the parser on the
 * top Via's rport and received. Any violation aborts, which libFuzzer
 * reports as a crash.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <siphb/sip.h>

#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The bounds every slice of one parsed message must respect. */
typedef struct bounds {
  const char *lo; /* start of the message */
  const char *hi; /* its end */
} bounds;

static void check_slice(const bounds *b, siphb_str s) {
  FUZZ_CHECK(fuzz_slice_inside(s, b->lo, b->hi));
}

static void check_error(siphb_ssize rc, const siphb_error_info *err, size_t size) {
  FUZZ_CHECK(rc < 0);
  FUZZ_CHECK(err->code == rc);
  FUZZ_CHECK(err->message != NULL && err->message[0] != '\0');
  FUZZ_CHECK(err->offset <= size);
  /* Valid arguments: only "more data" or a SIP parser code. */
  FUZZ_CHECK(rc == SIPHB_ERR_INCOMPLETE || (rc <= SIPHB_ERR_SIP_START_LINE && rc > -200));
  FUZZ_CHECK(strcmp(siphb_errname((int)rc), "SIPHB_ERR_UNKNOWN") != 0);
  if (rc == SIPHB_ERR_INCOMPLETE) FUZZ_CHECK(err->need > 0);
  else FUZZ_CHECK(err->need == 0);
}

static void check_via(const bounds *b, const siphb_sip_via *v) {
  check_slice(b, v->value);
  check_slice(b, v->transport);
  check_slice(b, v->host);
  check_slice(b, v->branch);
  check_slice(b, v->received);
  check_slice(b, v->params);
  FUZZ_CHECK(v->value.len > 0 && v->transport.len > 0 && v->host.len > 0);
  FUZZ_CHECK(!v->rport_has_value || v->has_rport);
  FUZZ_CHECK(!v->keep_has_value || v->has_keep);
}

static void check_addr(const bounds *b, const siphb_sip_addr *a) {
  check_slice(b, a->value);
  check_slice(b, a->display_name);
  check_slice(b, a->uri);
  check_slice(b, a->tag);
  check_slice(b, a->params);
  if (a->star) FUZZ_CHECK(a->value.len == 1 && a->value.ptr[0] == '*');
  else FUZZ_CHECK(a->uri.len > 0);
}

static bool same_str(siphb_str a, siphb_str b) { return a.ptr == b.ptr && a.len == b.len; }

/* Unfolds a raw value into a buffer of exactly its size (so that ASan sees
 * any write past what unfold promised), then once with one byte too few. */
static void check_unfold(siphb_str value) {
  char *buf = malloc(value.len ? value.len : 1);
  FUZZ_CHECK(buf != NULL);
  siphb_ssize n = siphb_sip_unfold(value, buf, value.len);
  FUZZ_CHECK(n >= 0 && (size_t)n <= value.len);
  FUZZ_CHECK(memchr(buf, '\n', (size_t)n) == NULL);
  if (n > 0) FUZZ_CHECK(siphb_sip_unfold(value, buf, (size_t)n - 1) == SIPHB_ERR_NOBUF);
  free(buf);
}

/* Every element of a comma-list header. Supported, Require and Allow are
 * validated by the parser as token lists, so their elements are non-empty
 * tokens; any other header (Accept) may have anything between commas. Each
 * element must be found again by siphb_sip_has_token. */
static void check_tokens(const bounds *b, const siphb_sip_msg *m, siphb_sip_hdr hdr,
                         bool validated) {
  siphb_sip_iter it;
  siphb_str t;
  size_t n = 0;
  siphb_sip_iter_init(&it, m);
  while (siphb_sip_next_token(&it, hdr, &t)) {
    FUZZ_CHECK(++n <= m->length);
    check_slice(b, t);
    FUZZ_CHECK(siphb_sip_msg_has(m, hdr));
    if (validated) FUZZ_CHECK(t.len > 0);
    if (t.len && memchr(t.ptr, '\0', t.len)) continue; /* not expressible as a C string */
    char *z = malloc(t.len + 1);
    FUZZ_CHECK(z != NULL);
    if (t.len) memcpy(z, t.ptr, t.len);
    z[t.len] = '\0';
    FUZZ_CHECK(siphb_sip_has_token(m, hdr, z));
    free(z);
  }
}

/* A successful parse of data[0..size) whose message starts at `start`. */
static void check_msg(const siphb_sip_msg *m, const uint8_t *data, size_t size, const char *start) {
  const char *in_lo = (const char *)data, *in_hi = (const char *)data + size;
  FUZZ_CHECK(m->start_line.ptr == start);
  FUZZ_CHECK(m->length <= size);
  FUZZ_CHECK(fuzz_inside(start, m->length, in_lo, in_hi));
  bounds b = {start, start + m->length};

  check_slice(&b, m->start_line);
  check_slice(&b, m->method);
  check_slice(&b, m->request_uri);
  check_slice(&b, m->reason);
  check_slice(&b, m->headers);
  check_slice(&b, m->body);
  check_slice(&b, m->call_id);
  check_slice(&b, m->cseq_method);
  check_slice(&b, m->server);
  check_slice(&b, m->user_agent);
  check_slice(&b, m->retry_after.comment);
  if (m->body.len) FUZZ_CHECK(m->body.ptr + m->body.len == b.hi);
  if (m->is_request) {
    FUZZ_CHECK(m->method.len > 0 && m->request_uri.len > 0 && m->status == 0);
  } else {
    FUZZ_CHECK(m->status >= 100 && m->status <= 699);
  }
  if (siphb_sip_msg_has(m, SIPHB_SIP_HDR_VIA)) {
    FUZZ_CHECK(m->via_count > 0);
    check_via(&b, &m->via);
  } else {
    FUZZ_CHECK(m->via_count == 0);
  }
  if (siphb_sip_msg_has(m, SIPHB_SIP_HDR_FROM)) check_addr(&b, &m->from);
  if (siphb_sip_msg_has(m, SIPHB_SIP_HDR_TO)) check_addr(&b, &m->to);
  if (siphb_sip_msg_has(m, SIPHB_SIP_HDR_CONTACT)) {
    FUZZ_CHECK(m->contact_count > 0);
    check_addr(&b, &m->contact);
  } else {
    FUZZ_CHECK(m->contact_count == 0);
  }
  if (siphb_sip_msg_has(m, SIPHB_SIP_HDR_CSEQ)) FUZZ_CHECK(m->cseq <= 0x7fffffffu);
  if (siphb_sip_msg_has(m, SIPHB_SIP_HDR_MAX_FORWARDS)) FUZZ_CHECK(m->max_forwards <= 255);

  /* Every header line, in order; the ids seen must be what `present` says. */
  siphb_sip_iter it;
  siphb_sip_header h;
  size_t n = 0;
  uint64_t seen = 0;
  siphb_sip_iter_init(&it, m);
  while (siphb_sip_next_header(&it, &h)) {
    FUZZ_CHECK(++n <= m->header_count);
    check_slice(&b, h.name);
    check_slice(&b, h.value);
    FUZZ_CHECK(h.name.len > 0);
    FUZZ_CHECK(h.offset < m->length && start + h.offset == h.name.ptr);
    FUZZ_CHECK(h.id == siphb_sip_hdr_from(h.name));
    FUZZ_CHECK(fuzz_slice_inside(h.value, m->headers.ptr, m->headers.ptr + m->headers.len));
    if (h.id != SIPHB_SIP_HDR_OTHER) seen |= (uint64_t)1 << h.id;
    check_unfold(h.value);
  }
  FUZZ_CHECK(n == m->header_count);
  FUZZ_CHECK(seen == m->present);

  siphb_sip_via via;
  n = 0;
  siphb_sip_iter_init(&it, m);
  while (siphb_sip_next_via(&it, &via)) {
    FUZZ_CHECK(++n <= m->via_count);
    check_via(&b, &via);
    if (n == 1) {
      FUZZ_CHECK(same_str(via.value, m->via.value) && same_str(via.branch, m->via.branch));
      FUZZ_CHECK(same_str(via.host, m->via.host) && via.port == m->via.port);
      FUZZ_CHECK(via.rport == m->via.rport && via.has_rport == m->via.has_rport);
    }
  }
  FUZZ_CHECK(n == m->via_count);

  siphb_sip_addr c;
  n = 0;
  siphb_sip_iter_init(&it, m);
  while (siphb_sip_next_contact(&it, &c)) {
    FUZZ_CHECK(++n <= m->contact_count);
    check_addr(&b, &c);
    if (n == 1) FUZZ_CHECK(same_str(c.value, m->contact.value) && c.star == m->contact.star);
  }
  FUZZ_CHECK(n == m->contact_count);

  check_tokens(&b, m, SIPHB_SIP_HDR_SUPPORTED, true);
  check_tokens(&b, m, SIPHB_SIP_HDR_REQUIRE, true);
  check_tokens(&b, m, SIPHB_SIP_HDR_ALLOW, true);
  check_tokens(&b, m, SIPHB_SIP_HDR_ACCEPT, false);
  check_tokens(&b, m, SIPHB_SIP_HDR_ALLOW_EVENTS, false);
}

static int fixed_random(uint8_t *dest, size_t len, void *user_data) {
  (void)user_data;
  memset(dest, 0x5a, len);
  return 0;
}

/* The responder on a parsed message, and the parameter lookup on its top
 * Via. */
static void check_respond(const siphb_sip_msg *m) {
  siphb_sip_param p;
  if (siphb_sip_msg_has(m, SIPHB_SIP_HDR_VIA) && m->via.has_rport) {
    /* the first rport; the parser reads them all (a value in any one) */
    FUZZ_CHECK(siphb_sip_find_param(m->via.params, "rport", &p));
    if (p.has_value) FUZZ_CHECK(m->via.rport_has_value);
    FUZZ_CHECK(fuzz_slice_inside(p.whole, m->via.params.ptr,
                                 m->via.params.ptr + m->via.params.len));
  }
  if (siphb_sip_msg_has(m, SIPHB_SIP_HDR_VIA) && m->via.received.len)
    FUZZ_CHECK(siphb_sip_find_param(m->via.params, "received", &p) && p.value.len);
  if (!m->is_request) return;
  static uint8_t out[65536 + 8192];
  siphb_sip_response rsp;
  siphb_sip_response_init(&rsp, sizeof rsp);
  rsp.random = fixed_random;
  rsp.source_ip = siphb_str_c(m->cseq & 1 ? "2001:db8::7" : "192.0.2.7");
  rsp.source_port = 4242;
  /* extra_headers (the session timer lines of a 2xx to INVITE) on half of
   * the inputs: the response must still parse back, with their values */
  const bool st_lines = (m->cseq & 2) != 0;
  if (st_lines)
    rsp.extra_headers = siphb_str_c("Session-Expires: 1800;refresher=uac\r\nRequire: timer\r\n");
  siphb_error_info err;
  siphb_ssize n = siphb_sip_encode_response(out, sizeof out, m, &rsp, &err);
  if (m->method_id == SIPHB_SIP_METHOD_ACK || n < 0) {
    /* ACK, or a lenient parse without a header the response copies */
    FUZZ_CHECK(n == SIPHB_ERR_INVALID_ARGUMENT && err.message != NULL);
    return;
  }
  FUZZ_CHECK(siphb_sip_encode_response(out, (size_t)n - 1, m, &rsp, &err) == SIPHB_ERR_NOBUF);
  FUZZ_CHECK(err.need == (size_t)n);
  FUZZ_CHECK(siphb_sip_encode_response(out, (size_t)n, m, &rsp, NULL) == n);
  siphb_sip_parse_config cfg;
  siphb_sip_parse_config_init(&cfg, sizeof cfg);
  cfg.lenient = true;
  cfg.max_size = sizeof out;
  cfg.max_headers = 1024;
  siphb_sip_msg r;
  FUZZ_CHECK(siphb_sip_parse(&r, out, (size_t)n, &cfg, NULL) == n);
  FUZZ_CHECK(!r.is_request && r.via_count > 0);
  if (st_lines)
    FUZZ_CHECK(r.session_expires.delta == 1800 &&
               r.session_expires.refresher == SIPHB_SIP_REFRESHER_UAC);
  if (m->via.has_rport && !m->via.rport_has_value) {
    FUZZ_CHECK(r.via.rport_has_value && r.via.rport == 4242);
    FUZZ_CHECK(r.via.received.len == rsp.source_ip.len &&
               memcmp(r.via.received.ptr, rsp.source_ip.ptr, rsp.source_ip.len) == 0);
  }
}

typedef struct outcome {
  siphb_ssize rc;
  siphb_sip_msg msg;
  siphb_error_info err;
} outcome;

/* Parses data[0..size) with cfg and checks the outcome on its own. */
static void parse_checked(outcome *o, const uint8_t *data, size_t size,
                          const siphb_sip_parse_config *cfg) {
  o->rc = siphb_sip_parse(&o->msg, data, size, cfg, &o->err);
  if (o->rc < 0) {
    check_error(o->rc, &o->err, size);
    if (cfg->mode == SIPHB_SIP_DATAGRAM) FUZZ_CHECK(o->rc != SIPHB_ERR_INCOMPLETE);
    return;
  }
  FUZZ_CHECK((size_t)o->rc <= size);
  FUZZ_CHECK(o->msg.length <= cfg->max_size);
  FUZZ_CHECK(o->msg.header_count <= cfg->max_headers);
  if (cfg->mode == SIPHB_SIP_DATAGRAM) {
    FUZZ_CHECK((size_t)o->rc == size);
    check_msg(&o->msg, data, size, (const char *)data);
    if (cfg->lenient && cfg->max_size == 65535) check_respond(&o->msg);
  } else {
    /* consumed = the CRLFs skipped before the start line + the message */
    FUZZ_CHECK(o->msg.length <= (size_t)o->rc);
    size_t skipped = (size_t)o->rc - o->msg.length;
    FUZZ_CHECK(skipped % 2 == 0);
    for (size_t i = 0; i < skipped; i += 2) FUZZ_CHECK(data[i] == '\r' && data[i + 1] == '\n');
    FUZZ_CHECK(siphb_sip_msg_has(&o->msg, SIPHB_SIP_HDR_CONTENT_LENGTH));
    FUZZ_CHECK(o->msg.body.len == o->msg.content_length);
    check_msg(&o->msg, data, size, (const char *)data + skipped);
  }
}

/* The same message found twice (two modes, or a prefix): same framing. */
static void check_same_msg(const siphb_sip_msg *a, const siphb_sip_msg *b) {
  FUZZ_CHECK(a->length == b->length);
  FUZZ_CHECK(a->header_count == b->header_count);
  FUZZ_CHECK(a->via_count == b->via_count);
  FUZZ_CHECK(a->contact_count == b->contact_count);
  FUZZ_CHECK(a->present == b->present);
  FUZZ_CHECK(a->is_request == b->is_request && a->status == b->status);
  FUZZ_CHECK(a->body.len == b->body.len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  siphb_sip_parse_config cfg[4];
  outcome *o = malloc(5 * sizeof *o);
  FUZZ_CHECK(o != NULL);
  /* 0 datagram strict, 1 datagram lenient, 2 stream strict, 3 stream lenient */
  for (int i = 0; i < 4; i++) {
    siphb_sip_parse_config_init(&cfg[i], sizeof cfg[i]);
    cfg[i].mode = i < 2 ? SIPHB_SIP_DATAGRAM : SIPHB_SIP_STREAM;
    cfg[i].lenient = i % 2 == 1;
    parse_checked(&o[i], data, size, &cfg[i]);
  }

  /* Lenient only relaxes: what strict accepts, lenient accepts the same. */
  for (int i = 0; i < 4; i += 2)
    if (o[i].rc >= 0) {
      FUZZ_CHECK(o[i + 1].rc == o[i].rc);
      check_same_msg(&o[i].msg, &o[i + 1].msg);
    }

  /* A message framed on a stream is the same message as a datagram. */
  for (int i = 2; i < 4; i++) {
    if (o[i].rc < 0) continue;
    const uint8_t *start = (const uint8_t *)o[i].msg.start_line.ptr;
    parse_checked(&o[4], start, o[i].msg.length, &cfg[i - 2]);
    FUZZ_CHECK(o[4].rc == (siphb_ssize)o[i].msg.length);
    check_same_msg(&o[i].msg, &o[4].msg);
  }

  /* A prefix of a stream (cut where the last byte says) is either still
   * incomplete or gives the same answer: bytes that have not arrived
   * cannot change what the bytes before them meant. */
  if (size > 0) {
    size_t cut = (size_t)data[size - 1] * size / 256;
    parse_checked(&o[4], data, cut, &cfg[3]);
    if (o[4].rc != SIPHB_ERR_INCOMPLETE) {
      FUZZ_CHECK(o[4].rc == o[3].rc);
      if (o[3].rc >= 0) check_same_msg(&o[3].msg, &o[4].msg);
      else FUZZ_CHECK(o[4].err.offset == o[3].err.offset);
    }
  }

  /* Small limits chosen by the input reach the size and count checks
   * without inputs of 64 KiB. */
  if (size >= 2) {
    siphb_sip_parse_config small;
    siphb_sip_parse_config_init(&small, sizeof small);
    small.mode = data[0] & 1 ? SIPHB_SIP_STREAM : SIPHB_SIP_DATAGRAM;
    small.lenient = (data[0] & 2) != 0;
    small.max_size = 1 + (size_t)data[size - 2] * 4;
    small.max_headers = data[size - 1] % 16;
    parse_checked(&o[4], data, size, &small);
  }
  free(o);
  return 0;
}
