/*
 * escalation.c - the escalation object (siphb/failover.h): its config, what
 * it observes (a monitor, a target selection, or the integrator), its
 * inputs, the alarm's reset, reading it back. The incident itself is in
 * escalation_run.c.
 */
#include "policy/escalation_int.h"

#include <stddef.h>
#include <string.h>

#include "base/ms.h"
#include "base/sized.h"
#include "policy/health_int.h"
#include "policy/targets_int.h"

#define CONFIG_MIN_SIZE sizeof(siphb_escalation_config)
#define RECOVER_ALL                                                                       \
  ((1u << SIPHB_ESCALATION_ACTION_RESET_TRANSPORT) | (1u << SIPHB_ESCALATION_ACTION_REREGISTER) | \
   (1u << SIPHB_ESCALATION_ACTION_RERESOLVE))

static void config_defaults(siphb_escalation_config *c) {
  memset(c, 0, sizeof *c);
  c->size = (uint32_t)sizeof *c;
  c->recover_step = 32000;
  c->recover_actions = RECOVER_ALL;
  c->notify_after = 120000;
  c->alarm_after = 600000;
  c->autodial_after = 900000;
  c->alarm_enabled = true;
  c->alarm_latched = true;
  c->autodial_one_shot = true;
  c->autodial_cooldown = 3600000;
}

static void config_defaults_fn(void *c) { config_defaults(c); }

void siphb_escalation_config_init(siphb_escalation_config *cfg, size_t size) {
  siphb_escalation_config d;
  config_defaults(&d);
  siphb_sized_init(cfg, size, &d, sizeof d, CONFIG_MIN_SIZE);
}

static bool config_valid(const siphb_escalation_config *c) {
  const bool *flags[] = {&c->fail_on_degraded, &c->alarm_enabled,     &c->alarm_latched,
                         &c->autodial_enabled, &c->autodial_one_shot, &c->zone_critical};
  for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
    if (!siphb_sized_bool_ok(flags[i])) return false;
  return c->recover_step > 0 && c->recover_step <= SIPHB_MS_MAX32 &&
         (c->recover_actions & ~RECOVER_ALL) == 0 && c->notify_after <= c->alarm_after &&
         c->alarm_after <= c->autodial_after && c->autodial_after <= SIPHB_MS_MAX32 &&
         c->autodial_cooldown <= SIPHB_MS_MAX32;
}

/* ---- what it observes ------------------------------------------------------------ */

static int on_observe(siphb_obs_sink *sink, const siphb_event *ev, siphb_ms now) {
  siphb_escalation *e =
      (siphb_escalation *)(void *)((char *)sink - offsetof(siphb_escalation, sink));
  switch (ev->type) {
  case SIPHB_EVENT_HEALTH_CHANGED:
    e->observed = (uint8_t)ev->u.health.state;
    e->observed_reason = (uint8_t)ev->u.health.reason;
    e->maintenance = ev->u.health.maintenance;
    break;
  case SIPHB_EVENT_HEALTH_MAINTENANCE:
    e->maintenance = ev->u.health.maintenance;
    break;
  case SIPHB_EVENT_TARGETS_SWITCHED:
    /* The new target's state is the service's now: a healthy backup ends
     * the incident, an unknown one lets it go on. */
    e->observed = (uint8_t)ev->u.targets.to_state;
    break;
  case SIPHB_EVENT_TARGETS_EXHAUSTED:
    e->observed = SIPHB_HEALTH_STATE_OFFLINE;
    e->observed_reason = (uint8_t)ev->u.targets.reason;
    break;
  default:
    return 0;
  }
  return escalation_evaluate(e, now);
}

static void on_source_gone(siphb_obs_sink *sink, siphb_obs_link *src) {
  (void)src;
  siphb_escalation *e =
      (siphb_escalation *)(void *)((char *)sink - offsetof(siphb_escalation, sink));
  e->source = NULL;
}

/* ---- life ---------------------------------------------------------------------------- */

