/*
 * flow.c - the RFC 5626 client flow (siphb/flow.h): configuration, the
 * object's life on the ctx, the interval bounds, the state machine with
 * the section 4.5 back-off, and the events. Sending and receiving
 * keepalives is in flow_keepalive.c.
 */
#include "keepalive/flow_int.h"

#include <string.h>

#include "base/ms.h"
#include "base/sized.h"
#include "keepalive/backoff.h"

/* The first release's struct: a caller's can be no smaller (base/sized.h). */
#define CONFIG_MIN_SIZE (offsetof(siphb_flow_config, backoff_max) + sizeof(siphb_ms))

/* Section 4.4.1 (CRLF, without and with battery concerns) and 4.4.2
 * (STUN; RAW keeps a NAT binding the same way). */
#define CRLF_MIN 95000u
#define CRLF_MAX 120000u
#define BATTERY_MIN 672000u
#define BATTERY_MAX 840000u
#define UDP_MIN 24000u
#define UDP_MAX 29000u
#define FLOW_TIMER_MAX 2147483648u /* 2^31 s */

static const uint8_t DEFAULT_RAW[] = {'\r', '\n', '\r', '\n'};

static void config_defaults(siphb_flow_config *c) {
  memset(c, 0, sizeof *c);
  c->size = (uint32_t)sizeof *c;
  c->mode = SIPHB_FLOW_MODE_AUTO;
  c->expect = SIPHB_FLOW_EXPECT_AFTER_OUTBOUND;
  c->flow_timer_permille = 800;
  c->pong_timeout = 10000;
  c->stun_rto = 500;
  c->stun_rc = 7;
  c->stun_rm = 16;
  c->fail_on_mapped_change = true;
  c->backoff_base_all_failed = 30000;
  c->backoff_base_some_up = 90000;
  c->backoff_max = 1800000;
}

static void config_defaults_fn(void *c) { config_defaults(c); }

void siphb_flow_config_init(siphb_flow_config *cfg, size_t size) {
  siphb_flow_config d;
  config_defaults(&d);
  siphb_sized_init(cfg, size, &d, sizeof d, CONFIG_MIN_SIZE);
}

/* The mode a config asks for on `transport`, or a refusal. */
static int resolve_mode(unsigned mode, siphb_transport t, uint8_t *out) {
  bool datagram = t == SIPHB_TRANSPORT_UDP || t == SIPHB_TRANSPORT_DTLS;
  if (mode == SIPHB_FLOW_MODE_AUTO) {
    /* DTLS: no CRLF (section 3.5.1), and STUN inside DTLS is not what
     * section 4.4.2 describes; the integrator picks STUN or RAW. */
    if (t == SIPHB_TRANSPORT_DTLS) return SIPHB_ERR_UNSUPPORTED;
    *out = datagram ? SIPHB_FLOW_MODE_STUN : SIPHB_FLOW_MODE_CRLF;
    return 0;
  }
  /* Section 3.5.1: the CRLF technique MUST NOT be used over UDP. */
  if (mode == SIPHB_FLOW_MODE_CRLF && datagram) return SIPHB_ERR_UNSUPPORTED;
  *out = (uint8_t)mode;
  return 0;
}

/* Rc sends RTO, 2 RTO, 4 RTO ... apart, then Rm*RTO (RFC 5389 section
 * 7.2.1): the time from the first send to the failure. */
static uint64_t stun_total(uint64_t rto, uint32_t rc, uint32_t rm) {
  return rto * (((uint64_t)1 << (rc - 1)) - 1) + rto * rm;
}

typedef struct check {
  bool bad;
  int code;
  const char *message;
} check;

