/*
 * health_layer.c - one layer's rules (siphb/health.h): degraded after a
 * few failures in a row, offline only when k of the last n failed and the
 * failure run has lasted, healthy after successes in a row; or the
 * saturating counter. Pure state: no events, no ctx.
 */
#include "policy/health_int.h"

#include "base/ms.h"

siphb_health_reason health_default_reason(siphb_health_layer layer) {
  switch (layer) {
  case SIPHB_HEALTH_LAYER_LINK:
    return SIPHB_HEALTH_REASON_LINK_DOWN;
  case SIPHB_HEALTH_LAYER_TRANSPORT:
    return SIPHB_HEALTH_REASON_TRANSPORT_FAILED;
  case SIPHB_HEALTH_LAYER_SIP:
    return SIPHB_HEALTH_REASON_SIP_TIMEOUT;
  case SIPHB_HEALTH_LAYER_REGISTRATION:
    return SIPHB_HEALTH_REASON_REG_FAILED;
  default:
    return SIPHB_HEALTH_REASON_MEDIA_POOR;
  }
}

void health_layer_reset(health_layer *l, const health_rules *r, siphb_ms now) {
  uint32_t observations = l->observations, failures = l->failures;
  uint16_t transitions = l->transitions;
  *l = (health_layer){0};
  l->observations = observations;
  l->failures = failures;
  l->transitions = transitions;
  l->since = now;
  l->run_start = SIPHB_NEVER;
  l->last_obs = now;
  l->state = SIPHB_HEALTH_STATE_UNKNOWN;
  l->counter = r->counter_initial;
}

static uint32_t popcount32(uint32_t x) {
  uint32_t n = 0;
  for (; x; x &= x - 1) n++;
  return n;
}

uint32_t health_layer_window_failures(const health_layer *l) { return popcount32(l->history); }

static void set_state(health_layer *l, siphb_health_state s, siphb_health_reason reason,
                      siphb_ms now) {
  l->state = (uint8_t)s;
  l->reason = (uint8_t)(s == SIPHB_HEALTH_STATE_HEALTHY ? SIPHB_HEALTH_REASON_NONE : reason);
  l->since = now;
  if (l->transitions < UINT16_MAX) l->transitions++;
  /* The failure run ends only when the layer is healthy again. */
  if (s == SIPHB_HEALTH_STATE_HEALTHY) l->run_start = SIPHB_NEVER;
}

/* k of the last n failed, and the run has lasted down_after. */
static bool confirmed(const health_layer *l, const health_rules *r, siphb_ms now) {
  if (health_layer_window_failures(l) < r->down_k) return false;
  return l->run_start != SIPHB_NEVER && now - l->run_start >= r->down_after;
}

static bool observe_counter(health_layer *l, const health_rules *r, siphb_health_obs obs,
                            siphb_health_reason reason, siphb_ms now) {
  if (obs == SIPHB_HEALTH_OBS_SUCCESS) {
    if (l->counter < r->counter_max) l->counter++;
  } else if (obs == SIPHB_HEALTH_OBS_FAILURE) {
    l->counter = 0;
  } else if (l->counter > 0) {
    l->counter--;
  }
  if (l->counter >= r->counter_up && l->state != SIPHB_HEALTH_STATE_HEALTHY) {
    set_state(l, SIPHB_HEALTH_STATE_HEALTHY, reason, now);
    return true;
  }
  if (l->counter <= r->counter_down && l->state != SIPHB_HEALTH_STATE_OFFLINE) {
    set_state(l, SIPHB_HEALTH_STATE_OFFLINE, reason, now);
    return true;
  }
  return false;
}

