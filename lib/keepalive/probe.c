/*
 * probe.c - the probe's configuration, its request template and its life
 * on the ctx (siphb/probe.h); the rounds are in probe_round.c.
 *
 * The request is encoded once (siphb_sip_encode_options) with a Call-ID and
 * From tag drawn at creation; a round rewrites only the 16 hex digits of
 * the branch and the 10 digits of the CSeq in place, so a round costs no
 * encoding and no allocation. No copy of the caller's texts is kept: to
 * encode the request for another transport they are read back from it.
 */
#include "keepalive/probe_int.h"

#include <string.h>

#include "base/assert.h"
#include "base/ms.h"
#include "base/sized.h"

/* The first release's struct: a caller's can be no smaller (base/sized.h). */
#define CONFIG_MIN_SIZE (offsetof(siphb_probe_config, max_forwards) + sizeof(uint32_t))

/* RFC 3261 section 18.1.1: a request within 200 bytes of the path MTU
 * (1500) goes over a congestion-controlled transport; the probe's OPTIONS
 * must fit a UDP datagram. */
#define UDP_MAX_REQUEST 1300

static void config_defaults(siphb_probe_config *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->size = (uint32_t)sizeof *cfg;
  cfg->from_uri = siphb_str_c("sip:siphb@invalid");
  cfg->interval = 30000;
  cfg->jitter_permille = 200;
  cfg->retry_interval = 5000;
  cfg->t1 = 500;
  cfg->t2 = 4000;
  cfg->t4 = 5000;
  cfg->alive_classes = 0x7C;
  cfg->fail_codes[0] = 408;
  cfg->fail_codes[1] = 503;
  cfg->honour_retry_after = true;
  cfg->rport = true;
  cfg->accept_sdp = true;
  cfg->max_forwards = 70;
}

static void config_defaults_fn(void *cfg) { config_defaults(cfg); }

void siphb_probe_config_init(siphb_probe_config *cfg, size_t size) {
  siphb_probe_config d;
  config_defaults(&d);
  siphb_sized_init(cfg, size, &d, sizeof d, CONFIG_MIN_SIZE);
}

/* Everything the encoder does not check itself. */
static bool config_valid(const siphb_probe_config *c) {
  if (!c->request_uri.len || !c->via_host.len) return false;
  if (c->interval == 0 || c->interval > SIPHB_MS_MAX32) return false;
  if (c->retry_interval == 0 || c->retry_interval > SIPHB_MS_MAX32) return false;
  if (c->start_delay_max > SIPHB_MS_MAX32 || c->jitter_permille > 1000) return false;
  if (c->t1 == 0 || c->t2 < c->t1 || c->t2 > SIPHB_MS_MAX32 || c->t4 > SIPHB_MS_MAX32) return false;
  if (c->timeout != 0 && (c->timeout < c->t1 || c->timeout > SIPHB_MS_MAX32)) return false;
  /* 64*T1 by default: T1 at most 2^32 / 64 keeps it a valid duration. */
  if (c->timeout == 0 && c->t1 > SIPHB_MS_MAX32 / 64) return false;
  /* Only final classes (2xx..6xx), and at least one. */
  if (c->alive_classes == 0 || (c->alive_classes & ~UINT32_C(0x7C)) != 0) return false;
  for (size_t i = 0; i < SIPHB_PROBE_FAIL_CODES && c->fail_codes[i]; i++)
    if (c->fail_codes[i] < 200 || c->fail_codes[i] > 699) return false;
  return c->max_forwards <= 255;
}

/* ---- the module -------------------------------------------------------------- */

static void module_destroy(siphb_ctx *ctx, void *state) {
  probe_module *m = state;
  siphb_hmap_free(&m->branches, siphb_ctx_alloc(ctx));
  siphb_hmap_free(&m->peers, siphb_ctx_alloc(ctx));
  siphb_alloc_free(siphb_ctx_alloc(ctx), m, sizeof *m);
}

