/*
 * bs_osip.c - GNU oSIP2 (libosipparser2). Parse: osip_message_init +
 * osip_message_parse, which copies the buffer and builds a tree of
 * heap-allocated header objects; osip_message_free frees it (timed). The
 * values are read with the usual accessors; numbers arrive as strings and are
 * converted with strtoul, as an osip user would.
 * Encode: a new osip_message_t filled through the osip_message_set_* setters
 * (each parses its string into a header object), then osip_message_to_str,
 * which allocates the wire text.
 */
#include "bs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef BS_HAVE_OSIP
#include <osipparser2/osip_parser.h>
#include <osipparser2/osip_port.h>

typedef struct osip_ctx {
  osip_message_t *msg; /* the parsed message, until release */
  char *wire;          /* the encoded request, until encode_release */
  bs_id_text ids; /* the request's identifiers */
} osip_ctx;

static void *osip_setup(void) {
  /* Builds the table of known header names; needed once before parsing. */
  if (parser_init() != 0) bs_fail("osip2", "parser_init failed");
  osip_ctx *c = calloc(1, sizeof *c);
  if (!c) bs_fail("osip2", "out of memory");
  return c;
}

static void osip_teardown(void *ctx) { free(ctx); }

static uint32_t to_u32(const char *s) { return s ? (uint32_t)strtoul(s, NULL, 10) : 0; }

static int osip_parse(void *ctx, const uint8_t *data, size_t len, bs_values *out) {
  osip_ctx *c = ctx;
  osip_message_t *m = NULL;
  if (osip_message_init(&m) != 0) return -1;
  c->msg = m;
  if (osip_message_parse(m, (const char *)data, len) != 0) return -1;

  memset(out, 0, sizeof *out);
  osip_via_t *via = NULL;
  osip_generic_param_t *p = NULL;
  if (osip_message_get_via(m, 0, &via) >= 0 && via &&
      osip_via_param_get_byname(via, "branch", &p) >= 0 && p)
    out->branch = (bs_str){p->gvalue, BS_CSTR};
  if (m->cseq) {
    out->cseq = to_u32(m->cseq->number);
    out->cseq_method = (bs_str){m->cseq->method, BS_CSTR};
  }
  if (m->call_id) {
    out->call_id = (bs_str){m->call_id->number, BS_CSTR};
    if (m->call_id->host) out->call_id_host = (bs_str){m->call_id->host, BS_CSTR};
  }
  out->status = (unsigned)osip_message_get_status_code(m);
  p = NULL;
  if (m->to && osip_to_get_tag(m->to, &p) >= 0 && p) out->to_tag = (bs_str){p->gvalue, BS_CSTR};
  osip_header_t *h = NULL;
  osip_contact_t *ct = NULL;
  if (osip_message_get_expires(m, 0, &h) >= 0 && h) {
    out->expires = to_u32(h->hvalue);
  } else if (osip_message_get_contact(m, 0, &ct) >= 0 && ct) {
    p = NULL;
    if (osip_contact_param_get_byname(ct, "expires", &p) >= 0 && p)
      out->expires = to_u32(p->gvalue);
  }
  return 0;
}

static void osip_release(void *ctx) {
  osip_ctx *c = ctx;
  osip_message_free(c->msg);
  c->msg = NULL;
}

static int osip_encode(void *ctx, bs_rng *rng, const uint8_t **out, size_t *len, bs_ids *ids) {
  osip_ctx *c = ctx;
  bs_new_ids(rng, &c->ids);

  osip_message_t *m = NULL;
  osip_uri_t *uri = NULL;
  char via[128], from[96];
  int bad = 0;
  if (osip_message_init(&m) != 0) return -1;
  osip_message_set_method(m, osip_strdup("OPTIONS"));
  osip_message_set_version(m, osip_strdup("SIP/2.0"));
  bad |= osip_uri_init(&uri);
  if (!bad) {
    osip_message_set_uri(m, uri);
    bad |= osip_uri_parse(uri, BS_OPT_RURI);
  }
  snprintf(via, sizeof via, "SIP/2.0/UDP " BS_OPT_VIA_HOSTPORT ";branch=%s;rport", c->ids.branch + 7);
  bad |= osip_message_set_via(m, via);
  snprintf(from, sizeof from, "<" BS_OPT_FROM_URI ">;tag=%s", c->ids.tag);
  bad |= osip_message_set_from(m, from);
  bad |= osip_message_set_to(m, "<" BS_OPT_RURI ">");
  bad |= osip_message_set_call_id(m, c->ids.call_id);
  bad |= osip_message_set_cseq(m, "1 OPTIONS");
  bad |= osip_message_set_max_forwards(m, "70");
  bad |= osip_message_set_contact(m, "<" BS_OPT_CONTACT_URI ">");
  bad |= osip_message_set_accept(m, BS_OPT_ACCEPT);
  bad |= osip_message_set_content_length(m, "0");
  size_t n = 0;
  char *wire = NULL;
  if (!bad) bad |= osip_message_to_str(m, &wire, &n);
  osip_message_free(m);
  if (bad || !wire) {
    osip_free(wire);
    return -1;
  }
  c->wire = wire;
  *out = (const uint8_t *)wire;
  *len = n;
  bs_ids_of(&c->ids, ids);
  return 0;
}

static void osip_encode_release(void *ctx) {
  osip_ctx *c = ctx;
  osip_free(c->wire);
  c->wire = NULL;
}

static const bs_lib g_osip = {
    "osip2",
    "libosip2 " BS_OSIP_VERSION,
    "osip_message_init + osip_message_parse, accessors, osip_message_free; "
    "encode: osip_message_set_* + osip_message_to_str",
    osip_setup,
    osip_teardown,
    osip_parse,
    osip_release,
    osip_encode,
    osip_encode_release,
};

const bs_lib *bs_lib_osip(void) { return &g_osip; }
#else
const bs_lib *bs_lib_osip(void) { return NULL; }
#endif