/* Every field, in order; the first problem is the answer. */
static int config_check(const siphb_flow_config *c, siphb_transport t, const char **message) {
  uint8_t mode;
  bool flow_ok = (unsigned)c->mode <= SIPHB_FLOW_MODE_RAW;
  int mode_rv = flow_ok ? resolve_mode((unsigned)c->mode, t, &mode) : 0;
  bool intervals_set = c->interval_min != 0 || c->interval_max != 0;
  bool stun_ok = c->stun_rto > 0 && c->stun_rto <= SIPHB_MS_MAX32 && c->stun_rc >= 1 &&
                 c->stun_rc <= 16 && c->stun_rm >= 1 && c->stun_rm <= 64;
  const check checks[] = {
      {(unsigned)t > (unsigned)SIPHB_TRANSPORT_DTLS, SIPHB_ERR_INVALID_ARGUMENT,
       "peer->transport: not a siphb_transport"},
      {!flow_ok, SIPHB_ERR_INVALID_ARGUMENT, "mode: not a siphb_flow_mode"},
      {mode_rv != 0, SIPHB_ERR_UNSUPPORTED,
       "mode: CRLF keepalives need a connection (RFC 5626 section 3.5.1); AUTO is refused on DTLS"},
      {(unsigned)c->expect > SIPHB_FLOW_EXPECT_NEVER, SIPHB_ERR_INVALID_ARGUMENT,
       "expect: not a siphb_flow_expect"},
      {intervals_set && (c->interval_min == 0 || c->interval_max > SIPHB_MS_MAX32),
       SIPHB_ERR_INVALID_ARGUMENT, "interval_min/interval_max: both 0, or 0 < min <= max < 2^32"},
      {c->interval_min > c->interval_max, SIPHB_ERR_INVALID_ARGUMENT,
       "interval_min: larger than interval_max"},
      {c->flow_timer_permille == 0 || c->flow_timer_permille > 1000, SIPHB_ERR_INVALID_ARGUMENT,
       "flow_timer_permille: 1..1000"},
      {c->pong_timeout == 0 || c->pong_timeout > SIPHB_MS_MAX32, SIPHB_ERR_INVALID_ARGUMENT,
       "pong_timeout: 1 ms .. 2^32-1 ms"},
      {!stun_ok, SIPHB_ERR_INVALID_ARGUMENT,
       "stun_rto/stun_rc/stun_rm: rto 1 ms .. 2^32-1 ms, rc 1..16, rm 1..64"},
      {stun_ok && stun_total(c->stun_rto, c->stun_rc, c->stun_rm) > SIPHB_MS_MAX32,
       SIPHB_ERR_INVALID_ARGUMENT, "stun_rto: the STUN timeout would exceed 2^32-1 ms"},
      {c->raw_payload.len > SIPHB_FLOW_RAW_MAX, SIPHB_ERR_INVALID_ARGUMENT,
       "raw_payload: longer than SIPHB_FLOW_RAW_MAX (128) bytes"},
      {c->raw_payload.len > 0 && !c->raw_payload.ptr, SIPHB_ERR_INVALID_ARGUMENT,
       "raw_payload: NULL with a length"},
      {c->backoff_max == 0 || c->backoff_max > SIPHB_MS_MAX32, SIPHB_ERR_INVALID_ARGUMENT,
       "backoff_max: 1 ms .. 2^32-1 ms"},
      {c->backoff_base_all_failed == 0 || c->backoff_base_all_failed > c->backoff_max,
       SIPHB_ERR_INVALID_ARGUMENT, "backoff_base_all_failed: 1 ms .. backoff_max"},
      {c->backoff_base_some_up == 0 || c->backoff_base_some_up > c->backoff_max,
       SIPHB_ERR_INVALID_ARGUMENT, "backoff_base_some_up: 1 ms .. backoff_max"},
  };
  for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
    if (checks[i].bad) {
      if (message) *message = checks[i].message;
      return checks[i].code;
    }
  }
  if (message) *message = "";
  return 0;
}

int siphb_flow_config_check(const siphb_flow_config *cfg_in, siphb_transport transport,
                            const char **message) {
  siphb_flow_config full;
  const void *view;
  if (message) *message = "";
  int rv = siphb_sized_view_or_defaults(cfg_in, &full, sizeof full, CONFIG_MIN_SIZE,
                                        config_defaults_fn, &view);
  if (rv != 0) {
    if (message)
      *message = rv == SIPHB_ERR_UNSUPPORTED
                     ? "cfg: sets a field this library does not know (newer header)"
                     : "cfg: not initialised (siphb_flow_config_init sets the size)";
    return rv;
  }
  return config_check(view, transport, message);
}

/* ---- interval bounds ------------------------------------------------------------- */

