/*
 * bs_siphb.c - siphb's codec (siphb/sip.h). Parse: siphb_sip_parse with the
 * default configuration (datagram mode, strict) into a siphb_sip_msg on the
 * stack of the benchmark's context; it allocates nothing and the values are
 * slices of the caller's buffer, so there is nothing to release.
 * Encode: siphb_sip_encode_options into a caller buffer, with the options
 * filled once (as an integrator would keep them) and the random callback
 * drawing from the benchmark's generator.
 * Also the check of every library's encoded request, with siphb's parser.
 */
#include "bs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <siphb/sip.h>
#include <siphb/version.h>

typedef struct siphb_ctx_ {
  siphb_sip_msg msg;
  siphb_sip_options opt;
  uint8_t wire[1024];
} siphb_bctx;

static void *siphb_setup(void) {
  siphb_bctx *c = calloc(1, sizeof *c);
  if (!c) bs_fail("siphb", "out of memory");
  siphb_sip_options_init(&c->opt, sizeof c->opt);
  c->opt.request_uri = (siphb_str){BS_OPT_RURI, sizeof BS_OPT_RURI - 1};
  c->opt.from_uri = (siphb_str){BS_OPT_FROM_URI, sizeof BS_OPT_FROM_URI - 1};
  c->opt.contact_uri = (siphb_str){BS_OPT_CONTACT_URI, sizeof BS_OPT_CONTACT_URI - 1};
  c->opt.transport = SIPHB_TRANSPORT_UDP;
  c->opt.via_host = (siphb_str){BS_OPT_VIA_HOST, sizeof BS_OPT_VIA_HOST - 1};
  c->opt.via_port = BS_OPT_VIA_PORT;
  c->opt.rport = true;
  c->opt.cseq = 1;
  c->opt.max_forwards = BS_OPT_MAX_FORWARDS;
  c->opt.accept = (siphb_str){BS_OPT_ACCEPT, sizeof BS_OPT_ACCEPT - 1};
  c->opt.random = bs_rng_fill;
  return c;
}

static void siphb_teardown(void *ctx) { free(ctx); }

static bs_str sl(siphb_str s) {
  bs_str r = {s.ptr, s.len};
  return r;
}

static int siphb_parse(void *ctx, const uint8_t *data, size_t len, bs_values *out) {
  siphb_bctx *c = ctx;
  siphb_sip_msg *m = &c->msg;
  if (siphb_sip_parse(m, data, len, NULL, NULL) < 0) return -1;
  out->branch = sl(m->via.branch);
  out->cseq = m->cseq;
  out->cseq_method = sl(m->cseq_method);
  out->call_id = sl(m->call_id);
  out->call_id_host = (bs_str){NULL, 0};
  out->status = m->status;
  out->to_tag = sl(m->to.tag);
  if (siphb_sip_msg_has(m, SIPHB_SIP_HDR_EXPIRES))
    out->expires = m->expires;
  else if (m->contact_count && m->contact.has_expires)
    out->expires = m->contact.expires;
  else
    out->expires = 0;
  return 0;
}

static int siphb_encode(void *ctx, bs_rng *rng, const uint8_t **out, size_t *len, bs_ids *ids) {
  siphb_bctx *c = ctx;
  siphb_sip_ids got;
  c->opt.random_user_data = rng;
  siphb_ssize n = siphb_sip_encode_options(c->wire, sizeof c->wire, &c->opt, &got, NULL);
  if (n < 0) return -1;
  *out = c->wire;
  *len = (size_t)n;
  ids->branch = sl(got.branch);
  ids->from_tag = sl(got.from_tag);
  ids->call_id = sl(got.call_id);
  return 0;
}

static const bs_lib g_siphb = {
    "siphb",
    "siphb " SIPHB_VERSION,
    "siphb_sip_parse (zero-copy, no allocation), fields of siphb_sip_msg; "
    "encode: siphb_sip_encode_options",
    siphb_setup,
    siphb_teardown,
    siphb_parse,
    NULL,
    siphb_encode,
    NULL,
};

const bs_lib *bs_lib_siphb(void) { return &g_siphb; }

/* ---- checking every library's request with siphb's parser ------------------ */

static bool eq(siphb_str s, const char *want) {
  size_t n = strlen(want);
  return s.len == n && (n == 0 || memcmp(s.ptr, want, n) == 0);
}

