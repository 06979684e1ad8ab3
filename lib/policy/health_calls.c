/*
 * health_calls.c - the health monitor's public calls (siphb/health.h):
 * observations, maintenance, administration and reading it back.
 */
#include "policy/health_int.h"

#include <string.h>

#include "base/mem.h"
#include "base/ms.h"
#include "base/sized.h"

static bool usable(const siphb_health *h) { return h && !siphb_obj_dead(&h->base); }

static health_cause integrator(siphb_ms now, uint32_t metric) {
  health_cause c = {SIPHB_OBJECT_CTX, NULL, metric, now, 0, false};
  return c;
}

/* Re-judges after a change that is no observation (maintenance, admin). */
static int rejudge(siphb_health *h, health_cause *c, siphb_ms now) {
  int rv = health_judge(h, c, now);
  if (rv == 0 && !siphb_obj_dead(&h->base)) health_rearm(h, now);
  return siphb_ctx_end_call(h->base.ctx, rv);
}

int siphb_health_observe(siphb_health *health, siphb_health_layer layer, siphb_health_obs obs,
                         siphb_health_reason reason, uint32_t metric, siphb_ms now) {
  if (!usable(health) || (unsigned)layer >= SIPHB_HEALTH_LAYER_COUNT ||
      (unsigned)obs > SIPHB_HEALTH_OBS_FAILURE || (unsigned)reason >= SIPHB_HEALTH_REASON_COUNT)
    return SIPHB_ERR_INVALID_ARGUMENT;
  if (!health->cfg->layers[layer].enabled) return SIPHB_ERR_INVALID_STATE;
  siphb_ctx *ctx = health->base.ctx;
  now = siphb_ctx_clock(ctx, now);
  health_cause c = integrator(now, metric);
  return siphb_ctx_end_call(ctx, health_take(health, layer, obs, reason, &c, now));
}

int siphb_health_observe_media(siphb_health *health, uint32_t mos_x100, uint32_t loss_permille,
                               siphb_ms now) {
  if (!usable(health)) return SIPHB_ERR_INVALID_ARGUMENT;
  if (!health->cfg->layers[SIPHB_HEALTH_LAYER_MEDIA].enabled) return SIPHB_ERR_INVALID_STATE;
  siphb_ctx *ctx = health->base.ctx;
  now = siphb_ctx_clock(ctx, now);
  const health_cfg *cfg = health->cfg;
  bool poor = mos_x100 < cfg->media_mos_x100;
  bool lossy = loss_permille > cfg->media_loss_permille;
  health_cause c = integrator(now, mos_x100);
  int rv = 0;
  if (!poor && !lossy) {
    health->media_bad_since = SIPHB_NEVER;
    rv = health_take(health, SIPHB_HEALTH_LAYER_MEDIA, SIPHB_HEALTH_OBS_SUCCESS,
                     SIPHB_HEALTH_REASON_NONE, &c, now);
  } else {
    if (health->media_bad_since == SIPHB_NEVER) health->media_bad_since = now;
    if (now - health->media_bad_since >= cfg->media_sustain)
      rv = health_take(health, SIPHB_HEALTH_LAYER_MEDIA, SIPHB_HEALTH_OBS_DEGRADED,
                       poor ? SIPHB_HEALTH_REASON_MEDIA_POOR : SIPHB_HEALTH_REASON_MEDIA_LOSS, &c,
                       now);
  }
  return siphb_ctx_end_call(ctx, rv);
}

void siphb_health_window_init(siphb_health_window *w, size_t size) {
  siphb_health_window d;
  memset(&d, 0, sizeof d);
  d.size = (uint32_t)sizeof d;
  d.repeat = SIPHB_HEALTH_REPEAT_ONCE;
  siphb_sized_init(w, size, &d, sizeof d, sizeof d);
}

int siphb_health_set_wallclock(siphb_health *health, int64_t unix_ms, int32_t utc_offset_s,
                               siphb_ms now) {
  if (!usable(health) || unix_ms < 0 || utc_offset_s < -18 * 3600 || utc_offset_s > 18 * 3600)
    return SIPHB_ERR_INVALID_ARGUMENT;
  now = siphb_ctx_clock(health->base.ctx, now);
  if (now > (siphb_ms)INT64_MAX) return SIPHB_ERR_INVALID_ARGUMENT;
  if (!health->sched) {
    health->sched = siphb_alloc_zeroed(siphb_ctx_alloc(health->base.ctx), sizeof *health->sched);
    if (!health->sched) return SIPHB_ERR_NOMEM;
  }
  health->sched->wall_minus_mono = unix_ms - (int64_t)now;
  health->sched->utc_offset_s = utc_offset_s;
  health_cause c = integrator(now, SIPHB_HEALTH_NO_METRIC);
  return rejudge(health, &c, now);
}

int siphb_health_add_window(siphb_health *health, const siphb_health_window *w_in,
                            uint32_t *index_out, siphb_ms now) {
  if (!usable(health) || !w_in) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_health_window w;
  siphb_health_window_init(&w, sizeof w);
  int rv = siphb_sized_read(&w, sizeof w, sizeof w, w_in);
  if (rv != 0) return rv;
  rv = health_window_check(&w);
  if (rv != 0) return rv;
  if (!health->sched) return SIPHB_ERR_INVALID_STATE;
  health_window *windows = health->sched->windows;
  size_t i = 0;
  while (i < SIPHB_HEALTH_MAX_WINDOWS && windows[i].used) i++;
  if (i == SIPHB_HEALTH_MAX_WINDOWS) return SIPHB_ERR_LIMIT;
  now = siphb_ctx_clock(health->base.ctx, now);
  windows[i] = (health_window){w.start, (uint32_t)w.duration, (uint8_t)w.repeat, 1};
  if (index_out) *index_out = (uint32_t)i;
  health_cause c = integrator(now, SIPHB_HEALTH_NO_METRIC);
  return rejudge(health, &c, now);
}

