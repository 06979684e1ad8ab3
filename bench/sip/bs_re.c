/*
 * bs_re.c - libre (creytiv/baresip), its SIP message decoder. Parse: the
 * bytes go into an mbuf (mbuf_alloc + mbuf_write_mem, as libre's transports
 * receive into one), then sip_msg_decode, which indexes every header (a list
 * and a hash table of header slices) and decodes the top Via, To, From, CSeq
 * and Content-Type; mem_deref frees the message and its mbuf (timed). The
 * values are its pointer-length slices; the Contact expires parameter needs
 * sip_msg_hdr + sip_addr_decode + msg_param_decode, as in libre's own
 * registration client.
 * Encode: libre builds requests inside its transaction layer, which needs a
 * running SIP stack and transport; the part that writes the bytes is its
 * formatter, so the request is written with re_snprintf into a buffer.
 *
 * re.h defines many short macros (MIN, MAX, ARRAY_SIZE, ...): keep this file
 * free of other libraries' headers.
 */
#include "bs.h"

#include <stdlib.h>
#include <string.h>

#ifdef BS_HAVE_RE
#include <re.h>

typedef struct re_ctx {
  struct sip_msg *msg; /* parsed message, until release */
  bs_id_text ids; /* the request's identifiers */
  uint8_t wire[1024];
} re_ctx;

static void *re_setup(void) {
  re_ctx *c = calloc(1, sizeof *c);
  if (!c) bs_fail("libre", "out of memory");
  return c;
}

static void re_teardown(void *ctx) { free(ctx); }

static bs_str pl_str(const struct pl *pl) {
  bs_str s = {pl->p, pl->l};
  return s;
}

static int re_parse(void *ctx, const uint8_t *data, size_t len, bs_values *out) {
  re_ctx *c = ctx;
  struct mbuf *mb = mbuf_alloc(len);
  if (!mb) return -1;
  if (mbuf_write_mem(mb, data, len) != 0) {
    mem_deref(mb);
    return -1;
  }
  mb->pos = 0;
  struct sip_msg *msg = NULL;
  int err = sip_msg_decode(&msg, mb);
  mem_deref(mb); /* the message holds its own reference */
  if (err) return -1;
  c->msg = msg;

  memset(out, 0, sizeof *out);
  out->branch = pl_str(&msg->via.branch);
  out->cseq = msg->cseq.num;
  out->cseq_method = pl_str(&msg->cseq.met);
  out->call_id = pl_str(&msg->callid);
  out->status = msg->scode;
  out->to_tag = pl_str(&msg->to.tag);
  if (pl_isset(&msg->expires)) {
    out->expires = pl_u32(&msg->expires);
  } else {
    const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_CONTACT);
    struct sip_addr addr;
    struct pl v;
    if (h && sip_addr_decode(&addr, &h->val) == 0 &&
        msg_param_decode(&addr.params, "expires", &v) == 0)
      out->expires = pl_u32(&v);
  }
  return 0;
}

static void re_release(void *ctx) {
  re_ctx *c = ctx;
  c->msg = mem_deref(c->msg);
}

static int re_encode(void *ctx, bs_rng *rng, const uint8_t **out, size_t *len, bs_ids *ids) {
  re_ctx *c = ctx;
  bs_new_ids(rng, &c->ids);

  int n = re_snprintf((char *)c->wire, sizeof c->wire,
                      "OPTIONS %s SIP/2.0\r\n"
                      "Via: SIP/2.0/UDP %s:%u;branch=%s;rport\r\n"
                      "Max-Forwards: %u\r\n"
                      "From: <%s>;tag=%s\r\n"
                      "To: <%s>\r\n"
                      "Call-ID: %s\r\n"
                      "CSeq: %u OPTIONS\r\n"
                      "Contact: <%s>\r\n"
                      "Accept: %s\r\n"
                      "Content-Length: 0\r\n"
                      "\r\n",
                      BS_OPT_RURI, BS_OPT_VIA_HOST, BS_OPT_VIA_PORT, c->ids.branch + 7,
                      BS_OPT_MAX_FORWARDS, BS_OPT_FROM_URI, c->ids.tag, BS_OPT_RURI, c->ids.call_id, 1u,
                      BS_OPT_CONTACT_URI, BS_OPT_ACCEPT);
  if (n <= 0 || (size_t)n >= sizeof c->wire) return -1;
  *out = c->wire;
  *len = (size_t)n;
  bs_ids_of(&c->ids, ids);
  return 0;
}

static const bs_lib g_re = {
    "libre",
    "libre " BS_RE_VERSION,
    "mbuf_alloc + mbuf_write_mem + sip_msg_decode, fields (+ sip_addr_decode for Contact), "
    "mem_deref; encode: re_snprintf",
    re_setup,
    re_teardown,
    re_parse,
    re_release,
    re_encode,
    NULL,
};

const bs_lib *bs_lib_re(void) { return &g_re; }
#else
const bs_lib *bs_lib_re(void) { return NULL; }
#endif