/* The bounds in effect: Flow-Timer, else the config, else the mode's. */
static void bounds(const siphb_flow *f, uint32_t *lo, uint32_t *hi) {
  if (f->flow_timer_s) {
    uint64_t hi_ms = (uint64_t)f->flow_timer_s * 1000;
    if (hi_ms > SIPHB_MS_MAX32) hi_ms = SIPHB_MS_MAX32;
    uint64_t lo_ms = hi_ms * f->flow_timer_permille / 1000;
    *lo = (uint32_t)(lo_ms ? lo_ms : 1);
    *hi = (uint32_t)(hi_ms > *lo ? hi_ms : *lo);
  } else if (f->cfg_max) {
    *lo = f->cfg_min;
    *hi = f->cfg_max;
  } else if (f->mode == SIPHB_FLOW_MODE_CRLF) {
    *lo = f->battery ? BATTERY_MIN : CRLF_MIN;
    *hi = f->battery ? BATTERY_MAX : CRLF_MAX;
  } else {
    *lo = UDP_MIN;
    *hi = UDP_MAX;
  }
}

/* Recomputes the bounds; true when they changed. */
static bool update_bounds(siphb_flow *f) {
  uint32_t lo, hi;
  bounds(f, &lo, &hi);
  bool changed = lo != f->ival_min || hi != f->ival_max;
  f->ival_min = lo;
  f->ival_max = hi;
  return changed;
}

siphb_ms siphb_flow_draw(siphb_flow *f) {
  uint32_t span = f->ival_max - f->ival_min;
  uint32_t d = f->ival_min + (uint32_t)siphb_prng_below(siphb_ctx_prng(f->base.ctx), (uint64_t)span + 1);
  f->counts.interval_last = d;
  return d;
}

/* ---- the module ------------------------------------------------------------------ */

static void module_destroy(siphb_ctx *ctx, void *state) {
  flow_module *m = state;
  siphb_hmap_free(&m->peers, siphb_ctx_alloc(ctx));
  siphb_hmap_free(&m->txids, siphb_ctx_alloc(ctx));
  siphb_hmap_free(&m->sets, siphb_ctx_alloc(ctx));
  siphb_alloc_free(siphb_ctx_alloc(ctx), m, sizeof *m);
}

flow_module *siphb_flow_module_of(siphb_ctx *ctx) {
  return siphb_ctx_module(ctx, SIPHB_OBJECT_FLOW)->state;
}

static int module_get(siphb_ctx *ctx, flow_module **out) {
  siphb_module_slot *slot = siphb_ctx_module(ctx, SIPHB_OBJECT_FLOW);
  if (!slot->state) {
    uint8_t key[48];
    int rv = siphb_ctx_random(ctx, key, sizeof key);
    if (rv != 0) return rv < 0 ? rv : SIPHB_ERR_CALLBACK_FAILURE;
    flow_module *m = siphb_alloc_zeroed(siphb_ctx_alloc(ctx), sizeof *m);
    if (!m) return SIPHB_ERR_NOMEM;
    siphb_hmap_init(&m->peers, key);
    siphb_hmap_init(&m->txids, key + 16);
    siphb_hmap_init(&m->sets, key + 32);
    slot->state = m;
    slot->destroy = module_destroy;
    /* A client sees pongs; "\r\n\r\n" at the client end is two of them. */
    siphb_ctx_set_rx_hook(ctx, SIPHB_STREAM_CRLF_PONG, SIPHB_OBJECT_FLOW, siphb_flow_rx_pong);
    siphb_ctx_set_rx_hook(ctx, SIPHB_STREAM_CRLF_PING, SIPHB_OBJECT_FLOW, siphb_flow_rx_pong);
    siphb_ctx_set_rx_hook(ctx, SIPHB_STREAM_STUN, SIPHB_OBJECT_FLOW, siphb_flow_rx_stun);
    siphb_ctx_set_peer_hook(ctx, SIPHB_OBJECT_FLOW, siphb_flow_peer_event);
    siphb_ctx_set_role_hook(ctx, siphb_flow_role);
  }
  *out = slot->state;
  return 0;
}

uint64_t siphb_flow_peer_hash(const flow_module *m, const siphb_peer *peer) {
  uint8_t key[SIPHB_PEER_KEY_SIZE];
  siphb_peer_key(peer, key);
  return siphb_hmap_hash(&m->peers, key, sizeof key);
}

siphb_flow *siphb_flow_by_peer(flow_module *m, const siphb_peer *peer) {
  uint64_t h = siphb_flow_peer_hash(m, peer);
  for (siphb_hmap_node *n = siphb_hmap_find(&m->peers, h); n; n = siphb_hmap_find_next(n)) {
    siphb_flow *f = (siphb_flow *)(void *)((char *)n - offsetof(siphb_flow, peer_node));
    if (siphb_peer_equal(&f->peer, peer)) return f;
  }
  return NULL;
}

