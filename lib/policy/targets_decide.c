/*
 * targets_decide.c - which target, and when (siphb/failover.h): leaving a
 * failed target, the guards against ping-pong (dwell, least interval, a
 * sliding window of switches), failback after a hold-down, exhaustion.
 */
#include "policy/targets_int.h"

#include "base/ms.h"

static bool failing(const siphb_targets *t, const target_slot *s) {
  return s->state == SIPHB_HEALTH_STATE_OFFLINE ||
         (t->fail_on_degraded && s->state == SIPHB_HEALTH_STATE_DEGRADED);
}

static bool held(const target_slot *s, siphb_ms now) { return s->held_until > now; }

/* A dead link explains every target's loss: switching would not help. */
static bool link_reason(uint8_t reason) {
  return reason == SIPHB_HEALTH_REASON_LINK_DOWN || reason == SIPHB_HEALTH_REASON_NO_ADDRESS;
}

/* Lower is better; 0xff unusable. */
static unsigned rank_of(const siphb_targets *t, const target_slot *s, siphb_ms now) {
  if (held(s, now) || failing(t, s) || s->state == SIPHB_HEALTH_STATE_OFFLINE) return 0xff;
  switch (s->state) {
  case SIPHB_HEALTH_STATE_HEALTHY:
    return 0;
  case SIPHB_HEALTH_STATE_UNKNOWN:
    return 1;
  default:
    return 2;
  }
}

int32_t targets_best(const siphb_targets *t, int32_t except, siphb_ms now) {
  int32_t best = -1;
  unsigned best_rank = 0xff;
  for (uint32_t i = 0; i < t->count; i++) {
    if ((int32_t)i == except) continue;
    unsigned r = rank_of(t, &t->slots[i], now);
    if (r < best_rank) {
      best_rank = r;
      best = (int32_t)i;
    }
  }
  return best;
}

uint32_t targets_window_count(const siphb_targets *t, siphb_ms now) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < t->switch_count; i++) {
    uint32_t at = (t->switch_head + t->max_switches - i) % t->max_switches;
    if (now - t->switch_times[at] < t->switch_window) n++;
  }
  return n;
}

/* The earliest time the guards allow an automatic switch. */
static siphb_ms allowed_at(const siphb_targets *t, siphb_ms now) {
  siphb_ms at = now;
  if (t->current >= 0) {
    siphb_ms d = siphb_ms_after(t->current_since, t->dwell);
    if (d > at) at = d;
  }
  if (t->switch_count) {
    siphb_ms last = t->switch_times[t->switch_head];
    siphb_ms m = siphb_ms_after(last, t->min_switch_interval);
    if (m > at) at = m;
  }
  if (targets_window_count(t, now) >= t->max_switches) {
    /* The oldest switch in the ring leaves the window first. */
    uint32_t oldest = (t->switch_head + 1) % t->max_switches;
    siphb_ms w = siphb_ms_after(t->switch_times[oldest], t->switch_window);
    if (w > at) at = w;
  }
  return at;
}

int targets_switch(siphb_targets *t, int32_t to, siphb_switch_cause cause,
                   siphb_health_reason reason, siphb_ms now) {
  int32_t from = t->current;
  t->current = to;
  t->current_since = now;
  t->next_switch_at = SIPHB_NEVER;
  t->exhausted = false;
  if (cause != SIPHB_SWITCH_INITIAL) {
    t->switch_head = (t->switch_head + 1) % t->max_switches;
    t->switch_times[t->switch_head] = now;
    if (t->switch_count < t->max_switches) t->switch_count++;
    t->switches++;
    if (cause == SIPHB_SWITCH_FAILBACK) t->failbacks++;
  }
  return targets_emit(t, SIPHB_EVENT_TARGETS_SWITCHED, cause, reason, from, to, now);
}

/* The failback candidate: the first target before the current one that
 * is healthy and not held; *ready when it has been so for failback_hold. */