static void esc_stop_op(siphb_obj *obj) {
  siphb_escalation *e = (siphb_escalation *)(void *)obj;
  siphb_wheel_cancel(siphb_ctx_wheel(obj->ctx), &e->node);
  siphb_obs_sink_close(&e->sink);
}

static siphb_obs_sink *esc_sink_op(siphb_obj *obj) {
  return &((siphb_escalation *)(void *)obj)->sink;
}

static const siphb_obj_ops esc_ops = {SIPHB_OBJECT_ESCALATION, sizeof(siphb_escalation),
                                      esc_stop_op, NULL, esc_sink_op};

int siphb_escalation_new(siphb_escalation **out, siphb_ctx *ctx,
                         const siphb_escalation_config *cfg_in, void *user_data, siphb_ms now) {
  if (!out || !ctx) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_escalation_config full;
  const void *view;
  int rv = siphb_sized_view_or_defaults(cfg_in, &full, sizeof full, CONFIG_MIN_SIZE,
                                        config_defaults_fn, &view);
  if (rv != 0) return rv;
  const siphb_escalation_config *c = view;
  if (!config_valid(c)) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_ctx_clock(ctx, now);
  void *obj;
  rv = siphb_obj_new(&obj, ctx, &esc_ops, user_data);
  if (rv != 0) return rv;
  siphb_escalation *e = obj;
  e->recover_step = c->recover_step;
  e->recover_actions = c->recover_actions;
  e->notify_after = c->notify_after;
  e->alarm_after = c->alarm_after;
  e->autodial_after = c->autodial_after;
  e->autodial_cooldown = c->autodial_cooldown;
  e->required_inputs = c->autodial_required_inputs;
  e->blocking_inputs = c->autodial_blocking_inputs;
  e->fail_on_degraded = c->fail_on_degraded;
  e->alarm_enabled = c->alarm_enabled;
  e->alarm_latched = c->alarm_latched;
  e->autodial_enabled = c->autodial_enabled;
  e->one_shot = c->autodial_one_shot;
  e->zone_critical = c->zone_critical;
  e->observed = SIPHB_HEALTH_STATE_UNKNOWN;
  e->incident_start = e->last_dial_at = e->carried_start = SIPHB_NEVER;
  siphb_wheel_node_init(&e->node, escalation_on_timer);
  siphb_obs_sink_init(&e->sink, on_observe);
  siphb_obs_sink_on_detach(&e->sink, on_source_gone);
  *out = e;
  return 0;
}

void siphb_escalation_del(siphb_escalation *esc) {
  if (esc) siphb_obj_delete(&esc->base);
}

/* ---- calls ------------------------------------------------------------------------------ */

static bool usable(const siphb_escalation *e) { return e && !siphb_obj_dead(&e->base); }

/* Moves the wiring to `link` (the source's out link) of object src. */
static int wire(siphb_escalation *e, siphb_obj *src, siphb_obs_link *link) {
  if (link->sink && link->sink != &e->sink) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_obs_sink_close(&e->sink);
  if (link->sink != &e->sink) siphb_obs_attach(link, &e->sink);
  e->source = src;
  return 0;
}

int siphb_escalation_set_health(siphb_escalation *esc, siphb_health *health, siphb_ms now) {
  if (!usable(esc)) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_ctx *ctx = esc->base.ctx;
  if (health) {
    if (!siphb_obj_sink(&health->base, ctx, SIPHB_OBJECT_HEALTH)) return SIPHB_ERR_INVALID_ARGUMENT;
    int rv = wire(esc, &health->base, &health->out);
    if (rv != 0) return rv;
    siphb_health_reason why;
    esc->observed = (uint8_t)siphb_health_get_state(health, &why);
    esc->observed_reason = (uint8_t)why;
    esc->maintenance = (health->flags & HEALTH_MAINT) != 0;
  } else {
    siphb_obs_sink_close(&esc->sink);
  }
  now = siphb_ctx_clock(ctx, now);
  return siphb_ctx_end_call(ctx, escalation_evaluate(esc, now));
}

