/*
 * health.c - the health monitor's configuration, its life on the ctx, its
 * events and its timer (siphb/health.h). The rules are in health_layer.c
 * and health_judge.c; the public calls in health_calls.c.
 */
#include "policy/health_int.h"

#include <stddef.h>
#include <string.h>

#include "base/mem.h"
#include "base/ms.h"
#include "base/sized.h"

#define CONFIG_MIN_SIZE sizeof(siphb_health_config)

/* flap_window bound: the flap ring's modulo-2^32 ages (health_judge.c). */
#define FLAP_WINDOW_MAX ((siphb_ms)1 << 28)

static void config_defaults(siphb_health_config *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->size = (uint32_t)sizeof *cfg;
  for (size_t i = 0; i < SIPHB_HEALTH_LAYER_COUNT; i++) {
    siphb_health_layer_config *l = &cfg->layers[i];
    l->enabled = true;
    l->mode = SIPHB_HEALTH_MODE_CONFIRM;
    l->degrade_after = 2;
    l->down_k = 3;
    l->down_n = 5;
    l->down_after = 180000;
    l->up_after = 2;
    l->counter_max = 5;
    l->counter_up = 3;
  }
  /* The OS reports the link's edges (down, up), one observation each. */
  cfg->layers[SIPHB_HEALTH_LAYER_LINK].degrade_after = 1;
  cfg->layers[SIPHB_HEALTH_LAYER_LINK].up_after = 1;
  /* A media observation is already sustained (siphb_health_observe_media). */
  cfg->layers[SIPHB_HEALTH_LAYER_MEDIA].degrade_after = 1;
  cfg->flap_changes = 4;
  cfg->flap_window = 600000;
  cfg->flap_hold = 600000;
  cfg->media_mos_x100 = 350;
  cfg->media_loss_permille = 10;
  cfg->media_sustain = 300000;
}

static void config_defaults_fn(void *cfg) { config_defaults(cfg); }

void siphb_health_config_init(siphb_health_config *cfg, size_t size) {
  siphb_health_config d;
  config_defaults(&d);
  siphb_sized_init(cfg, size, &d, sizeof d, CONFIG_MIN_SIZE);
}

static bool layer_valid(const siphb_health_layer_config *l) {
  if (!siphb_sized_bool_ok(&l->enabled)) return false;
  if (l->mode != SIPHB_HEALTH_MODE_CONFIRM && l->mode != SIPHB_HEALTH_MODE_COUNTER) return false;
  if (l->degrade_after < 1 || l->degrade_after > 255 || l->up_after < 1 || l->up_after > 255)
    return false;
  if (l->down_n < 1 || l->down_n > SIPHB_HEALTH_MAX_WINDOW || l->down_k < 1 ||
      l->down_k > l->down_n)
    return false;
  if (l->down_after > SIPHB_MS_MAX32 || l->stale_after > SIPHB_MS_MAX32) return false;
  if (l->counter_max > 255 || l->counter_up < 1 || l->counter_up > l->counter_max) return false;
  return l->counter_down < l->counter_up && l->counter_initial <= l->counter_max;
}

/* The validated compact form of c, or INVALID_ARGUMENT. */
static int config_take(const siphb_health_config *c, health_cfg *out) {
  memset(out, 0, sizeof *out);
  for (size_t i = 0; i < SIPHB_HEALTH_LAYER_COUNT; i++) {
    const siphb_health_layer_config *l = &c->layers[i];
    if (!layer_valid(l)) return SIPHB_ERR_INVALID_ARGUMENT;
    health_rules *r = &out->layers[i];
    r->down_after = (uint32_t)l->down_after;
    r->stale_after = (uint32_t)l->stale_after;
    r->enabled = l->enabled;
    r->mode = (uint8_t)l->mode;
    r->degrade_after = (uint8_t)l->degrade_after;
    r->down_k = (uint8_t)l->down_k;
    r->down_n = (uint8_t)l->down_n;
    r->up_after = (uint8_t)l->up_after;
    r->counter_max = (uint8_t)l->counter_max;
    r->counter_up = (uint8_t)l->counter_up;
    r->counter_down = (uint8_t)l->counter_down;
    r->counter_initial = (uint8_t)l->counter_initial;
  }
  if (c->flap_changes > SIPHB_HEALTH_MAX_FLAP_CHANGES ||
      !siphb_sized_bool_ok(&c->alarm_on_degraded))
    return SIPHB_ERR_INVALID_ARGUMENT;
  if (c->flap_changes && (c->flap_window == 0 || c->flap_window > FLAP_WINDOW_MAX))
    return SIPHB_ERR_INVALID_ARGUMENT;
  if (c->flap_window > FLAP_WINDOW_MAX || c->flap_hold > SIPHB_MS_MAX32)
    return SIPHB_ERR_INVALID_ARGUMENT;
  if (c->media_mos_x100 > 500 || c->media_loss_permille > 1000 ||
      c->media_sustain > SIPHB_MS_MAX32)
    return SIPHB_ERR_INVALID_ARGUMENT;
  out->flap_changes = (uint8_t)c->flap_changes;
  out->flap_window = (uint32_t)c->flap_window;
  out->flap_hold = (uint32_t)c->flap_hold;
  out->alarm_on_degraded = c->alarm_on_degraded;
  out->media_mos_x100 = (uint16_t)c->media_mos_x100;
  out->media_loss_permille = (uint16_t)c->media_loss_permille;
  out->media_sustain = (uint32_t)c->media_sustain;
  return 0;
}