static bool observe_confirm(health_layer *l, const health_rules *r, siphb_health_obs obs,
                            siphb_health_reason reason, siphb_ms now) {
  siphb_health_state s = (siphb_health_state)l->state;
  if (obs == SIPHB_HEALTH_OBS_SUCCESS) {
    /* A healthy layer's stray failure ends with the next success: the
     * clock of a later run starts afresh. */
    if (s == SIPHB_HEALTH_STATE_HEALTHY) {
      l->run_start = SIPHB_NEVER;
      return false;
    }
    /* From UNKNOWN one answer is enough: there was no outage to end. */
    if (s == SIPHB_HEALTH_STATE_UNKNOWN || l->run >= r->up_after) {
      set_state(l, SIPHB_HEALTH_STATE_HEALTHY, reason, now);
      return true;
    }
    return false;
  }
  if (obs == SIPHB_HEALTH_OBS_FAILURE || confirmed(l, r, now)) {
    if (s == SIPHB_HEALTH_STATE_OFFLINE) return false;
    set_state(l, SIPHB_HEALTH_STATE_OFFLINE, reason, now);
    return true;
  }
  if (l->run >= r->degrade_after &&
      (s == SIPHB_HEALTH_STATE_UNKNOWN || s == SIPHB_HEALTH_STATE_HEALTHY)) {
    set_state(l, SIPHB_HEALTH_STATE_DEGRADED, reason, now);
    return true;
  }
  return false;
}

bool health_layer_observe(health_layer *l, const health_rules *r, siphb_health_obs obs,
                          siphb_health_reason reason, siphb_ms now) {
  bool ok = obs == SIPHB_HEALTH_OBS_SUCCESS;
  bool failed = obs == SIPHB_HEALTH_OBS_MISS || obs == SIPHB_HEALTH_OBS_FAILURE;
  l->observations++;
  l->last_obs = now;
  if (failed) {
    l->failures++;
    if (l->run_start == SIPHB_NEVER) l->run_start = now;
  }
  /* The k-of-n window: bit 0 is the newest observation. */
  uint32_t mask = r->down_n >= 32 ? UINT32_MAX : (UINT32_C(1) << r->down_n) - 1;
  l->history = ((l->history << 1) | (failed ? 1u : 0u)) & mask;
  if (l->fill < r->down_n) l->fill++;
  /* Successes, or non-successes, in a row. */
  if (!ok) l->fail_reason = (uint8_t)reason;
  if (l->run != 0 && (l->last_ok != 0) == ok) {
    if (l->run < UINT8_MAX) l->run++;
  } else {
    l->run = 1;
  }
  l->last_ok = ok;
  if (r->mode == SIPHB_HEALTH_MODE_COUNTER) return observe_counter(l, r, obs, reason, now);
  return observe_confirm(l, r, obs, reason, now);
}

siphb_ms health_layer_deadline(const health_layer *l, const health_rules *r) {
  siphb_ms at = SIPHB_NEVER;
  if (r->mode == SIPHB_HEALTH_MODE_CONFIRM && l->state != SIPHB_HEALTH_STATE_OFFLINE &&
      l->run_start != SIPHB_NEVER && health_layer_window_failures(l) >= r->down_k)
    at = siphb_ms_after(l->run_start, r->down_after);
  if (r->stale_after) {
    siphb_ms stale = siphb_ms_after(l->last_obs, r->stale_after);
    if (stale < at) at = stale;
  }
  return at;
}

bool health_layer_tick(health_layer *l, const health_rules *r, siphb_ms now) {
  bool changed = false;
  if (r->mode == SIPHB_HEALTH_MODE_CONFIRM && l->state != SIPHB_HEALTH_STATE_OFFLINE &&
      confirmed(l, r, now)) {
    set_state(l, SIPHB_HEALTH_STATE_OFFLINE, (siphb_health_reason)l->fail_reason, now);
    changed = true;
  }
  if (r->stale_after && now - l->last_obs >= r->stale_after)
    changed = health_layer_observe(l, r, SIPHB_HEALTH_OBS_MISS, SIPHB_HEALTH_REASON_STALE, now) ||
              changed;
  return changed;
}
