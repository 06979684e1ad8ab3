/*
 * reg.c - REGISTER refresh timing (siphb/reg.h): the states, the refresh
 * point, the reaction to each kind of final response, the back-off and the
 * events. Reading a raw or parsed response is in reg_response.c.
 */
#include "keepalive/reg_int.h"

#include <string.h>

#include "base/ms.h"
#include "base/sized.h"
#include "base/text.h"
#include "keepalive/backoff.h"

#define CONFIG_MIN_SIZE (offsetof(siphb_reg_config, instance_id) + sizeof(siphb_str))
#define RESULT_MIN_SIZE (offsetof(siphb_reg_result, local) + sizeof(bool))
#define MAX_TEXT 2048

static void config_defaults(siphb_reg_config *c) {
  memset(c, 0, sizeof *c);
  c->size = (uint32_t)sizeof *c;
  c->expires_s = 3600;
  c->refresh_margin_min = 32000;
  c->refresh_margin_permille = 100;
  c->refresh_jitter_permille = 50;
  c->retry_base = 30000;
  c->retry_max = 1800000;
  c->max_min_expires_retries = 3;
  c->max_auth_challenges = 2;
}

static void config_defaults_fn(void *c) { config_defaults(c); }

void siphb_reg_config_init(siphb_reg_config *cfg, size_t size) {
  siphb_reg_config d;
  config_defaults(&d);
  siphb_sized_init(cfg, size, &d, sizeof d, CONFIG_MIN_SIZE);
}

static void result_defaults(siphb_reg_result *r) {
  memset(r, 0, sizeof *r);
  r->size = (uint32_t)sizeof *r;
}

static void result_defaults_fn(void *r) { result_defaults(r); }

void siphb_reg_result_init(siphb_reg_result *res, size_t size) {
  siphb_reg_result d;
  result_defaults(&d);
  siphb_sized_init(res, size, &d, sizeof d, RESULT_MIN_SIZE);
}

/* A text that may be written into and compared with SIP. */
static bool text_ok(siphb_str s) { return siphb_text_header_safe(s, MAX_TEXT); }

static bool config_valid(const siphb_reg_config *c) {
  return c->expires_s > 0 && c->refresh_margin_min <= SIPHB_MS_MAX32 &&
         c->refresh_margin_permille <= 1000 && c->refresh_jitter_permille <= 1000 &&
         c->retry_base > 0 && c->retry_base <= c->retry_max && c->retry_max <= SIPHB_MS_MAX32 &&
         c->response_timeout <= SIPHB_MS_MAX32 && text_ok(c->contact) && text_ok(c->instance_id);
}

/* ---- the object -------------------------------------------------------------- */

static siphb_reg *of_node(siphb_wheel_node *n) {
  return (siphb_reg *)(void *)((char *)n - offsetof(siphb_reg, node));
}

/* The node goes off at the earliest of the deadlines that apply (each
 * SIPHB_NEVER when it does not). */
static void rearm(siphb_reg *r) {
  siphb_ms at = r->due_at;
  if (!r->expired && r->expires_at < at) at = r->expires_at;
  if (r->guard_at < at) at = r->guard_at;
  siphb_wheel_arm(siphb_ctx_wheel(r->base.ctx), &r->node, at);
}

static siphb_ms or_zero(siphb_ms t) { return t == SIPHB_NEVER ? 0 : t; }

static void reg_stop_op(siphb_obj *obj) {
  siphb_reg *r = (siphb_reg *)(void *)obj;
  siphb_wheel_cancel(siphb_ctx_wheel(obj->ctx), &r->node);
  r->state = SIPHB_REG_STATE_STOPPED;
  r->due_at = r->guard_at = r->expires_at = SIPHB_NEVER;
  r->initial = false;
}

static void reg_destroy_op(siphb_obj *obj) {
  siphb_reg *r = (siphb_reg *)(void *)obj;
  siphb_alloc_free(siphb_ctx_alloc(obj->ctx), r->text, r->text_size);
}

/* Deletion: stopped, and unwired. */
static void reg_delete_op(siphb_obj *obj) {
  reg_stop_op(obj);
  siphb_obs_detach(&((siphb_reg *)(void *)obj)->health);
}

static const siphb_obj_ops reg_ops = {SIPHB_OBJECT_REG, sizeof(siphb_reg), reg_delete_op,
                                      reg_destroy_op, NULL};