static uint64_t set_hash(const flow_module *m, uint32_t set) {
  return siphb_hmap_hash(&m->sets, &set, sizeof set);
}

/* Flows of f's set, f itself left out, that are running and not failed. */
static unsigned live_others(const siphb_flow *f) {
  flow_module *m = siphb_flow_module_of(f->base.ctx);
  unsigned n = 0;
  for (siphb_hmap_node *e = siphb_hmap_find(&m->sets, set_hash(m, f->outbound_set)); e;
       e = siphb_hmap_find_next(e)) {
    const siphb_flow *o = (const siphb_flow *)(const void *)((const char *)e -
                                                             offsetof(siphb_flow, set_node));
    if (o != f && o->outbound_set == f->outbound_set && siphb_flow_live(o)) n++;
  }
  return n;
}

/* ---- events and states ------------------------------------------------------------ */

static void set_state(siphb_flow *f, siphb_flow_state s, siphb_ms now) {
  if (f->state != (uint8_t)s) f->state_since = now;
  f->state = (uint8_t)s;
}

static void flow_event(siphb_flow *f, siphb_event *ev, siphb_event_type type,
                       siphb_flow_reason reason, siphb_ms rtt, const siphb_mapped_addr *previous,
                       siphb_ms due, siphb_ms now) {
  memset(ev, 0, sizeof *ev);
  siphb_obj_fill_event(&f->base, ev, type, due, now);
  siphb_event_flow *e = &ev->u.flow;
  e->peer = f->peer;
  e->state = (siphb_flow_state)f->state;
  e->reason = reason;
  e->mode = (siphb_flow_mode)f->mode;
  e->consecutive_failures = f->failures;
  e->stun_error = reason == SIPHB_FLOW_REASON_STUN_ERROR ? f->stun_error : 0;
  e->flow_timer_s = f->flow_timer_s;
  e->rtt = rtt;
  e->next_keepalive = siphb_flow_live(f) && !f->pending ? f->next_at : 0;
  e->retry_at = f->state == SIPHB_FLOW_STATE_FAILED || type == SIPHB_EVENT_FLOW_RECOVER_DUE
                    ? f->retry_at
                    : 0;
  e->mapped = f->mapped;
  if (previous) e->previous = *previous;
  e->interval_min = f->ival_min;
  e->interval_max = f->ival_max;
}

int siphb_flow_emit(siphb_flow *f, siphb_event_type type, siphb_flow_reason reason,
                    siphb_ms rtt, const siphb_mapped_addr *previous, siphb_ms due, siphb_ms now) {
  siphb_event ev;
  flow_event(f, &ev, type, reason, rtt, previous, due, now);
  int rv = siphb_ctx_emit(f->base.ctx, &ev);
  /* Of the flow's events only a failure is news to a wired monitor; the
   * responses reach it from flow_alive(). */
  if (rv != 0 || type != SIPHB_EVENT_FLOW_FAILED || siphb_obj_dead(&f->base)) return rv;
  return siphb_obs_deliver(&f->health, &ev, now);
}

int siphb_flow_to_failed(siphb_flow *f, siphb_flow_reason reason, siphb_ms due, siphb_ms now) {
  siphb_ctx *ctx = f->base.ctx;
  /* Section 4.5: 30 s when every flow of the set has failed, 90 s while
   * another is still up; W doubles with each failure in a row. */
  siphb_ms base = live_others(f) > 0 ? f->base_some : f->base_all;
  f->failures++;
  f->counts.failures++;
  siphb_ms w = siphb_backoff_window(base, f->backoff_max, f->failures);
  f->retry_at = siphb_ms_after(now, siphb_backoff_delay(w, siphb_prng_next(siphb_ctx_prng(ctx))));
  f->hold_until = 0;
  /* A transaction waits on this flow: reopen at once and resend, rather
   * than let the request die with the flow; the back-off still counts the
   * failure for the lazy reopens after it. */
  if (f->active) f->retry_at = now;
  set_state(f, SIPHB_FLOW_STATE_FAILED, now);
  siphb_wheel_arm(siphb_ctx_wheel(ctx), &f->ka_node, f->retry_at);
  return siphb_flow_emit(f, SIPHB_EVENT_FLOW_FAILED, reason, SIPHB_NEVER, NULL, due, now);
}