int siphb_probe_module(siphb_ctx *ctx, probe_module **out) {
  siphb_module_slot *slot = siphb_ctx_module(ctx, SIPHB_OBJECT_PROBE);
  if (!slot->state) {
    uint8_t key[32];
    int rv = siphb_ctx_random(ctx, key, sizeof key);
    if (rv != 0) return rv < 0 ? rv : SIPHB_ERR_CALLBACK_FAILURE;
    probe_module *m = siphb_alloc_zeroed(siphb_ctx_alloc(ctx), sizeof *m);
    if (!m) return SIPHB_ERR_NOMEM;
    siphb_hmap_init(&m->branches, key);
    siphb_hmap_init(&m->peers, key + 16);
    slot->state = m;
    slot->destroy = module_destroy;
    siphb_ctx_set_rx_hook(ctx, SIPHB_STREAM_SIP_RESPONSE, SIPHB_OBJECT_PROBE, siphb_probe_rx);
    siphb_ctx_set_peer_hook(ctx, SIPHB_OBJECT_PROBE, siphb_probe_peer_event);
  }
  *out = slot->state;
  return 0;
}

/* ---- the object ----------------------------------------------------------------- */

/* No more rounds: the one in flight is abandoned silently. */
static void stop_rounds(siphb_probe *p) {
  siphb_wheel_cancel(siphb_ctx_wheel(p->base.ctx), &p->round_node);
  siphb_probe_abandon(p);
  p->running = false;
}

/* Deletion: stopped, and out of the peer map as well. */
static void probe_stop_op(siphb_obj *obj) {
  siphb_probe *p = (siphb_probe *)(void *)obj;
  stop_rounds(p);
  probe_module *m = siphb_ctx_module(obj->ctx, SIPHB_OBJECT_PROBE)->state;
  if (m) siphb_hmap_remove(&m->peers, &p->peer_node);
  siphb_obs_detach(&p->health);
}

static void probe_destroy_op(siphb_obj *obj) {
  siphb_probe *p = (siphb_probe *)(void *)obj;
  siphb_alloc_free(siphb_ctx_alloc(obj->ctx), p->request, p->request_size);
  probe_module *m = siphb_ctx_module(obj->ctx, SIPHB_OBJECT_PROBE)->state;
  if (m) {
    siphb_hmap_unreserve(&m->branches, 1);
    siphb_hmap_unreserve(&m->peers, 1);
  }
}

static const siphb_obj_ops probe_ops = {SIPHB_OBJECT_PROBE, sizeof(siphb_probe), probe_stop_op,
                                        probe_destroy_op, NULL};

static void put_hex(char *out, const uint8_t *in, size_t n) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = digits[in[i] >> 4];
    out[2 * i + 1] = digits[in[i] & 15];
  }
}

/* The offset of the first `lit` in buf, or len when absent. */
static size_t find(const uint8_t *buf, size_t len, const char *lit) {
  size_t n = strlen(lit);
  for (size_t i = 0; i + n <= len; i++)
    if (memcmp(buf + i, lit, n) == 0) return i;
  return len;
}

/* ---- the template ------------------------------------------------------------------ */

/* What the encoder writes besides the fixed text and the numbers. */
typedef struct probe_texts {
  siphb_str request_uri, via_host, from_uri, to_uri, contact_uri, user_agent;
  siphb_str call_id, from_tag;
} probe_texts;

static bool text_ok(siphb_str s) { return !s.len || (s.ptr && s.len <= PROBE_MAX_TEXT); }

static bool texts_ok(const siphb_probe_config *c) {
  return text_ok(c->request_uri) && text_ok(c->via_host) && text_ok(c->from_uri) &&
         text_ok(c->to_uri) && text_ok(c->contact_uri) && text_ok(c->user_agent);
}

/* The texts back from the template itself, to encode it again for another
 * transport: the probe keeps no other copy. The slices point into it. */
static int texts_of_template(const siphb_probe *p, probe_texts *t) {
  siphb_sip_msg m;
  if (siphb_sip_parse(&m, p->request, p->request_len, NULL, NULL) < 0)
    return SIPHB_ERR_INVALID_ARGUMENT; /* cannot happen: siphb encoded it */
  t->request_uri = m.request_uri;
  t->via_host = m.via.host;
  t->from_uri = m.from.uri;
  t->to_uri = m.to.uri;
  t->contact_uri = m.contact_count ? m.contact.uri : (siphb_str){NULL, 0};
  t->user_agent =
      siphb_sip_msg_has(&m, SIPHB_SIP_HDR_USER_AGENT) ? m.user_agent : (siphb_str){NULL, 0};
  t->call_id = m.call_id;
  t->from_tag = m.from.tag;
  return 0;
}

/* The request for the probe's peer into buf[0..cap); cap 0 with buf NULL
 * asks for the size (in err->need). */
