/*
 * responder.c - the ctx's responder (siphb/responder.h): answers OPTIONS
 * and CRLF pings from its receive hooks, through `send`.
 *
 * One allocation besides the object holds the copied strings and the
 * response buffer, so answering never allocates. The ctx's module slot of
 * the responder kind points at the one responder while it lives; the hooks
 * find it there.
 */
#include <siphb/responder.h>

#include <siphb/sip.h>
#include <string.h>

#include "base/sized.h"
#include "base/text.h"
#include "engine/ctx_int.h"

#define CONFIG_MIN_SIZE \
  (offsetof(siphb_responder_config, peer_source_user_data) + sizeof(void *))
#define MAX_TEXT 1024
#define MIN_RESPONSE 256
#define MAX_RESPONSE 65535
/* An IPv6 address as text: 45 characters and the NUL. */
#define SOURCE_IP_MAX 46

struct siphb_responder {
  siphb_obj base;
  siphb_sip_response rsp; /* the texts point into `mem` */
  bool answer_crlf_pings;
  siphb_peer_source_fn peer_source;
  void *peer_source_user_data;
  int random_rv;          /* what siphb_ctx_random() said during an encode */
  uint8_t *mem;           /* the texts, then the response buffer */
  size_t mem_size;
  uint8_t *buf;
  size_t buf_size;
  siphb_responder_stats st;
};

static void config_defaults(siphb_responder_config *c) {
  memset(c, 0, sizeof *c);
  c->size = (uint32_t)sizeof *c;
  c->options_status = 200;
  c->answer_crlf_pings = true;
  c->max_response = 4096;
}

static void config_defaults_fn(void *c) { config_defaults(c); }

void siphb_responder_config_init(siphb_responder_config *cfg, size_t size) {
  siphb_responder_config d;
  config_defaults(&d);
  siphb_sized_init(cfg, size, &d, sizeof d, CONFIG_MIN_SIZE);
}

/* The strings copied, in this order. */
#define TEXTS 6
static void texts_of(const siphb_responder_config *c, const siphb_str *out[TEXTS]) {
  out[0] = &c->reason;
  out[1] = &c->allow;
  out[2] = &c->accept;
  out[3] = &c->supported;
  out[4] = &c->server;
  out[5] = &c->contact_uri;
}

static bool config_valid(const siphb_responder_config *c) {
  const siphb_str *t[TEXTS];
  texts_of(c, t);
  for (size_t i = 0; i < TEXTS; i++)
    if (!siphb_text_header_safe(*t[i], MAX_TEXT)) return false;
  return c->options_status >= 200 && c->options_status <= 699 &&
         c->max_response >= MIN_RESPONSE && c->max_response <= MAX_RESPONSE;
}

/* ---- answering ----------------------------------------------------------------- */

static siphb_responder *responder_of(siphb_ctx *ctx) {
  return siphb_ctx_module(ctx, SIPHB_OBJECT_RESPONDER)->state;
}

/* The To tag's random bits, from the ctx's `random` (a siphb_random_fn for
 * the encoder); what the ctx said is kept, since a callback may have
 * deleted the ctx. */
static int tag_random(uint8_t *dest, size_t len, void *user_data) {
  siphb_responder *r = user_data;
  r->random_rv = siphb_ctx_random(r->base.ctx, dest, len);
  return r->random_rv;
}

/* Sends one answer; a refused send is counted, not an error. */
static int answer(siphb_responder *r, const siphb_peer *peer, siphb_payload_kind kind,
                  const uint8_t *data, size_t len, uint64_t ref) {
  int rv = siphb_obj_send(&r->base, peer, kind, 0, ref, data, len);
  if (rv == SIPHB_ERR_SEND) {
    r->st.send_failures++;
    return 0;
  }
  return rv;
}

static void claim(siphb_responder *r, siphb_rx_result *result) {
  result->consumed = true;
  result->object_kind = SIPHB_OBJECT_RESPONDER;
  result->object = r;
}

static int on_request(siphb_ctx *ctx, const siphb_peer *peer, const uint8_t *data, size_t len,
                      const siphb_sip_msg *sip, siphb_rx_result *result, siphb_ms now) {
  (void)data;
  (void)len;
  (void)now;
  siphb_responder *r = responder_of(ctx);
  if (!r || !sip) return 0;
  if (sip->method_id != SIPHB_SIP_METHOD_OPTIONS) {
    r->st.not_answered++; /* ACK included: it gets no response (section 17.2.1) */
    return 0;
  }
  siphb_sip_response rsp = r->rsp;
  char ip[SOURCE_IP_MAX];
  uint16_t port = 0;
  if (r->peer_source && r->peer_source(peer, ip, sizeof ip, &port, r->peer_source_user_data) == 0 &&
      memchr(ip, '\0', sizeof ip)) {
    rsp.source_ip = siphb_str_c(ip);
    rsp.source_port = port;
  }
  r->random_rv = 0;
  siphb_ssize n = siphb_sip_encode_response(r->buf, r->buf_size, sip, &rsp, NULL);
  if (r->random_rv == SIPHB_STOPPED) return SIPHB_STOPPED;
  if (n < 0) {
    if (n == SIPHB_ERR_CALLBACK_FAILURE) return (int)n;
    r->st.unanswerable++;
    result->error = (int)n;
    result->object_kind = SIPHB_OBJECT_RESPONDER;
    result->object = r;
    return 0;
  }
  claim(r, result);
  r->st.options_answered++;
  return answer(r, peer, SIPHB_PAYLOAD_SIP_RESPONSE, r->buf, (size_t)n, sip->cseq);
}

/* "\r\n\r\n": a pong on a connection (RFC 5626 section 4.4.1); in a
 * datagram a NAT keepalive, which UDP never answers (section 3.5.1). */