/* ---- events -------------------------------------------------------------------- */

int health_emit(siphb_health *h, siphb_event_type type, siphb_health_layer layer,
                siphb_health_state old_state, siphb_health_state state,
                siphb_health_reason reason, const health_cause *cause, siphb_ms now) {
  siphb_event ev;
  memset(&ev, 0, sizeof ev);
  siphb_obj_fill_event(&h->base, &ev, type, cause->due, now);
  siphb_event_health *e = &ev.u.health;
  const health_layer *l = &h->layers[layer];
  e->state = state;
  e->old_state = old_state;
  e->layer = layer;
  e->reason = reason;
  for (size_t i = 0; i < SIPHB_HEALTH_LAYER_COUNT; i++)
    e->layers[i] = (siphb_health_state)h->layers[i].state;
  e->failures = health_layer_window_failures(l);
  e->observations = l->fill;
  e->consecutive = l->run;
  e->metric = cause->metric;
  e->changes_in_window = health_flap_count(h, now);
  e->maintenance = (h->flags & HEALTH_MAINT) != 0;
  e->flapping = (h->flags & HEALTH_FLAPPING) != 0;
  e->alarm = (h->flags & HEALTH_ALARM) != 0;
  e->alarm_suppressed = (h->flags & HEALTH_ALARM_HELD) != 0;
  e->source_kind = cause->kind;
  e->source = cause->source;
  e->since = cause->since;
  e->first_failure_at = l->run_start;
  health_maint_at(h, now, &e->maintenance_until, NULL);
  int rv = siphb_ctx_emit(h->base.ctx, &ev);
  if (rv != 0 || siphb_obj_dead(&h->base)) return rv;
  return siphb_obs_deliver(&h->out, &ev, now);
}

/* ---- the timer ----------------------------------------------------------------- */

static siphb_health *of_node(siphb_wheel_node *n) {
  return (siphb_health *)(void *)((char *)n - offsetof(siphb_health, node));
}

void health_rearm(siphb_health *h, siphb_ms now) {
  siphb_ms at = SIPHB_NEVER;
  if (!(h->flags & HEALTH_DISABLED)) {
    for (size_t i = 0; i < SIPHB_HEALTH_LAYER_COUNT; i++) {
      if (!h->cfg->layers[i].enabled) continue;
      siphb_ms t = health_layer_deadline(&h->layers[i], &h->cfg->layers[i]);
      if (t < at) at = t;
    }
    siphb_ms t = health_flap_deadline(h);
    if (t < at) at = t;
  }
  siphb_ms edge;
  health_maint_at(h, now, NULL, &edge);
  if (edge < at) at = edge;
  siphb_wheel_arm(siphb_ctx_wheel(h->base.ctx), &h->node, at);
}

/* Emits LAYER_CHANGED for layer i if its state moved from `old`. */
static int layer_changed(siphb_health *h, size_t i, uint8_t old, siphb_ms old_since,
                         health_cause *cause, siphb_ms now) {
  const health_layer *l = &h->layers[i];
  if (l->state == old) return 0;
  cause->since = old_since;
  int rv = health_emit(h, SIPHB_EVENT_HEALTH_LAYER_CHANGED, (siphb_health_layer)i,
                       (siphb_health_state)old, (siphb_health_state)l->state,
                       (siphb_health_reason)l->reason, cause, now);
  return rv;
}