static int emit(siphb_reg *r, siphb_event_type type, siphb_reg_reason reason, uint32_t status,
                uint32_t expires_s, const siphb_reg_result *res, siphb_ms due, siphb_ms now) {
  siphb_event ev;
  memset(&ev, 0, sizeof ev);
  siphb_obj_fill_event(&r->base, &ev, type, due, now);
  siphb_event_reg *e = &ev.u.reg;
  e->state = r->state;
  e->reason = reason;
  e->status = status;
  e->expires_s = expires_s;
  e->consecutive_failures = r->failures;
  e->bound = r->expires_at != SIPHB_NEVER && !r->expired;
  e->expires_at = e->bound ? r->expires_at : 0;
  e->refresh_at = r->state == SIPHB_REG_STATE_REGISTERED ? or_zero(r->due_at) : 0;
  e->retry_at = r->state == SIPHB_REG_STATE_RETRY_WAIT ? or_zero(r->due_at) : 0;
  if (res) {
    e->min_expires_s = res->min_expires_s;
    e->flow_timer_s = res->flow_timer_s;
    e->outbound = res->outbound;
    e->local = res->local;
  }
  int rv = siphb_ctx_emit(r->base.ctx, &ev);
  if (rv != 0 || siphb_obj_dead(&r->base)) return rv;
  return siphb_obs_deliver(&r->health, &ev, now);
}

/* REFRESH_DUE now, asking r->requested. */
static int due_now(siphb_reg *r, siphb_reg_reason reason, siphb_ms due, siphb_ms now) {
  r->state = SIPHB_REG_STATE_DUE;
  r->due_at = SIPHB_NEVER;
  r->initial = false;
  rearm(r);
  return emit(r, SIPHB_EVENT_REG_REFRESH_DUE, reason, 0, r->requested, NULL, due, now);
}

/* The refresh point of a binding of `granted` seconds from sent_at. */
static siphb_ms refresh_point(const siphb_reg *r, uint32_t granted) {
  siphb_ms g = (siphb_ms)granted * 1000;
  siphb_ms margin = g * r->margin_permille / 1000;
  if (margin < r->margin_min) margin = r->margin_min;
  if (g <= 2 * margin) return r->sent_at + g / 2;
  siphb_ms jitter = g * r->jitter_permille / 1000;
  siphb_ms j = jitter ? siphb_prng_below(siphb_ctx_prng(r->base.ctx), jitter + 1) : 0;
  siphb_ms at = g - margin > j ? g - margin - j : g / 2;
  return r->sent_at + at;
}

static int fail(siphb_reg *r, siphb_reg_reason reason, const siphb_reg_result *res,
                siphb_ms due, siphb_ms now) {
  r->failures++;
  r->stats.failures++;
  r->auth = 0;
  siphb_ms w = siphb_backoff_window(r->retry_base, r->retry_max, r->failures);
  siphb_ms at = siphb_ms_after(now, siphb_backoff_delay(w, siphb_prng_next(siphb_ctx_prng(r->base.ctx))));
  /* RFC 5626 section 4.5: a 503's Retry-After may push it later, and
   * Retry-After: 0 means at once. */
  if (res && res->has_retry_after)
    at = res->retry_after_s == 0 ? now : siphb_ms_after(now, (siphb_ms)res->retry_after_s * 1000);
  r->state = SIPHB_REG_STATE_RETRY_WAIT;
  r->due_at = at > now ? at : now;
  r->guard_at = SIPHB_NEVER;
  rearm(r);
  return emit(r, SIPHB_EVENT_REG_FAILED, reason, res ? res->status : 0, r->requested, res, due,
              now);
}

static int on_timer(siphb_wheel_node *node, siphb_ms now, void *arg) {
  (void)arg;
  siphb_reg *r = of_node(node);
  if (!r->expired && now >= r->expires_at) {
    /* The binding is gone at the registrar; what was due goes on. */
    r->expired = true;
    r->stats.expirations++;
    rearm(r);
    int rv = emit(r, SIPHB_EVENT_REG_EXPIRED, SIPHB_REG_REASON_NONE, 0, 0, NULL,
                  r->expires_at, now);
    if (rv != 0 || siphb_obj_dead(&r->base)) return rv;
  }
  if (now >= r->guard_at) {
    siphb_ms at = r->guard_at;
    r->guard_at = SIPHB_NEVER;
    return fail(r, SIPHB_REG_REASON_TIMEOUT, NULL, at, now);
  }
  if (now >= r->due_at) {
    siphb_reg_reason reason = r->initial ? SIPHB_REG_REASON_INITIAL
                              : r->state == SIPHB_REG_STATE_REGISTERED ? SIPHB_REG_REASON_SCHEDULED
                                                                       : SIPHB_REG_REASON_RETRY;
    return due_now(r, reason, r->due_at, now);
  }
  rearm(r);
  return 0;
}