int siphb_health_remove_window(siphb_health *health, uint32_t index, siphb_ms now) {
  if (!usable(health)) return SIPHB_ERR_INVALID_ARGUMENT;
  if (!health->sched || index >= SIPHB_HEALTH_MAX_WINDOWS || !health->sched->windows[index].used)
    return SIPHB_ERR_NOT_FOUND;
  now = siphb_ctx_clock(health->base.ctx, now);
  health->sched->windows[index].used = 0;
  health_cause c = integrator(now, SIPHB_HEALTH_NO_METRIC);
  return rejudge(health, &c, now);
}

int siphb_health_set_maintenance(siphb_health *health, siphb_ms duration, siphb_ms now) {
  if (!usable(health)) return SIPHB_ERR_INVALID_ARGUMENT;
  now = siphb_ctx_clock(health->base.ctx, now);
  health->manual_until = duration == 0           ? 0
                         : duration == SIPHB_NEVER ? SIPHB_NEVER
                                                   : siphb_ms_after(now, duration);
  health_cause c = integrator(now, SIPHB_HEALTH_NO_METRIC);
  return rejudge(health, &c, now);
}

int siphb_health_set_disabled(siphb_health *health, bool disabled, siphb_ms now) {
  if (!usable(health)) return SIPHB_ERR_INVALID_ARGUMENT;
  now = siphb_ctx_clock(health->base.ctx, now);
  if (((health->flags & HEALTH_DISABLED) != 0) == disabled) return 0;
  if (disabled) {
    health->flags |= HEALTH_DISABLED;
  } else {
    health->flags &= (uint8_t)~HEALTH_DISABLED;
    health_start_fresh(health, now);
  }
  health_cause c = integrator(now, SIPHB_HEALTH_NO_METRIC);
  c.manual = true;
  return rejudge(health, &c, now);
}

int siphb_health_reset(siphb_health *health, siphb_ms now) {
  if (!usable(health)) return SIPHB_ERR_INVALID_ARGUMENT;
  now = siphb_ctx_clock(health->base.ctx, now);
  health_start_fresh(health, now);
  health_cause c = integrator(now, SIPHB_HEALTH_NO_METRIC);
  c.manual = true;
  return rejudge(health, &c, now);
}

siphb_health_state siphb_health_get_state(const siphb_health *health,
                                          siphb_health_reason *reason) {
  if (!health) {
    if (reason) *reason = SIPHB_HEALTH_REASON_NONE;
    return SIPHB_HEALTH_STATE_UNKNOWN;
  }
  if (reason) *reason = (siphb_health_reason)health->reason;
  return (siphb_health_state)health->state;
}

siphb_health_state siphb_health_get_layer(const siphb_health *health, siphb_health_layer layer) {
  if (!health || (unsigned)layer >= SIPHB_HEALTH_LAYER_COUNT) return SIPHB_HEALTH_STATE_UNKNOWN;
  return (siphb_health_state)health->layers[layer].state;
}

int siphb_health_get_stats(const siphb_health *health, siphb_health_stats *st) {
  if (!health || !st) return SIPHB_ERR_INVALID_ARGUMENT;
  memset(st, 0, sizeof *st);
  st->state = (siphb_health_state)health->state;
  st->reason = (siphb_health_reason)health->reason;
  st->root_layer = (siphb_health_layer)health->root;
  st->alarm = (health->flags & HEALTH_ALARM) != 0;
  st->alarm_suppressed = (health->flags & HEALTH_ALARM_HELD) != 0;
  st->flapping = (health->flags & HEALTH_FLAPPING) != 0;
  st->maintenance = (health->flags & HEALTH_MAINT) != 0;
  st->disabled = (health->flags & HEALTH_DISABLED) != 0;
  st->alarms_raised = health->alarms_raised;
  st->transitions = health->transitions;
  st->ignored = health->ignored;
  st->since = health->since;
  if (st->maintenance)
    health_maint_at(health, siphb_ctx_now(health->base.ctx), &st->maintenance_until, NULL);
  for (size_t i = 0; i < SIPHB_HEALTH_LAYER_COUNT; i++) {
    const health_layer *l = &health->layers[i];
    siphb_health_layer_stats *ls = &st->layers[i];
    ls->state = (siphb_health_state)l->state;
    ls->reason = (siphb_health_reason)l->reason;
    ls->observations = l->observations;
    ls->failures = l->failures;
    ls->transitions = l->transitions;
    ls->window_failures = health_layer_window_failures(l);
    ls->window_observations = l->fill;
    ls->consecutive = l->run;
    ls->last_ok = l->last_ok != 0;
    ls->since = l->since;
    ls->first_failure_at = l->run_start;
  }
  return 0;
}

void *siphb_health_get_user_data(const siphb_health *health) {
  return health ? health->base.user_data : NULL;
}

void siphb_health_set_user_data(siphb_health *health, void *user_data) {
  if (health) health->base.user_data = user_data;
}