int siphb_flow_on_alive(siphb_flow *f, siphb_ms rtt, siphb_ms now) {
  bool changed = false, recovered = false;
  if (f->state == SIPHB_FLOW_STATE_ACTIVE) {
    set_state(f, SIPHB_FLOW_STATE_UP, now);
    f->failures = 0;
    changed = true;
  } else if (f->state == SIPHB_FLOW_STATE_PROBATION && f->outbound) {
    /* Section 4.5: good once the outbound registration succeeded and a
     * keepalive came back; only now is the failure count reset. */
    set_state(f, SIPHB_FLOW_STATE_UP, now);
    f->failures = 0;
    f->counts.recoveries++;
    recovered = true;
  }
  /* Every response is one success for a wired monitor, reported to the
   * integrator or not (report_alive), once, after the flow's own events. */
  siphb_event alive;
  flow_event(f, &alive, SIPHB_EVENT_FLOW_ALIVE, SIPHB_FLOW_REASON_NONE, rtt, NULL, now, now);
  int rv = 0;
  if (changed || f->report_alive) rv = siphb_ctx_emit(f->base.ctx, &alive);
  if (rv != 0 || siphb_obj_dead(&f->base)) return rv;
  if (recovered) {
    rv = siphb_flow_emit(f, SIPHB_EVENT_FLOW_RECOVERED, SIPHB_FLOW_REASON_NONE, rtt, NULL, now, now);
    if (rv != 0 || siphb_obj_dead(&f->base)) return rv;
  }
  return siphb_obs_deliver(&f->health, &alive, now);
}

/* The back-off ended: RECOVER_DUE. */
static int recover_due(siphb_flow *f, siphb_ms now) {
  set_state(f, SIPHB_FLOW_STATE_RECOVERING, now);
  return siphb_flow_emit(f, SIPHB_EVENT_FLOW_RECOVER_DUE, SIPHB_FLOW_REASON_NONE, SIPHB_NEVER, NULL,
                         f->retry_at, now);
}

/* The keepalive node: the next keepalive, or the end of the back-off. */
static int ka_or_backoff(siphb_wheel_node *node, siphb_ms now, void *arg) {
  siphb_flow *f = (siphb_flow *)(void *)((char *)node - offsetof(siphb_flow, ka_node));
  if (f->state == SIPHB_FLOW_STATE_FAILED) return recover_due(f, now);
  return siphb_flow_ka_fire(node, now, arg);
}

/* ---- the object ------------------------------------------------------------------ */

static void halt(siphb_flow *f) {
  siphb_wheel_cancel(siphb_ctx_wheel(f->base.ctx), &f->ka_node);
  siphb_flow_end_keepalive(f, true);
}

static void flow_stop_op(siphb_obj *obj) {
  siphb_flow *f = (siphb_flow *)(void *)obj;
  halt(f);
  f->state = SIPHB_FLOW_STATE_STOPPED;
  flow_module *m = siphb_flow_module_of(obj->ctx);
  if (m) {
    siphb_hmap_remove(&m->peers, &f->peer_node);
    siphb_hmap_remove(&m->sets, &f->set_node);
  }
  siphb_obs_detach(&f->health);
}

static void flow_destroy_op(siphb_obj *obj) {
  flow_module *m = siphb_flow_module_of(obj->ctx);
  if (m) {
    siphb_hmap_unreserve(&m->peers, 1);
    siphb_hmap_unreserve(&m->txids, 1);
    siphb_hmap_unreserve(&m->sets, 1);
  }
}

static const siphb_obj_ops flow_ops = {SIPHB_OBJECT_FLOW, sizeof(siphb_flow), flow_stop_op,
                                       flow_destroy_op, NULL};