static int on_timer(siphb_wheel_node *node, siphb_ms now, void *arg) {
  (void)arg;
  siphb_health *h = of_node(node);
  health_cause cause = {SIPHB_OBJECT_HEALTH, NULL, SIPHB_HEALTH_NO_METRIC, node->deadline, 0,
                        false};
  if (!(h->flags & HEALTH_DISABLED)) {
    for (size_t i = 0; i < SIPHB_HEALTH_LAYER_COUNT; i++) {
      if (!h->cfg->layers[i].enabled) continue;
      health_layer *l = &h->layers[i];
      uint8_t old = l->state;
      siphb_ms old_since = l->since;
      if (!health_layer_tick(l, &h->cfg->layers[i], now)) continue;
      int rv = layer_changed(h, i, old, old_since, &cause, now);
      if (rv != 0 || siphb_obj_dead(&h->base)) return rv;
    }
  }
  int rv = health_judge(h, &cause, now);
  if (rv != 0 || siphb_obj_dead(&h->base)) return rv;
  health_rearm(h, now);
  return 0;
}

int health_take(siphb_health *h, siphb_health_layer layer, siphb_health_obs obs,
                siphb_health_reason reason, health_cause *cause, siphb_ms now) {
  if (h->flags & HEALTH_DISABLED) {
    h->ignored++;
    return 0;
  }
  if (reason == SIPHB_HEALTH_REASON_NONE && obs != SIPHB_HEALTH_OBS_SUCCESS)
    reason = health_default_reason(layer);
  health_layer *l = &h->layers[layer];
  const health_rules *r = &h->cfg->layers[layer];
  uint8_t old = l->state;
  siphb_ms old_since = l->since;
  siphb_ms old_deadline = health_layer_deadline(l, r);
  if (!health_layer_observe(l, r, obs, reason, now)) {
    /* The common case (another answer from a healthy target): the layer
     * kept its state, so the endpoint, damping and the alarm did too
     * (their other causes, maintenance edges and the end of flapping,
     * come by the timer). Only this layer's deadline may have moved. */
    if (health_layer_deadline(l, r) != old_deadline) health_rearm(h, now);
    return 0;
  }
  int rv = layer_changed(h, layer, old, old_since, cause, now);
  if (rv != 0 || siphb_obj_dead(&h->base)) return rv;
  rv = health_judge(h, cause, now);
  if (rv != 0 || siphb_obj_dead(&h->base)) return rv;
  health_rearm(h, now);
  return 0;
}

/* ---- life ---------------------------------------------------------------------- */

static void health_stop_op(siphb_obj *obj) {
  siphb_health *h = (siphb_health *)(void *)obj;
  siphb_wheel_cancel(siphb_ctx_wheel(obj->ctx), &h->node);
  siphb_obs_sink_close(&h->sink);
  siphb_obs_detach(&h->out);
}

static void health_destroy_op(siphb_obj *obj) {
  siphb_health *h = (siphb_health *)(void *)obj;
  health_cfg_release(obj->ctx, h->cfg);
  siphb_alloc_free(siphb_ctx_alloc(obj->ctx), h->sched, sizeof *h->sched);
}

static siphb_obs_sink *health_sink_op(siphb_obj *obj) {
  return &((siphb_health *)(void *)obj)->sink;
}

static const siphb_obj_ops health_ops = {SIPHB_OBJECT_HEALTH, sizeof(siphb_health),
                                         health_stop_op, health_destroy_op, health_sink_op};

void health_start_fresh(siphb_health *h, siphb_ms now) {
  for (size_t i = 0; i < SIPHB_HEALTH_LAYER_COUNT; i++)
    health_layer_reset(&h->layers[i], &h->cfg->layers[i], now);
  health_flap_reset(h);
  h->actual = SIPHB_HEALTH_STATE_UNKNOWN;
  h->stable_since = now;
  h->media_bad_since = SIPHB_NEVER;
}

int siphb_health_new(siphb_health **out, siphb_ctx *ctx, const siphb_health_config *cfg_in,
                     void *user_data, siphb_ms now) {
  if (!out || !ctx) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_health_config full;
  const void *view;
  int rv = siphb_sized_view_or_defaults(cfg_in, &full, sizeof full, CONFIG_MIN_SIZE,
                                        config_defaults_fn, &view);
  if (rv != 0) return rv;
  health_cfg compact;
  rv = config_take(view, &compact);
  if (rv != 0) return rv;
  now = siphb_ctx_clock(ctx, now);
  const health_cfg *shared;
  rv = health_cfg_acquire(ctx, &compact, &shared);
  if (rv != 0) return rv;
  void *obj;
  rv = siphb_obj_new(&obj, ctx, &health_ops, user_data);
  if (rv != 0) {
    health_cfg_release(ctx, shared);
    return rv;
  }
  siphb_health *h = obj;
  h->cfg = shared;
  siphb_wheel_node_init(&h->node, on_timer);
  siphb_obs_sink_init(&h->sink, health_wire_observe);
  h->since = now;
  health_start_fresh(h, now);
  *out = h;
  return 0;
}

void siphb_health_del(siphb_health *health) {
  if (health) siphb_obj_delete(&health->base);
}
