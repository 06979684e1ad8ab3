/*
 * targets.c - the target selection object (siphb/failover.h): its config,
 * its list in RFC 2782 order, its monitors' wiring, its events and calls.
 * The decisions are in targets_decide.c.
 */
#include "policy/targets_int.h"

#include <stddef.h>
#include <string.h>

#include "base/mem.h"
#include "base/ms.h"
#include "base/sized.h"
#include "policy/health_int.h"
#include <siphb/srv.h>

#define CONFIG_MIN_SIZE sizeof(siphb_targets_config)

static void config_defaults(siphb_targets_config *c) {
  memset(c, 0, sizeof *c);
  c->size = (uint32_t)sizeof *c;
  c->max_targets = 16;
  c->dwell = 60000;
  c->min_switch_interval = 30000;
  c->max_switches = 6;
  c->switch_window = 3600000;
  c->failback = SIPHB_FAILBACK_AUTO;
  c->failback_hold = 300000;
}

static void config_defaults_fn(void *c) { config_defaults(c); }

void siphb_targets_config_init(siphb_targets_config *cfg, size_t size) {
  siphb_targets_config d;
  config_defaults(&d);
  siphb_sized_init(cfg, size, &d, sizeof d, CONFIG_MIN_SIZE);
}

void siphb_target_init(siphb_target *t, size_t size) {
  siphb_target d;
  memset(&d, 0, sizeof d);
  d.size = (uint32_t)sizeof d;
  siphb_sized_init(t, size, &d, sizeof d, sizeof d);
}

static bool config_valid(const siphb_targets_config *c) {
  return siphb_sized_bool_ok(&c->fail_on_degraded) && c->max_targets >= 1 && c->max_targets <= SIPHB_TARGETS_MAX &&
         c->max_switches >= 1 && c->max_switches <= 64 && c->switch_window > 0 &&
         c->switch_window <= SIPHB_MS_MAX32 && c->dwell <= SIPHB_MS_MAX32 &&
         c->min_switch_interval <= SIPHB_MS_MAX32 && c->failback_hold <= SIPHB_MS_MAX32 &&
         (unsigned)c->failback <= SIPHB_FAILBACK_NEVER;
}

/* ---- events ------------------------------------------------------------------- */

int targets_emit(siphb_targets *t, siphb_event_type type, siphb_switch_cause cause,
                 siphb_health_reason reason, int32_t from, int32_t to, siphb_ms now) {
  siphb_event ev;
  memset(&ev, 0, sizeof ev);
  siphb_obj_fill_event(&t->base, &ev, type, now, now);
  siphb_event_targets *e = &ev.u.targets;
  e->cause = cause;
  e->reason = reason;
  e->from_index = from;
  e->to_index = to;
  e->switches_in_window = targets_window_count(t, now);
  e->to_state = to >= 0 ? (siphb_health_state)t->slots[to].state : SIPHB_HEALTH_STATE_UNKNOWN;
  e->from_key = from >= 0 ? t->slots[from].key : 0;
  e->to_key = to >= 0 ? t->slots[to].key : 0;
  e->to_user_data = to >= 0 ? t->slots[to].user_data : NULL;
  e->next_switch_at = t->next_switch_at;
  int rv = siphb_ctx_emit(t->base.ctx, &ev);
  if (rv != 0 || siphb_obj_dead(&t->base)) return rv;
  return siphb_obs_deliver(&t->out, &ev, now);
}

/* ---- the monitors' events -------------------------------------------------------- */

static void slot_observe(target_slot *s, siphb_health_state state, siphb_health_reason reason,
                         siphb_ms now) {
  if (state == SIPHB_HEALTH_STATE_HEALTHY && s->state != SIPHB_HEALTH_STATE_HEALTHY)
    s->healthy_since = now;
  else if (state != SIPHB_HEALTH_STATE_HEALTHY)
    s->healthy_since = SIPHB_NEVER;
  s->state = (uint8_t)state;
  s->reason = (uint8_t)reason;
}