static void take_config(siphb_flow *f, const siphb_flow_config *c, uint8_t mode) {
  f->cfg_mode = (uint8_t)c->mode;
  f->mode = mode;
  f->expect = (uint8_t)c->expect;
  f->battery = c->battery;
  f->stun_fingerprint = c->stun_fingerprint;
  f->fail_on_mapped_change = c->fail_on_mapped_change;
  f->report_alive = c->report_alive;
  f->cfg_min = (uint32_t)c->interval_min;
  f->cfg_max = (uint32_t)c->interval_max;
  f->flow_timer_permille = c->flow_timer_permille;
  f->pong_timeout = (uint32_t)c->pong_timeout;
  f->stun_rto = (uint32_t)c->stun_rto;
  f->stun_rc = (uint8_t)c->stun_rc;
  f->stun_rm = (uint8_t)c->stun_rm;
  f->stun_total = (uint32_t)stun_total(c->stun_rto, c->stun_rc, c->stun_rm);
  f->outbound_set = c->outbound_set;
  f->base_all = (uint32_t)c->backoff_base_all_failed;
  f->base_some = (uint32_t)c->backoff_base_some_up;
  f->backoff_max = (uint32_t)c->backoff_max;
  if (c->raw_payload.len) {
    memcpy(f->raw, c->raw_payload.ptr, c->raw_payload.len);
    f->raw_len = (uint8_t)c->raw_payload.len;
  } else {
    memcpy(f->raw, DEFAULT_RAW, sizeof DEFAULT_RAW);
    f->raw_len = (uint8_t)sizeof DEFAULT_RAW;
  }
  f->counts.rtt_last = f->counts.rtt_min = f->counts.rtt_max = f->counts.srtt = FLOW_NO_RTT;
  update_bounds(f);
}

/* Reserves one entry in each of the module's maps; on failure none. */
static int reserve(siphb_ctx *ctx, flow_module *m) {
  siphb_alloc *a = siphb_ctx_alloc(ctx);
  int rv = siphb_hmap_reserve(&m->peers, a, 1);
  if (rv != 0) return rv;
  rv = siphb_hmap_reserve(&m->txids, a, 1);
  if (rv == 0) {
    rv = siphb_hmap_reserve(&m->sets, a, 1);
    if (rv == 0) return 0;
    siphb_hmap_unreserve(&m->txids, 1);
  }
  siphb_hmap_unreserve(&m->peers, 1);
  return rv;
}

int siphb_flow_new(siphb_flow **out, siphb_ctx *ctx, const siphb_flow_config *cfg_in,
                   const siphb_peer *peer, void *user_data, siphb_ms now) {
  if (!out || !ctx || !peer) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_flow_config full;
  const void *view;
  int rv = siphb_sized_view_or_defaults(cfg_in, &full, sizeof full, CONFIG_MIN_SIZE,
                                        config_defaults_fn, &view);
  if (rv != 0) return rv;
  const siphb_flow_config *cfg = view;
  const char *why;
  rv = config_check(cfg, peer->transport, &why);
  if (rv != 0) {
    siphb_ctx_log(ctx, SIPHB_LOG_WARN, why);
    return rv;
  }
  uint8_t mode = 0;
  resolve_mode((unsigned)cfg->mode, peer->transport, &mode);
  siphb_ctx_clock(ctx, now);
  flow_module *m;
  rv = module_get(ctx, &m);
  if (rv != 0) return rv;
  /* Pongs are routed by peer: one flow per peer. */
  if (siphb_flow_by_peer(m, peer)) return SIPHB_ERR_EXISTS;
  rv = reserve(ctx, m);
  if (rv != 0) return rv;
  void *obj;
  rv = siphb_obj_new(&obj, ctx, &flow_ops, user_data);
  if (rv != 0) {
    siphb_hmap_unreserve(&m->peers, 1);
    siphb_hmap_unreserve(&m->txids, 1);
    siphb_hmap_unreserve(&m->sets, 1);
    return rv;
  }
  siphb_flow *f = obj;
  f->peer = *peer;
  siphb_wheel_node_init(&f->ka_node, ka_or_backoff);
  siphb_wheel_node_init(&f->txn_node, siphb_flow_txn_fire);
  take_config(f, cfg, mode);
  f->state_since = siphb_ctx_now(ctx);
  siphb_hmap_insert(&m->peers, &f->peer_node, siphb_flow_peer_hash(m, &f->peer));
  siphb_hmap_insert(&m->sets, &f->set_node, set_hash(m, f->outbound_set));
  *out = f;
  return 0;
}

void siphb_flow_del(siphb_flow *flow) {
  if (flow) siphb_obj_delete(&flow->base);
}

static bool usable(const siphb_flow *f) { return f && !siphb_obj_dead(&f->base); }

/* A first keepalive after one random interval. */
static void begin(siphb_flow *f, siphb_flow_state s, siphb_ms now) {
  set_state(f, s, now);
  f->next_at = siphb_ms_after(now, siphb_flow_draw(f));
  siphb_flow_schedule(f, now);
}

int siphb_flow_start(siphb_flow *flow, siphb_ms now) {
  if (!usable(flow)) return SIPHB_ERR_INVALID_ARGUMENT;
  now = siphb_ctx_clock(flow->base.ctx, now);
  if (flow->state == SIPHB_FLOW_STATE_STOPPED) begin(flow, SIPHB_FLOW_STATE_ACTIVE, now);
  return 0;
}

