/*
 * health_judge.c - the endpoint's judgement (siphb/health.h): the worst
 * layer and its root cause, flap damping over the endpoint's state
 * changes, maintenance edges, and the alarm that follows the reported
 * state.
 */
#include "policy/health_int.h"

/* The worst state of the enabled layers. The root cause is the lowest
 * layer that is failing (DEGRADED or worse): a link that is down explains
 * the SIP timeouts above it even before its own failure is confirmed;
 * with nothing failing, the lowest layer in the worst state. */
static siphb_health_state worst(const siphb_health *h, uint8_t *root) {
  siphb_health_state s = SIPHB_HEALTH_STATE_UNKNOWN;
  uint8_t lowest_failing = SIPHB_HEALTH_LAYER_COUNT;
  *root = 0;
  for (uint8_t i = 0; i < SIPHB_HEALTH_LAYER_COUNT; i++) {
    if (!h->cfg->layers[i].enabled) continue;
    uint8_t ls = h->layers[i].state;
    if (ls >= SIPHB_HEALTH_STATE_DEGRADED && lowest_failing == SIPHB_HEALTH_LAYER_COUNT)
      lowest_failing = i;
    if (ls > s) {
      s = (siphb_health_state)ls;
      *root = i;
    }
  }
  if (lowest_failing < SIPHB_HEALTH_LAYER_COUNT) *root = lowest_failing;
  return s;
}

/* ---- flap damping ------------------------------------------------------------ */

/* The ring keeps the low 32 bits of the last flap_changes + 1 change times:
 * ages are taken modulo 2^32, which is exact because the ring is emptied
 * whenever its newest entry is older than flap_window (<= 2^28 ms), so no
 * entry in it is more than 8 windows older than the newest. */
static void flap_record(siphb_health *h, siphb_ms now) {
  uint8_t cap = (uint8_t)(h->cfg->flap_changes + 1);
  if (h->flap_count && now - h->flap_last >= h->cfg->flap_window) h->flap_count = 0;
  h->flap_head = (uint8_t)((h->flap_head + 1) % cap);
  h->flap_ring[h->flap_head] = (uint32_t)now;
  h->flap_last = now;
  if (h->flap_count < cap) h->flap_count++;
}

uint32_t health_flap_count(const siphb_health *h, siphb_ms now) {
  if (!h->flap_count || now - h->flap_last >= h->cfg->flap_window) return 0;
  uint8_t cap = (uint8_t)(h->cfg->flap_changes + 1);
  uint32_t n = 0;
  for (uint8_t i = 0; i < h->flap_count; i++) {
    uint32_t at = h->flap_ring[(h->flap_head + cap - i) % cap];
    if ((uint32_t)now - at < h->cfg->flap_window) n++;
  }
  return n;
}

void health_flap_reset(siphb_health *h) {
  h->flap_count = 0;
  h->flap_head = 0;
  h->flags &= (uint8_t)~HEALTH_FLAPPING;
}

siphb_ms health_flap_deadline(const siphb_health *h) {
  if (!(h->flags & HEALTH_FLAPPING)) return SIPHB_NEVER;
  return h->stable_since + h->cfg->flap_hold;
}

/* ---- the judgement ----------------------------------------------------------- */

static bool alarm_due(const siphb_health *h) {
  if (h->flags & HEALTH_DISABLED) return false;
  if (h->state == SIPHB_HEALTH_STATE_OFFLINE) return true;
  return h->cfg->alarm_on_degraded && h->state == SIPHB_HEALTH_STATE_DEGRADED;
}

static bool set_flag(siphb_health *h, uint8_t flag, bool on) {
  bool was = (h->flags & flag) != 0;
  if (on) h->flags |= flag;
  else h->flags &= (uint8_t)~flag;
  return was != on;
}