static int on_health(siphb_obs_sink *sink, const siphb_event *ev, siphb_ms now) {
  siphb_targets *t = (siphb_targets *)(void *)((char *)sink - offsetof(siphb_targets, sink));
  int32_t i = 0;
  while ((uint32_t)i < t->count && (void *)t->slots[i].health != ev->object) i++;
  if ((uint32_t)i == t->count) return 0;
  target_slot *s = &t->slots[i];
  const siphb_event_health *e = &ev->u.health;
  bool relevant = ev->type == SIPHB_EVENT_HEALTH_CHANGED ||
                  ev->type == SIPHB_EVENT_HEALTH_MAINTENANCE;
  if (!relevant) return 0;
  s->maintenance = e->maintenance;
  if (ev->type == SIPHB_EVENT_HEALTH_CHANGED) slot_observe(s, e->state, e->reason, now);
  /* The choice first, then the escalation, which watches the current
   * target's monitor: a loss that a switch to a healthy target has
   * already repaired is no news to it (it saw the switch); otherwise it
   * gets the monitor's event, after the switch or exhaustion if any. */
  bool was_current = i == t->current;
  int rv = targets_decide(t, e->reason, now);
  if (rv != 0 || siphb_obj_dead(&t->base) || !was_current) return rv;
  bool repaired = t->current != i && t->current >= 0 &&
                  t->slots[t->current].state == SIPHB_HEALTH_STATE_HEALTHY;
  return repaired ? 0 : siphb_obs_deliver(&t->out, ev, now);
}

/* A monitor deleted: its target falls back to explicit observation. */
static void on_health_gone(siphb_obs_sink *sink, siphb_obs_link *src) {
  siphb_targets *t = (siphb_targets *)(void *)((char *)sink - offsetof(siphb_targets, sink));
  const siphb_health *h = (const siphb_health *)(const void *)((const char *)src -
                                                               offsetof(siphb_health, out));
  for (uint32_t i = 0; i < t->count; i++)
    if (t->slots[i].health == h) t->slots[i].health = NULL;
}

/* ---- life ------------------------------------------------------------------------- */

static void unwire_all(siphb_targets *t) { siphb_obs_sink_close(&t->sink); }

static void targets_stop_op(siphb_obj *obj) {
  siphb_targets *t = (siphb_targets *)(void *)obj;
  siphb_wheel_cancel(siphb_ctx_wheel(obj->ctx), &t->node);
  unwire_all(t);
  siphb_obs_detach(&t->out);
}

/* The slots and the switch ring: one allocation, made by _new. */
static size_t storage_size(uint32_t max_targets, uint32_t max_switches) {
  return max_targets * sizeof(target_slot) + max_switches * sizeof(siphb_ms);
}

static void targets_destroy_op(siphb_obj *obj) {
  siphb_targets *t = (siphb_targets *)(void *)obj;
  siphb_alloc_free(siphb_ctx_alloc(obj->ctx), t->slots,
                   storage_size(t->max_targets, t->max_switches));
}

static siphb_obs_sink *targets_sink_op(siphb_obj *obj) {
  return &((siphb_targets *)(void *)obj)->sink;
}

static const siphb_obj_ops targets_ops = {SIPHB_OBJECT_FAILOVER, sizeof(siphb_targets),
                                          targets_stop_op, targets_destroy_op, targets_sink_op};

int siphb_targets_new(siphb_targets **out, siphb_ctx *ctx, const siphb_targets_config *cfg_in,
                      void *user_data, siphb_ms now) {
  if (!out || !ctx) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_targets_config full;
  const void *view;
  int rv = siphb_sized_view_or_defaults(cfg_in, &full, sizeof full, CONFIG_MIN_SIZE,
                                        config_defaults_fn, &view);
  if (rv != 0) return rv;
  const siphb_targets_config *c = view;
  if (!config_valid(c)) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_ctx_clock(ctx, now);
  size_t bytes = storage_size(c->max_targets, c->max_switches);
  void *storage = siphb_alloc_zeroed(siphb_ctx_alloc(ctx), bytes);
  if (!storage) return SIPHB_ERR_NOMEM;
  void *obj;
  rv = siphb_obj_new(&obj, ctx, &targets_ops, user_data);
  if (rv != 0) {
    siphb_alloc_free(siphb_ctx_alloc(ctx), storage, bytes);
    return rv;
  }
  siphb_targets *t = obj;
  t->max_targets = c->max_targets;
  t->max_switches = c->max_switches;
  t->slots = storage;
  t->switch_times = (siphb_ms *)(void *)(t->slots + t->max_targets);
  t->dwell = c->dwell;
  t->min_switch_interval = c->min_switch_interval;
  t->switch_window = c->switch_window;
  t->failback_hold = c->failback_hold;
  t->failback = (uint8_t)c->failback;
  t->fail_on_degraded = c->fail_on_degraded;
  t->current = -1;
  t->next_switch_at = SIPHB_NEVER;
  siphb_wheel_node_init(&t->node, targets_on_timer);
  siphb_obs_sink_init(&t->sink, on_health);
  siphb_obs_sink_on_detach(&t->sink, on_health_gone);
  *out = t;
  return 0;
}