static int on_ping(siphb_ctx *ctx, const siphb_peer *peer, const uint8_t *data, size_t len,
                   const siphb_sip_msg *sip, siphb_rx_result *result, siphb_ms now) {
  static const uint8_t pong[2] = {'\r', '\n'};
  (void)data;
  (void)len;
  (void)sip;
  (void)now;
  siphb_responder *r = responder_of(ctx);
  if (!r) return 0;
  if (peer->transport == SIPHB_TRANSPORT_UDP || peer->transport == SIPHB_TRANSPORT_DTLS) {
    claim(r, result);
    r->st.datagram_keepalives++;
    return 0;
  }
  if (!r->answer_crlf_pings) return 0;
  claim(r, result);
  r->st.crlf_pongs++;
  return answer(r, peer, SIPHB_PAYLOAD_CRLF_PONG, pong, sizeof pong, 0);
}

/* ---- the object ------------------------------------------------------------------ */

static void responder_stop_op(siphb_obj *obj) {
  siphb_module_slot *slot = siphb_ctx_module(obj->ctx, SIPHB_OBJECT_RESPONDER);
  if (slot->state != obj) return;
  slot->state = NULL;
  siphb_ctx_set_rx_hook(obj->ctx, SIPHB_STREAM_SIP_REQUEST, SIPHB_OBJECT_RESPONDER, NULL);
  siphb_ctx_set_rx_hook(obj->ctx, SIPHB_STREAM_CRLF_PING, SIPHB_OBJECT_RESPONDER, NULL);
}

static void responder_destroy_op(siphb_obj *obj) {
  siphb_responder *r = (siphb_responder *)(void *)obj;
  siphb_alloc_free(siphb_ctx_alloc(obj->ctx), r->mem, r->mem_size);
}

static const siphb_obj_ops responder_ops = {SIPHB_OBJECT_RESPONDER, sizeof(siphb_responder),
                                            responder_stop_op, responder_destroy_op, NULL};

/* Copies the texts into r->mem and points r->rsp at the copies. */
static void copy_texts(siphb_responder *r, const siphb_responder_config *c) {
  const siphb_str *from[TEXTS];
  siphb_str *to[TEXTS] = {&r->rsp.reason,  &r->rsp.allow,  &r->rsp.accept,
                          &r->rsp.supported, &r->rsp.server, &r->rsp.contact_uri};
  texts_of(c, from);
  char *at = (char *)r->mem;
  for (size_t i = 0; i < TEXTS; i++) {
    if (from[i]->len) memcpy(at, from[i]->ptr, from[i]->len);
    *to[i] = (siphb_str){from[i]->len ? at : NULL, from[i]->len};
    at += from[i]->len;
  }
  r->buf = (uint8_t *)at;
}

int siphb_responder_new(siphb_responder **out, siphb_ctx *ctx, const siphb_responder_config *cfg,
                        void *user_data) {
  siphb_responder_config full;
  const void *view = NULL;
  if (!out || !ctx) return SIPHB_ERR_INVALID_ARGUMENT;
  *out = NULL;
  int rv = siphb_sized_view_or_defaults(cfg, &full, sizeof full, CONFIG_MIN_SIZE,
                                        config_defaults_fn, &view);
  if (rv != 0) return rv;
  const siphb_responder_config *c = view;
  if (!config_valid(c)) return SIPHB_ERR_INVALID_ARGUMENT;
  if (siphb_ctx_callback_depth(ctx) > 0) return SIPHB_ERR_INVALID_STATE;
  siphb_module_slot *slot = siphb_ctx_module(ctx, SIPHB_OBJECT_RESPONDER);
  if (slot->state) return SIPHB_ERR_EXISTS;

  const siphb_str *t[TEXTS];
  texts_of(c, t);
  size_t size = c->max_response;
  for (size_t i = 0; i < TEXTS; i++) size += t[i]->len;
  uint8_t *mem = siphb_alloc_zeroed(siphb_ctx_alloc(ctx), size);
  if (!mem) return SIPHB_ERR_NOMEM;
  void *obj = NULL;
  rv = siphb_obj_new(&obj, ctx, &responder_ops, user_data);
  if (rv != 0) {
    siphb_alloc_free(siphb_ctx_alloc(ctx), mem, size);
    return rv;
  }
  siphb_responder *r = obj;
  r->mem = mem;
  r->mem_size = size;
  r->buf_size = c->max_response;
  siphb_sip_response_init(&r->rsp, sizeof r->rsp);
  r->rsp.status = c->options_status;
  r->rsp.random = tag_random;
  r->rsp.random_user_data = r;
  copy_texts(r, c);
  r->answer_crlf_pings = c->answer_crlf_pings;
  r->peer_source = c->peer_source;
  r->peer_source_user_data = c->peer_source_user_data;
  slot->state = r;
  siphb_ctx_set_rx_hook(ctx, SIPHB_STREAM_SIP_REQUEST, SIPHB_OBJECT_RESPONDER, on_request);
  siphb_ctx_set_rx_hook(ctx, SIPHB_STREAM_CRLF_PING, SIPHB_OBJECT_RESPONDER, on_ping);
  *out = r;
  return 0;
}

void siphb_responder_del(siphb_responder *r) {
  if (r) siphb_obj_delete(&r->base);
}

int siphb_responder_get_stats(const siphb_responder *r, siphb_responder_stats *st) {
  if (!r || !st) return SIPHB_ERR_INVALID_ARGUMENT;
  *st = r->st;
  return 0;
}

void *siphb_responder_get_user_data(const siphb_responder *r) { return r ? r->base.user_data : NULL; }

void siphb_responder_set_user_data(siphb_responder *r, void *user_data) {
  if (r) r->base.user_data = user_data;
}