int siphb_escalation_set_targets(siphb_escalation *esc, siphb_targets *targets, siphb_ms now) {
  if (!usable(esc)) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_ctx *ctx = esc->base.ctx;
  if (targets) {
    if (siphb_obj_dead(&targets->base) || targets->base.ctx != ctx)
      return SIPHB_ERR_INVALID_ARGUMENT;
    int rv = wire(esc, &targets->base, &targets->out);
    if (rv != 0) return rv;
    esc->observed = SIPHB_HEALTH_STATE_UNKNOWN;
    if (targets->current >= 0) {
      const target_slot *s = &targets->slots[targets->current];
      esc->observed = s->state;
      esc->observed_reason = s->reason;
      esc->maintenance = s->maintenance;
    } else if (targets->exhausted) {
      esc->observed = SIPHB_HEALTH_STATE_OFFLINE;
    }
  } else {
    siphb_obs_sink_close(&esc->sink);
  }
  now = siphb_ctx_clock(ctx, now);
  return siphb_ctx_end_call(ctx, escalation_evaluate(esc, now));
}

int siphb_escalation_observe(siphb_escalation *esc, siphb_health_state state,
                             siphb_health_reason reason, bool maintenance, siphb_ms now) {
  if (!usable(esc) || esc->source || (unsigned)state > SIPHB_HEALTH_STATE_OFFLINE ||
      (unsigned)reason >= SIPHB_HEALTH_REASON_COUNT)
    return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_ctx *ctx = esc->base.ctx;
  now = siphb_ctx_clock(ctx, now);
  esc->observed = (uint8_t)state;
  esc->observed_reason = (uint8_t)reason;
  esc->maintenance = maintenance;
  return siphb_ctx_end_call(ctx, escalation_evaluate(esc, now));
}

int siphb_escalation_set_inputs(siphb_escalation *esc, uint32_t inputs, siphb_ms now) {
  if (!usable(esc)) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_ctx *ctx = esc->base.ctx;
  now = siphb_ctx_clock(ctx, now);
  esc->inputs = inputs;
  return siphb_ctx_end_call(ctx, escalation_evaluate(esc, now));
}

int siphb_escalation_reset_alarm(siphb_escalation *esc, siphb_ms now) {
  if (!usable(esc)) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_ctx *ctx = esc->base.ctx;
  now = siphb_ctx_clock(ctx, now);
  if (!esc->alarm_on || esc->incident_start != SIPHB_NEVER) return 0;
  esc->alarm_on = false;
  return siphb_ctx_end_call(ctx, escalation_emit(esc, SIPHB_EVENT_ESCALATION_ACTION,
                                     (siphb_escalation_stage)esc->stage,
                                     SIPHB_ESCALATION_ACTION_ALARM_OFF, 0, now));
}

siphb_escalation_stage siphb_escalation_get_stage(const siphb_escalation *esc) {
  return esc ? (siphb_escalation_stage)esc->stage : SIPHB_ESCALATION_STAGE_NORMAL;
}

int siphb_escalation_get_stats(const siphb_escalation *esc, siphb_escalation_stats *st) {
  if (!esc || !st) return SIPHB_ERR_INVALID_ARGUMENT;
  memset(st, 0, sizeof *st);
  st->stage = (siphb_escalation_stage)esc->stage;
  st->reason = (siphb_health_reason)esc->reason;
  st->alarm_on = esc->alarm_on;
  st->alarm_latched = esc->alarm_on && esc->alarm_latched;
  st->autodial_spent = esc->dialled;
  st->maintenance = esc->maintenance;
  st->incidents = esc->incidents;
  st->dials = esc->dials;
  st->blocked_dials = esc->blocked_dials;
  st->incident_start = esc->incident_start;
  st->last_dial_at = esc->last_dial_at;
  return 0;
}

void *siphb_escalation_get_user_data(const siphb_escalation *esc) {
  return esc ? esc->base.user_data : NULL;
}

void siphb_escalation_set_user_data(siphb_escalation *esc, void *user_data) {
  if (esc) esc->base.user_data = user_data;
}