void siphb_targets_del(siphb_targets *targets) {
  if (targets) siphb_obj_delete(&targets->base);
}

/* ---- calls -------------------------------------------------------------------------- */

static bool usable(const siphb_targets *t) { return t && !siphb_obj_dead(&t->base); }

static int32_t find(const siphb_targets *t, uint64_t key) {
  for (uint32_t i = 0; i < t->count; i++)
    if (t->slots[i].key == key) return (int32_t)i;
  return -1;
}

/* The checks of _set, all before anything changes. */
static int check_list(const siphb_targets *t, const siphb_target *list, size_t n) {
  if (n > t->max_targets) return SIPHB_ERR_LIMIT;
  if (n && !list) return SIPHB_ERR_INVALID_ARGUMENT;
  for (size_t i = 0; i < n; i++) {
    const siphb_target *x = &list[i];
    if (x->size < sizeof *x || x->key == 0) return SIPHB_ERR_INVALID_ARGUMENT;
    for (size_t j = 0; j < i; j++)
      if (list[j].key == x->key || (x->health && list[j].health == x->health))
        return SIPHB_ERR_INVALID_ARGUMENT;
    if (x->health) {
      siphb_health *h = x->health;
      if (siphb_obj_sink(&h->base, t->base.ctx, SIPHB_OBJECT_HEALTH) == NULL)
        return SIPHB_ERR_INVALID_ARGUMENT;
      if (h->out.sink && h->out.sink != &t->sink) return SIPHB_ERR_INVALID_ARGUMENT;
    }
  }
  return 0;
}

int siphb_targets_set(siphb_targets *targets, const siphb_target *list, size_t n, siphb_ms now) {
  if (!usable(targets)) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_targets *t = targets;
  int rv = check_list(t, list, n);
  if (rv != 0) return rv;
  siphb_ctx *ctx = t->base.ctx;
  now = siphb_ctx_clock(ctx, now);
  /* RFC 2782 order, drawn from the ctx's generator. */
  siphb_srv_record recs[SIPHB_TARGETS_MAX];
  uint32_t words[SIPHB_TARGETS_MAX];
  size_t order[SIPHB_TARGETS_MAX];
  for (size_t i = 0; i < n; i++) {
    recs[i].priority = list[i].priority;
    recs[i].weight = list[i].weight;
    words[i] = (uint32_t)siphb_prng_next(siphb_ctx_prng(ctx));
  }
  if (n && siphb_srv_order(recs, n, words, order, NULL) != 0) return SIPHB_ERR_INVALID_ARGUMENT;
  /* The new slots, keeping the state of keys listed before. */
  target_slot fresh[SIPHB_TARGETS_MAX];
  uint64_t current_key = t->current >= 0 ? t->slots[t->current].key : 0;
  int32_t new_current = -1;
  for (size_t i = 0; i < n; i++) {
    const siphb_target *x = &list[order[i]];
    int32_t old = find(t, x->key);
    target_slot *s = &fresh[i];
    if (old >= 0) {
      *s = t->slots[old];
    } else {
      memset(s, 0, sizeof *s);
      s->healthy_since = SIPHB_NEVER;
      s->state = SIPHB_HEALTH_STATE_UNKNOWN;
    }
    s->key = x->key;
    s->user_data = x->user_data;
    s->priority = x->priority;
    s->weight = x->weight;
    if (x->health != s->health) {
      /* A new monitor: its current judgement is the target's. */
      s->health = x->health;
      if (x->health) {
        siphb_health_reason why;
        siphb_health_state st = siphb_health_get_state(x->health, &why);
        s->healthy_since = SIPHB_NEVER;
        s->state = SIPHB_HEALTH_STATE_UNKNOWN;
        if (st == SIPHB_HEALTH_STATE_HEALTHY) s->healthy_since = x->health->since;
        s->state = (uint8_t)st;
        s->reason = (uint8_t)why;
        s->maintenance = (x->health->flags & HEALTH_MAINT) != 0;
      }
    }
    if (x->key == current_key) new_current = (int32_t)i;
  }
  /* Rewire: every old monitor off, every listed one on (attach cannot fail:
   * check_list saw each free or already ours). */
  siphb_obs_sink_close(&t->sink);
  memcpy(t->slots, fresh, n * sizeof fresh[0]);
  t->count = (uint32_t)n;
  for (uint32_t i = 0; i < t->count; i++)
    if (t->slots[i].health) siphb_obs_attach(&t->slots[i].health->out, &t->sink);
  t->current = new_current;
  t->exhausted = false;
  if (new_current < 0) t->next_switch_at = SIPHB_NEVER;
  return siphb_ctx_end_call(ctx, targets_decide(t, SIPHB_HEALTH_REASON_NONE, now));
}