static bool usable(const siphb_reg *r) { return r && !siphb_obj_dead(&r->base); }

int siphb_reg_new(siphb_reg **out, siphb_ctx *ctx, const siphb_reg_config *cfg_in,
                  void *user_data, siphb_ms now) {
  if (!out || !ctx) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_reg_config full;
  const void *view;
  int rv = siphb_sized_view_or_defaults(cfg_in, &full, sizeof full, CONFIG_MIN_SIZE,
                                        config_defaults_fn, &view);
  if (rv != 0) return rv;
  const siphb_reg_config *cfg = view;
  if (!config_valid(cfg)) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_ctx_clock(ctx, now);
  void *obj;
  rv = siphb_obj_new(&obj, ctx, &reg_ops, user_data);
  if (rv != 0) return rv;
  siphb_reg *r = obj;
  r->text_size = cfg->contact.len + cfg->instance_id.len;
  if (r->text_size) {
    r->text = siphb_alloc_zeroed(siphb_ctx_alloc(ctx), r->text_size);
    if (!r->text) {
      r->text_size = 0;
      siphb_obj_delete(&r->base);
      return SIPHB_ERR_NOMEM;
    }
    if (cfg->contact.len) memcpy(r->text, cfg->contact.ptr, cfg->contact.len);
    if (cfg->instance_id.len)
      memcpy(r->text + cfg->contact.len, cfg->instance_id.ptr, cfg->instance_id.len);
  }
  r->contact = (siphb_str){cfg->contact.len ? r->text : NULL, cfg->contact.len};
  r->instance_id =
      (siphb_str){cfg->instance_id.len ? r->text + cfg->contact.len : NULL, cfg->instance_id.len};
  r->expires_s = cfg->expires_s;
  r->margin_min = cfg->refresh_margin_min;
  r->margin_permille = cfg->refresh_margin_permille;
  r->jitter_permille = cfg->refresh_jitter_permille;
  r->retry_base = cfg->retry_base;
  r->retry_max = cfg->retry_max;
  r->max_min_expires = cfg->max_min_expires_retries;
  r->max_auth = cfg->max_auth_challenges;
  r->response_timeout = cfg->response_timeout;
  r->due_at = r->guard_at = r->expires_at = SIPHB_NEVER;
  siphb_wheel_node_init(&r->node, on_timer);
  *out = r;
  return 0;
}

void siphb_reg_del(siphb_reg *reg) {
  if (reg) siphb_obj_delete(&reg->base);
}

int siphb_reg_start(siphb_reg *reg, siphb_ms now) {
  if (!usable(reg)) return SIPHB_ERR_INVALID_ARGUMENT;
  now = siphb_ctx_clock(reg->base.ctx, now);
  if (reg->state != SIPHB_REG_STATE_STOPPED) return 0;
  reg->state = SIPHB_REG_STATE_RETRY_WAIT; /* waiting for the first REFRESH_DUE */
  reg->initial = true;
  reg->requested = reg->expires_s;
  reg->failures = 0;
  reg->due_at = now;
  rearm(reg);
  return 0;
}

int siphb_reg_stop(siphb_reg *reg, siphb_ms now) {
  if (!usable(reg)) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_ctx_clock(reg->base.ctx, now);
  reg_stop_op(&reg->base);
  return 0;
}

int siphb_reg_sent(siphb_reg *reg, uint32_t expires_s, siphb_ms now) {
  if (!usable(reg)) return SIPHB_ERR_INVALID_ARGUMENT;
  now = siphb_ctx_clock(reg->base.ctx, now);
  if (reg->state == SIPHB_REG_STATE_STOPPED) return SIPHB_ERR_INVALID_STATE;
  reg->state = SIPHB_REG_STATE_PENDING;
  reg->requested = expires_s;
  reg->sent_at = now;
  reg->due_at = SIPHB_NEVER;
  reg->guard_at = reg->response_timeout ? siphb_ms_after(now, reg->response_timeout) : SIPHB_NEVER;
  reg->stats.registers++;
  rearm(reg);
  return 0;
}