static siphb_ssize encode_into(const siphb_probe *p, const probe_texts *t, uint8_t *buf,
                               size_t cap, siphb_sip_ids *ids, siphb_error_info *err) {
  /* A placeholder branch: rounds write their own digits over it. */
  static const char branch[] = "z9hG4bK0000000000000000";
  siphb_sip_options o;
  siphb_sip_options_init(&o, sizeof o);
  o.transport = p->peer.transport;
  o.request_uri = t->request_uri;
  o.via_host = t->via_host;
  o.from_uri = t->from_uri;
  o.to_uri = t->to_uri;
  o.contact_uri = t->contact_uri;
  o.user_agent = t->user_agent;
  o.via_port = p->via_port;
  o.rport = p->rport;
  o.max_forwards = p->max_forwards;
  o.cseq = p->cseq;
  if (!p->accept_sdp) o.accept = (siphb_str){NULL, 0};
  o.branch = (siphb_str){branch, PROBE_BRANCH_LEN};
  o.from_tag = t->from_tag;
  o.call_id = t->call_id;
  return siphb_sip_encode_options(buf, cap, &o, ids, err);
}

/* Records where the round's fields, the Call-ID and the sent-by host are
 * in the freshly encoded template. */
static int locate(siphb_probe *p, const siphb_sip_ids *ids) {
  const uint8_t *req = p->request;
  p->branch_at = (uint16_t)((const uint8_t *)ids->branch.ptr - req + PROBE_COOKIE_LEN);
  p->call_id_at = (uint16_t)((const uint8_t *)ids->call_id.ptr - req);
  p->cseq_at = (uint16_t)(find(req, p->request_len, "\r\nCSeq: ") + 8);
  siphb_sip_msg m;
  if (siphb_sip_parse(&m, req, p->request_len, NULL, NULL) < 0) return SIPHB_ERR_INVALID_ARGUMENT;
  p->via_host_at = (uint16_t)((const uint8_t *)m.via.host.ptr - req);
  p->via_host_len = (uint16_t)m.via.host.len;
  SIPHB_ASSERT(p->cseq_at + PROBE_CSEQ_DIGITS <= p->request_len);
  return 0;
}

/* A new block with the template for the probe's peer (whose transport
 * token sets the length). The old block, if any, is freed only once the
 * new one is in place: `t` may point into it. */
static int build(siphb_probe *p, const probe_texts *t) {
  siphb_error_info err;
  siphb_ssize need = encode_into(p, t, NULL, 0, NULL, &err);
  if (need != SIPHB_ERR_NOBUF) return need < 0 ? (int)need : SIPHB_ERR_INVALID_ARGUMENT;
  size_t size = err.need;
  if (p->peer.transport == SIPHB_TRANSPORT_UDP && size > UDP_MAX_REQUEST)
    return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_alloc *a = siphb_ctx_alloc(p->base.ctx);
  uint8_t *block = siphb_alloc_zeroed(a, size);
  if (!block) return SIPHB_ERR_NOMEM;
  siphb_sip_ids ids;
  siphb_ssize n = encode_into(p, t, block, size, &ids, NULL);
  SIPHB_ASSERT(n == (siphb_ssize)size); /* the size came from the same encoder */
  uint8_t *old = p->request;
  size_t old_size = p->request_size;
  p->request = block;
  p->request_size = (uint16_t)size;
  p->request_len = (uint16_t)n;
  int rv = locate(p, &ids);
  siphb_alloc_free(a, old, old_size);
  return rv;
}

static void take_config(siphb_probe *p, const siphb_probe_config *c) {
  probe_timing *t = &p->timing;
  t->interval = (uint32_t)c->interval;
  t->jitter_permille = (uint16_t)c->jitter_permille;
  t->start_delay_max = (uint32_t)c->start_delay_max;
  t->retry_interval = (uint32_t)c->retry_interval;
  t->t1 = (uint32_t)c->t1;
  t->t2 = (uint32_t)c->t2;
  t->t4 = (uint32_t)c->t4;
  t->timeout = (uint32_t)(c->timeout ? c->timeout : 64 * c->t1);
  t->alive_classes = (uint8_t)c->alive_classes;
  memcpy(t->fail_codes, c->fail_codes, sizeof t->fail_codes);
  t->honour_retry_after = c->honour_retry_after;
  p->via_port = c->via_port;
  p->max_forwards = (uint8_t)c->max_forwards;
  p->rport = c->rport;
  p->accept_sdp = c->accept_sdp;
}