int siphb_flow_stop(siphb_flow *flow, siphb_ms now) {
  if (!usable(flow)) return SIPHB_ERR_INVALID_ARGUMENT;
  now = siphb_ctx_clock(flow->base.ctx, now);
  halt(flow);
  set_state(flow, SIPHB_FLOW_STATE_STOPPED, now);
  return 0;
}

int siphb_flow_set_outbound(siphb_flow *flow, bool confirmed, siphb_ms now) {
  if (!usable(flow)) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_ctx_clock(flow->base.ctx, now);
  flow->outbound = confirmed;
  return 0;
}

int siphb_flow_set_flow_timer(siphb_flow *flow, uint32_t seconds, siphb_ms now) {
  if (!usable(flow) || seconds > FLOW_TIMER_MAX) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_ctx *ctx = flow->base.ctx;
  now = siphb_ctx_clock(ctx, now);
  flow->flow_timer_s = seconds;
  if (!update_bounds(flow)) return 0;
  /* The server gives up after the new maximum (section 4.4): a keepalive
   * planned later than that is drawn again from now. */
  if (siphb_flow_live(flow) && flow->next_at > siphb_ms_after(now, flow->ival_max)) {
    flow->next_at = siphb_ms_after(now, siphb_flow_draw(flow));
    if (!flow->pending) siphb_flow_schedule(flow, now);
  }
  int rv = siphb_flow_emit(flow, SIPHB_EVENT_FLOW_INTERVAL, SIPHB_FLOW_REASON_NONE, SIPHB_NEVER,
                           NULL, now, now);
  return siphb_ctx_end_call(ctx, rv);
}

int siphb_flow_keepalive_now(siphb_flow *flow, siphb_ms now) {
  if (!usable(flow)) return SIPHB_ERR_INVALID_ARGUMENT;
  now = siphb_ctx_clock(flow->base.ctx, now);
  if (!siphb_flow_live(flow) || flow->pending) return SIPHB_ERR_INVALID_STATE;
  flow->next_at = now;
  siphb_flow_schedule(flow, now);
  return 0;
}

int siphb_flow_fail(siphb_flow *flow, siphb_flow_reason reason, siphb_ms now) {
  if (!usable(flow) || reason == SIPHB_FLOW_REASON_NONE ||
      (unsigned)reason > (unsigned)SIPHB_FLOW_REASON_INTEGRATOR)
    return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_ctx *ctx = flow->base.ctx;
  now = siphb_ctx_clock(ctx, now);
  if (!siphb_flow_live(flow)) return SIPHB_ERR_INVALID_STATE;
  siphb_flow_end_keepalive(flow, true);
  return siphb_ctx_end_call(ctx, siphb_flow_to_failed(flow, reason, now, now));
}

int siphb_flow_restart(siphb_flow *flow, const siphb_peer *peer, siphb_ms now) {
  if (!usable(flow) || !peer || (unsigned)peer->transport > (unsigned)SIPHB_TRANSPORT_DTLS)
    return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_ctx *ctx = flow->base.ctx;
  now = siphb_ctx_clock(ctx, now);
  if (flow->state != SIPHB_FLOW_STATE_FAILED && flow->state != SIPHB_FLOW_STATE_RECOVERING)
    return SIPHB_ERR_INVALID_STATE;
  uint8_t mode;
  if (resolve_mode(flow->cfg_mode, peer->transport, &mode) != 0) return SIPHB_ERR_UNSUPPORTED;
  flow_module *m = siphb_flow_module_of(ctx);
  siphb_flow *other = siphb_flow_by_peer(m, peer);
  if (other && other != flow) return SIPHB_ERR_EXISTS;
  siphb_wheel_cancel(siphb_ctx_wheel(ctx), &flow->ka_node);
  siphb_hmap_remove(&m->peers, &flow->peer_node);
  flow->peer = *peer;
  siphb_hmap_insert(&m->peers, &flow->peer_node, siphb_flow_peer_hash(m, &flow->peer));
  flow->mode = mode;
  bool changed = update_bounds(flow); /* AUTO on another transport: another mode */
  /* A new connection, a new NAT binding: the old address says nothing. */
  memset(&flow->mapped, 0, sizeof flow->mapped);
  begin(flow, SIPHB_FLOW_STATE_PROBATION, now);
  if (!changed) return 0;
  return siphb_ctx_end_call(ctx, siphb_flow_emit(flow, SIPHB_EVENT_FLOW_INTERVAL,
                                                 SIPHB_FLOW_REASON_NONE, SIPHB_NEVER, NULL, now,
                                                 now));
}

