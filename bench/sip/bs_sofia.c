/*
 * bs_sofia.c - Sofia-SIP (libsofia-sip-ua), its msg/sip parser. Parse:
 * msg_make, which creates a msg_t (the message's own memory home), copies
 * the bytes into it and parses every header into the sip_t structure;
 * msg_destroy frees all of it (timed). The values are the parsed fields.
 * Encode: msg_create, header objects from the sip_*_create constructors
 * (or *_make, which parse a string, where there is no constructor) inserted
 * with sip_header_insert, then sip_complete_message + msg_serialize +
 * msg_prepare, which encode the request into the message's buffer;
 * msg_destroy (timed).
 */
#include "bs.h"

#include <stdlib.h>
#include <string.h>

#ifdef BS_HAVE_SOFIA
#include <sofia-sip/msg.h>
#include <sofia-sip/msg_addr.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sofia_features.h>

typedef struct sofia_ctx {
  msg_t *msg; /* parsed message, until release */
  msg_t *out; /* encoded request, until encode_release */
  bs_id_text ids; /* the request's identifiers */
  uint8_t wire[1024]; /* the request, if it came in several pieces */
} sofia_ctx;

static void *sofia_setup(void) {
  sofia_ctx *c = calloc(1, sizeof *c);
  if (!c) bs_fail("sofia-sip", "out of memory");
  return c;
}

static void sofia_teardown(void *ctx) { free(ctx); }

static int sofia_parse(void *ctx, const uint8_t *data, size_t len, bs_values *out) {
  sofia_ctx *c = ctx;
  msg_t *msg = msg_make(sip_default_mclass(), 0, data, (ssize_t)len);
  c->msg = msg;
  if (!msg || msg_has_error(msg)) return -1;
  sip_t const *sip = sip_object(msg);
  if (!sip) return -1;

  memset(out, 0, sizeof *out);
  if (sip->sip_via && sip->sip_via->v_branch)
    out->branch = (bs_str){sip->sip_via->v_branch, BS_CSTR};
  if (sip->sip_cseq) {
    out->cseq = sip->sip_cseq->cs_seq;
    out->cseq_method = (bs_str){sip->sip_cseq->cs_method_name, BS_CSTR};
  }
  if (sip->sip_call_id) out->call_id = (bs_str){sip->sip_call_id->i_id, BS_CSTR};
  if (sip->sip_status) out->status = (unsigned)sip->sip_status->st_status;
  if (sip->sip_to && sip->sip_to->a_tag) out->to_tag = (bs_str){sip->sip_to->a_tag, BS_CSTR};
  if (sip->sip_expires)
    out->expires = (uint32_t)sip->sip_expires->ex_delta;
  else if (sip->sip_contact && sip->sip_contact->m_expires)
    out->expires = (uint32_t)strtoul(sip->sip_contact->m_expires, NULL, 10);
  return 0;
}

static void sofia_release(void *ctx) {
  sofia_ctx *c = ctx;
  if (c->msg) msg_destroy(c->msg);
  c->msg = NULL;
}

static int sofia_encode(void *ctx, bs_rng *rng, const uint8_t **out, size_t *len, bs_ids *ids) {
  sofia_ctx *c = ctx;
  bs_new_ids(rng, &c->ids);

  msg_t *msg = msg_create(sip_default_mclass(), 0);
  if (!msg) return -1;
  c->out = msg;
  su_home_t *home = msg_home(msg);
  sip_t *sip = sip_object(msg);
  url_string_t const *ruri = URL_STRING_MAKE(BS_OPT_RURI);

  sip_from_t *from = sip_from_create(home, URL_STRING_MAKE(BS_OPT_FROM_URI));
  if (!from || sip_from_tag(home, from, c->ids.tag) < 0) return -1;
  sip_header_t *h[] = {
      (sip_header_t *)sip_request_create(home, SIP_METHOD_OPTIONS, ruri, NULL),
      (sip_header_t *)sip_via_create(home, BS_OPT_VIA_HOST, "5060", "SIP/2.0/UDP", c->ids.branch,
                                     "rport", NULL),
      (sip_header_t *)sip_max_forwards_make(home, "70"),
      (sip_header_t *)from,
      (sip_header_t *)sip_to_create(home, ruri),
      (sip_header_t *)sip_call_id_make(home, c->ids.call_id),
      (sip_header_t *)sip_cseq_create(home, 1, SIP_METHOD_OPTIONS),
      (sip_header_t *)sip_contact_create(home, URL_STRING_MAKE(BS_OPT_CONTACT_URI), NULL),
      (sip_header_t *)sip_accept_make(home, BS_OPT_ACCEPT),
      (sip_header_t *)sip_content_length_create(home, 0),
  };
  for (size_t i = 0; i < sizeof h / sizeof h[0]; i++)
    if (!h[i] || sip_header_insert(msg, sip, h[i]) < 0) return -1;
  /* sip_complete_message adds the empty line that ends the header block (and
   * would add Content-Length), as sofia's transaction layer does. */
  if (sip_complete_message(msg) < 0 || msg_serialize(msg, (msg_pub_t *)sip) < 0 ||
      msg_prepare(msg) < 0)
    return -1;

  /* The encoded request, as the transport would send it (usually one piece). */
  msg_iovec_t vec[8];
  isize_t nvec = msg_iovec(msg, vec, 8);
  if (nvec < 1 || nvec > 8) return -1;
  if (nvec == 1) {
    *out = (const uint8_t *)vec[0].mv_base;
    *len = (size_t)vec[0].mv_len;
  } else {
    size_t n = 0;
    for (isize_t i = 0; i < nvec; i++) {
      if (n + (size_t)vec[i].mv_len > sizeof c->wire) return -1;
      memcpy(c->wire + n, vec[i].mv_base, (size_t)vec[i].mv_len);
      n += (size_t)vec[i].mv_len;
    }
    *out = c->wire;
    *len = n;
  }
  bs_ids_of(&c->ids, ids);
  return 0;
}

static void sofia_encode_release(void *ctx) {
  sofia_ctx *c = ctx;
  if (c->out) msg_destroy(c->out);
  c->out = NULL;
}

static const bs_lib g_sofia = {
    "sofia-sip",
    "sofia-sip " SOFIA_SIP_VERSION,
    "msg_make (copy + parse into sip_t), fields, msg_destroy; encode: sip_*_create + "
    "sip_header_insert + sip_complete_message + msg_serialize + msg_prepare",
    sofia_setup,
    sofia_teardown,
    sofia_parse,
    sofia_release,
    sofia_encode,
    sofia_encode_release,
};

const bs_lib *bs_lib_sofia(void) { return &g_sofia; }
#else
const bs_lib *bs_lib_sofia(void) { return NULL; }
#endif