/* Everything but the ctx's part: the identifiers and the template. */
static int probe_setup(siphb_probe *p, const siphb_probe_config *c) {
  take_config(p, c);
  /* 128 bits of Call-ID, 64 of From tag (RFC 3261 sections 8.1.1.4, 19.3)
   * and the first CSeq, in one call. */
  uint8_t rnd[16 + 8 + 4];
  int rv = siphb_ctx_random(p->base.ctx, rnd, sizeof rnd);
  if (rv != 0) return rv < 0 ? rv : SIPHB_ERR_CALLBACK_FAILURE;
  char call_id[32], tag[16];
  put_hex(call_id, rnd, 16);
  put_hex(tag, rnd + 16, 8);
  uint32_t r;
  memcpy(&r, rnd + 24, sizeof r);
  p->cseq = PROBE_CSEQ_FIRST + r % PROBE_CSEQ_FIRST;
  probe_texts t = {c->request_uri, c->via_host, c->from_uri, c->to_uri, c->contact_uri,
                   c->user_agent, {call_id, sizeof call_id}, {tag, sizeof tag}};
  return build(p, &t);
}

/* The transports whose Via token the encoder knows: not DTLS. */
static int check_peer(const siphb_peer *peer) {
  if (!peer || (unsigned)peer->transport > (unsigned)SIPHB_TRANSPORT_DTLS)
    return SIPHB_ERR_INVALID_ARGUMENT;
  return peer->transport == SIPHB_TRANSPORT_DTLS ? SIPHB_ERR_UNSUPPORTED : 0;
}

int siphb_probe_new(siphb_probe **out, siphb_ctx *ctx, const siphb_probe_config *cfg_in,
                    const siphb_peer *peer, void *user_data, siphb_ms now) {
  if (!out || !ctx || !cfg_in) return SIPHB_ERR_INVALID_ARGUMENT;
  int rv = check_peer(peer);
  if (rv != 0) return rv;
  const void *view;
  siphb_probe_config full;
  rv = siphb_sized_view(cfg_in, &full, sizeof full, CONFIG_MIN_SIZE, config_defaults_fn, &view);
  if (rv != 0) return rv;
  const siphb_probe_config *cfg = view;
  if (!config_valid(cfg) || !texts_ok(cfg)) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_ctx_clock(ctx, now);

  probe_module *m;
  rv = siphb_probe_module(ctx, &m);
  if (rv != 0) return rv;
  rv = siphb_hmap_reserve(&m->branches, siphb_ctx_alloc(ctx), 1);
  if (rv != 0) return rv;
  rv = siphb_hmap_reserve(&m->peers, siphb_ctx_alloc(ctx), 1);
  if (rv != 0) {
    siphb_hmap_unreserve(&m->branches, 1);
    return rv;
  }
  void *obj;
  rv = siphb_obj_new(&obj, ctx, &probe_ops, user_data);
  if (rv != 0) {
    siphb_hmap_unreserve(&m->branches, 1);
    siphb_hmap_unreserve(&m->peers, 1);
    return rv;
  }
  siphb_probe *p = obj;
  p->peer = *peer;
  siphb_wheel_node_init(&p->round_node, siphb_probe_round_fire);
  siphb_wheel_node_init(&p->txn_node, siphb_probe_txn_fire);
  p->counts.rtt_last = p->counts.rtt_min = p->counts.srtt = p->counts.rttvar = PROBE_NO_RTT;
  rv = probe_setup(p, cfg);
  if (rv != 0) {
    siphb_obj_delete(&p->base); /* frees the block and the reservations */
    return rv;
  }
  siphb_probe_link_peer(p, m);
  *out = p;
  return 0;
}

void siphb_probe_del(siphb_probe *probe) {
  if (probe) siphb_obj_delete(&probe->base);
}

static bool usable(const siphb_probe *p) { return p && !siphb_obj_dead(&p->base); }

int siphb_probe_start(siphb_probe *probe, siphb_ms now) {
  if (!usable(probe)) return SIPHB_ERR_INVALID_ARGUMENT;
  now = siphb_ctx_clock(probe->base.ctx, now);
  if (!probe->running) {
    probe->running = true;
    siphb_probe_schedule_first(probe, now);
  }
  return 0;
}