int siphb_targets_observe(siphb_targets *targets, uint64_t key, siphb_health_state state,
                          siphb_health_reason reason, siphb_ms now) {
  if (!usable(targets) || (unsigned)state > SIPHB_HEALTH_STATE_OFFLINE ||
      (unsigned)reason >= SIPHB_HEALTH_REASON_COUNT)
    return SIPHB_ERR_INVALID_ARGUMENT;
  int32_t i = find(targets, key);
  if (i < 0) return SIPHB_ERR_NOT_FOUND;
  if (targets->slots[i].health) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_ctx *ctx = targets->base.ctx;
  now = siphb_ctx_clock(ctx, now);
  slot_observe(&targets->slots[i], state, reason, now);
  int rv = 0;
  if (i == targets->current) {
    /* The escalation sees the integrator's judgement as a monitor's. */
    siphb_event ev;
    memset(&ev, 0, sizeof ev);
    siphb_obj_fill_event(&targets->base, &ev, SIPHB_EVENT_HEALTH_CHANGED, now, now);
    ev.u.health.state = state;
    ev.u.health.reason = reason;
    rv = siphb_obs_deliver(&targets->out, &ev, now);
  }
  if (rv == 0 && !siphb_obj_dead(&targets->base)) rv = targets_decide(targets, reason, now);
  return siphb_ctx_end_call(ctx, rv);
}

int siphb_targets_hold(siphb_targets *targets, uint64_t key, siphb_ms duration, siphb_ms now) {
  if (!usable(targets)) return SIPHB_ERR_INVALID_ARGUMENT;
  int32_t i = find(targets, key);
  if (i < 0) return SIPHB_ERR_NOT_FOUND;
  siphb_ctx *ctx = targets->base.ctx;
  now = siphb_ctx_clock(ctx, now);
  targets->slots[i].held_until = duration ? siphb_ms_after(now, duration) : 0;
  return siphb_ctx_end_call(ctx, targets_decide(targets, SIPHB_HEALTH_REASON_SIP_OVERLOAD, now));
}

int siphb_targets_switch_to(siphb_targets *targets, uint64_t key, siphb_ms now) {
  if (!usable(targets)) return SIPHB_ERR_INVALID_ARGUMENT;
  int32_t i = find(targets, key);
  if (i < 0) return SIPHB_ERR_NOT_FOUND;
  siphb_ctx *ctx = targets->base.ctx;
  now = siphb_ctx_clock(ctx, now);
  if (i == targets->current) return 0;
  if (targets_window_count(targets, now) >= targets->max_switches) return SIPHB_ERR_LIMIT;
  int rv = targets_switch(targets, i, SIPHB_SWITCH_MANUAL, SIPHB_HEALTH_REASON_MANUAL, now);
  if (rv == 0 && !siphb_obj_dead(&targets->base)) targets_rearm(targets, now);
  return siphb_ctx_end_call(ctx, rv);
}

int siphb_targets_current(const siphb_targets *targets, siphb_target *out) {
  if (!targets || !out) return SIPHB_ERR_INVALID_ARGUMENT;
  if (targets->current < 0) return SIPHB_ERR_NOT_FOUND;
  const target_slot *s = &targets->slots[targets->current];
  siphb_target_init(out, sizeof *out);
  out->key = s->key;
  out->priority = s->priority;
  out->weight = s->weight;
  out->health = s->health;
  out->user_data = s->user_data;
  return 0;
}

int siphb_targets_get_stats(const siphb_targets *targets, siphb_targets_stats *st) {
  if (!targets || !st) return SIPHB_ERR_INVALID_ARGUMENT;
  memset(st, 0, sizeof *st);
  st->count = targets->count;
  st->current_index = targets->current;
  st->switches = targets->switches;
  st->failbacks = targets->failbacks;
  st->exhausted = targets->exhausted_count;
  st->deferred = targets->deferred;
  st->switches_in_window = targets_window_count(targets, siphb_ctx_now(targets->base.ctx));
  st->next_switch_at = targets->next_switch_at;
  return 0;
}

void *siphb_targets_get_user_data(const siphb_targets *targets) {
  return targets ? targets->base.user_data : NULL;
}

void siphb_targets_set_user_data(siphb_targets *targets, void *user_data) {
  if (targets) targets->base.user_data = user_data;
}