int health_judge(siphb_health *h, const health_cause *cause_in, siphb_ms now) {
  int rv;
  health_cause c = *cause_in, *cause = &c;
  c.since = h->since;
  /* Maintenance first: the endpoint's events say whether they are in it. */
  bool maint = health_maint_at(h, now, NULL, NULL);
  if (set_flag(h, HEALTH_MAINT, maint)) {
    rv = health_emit(h, SIPHB_EVENT_HEALTH_MAINTENANCE, (siphb_health_layer)h->root,
                     (siphb_health_state)h->state, (siphb_health_state)h->state,
                     maint ? SIPHB_HEALTH_REASON_MAINTENANCE : SIPHB_HEALTH_REASON_NONE, cause,
                     now);
    if (rv != 0 || siphb_obj_dead(&h->base)) return rv;
  }

  uint8_t root;
  siphb_health_state actual = worst(h, &root);
  siphb_health_reason reason = (siphb_health_reason)h->layers[root].reason;
  if (h->flags & HEALTH_DISABLED) {
    actual = SIPHB_HEALTH_STATE_UNKNOWN;
    reason = SIPHB_HEALTH_REASON_MANUAL;
    root = 0;
  } else if (actual <= SIPHB_HEALTH_STATE_HEALTHY) {
    reason = SIPHB_HEALTH_REASON_NONE;
  }
  if (actual != h->actual) {
    /* Leaving or entering UNKNOWN (start, reset, disable) is no flap. */
    if (h->cfg->flap_changes && h->actual != SIPHB_HEALTH_STATE_UNKNOWN &&
        actual != SIPHB_HEALTH_STATE_UNKNOWN)
      flap_record(h, now);
    h->actual = (uint8_t)actual;
    h->stable_since = now;
  }

  /* Flapping holds the worst state seen until the underlying one has been
   * stable for flap_hold. */
  bool flapping = (h->flags & HEALTH_FLAPPING) != 0;
  if (!flapping && h->cfg->flap_changes && health_flap_count(h, now) > h->cfg->flap_changes)
    flapping = true;
  else if (flapping && now - h->stable_since >= h->cfg->flap_hold)
    flapping = false;
  siphb_health_state shown = actual;
  if (flapping && h->state > actual) {
    shown = (siphb_health_state)h->state;
    reason = (siphb_health_reason)h->reason;
    root = h->root;
  }
  /* The flag is set before the endpoint's event so that it says so; the
   * FLAPPING event follows it. */
  bool flap_changed = set_flag(h, HEALTH_FLAPPING, flapping);
  if (shown != h->state || reason != h->reason) {
    siphb_health_state old = (siphb_health_state)h->state;
    c.since = h->since;
    if (shown != old) {
      h->since = now;
      h->transitions++;
    }
    h->state = (uint8_t)shown;
    h->reason = (uint8_t)reason;
    h->root = root;
    rv = health_emit(h, SIPHB_EVENT_HEALTH_CHANGED, (siphb_health_layer)root, old, shown, reason,
                     cause, now);
    if (rv != 0 || siphb_obj_dead(&h->base)) return rv;
    c.since = h->since;
  }
  if (flap_changed) {
    rv = health_emit(h, SIPHB_EVENT_HEALTH_FLAPPING, (siphb_health_layer)h->root,
                     (siphb_health_state)h->state, (siphb_health_state)h->state,
                     (siphb_health_reason)h->reason, cause, now);
    if (rv != 0 || siphb_obj_dead(&h->base)) return rv;
  }

  /* The alarm follows the reported state, outside maintenance. */
  bool due = alarm_due(h);
  bool raise = due && !maint;
  set_flag(h, HEALTH_ALARM_HELD, due && maint);
  if (set_flag(h, HEALTH_ALARM, raise)) {
    bool by_operator = (h->flags & HEALTH_DISABLED) || c.manual;
    siphb_health_reason why = raise         ? (siphb_health_reason)h->reason
                              : due         ? SIPHB_HEALTH_REASON_MAINTENANCE
                              : by_operator ? SIPHB_HEALTH_REASON_MANUAL
                                            : (siphb_health_reason)h->reason;
    if (raise) h->alarms_raised++;
    rv = health_emit(h, SIPHB_EVENT_HEALTH_ALARM, (siphb_health_layer)h->root,
                     (siphb_health_state)h->state, (siphb_health_state)h->state, why, cause, now);
    if (rv != 0 || siphb_obj_dead(&h->base)) return rv;
  }
  return 0;
}