int siphb_probe_stop(siphb_probe *probe, siphb_ms now) {
  if (!usable(probe)) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_ctx_clock(probe->base.ctx, now);
  stop_rounds(probe);
  return 0;
}

int siphb_probe_trigger(siphb_probe *probe, siphb_ms now) {
  if (!usable(probe)) return SIPHB_ERR_INVALID_ARGUMENT;
  now = siphb_ctx_clock(probe->base.ctx, now);
  if (!probe->running || probe->txn == TXN_CALLING || probe->txn == TXN_PROCEEDING)
    return SIPHB_ERR_INVALID_STATE;
  siphb_wheel_arm(siphb_ctx_wheel(probe->base.ctx), &probe->round_node, now);
  return 0;
}

int siphb_probe_set_peer(siphb_probe *probe, const siphb_peer *peer, siphb_ms now) {
  if (!usable(probe)) return SIPHB_ERR_INVALID_ARGUMENT;
  int rv = check_peer(peer);
  if (rv != 0) return rv;
  now = siphb_ctx_clock(probe->base.ctx, now);
  if (peer->transport != probe->peer.transport) {
    /* Another Via token: the template is encoded again from itself, with
     * the same identifiers. */
    probe_texts t;
    rv = texts_of_template(probe, &t);
    if (rv != 0) return rv;
    siphb_peer old = probe->peer;
    probe->peer = *peer;
    rv = build(probe, &t);
    if (rv != 0) {
      probe->peer = old; /* unchanged: the old block stands */
      return rv == SIPHB_ERR_INVALID_ARGUMENT ? SIPHB_ERR_UNSUPPORTED : rv;
    }
  }
  siphb_probe_abandon(probe);
  probe_module *m = siphb_ctx_module(probe->base.ctx, SIPHB_OBJECT_PROBE)->state;
  siphb_hmap_remove(&m->peers, &probe->peer_node);
  probe->peer = *peer;
  siphb_probe_link_peer(probe, m);
  /* An abandoned round is replaced by one at once. */
  if (probe->running && !siphb_wheel_node_armed(&probe->round_node))
    siphb_wheel_arm(siphb_ctx_wheel(probe->base.ctx), &probe->round_node, now);
  return 0;
}

bool siphb_probe_running(const siphb_probe *probe) { return usable(probe) && probe->running; }

const siphb_peer *siphb_probe_get_peer(const siphb_probe *probe) {
  return probe ? &probe->peer : NULL;
}

static siphb_ms widen(uint32_t rtt) { return rtt == PROBE_NO_RTT ? SIPHB_NEVER : rtt; }

int siphb_probe_get_stats(const siphb_probe *probe, siphb_probe_stats *st) {
  if (!probe || !st) return SIPHB_ERR_INVALID_ARGUMENT;
  const probe_counts *c = &probe->counts;
  memset(st, 0, sizeof *st);
  st->rounds = c->rounds;
  st->transmissions = c->transmissions;
  st->alive = c->alive;
  st->rejected = c->rejected;
  st->timeouts = c->timeouts;
  st->send_failures = c->send_failures;
  st->transport_errors = c->transport_errors;
  st->retransmit_failures = c->retransmit_failures;
  st->provisional = c->provisional;
  st->late_responses = c->late_responses;
  st->consecutive_failures = c->consecutive_failures;
  st->last_status = c->last_status;
  st->last_outcome = (siphb_probe_outcome)c->last_outcome;
  st->last_result_at = c->last_result_at;
  st->rtt_last = widen(c->rtt_last);
  st->rtt_min = widen(c->rtt_min);
  st->rtt_max = c->rtt_max;
  st->srtt = widen(c->srtt);
  st->rttvar = widen(c->rttvar);
  return 0;
}

void *siphb_probe_get_user_data(const siphb_probe *probe) {
  return probe ? probe->base.user_data : NULL;
}

int siphb_probe_set_health(siphb_probe *probe, siphb_health *health) {
  if (!probe || siphb_obj_dead(&probe->base)) return SIPHB_ERR_INVALID_ARGUMENT;
  return siphb_obs_wire(&probe->health, probe->base.ctx, health, SIPHB_OBJECT_HEALTH);
}

void siphb_probe_set_user_data(siphb_probe *probe, void *user_data) {
  if (probe) probe->base.user_data = user_data;
}