/* A 2xx: the binding's expiry, or its removal. */
static int on_success(siphb_reg *r, const siphb_reg_result *res, siphb_ms now) {
  if (r->requested == 0) {
    /* Section 10.2.2: the binding is removed; nothing more to do. */
    r->expires_at = SIPHB_NEVER;
    r->state = SIPHB_REG_STATE_STOPPED;
    r->due_at = r->guard_at = SIPHB_NEVER;
    rearm(r);
    return emit(r, SIPHB_EVENT_REG_UNREGISTERED, SIPHB_REG_REASON_NONE, res->status, 0, res, now,
                now);
  }
  if (!res->has_expires || res->expires_s == 0)
    return fail(r, SIPHB_REG_REASON_BINDING_MISSING, res, now, now);
  r->failures = r->auth = r->min_expires = 0;
  r->stats.registered++;
  r->granted = res->expires_s;
  r->expires_at = siphb_ms_after(r->sent_at, (siphb_ms)res->expires_s * 1000);
  r->expired = false;
  r->state = SIPHB_REG_STATE_REGISTERED;
  r->guard_at = SIPHB_NEVER;
  r->due_at = refresh_point(r, res->expires_s);
  if (r->due_at < now) r->due_at = now;
  /* the next REGISTER asks what this one asked */
  rearm(r);
  return emit(r, SIPHB_EVENT_REG_REGISTERED, SIPHB_REG_REASON_NONE, res->status, res->expires_s,
              res, now, now);
}

int siphb_reg_on_result(siphb_reg *reg, const siphb_reg_result *res_in, siphb_ms now) {
  if (!usable(reg) || !res_in) return SIPHB_ERR_INVALID_ARGUMENT;
  const void *view;
  siphb_reg_result full;
  int rv = siphb_sized_view(res_in, &full, sizeof full, RESULT_MIN_SIZE, result_defaults_fn, &view);
  if (rv != 0) return rv;
  const siphb_reg_result *res = view;
  if (res->status < 200 || res->status > 699) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_ctx *ctx = reg->base.ctx;
  now = siphb_ctx_clock(ctx, now);
  if (reg->state != SIPHB_REG_STATE_PENDING) return SIPHB_ERR_INVALID_STATE;
  unsigned st = res->status;
  if (st < 300) {
    rv = on_success(reg, res, now);
  } else if (st == 423 && res->min_expires_s > 0 && reg->min_expires < reg->max_min_expires) {
    /* Section 10.3: again at once, asking at least Min-Expires. */
    reg->min_expires++;
    reg->stats.min_expires++;
    if (res->min_expires_s > reg->requested) reg->requested = res->min_expires_s;
    reg->guard_at = SIPHB_NEVER;
    rv = due_now(reg, SIPHB_REG_REASON_MIN_EXPIRES, now, now);
  } else if ((st == 401 || st == 407) && reg->auth < reg->max_auth) {
    /* The stack answers the challenge with a new REGISTER (siphb_reg_sent). */
    reg->auth++;
    reg->stats.challenges++;
    rv = 0;
  } else {
    siphb_reg_reason why = st == 401 || st == 407 ? SIPHB_REG_REASON_AUTH
                           : st == 408 && res->local ? SIPHB_REG_REASON_TIMEOUT
                                                     : SIPHB_REG_REASON_REJECTED;
    rv = fail(reg, why, res, now, now);
  }
  /* Events ran: free what their callbacks deleted (the ctx too) when this
   * is the outermost call. */
  return siphb_ctx_end_call(ctx, rv);
}

siphb_reg_state siphb_reg_get_state(const siphb_reg *reg) {
  return usable(reg) ? (siphb_reg_state)reg->state : SIPHB_REG_STATE_STOPPED;
}

siphb_ms siphb_reg_expires_at(const siphb_reg *reg) {
  return usable(reg) && !reg->expired ? or_zero(reg->expires_at) : 0;
}

int siphb_reg_get_stats(const siphb_reg *reg, siphb_reg_stats *st) {
  if (!reg || !st) return SIPHB_ERR_INVALID_ARGUMENT;
  *st = reg->stats;
  st->consecutive_failures = reg->failures;
  st->granted_s = reg->granted;
  st->expires_at = reg->expired ? 0 : or_zero(reg->expires_at);
  memset(st->reserved_, 0, sizeof st->reserved_);
  return 0;
}

void *siphb_reg_get_user_data(const siphb_reg *reg) { return reg ? reg->base.user_data : NULL; }

int siphb_reg_set_health(siphb_reg *reg, siphb_health *health) {
  if (!reg || siphb_obj_dead(&reg->base)) return SIPHB_ERR_INVALID_ARGUMENT;
  return siphb_obs_wire(&reg->health, reg->base.ctx, health, SIPHB_OBJECT_HEALTH);
}

void siphb_reg_set_user_data(siphb_reg *reg, void *user_data) {
  if (reg) reg->base.user_data = user_data;
}