static int32_t failback_candidate(const siphb_targets *t, siphb_ms now, siphb_ms *ready_at) {
  if (t->failback != SIPHB_FAILBACK_AUTO || t->current <= 0) return -1;
  for (int32_t i = 0; i < t->current; i++) {
    const target_slot *s = &t->slots[i];
    if (s->state != SIPHB_HEALTH_STATE_HEALTHY || held(s, now)) continue;
    *ready_at = siphb_ms_after(s->healthy_since, t->failback_hold);
    return i;
  }
  return -1;
}

/* Switches now if the guards allow, else defers to when they will. */
static int guarded_switch(siphb_targets *t, int32_t to, siphb_switch_cause cause,
                          siphb_health_reason reason, siphb_ms now) {
  siphb_ms at = allowed_at(t, now);
  if (at <= now) return targets_switch(t, to, cause, reason, now);
  if (t->next_switch_at == SIPHB_NEVER) t->deferred++;
  t->next_switch_at = at;
  return 0;
}

int targets_decide(siphb_targets *t, siphb_health_reason why, siphb_ms now) {
  int rv = 0;
  if (t->count == 0) return 0;
  if (t->current < 0) {
    int32_t best = targets_best(t, -1, now);
    if (best >= 0) return targets_switch(t, best, SIPHB_SWITCH_INITIAL, why, now);
  } else {
    const target_slot *cur = &t->slots[t->current];
    if (!failing(t, cur) && !held(cur, now)) {
      t->exhausted = false;
      siphb_ms ready = SIPHB_NEVER;
      int32_t back = failback_candidate(t, now, &ready);
      t->next_switch_at = SIPHB_NEVER;
      if (back >= 0 && ready <= now)
        rv = guarded_switch(t, back, SIPHB_SWITCH_FAILBACK, SIPHB_HEALTH_REASON_NONE, now);
      else if (back >= 0)
        t->next_switch_at = ready;
      targets_rearm(t, now);
      return rv;
    }
    /* The current target is lost; a dead link is not its fault. */
    if (!held(cur, now) && link_reason(cur->reason)) {
      t->next_switch_at = SIPHB_NEVER;
      targets_rearm(t, now);
      return 0;
    }
    why = held(cur, now) && !failing(t, cur) ? SIPHB_HEALTH_REASON_SIP_OVERLOAD
                                              : (siphb_health_reason)cur->reason;
    int32_t next = targets_best(t, t->current, now);
    if (next >= 0) {
      rv = guarded_switch(t, next, SIPHB_SWITCH_NEXT_TARGET, why, now);
      if (rv != 0 || siphb_obj_dead(&t->base)) return rv;
      targets_rearm(t, now);
      return 0;
    }
  }
  t->next_switch_at = SIPHB_NEVER;
  if (!t->exhausted) {
    t->exhausted = true;
    t->exhausted_count++;
    rv = targets_emit(t, SIPHB_EVENT_TARGETS_EXHAUSTED, SIPHB_SWITCH_NEXT_TARGET, why, t->current,
                      -1, now);
    if (rv != 0 || siphb_obj_dead(&t->base)) return rv;
  }
  targets_rearm(t, now);
  return 0;
}

void targets_rearm(siphb_targets *t, siphb_ms now) {
  siphb_ms at = t->next_switch_at;
  /* A hold's end may make a target usable again. */
  for (uint32_t i = 0; i < t->count; i++) {
    siphb_ms h = t->slots[i].held_until;
    if (h > now && h < at) at = h;
  }
  siphb_wheel_arm(siphb_ctx_wheel(t->base.ctx), &t->node, at);
}

int targets_on_timer(siphb_wheel_node *node, siphb_ms now, void *arg) {
  (void)arg;
  siphb_targets *t = (siphb_targets *)(void *)((char *)node - offsetof(siphb_targets, node));
  t->next_switch_at = SIPHB_NEVER;
  return targets_decide(t, SIPHB_HEALTH_REASON_NONE, now);
}