int siphb_flow_defer_recovery(siphb_flow *flow, siphb_ms until, siphb_ms now) {
  if (!usable(flow) || until == SIPHB_NEVER) return SIPHB_ERR_INVALID_ARGUMENT;
  now = siphb_ctx_clock(flow->base.ctx, now);
  if (flow->state != SIPHB_FLOW_STATE_FAILED) return SIPHB_ERR_INVALID_STATE;
  if (until > flow->hold_until) flow->hold_until = until;
  if (until > flow->retry_at) {
    flow->retry_at = until;
    siphb_wheel_arm(siphb_ctx_wheel(flow->base.ctx), &flow->ka_node, until);
  }
  return 0;
}

int siphb_flow_set_active(siphb_flow *flow, bool active, siphb_ms now) {
  if (!usable(flow)) return SIPHB_ERR_INVALID_ARGUMENT;
  now = siphb_ctx_clock(flow->base.ctx, now);
  flow->active = active;
  /* Marked while the back-off runs: RECOVER_DUE at the next advance, or
   * when a Retry-After ends. */
  if (active && flow->state == SIPHB_FLOW_STATE_FAILED) {
    siphb_ms at = flow->hold_until > now ? flow->hold_until : now;
    if (at < flow->retry_at) {
      flow->retry_at = at;
      siphb_wheel_arm(siphb_ctx_wheel(flow->base.ctx), &flow->ka_node, at);
    }
  }
  return 0;
}

siphb_flow_state siphb_flow_get_state(const siphb_flow *flow) {
  return usable(flow) ? (siphb_flow_state)flow->state : SIPHB_FLOW_STATE_STOPPED;
}

const siphb_peer *siphb_flow_get_peer(const siphb_flow *flow) {
  return flow ? &flow->peer : NULL;
}

int siphb_flow_get_mapped(const siphb_flow *flow, siphb_mapped_addr *out) {
  if (!flow || !out) return SIPHB_ERR_INVALID_ARGUMENT;
  if (flow->mapped.family == 0) return SIPHB_ERR_NOT_FOUND;
  *out = flow->mapped;
  return 0;
}

static siphb_ms widen(uint32_t rtt) { return rtt == FLOW_NO_RTT ? SIPHB_NEVER : rtt; }

int siphb_flow_get_stats(const siphb_flow *flow, siphb_flow_stats *st) {
  if (!flow || !st) return SIPHB_ERR_INVALID_ARGUMENT;
  const flow_counts *c = &flow->counts;
  memset(st, 0, sizeof *st);
  st->keepalives = c->keepalives;
  st->transmissions = c->transmissions;
  st->retransmissions = c->retransmissions;
  st->responses = c->responses;
  st->stun_errors = c->stun_errors;
  st->timeouts = c->timeouts;
  st->send_failures = c->send_failures;
  st->abandoned = c->abandoned;
  st->failures = c->failures;
  st->recoveries = c->recoveries;
  st->stray_pongs = c->stray_pongs;
  st->rejected = c->rejected;
  st->consecutive_failures = flow->failures;
  st->flow_timer_s = flow->flow_timer_s;
  st->state = (siphb_flow_state)flow->state;
  st->state_since = flow->state_since;
  st->interval_min = flow->ival_min;
  st->interval_max = flow->ival_max;
  st->interval_last = c->interval_last;
  st->rtt_last = widen(c->rtt_last);
  st->rtt_min = widen(c->rtt_min);
  st->rtt_max = widen(c->rtt_max);
  st->srtt = widen(c->srtt);
  return 0;
}

void *siphb_flow_get_user_data(const siphb_flow *flow) { return flow ? flow->base.user_data : NULL; }

int siphb_flow_set_health(siphb_flow *flow, siphb_health *health) {
  if (!flow || siphb_obj_dead(&flow->base)) return SIPHB_ERR_INVALID_ARGUMENT;
  return siphb_obs_wire(&flow->health, flow->base.ctx, health, SIPHB_OBJECT_HEALTH);
}

void siphb_flow_set_user_data(siphb_flow *flow, void *user_data) {
  if (flow) flow->base.user_data = user_data;
}