static bool eq_str(siphb_str s, bs_str want) {
  return s.len == want.n && (want.n == 0 || memcmp(s.ptr, want.p, want.n) == 0);
}

static void field(const char *lib, const char *what, bool ok, siphb_str got, int *bad) {
  if (ok) return;
  fprintf(stderr, "  %-14s wrong: \"%.*s\"\n", what, (int)got.len, got.ptr ? got.ptr : "");
  (void)lib;
  ++*bad;
}

static const siphb_str none = {NULL, 0};

bool bs_check_request(const char *lib, const uint8_t *data, size_t len, const bs_ids *ids) {
  siphb_sip_msg m;
  siphb_error_info err;
  memset(&err, 0, sizeof err);
  if (siphb_sip_parse(&m, data, len, NULL, &err) < 0)
    bs_fail(lib, "siphb_sip_parse refused the encoded OPTIONS (%d at offset %zu: %s):\n%.*s",
            (int)err.code, err.offset, err.message ? err.message : "", (int)len,
            (const char *)data);
  int bad = 0;
  field(lib, "method", m.is_request && m.method_id == SIPHB_SIP_METHOD_OPTIONS, m.method, &bad);
  field(lib, "Request-URI", eq(m.request_uri, BS_OPT_RURI), m.request_uri, &bad);
  field(lib, "Via transport", eq(m.via.transport, "UDP"), m.via.transport, &bad);
  field(lib, "Via host", eq(m.via.host, BS_OPT_VIA_HOST) && m.via.has_port &&
                             m.via.port == BS_OPT_VIA_PORT,
        m.via.host, &bad);
  field(lib, "Via branch", eq_str(m.via.branch, ids->branch) && m.via.branch.len >= 7 + 16 &&
                               memcmp(m.via.branch.ptr, "z9hG4bK", 7) == 0,
        m.via.branch, &bad);
  field(lib, "Via rport", m.via.has_rport && !m.via.rport_has_value, m.via.params, &bad);
  field(lib, "Via count", m.via_count == 1, none, &bad);
  field(lib, "From URI", eq(m.from.uri, BS_OPT_FROM_URI), m.from.uri, &bad);
  field(lib, "From tag", eq_str(m.from.tag, ids->from_tag) && m.from.tag.len >= 8, m.from.tag,
        &bad);
  field(lib, "To URI", eq(m.to.uri, BS_OPT_RURI), m.to.uri, &bad);
  field(lib, "To tag", m.to.tag.len == 0, m.to.tag, &bad);
  field(lib, "Call-ID", eq_str(m.call_id, ids->call_id) && m.call_id.len >= 16, m.call_id, &bad);
  field(lib, "CSeq", m.cseq == 1 && m.cseq_method_id == SIPHB_SIP_METHOD_OPTIONS, m.cseq_method,
        &bad);
  field(lib, "Max-Forwards",
        siphb_sip_msg_has(&m, SIPHB_SIP_HDR_MAX_FORWARDS) &&
            m.max_forwards == BS_OPT_MAX_FORWARDS,
        none, &bad);
  field(lib, "Contact", m.contact_count == 1 && eq(m.contact.uri, BS_OPT_CONTACT_URI),
        m.contact.uri, &bad);
  /* Accept is read as whole header values: siphb_sip_next_token stops at
   * the '/' of a media type. */
  siphb_sip_iter it;
  siphb_sip_header h;
  siphb_str acc = none;
  size_t nacc = 0;
  siphb_sip_iter_init(&it, &m);
  while (siphb_sip_next_header(&it, &h))
    if (h.id == SIPHB_SIP_HDR_ACCEPT) {
      ++nacc;
      acc = h.value;
    }
  field(lib, "Accept", nacc == 1 && eq(acc, BS_OPT_ACCEPT), acc, &bad);
  field(lib, "Content-Length",
        siphb_sip_msg_has(&m, SIPHB_SIP_HDR_CONTENT_LENGTH) && m.content_length == 0 &&
            m.body.len == 0,
        none, &bad);
  if (bad)
    bs_fail(lib, "%d field(s) of the encoded OPTIONS differ (above); the request:\n%.*s", bad,
            (int)len, (const char *)data);
  return true;
}
