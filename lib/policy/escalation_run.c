/*
 * escalation_run.c - one incident from start to end (siphb/failover.h):
 * quiet recovery, notify, the local alarm and its latch, the auto-dial
 * gates, maintenance deferring the stages, and the one timer.
 */
#include "policy/escalation_int.h"

#include <stddef.h>
#include <string.h>

#include "base/ms.h"

/* The quiet recovery, cheapest first. */
static const uint8_t recover_order[] = {SIPHB_ESCALATION_ACTION_RESET_TRANSPORT,
                                        SIPHB_ESCALATION_ACTION_REREGISTER,
                                        SIPHB_ESCALATION_ACTION_RERESOLVE};
#define RECOVER_STEPS (sizeof recover_order / sizeof recover_order[0])

/* start + after, less the part of the incident before the clock began. */
static siphb_ms after_start(const siphb_escalation *e, siphb_ms after) {
  return siphb_ms_after(e->incident_start, after > e->incident_skew ? after - e->incident_skew : 0);
}

static siphb_ms stage_at(const siphb_escalation *e, uint8_t stage) {
  switch (stage) {
  case SIPHB_ESCALATION_STAGE_NOTIFIED:
    return after_start(e, e->notify_after);
  case SIPHB_ESCALATION_STAGE_ALARM:
    return after_start(e, e->alarm_after);
  case SIPHB_ESCALATION_STAGE_AUTODIAL:
    return after_start(e, e->autodial_after);
  default:
    return SIPHB_NEVER;
  }
}

static siphb_ms next_stage_at(const siphb_escalation *e) {
  if (e->incident_start == SIPHB_NEVER || e->stage >= SIPHB_ESCALATION_STAGE_AUTODIAL)
    return SIPHB_NEVER;
  return stage_at(e, (uint8_t)(e->stage + 1));
}

int escalation_emit(siphb_escalation *e, siphb_event_type type, siphb_escalation_stage old_stage,
                    siphb_escalation_action action, uint32_t blocked, siphb_ms now) {
  siphb_event ev;
  memset(&ev, 0, sizeof ev);
  siphb_obj_fill_event(&e->base, &ev, type, now, now);
  siphb_event_escalation *x = &ev.u.escalation;
  x->stage = (siphb_escalation_stage)e->stage;
  x->old_stage = old_stage;
  x->action = action;
  x->reason = (siphb_health_reason)e->reason;
  x->blocked = blocked;
  x->inputs = e->inputs;
  x->alarm_on = e->alarm_on;
  x->alarm_latched = e->alarm_on && e->alarm_latched;
  x->maintenance = e->maintenance;
  x->link_down = e->link_down;
  x->incident_start = e->incident_start;
  x->next_stage_at = next_stage_at(e);
  return siphb_ctx_emit(e->base.ctx, &ev);
}

static int action(siphb_escalation *e, siphb_escalation_action a, siphb_ms now) {
  return escalation_emit(e, SIPHB_EVENT_ESCALATION_ACTION, (siphb_escalation_stage)e->stage, a, 0,
                         now);
}

static int set_stage(siphb_escalation *e, uint8_t stage, siphb_ms now) {
  uint8_t old = e->stage;
  e->stage = stage;
  return escalation_emit(e, SIPHB_EVENT_ESCALATION_STAGE, (siphb_escalation_stage)old,
                         SIPHB_ESCALATION_ACTION_NONE, 0, now);
}

#define CHECK(call)                                  \
  do {                                               \
    int rv_ = (call);                                \
    if (rv_ != 0 || siphb_obj_dead(&e->base)) return rv_; \
  } while (0)

static bool is_down(const siphb_escalation *e) {
  return e->observed == SIPHB_HEALTH_STATE_OFFLINE ||
         (e->fail_on_degraded && e->observed == SIPHB_HEALTH_STATE_DEGRADED);
}

/* The closed gates of auto-dial now. */
static uint32_t gates(const siphb_escalation *e, siphb_ms now) {
  uint32_t g = 0;
  if (!e->autodial_enabled) g |= SIPHB_ESCALATION_GATE_DISABLED;
  if (e->maintenance) g |= SIPHB_ESCALATION_GATE_MAINTENANCE;
  if (now < e->cooldown_until) g |= SIPHB_ESCALATION_GATE_COOLDOWN;
  if (e->one_shot && e->dialled) g |= SIPHB_ESCALATION_GATE_ONE_SHOT;
  if ((e->inputs & e->required_inputs) != e->required_inputs)
    g |= SIPHB_ESCALATION_GATE_REQUIRED_INPUT;
  if (e->inputs & e->blocking_inputs) g |= SIPHB_ESCALATION_GATE_BLOCKING_INPUT;
  if (!e->zone_critical) g |= SIPHB_ESCALATION_GATE_ZONE;
  return g;
}

/* In the AUTODIAL stage: dial when every gate is open, else report the
 * closed ones (once per change). A spent one-shot is the end of it. */
static int try_dial(siphb_escalation *e, siphb_ms now) {
  if (e->one_shot && e->dialled) return 0;
  uint32_t g = gates(e, now);
  if (g == 0) {
    e->dialled = true;
    e->last_dial_at = now;
    e->cooldown_until = siphb_ms_after(now, e->autodial_cooldown);
    e->last_blocked = 0;
    e->dials++;
    return escalation_emit(e, SIPHB_EVENT_ESCALATION_AUTODIAL, (siphb_escalation_stage)e->stage,
                           SIPHB_ESCALATION_ACTION_AUTODIAL, 0, now);
  }
  if (g == e->last_blocked) return 0;
  e->last_blocked = g;
  e->blocked_dials++;
  return escalation_emit(e, SIPHB_EVENT_ESCALATION_AUTODIAL_BLOCKED,
                         (siphb_escalation_stage)e->stage, SIPHB_ESCALATION_ACTION_NONE, g, now);
}

static int start_incident(siphb_escalation *e, siphb_ms now) {
  e->incident_start = now;
  e->incident_skew = 0;
  e->dialled = false;
  if (e->carried_start != SIPHB_NEVER) {
    /* The outage the snapshot recorded goes on. */
    e->incident_start = e->carried_start;
    e->incident_skew = e->carried_skew;
    e->dialled = e->carried_dialled;
    e->carried_start = SIPHB_NEVER;
  }
  e->reason = e->observed_reason;
  e->link_down = e->reason == SIPHB_HEALTH_REASON_LINK_DOWN ||
                 e->reason == SIPHB_HEALTH_REASON_NO_ADDRESS;
  e->recover_next = 0;
  e->recover_at = now;
  e->notified = false;
  e->last_blocked = 0;
  e->incidents++;
  return set_stage(e, SIPHB_ESCALATION_STAGE_RECOVERING, now);
}

static int end_incident(siphb_escalation *e, siphb_ms now) {
  CHECK(escalation_emit(e, SIPHB_EVENT_ESCALATION_RESOLVED, (siphb_escalation_stage)e->stage,
                        SIPHB_ESCALATION_ACTION_NONE, 0, now));
  if (e->notified) {
    e->notified = false;
    CHECK(action(e, SIPHB_ESCALATION_ACTION_NOTIFY_CLEAR, now));
  }
  if (e->alarm_on && !e->alarm_latched) {
    e->alarm_on = false;
    CHECK(action(e, SIPHB_ESCALATION_ACTION_ALARM_OFF, now));
  }
  e->incident_start = SIPHB_NEVER;
  e->link_down = false;
  return set_stage(e, SIPHB_ESCALATION_STAGE_NORMAL, now);
}

/* Quiet recovery: the steps that are due, skipping those not allowed. A
 * link that is down gets none: the proxy is not the cause. */
static int run_recovery(siphb_escalation *e, siphb_ms now) {
  while (!e->link_down && e->recover_next < RECOVER_STEPS && e->recover_at <= now) {
    uint8_t a = recover_order[e->recover_next++];
    if (!(e->recover_actions & (1u << a))) continue;
    e->recover_at = siphb_ms_after(e->recover_at, e->recover_step);
    CHECK(action(e, (siphb_escalation_action)a, now));
  }
  return 0;
}

/* The stages that are due, outside maintenance (inside, they wait for its
 * end, which re-evaluates). */
static int run_stages(siphb_escalation *e, siphb_ms now) {
  while (!e->maintenance && e->stage < SIPHB_ESCALATION_STAGE_AUTODIAL &&
         next_stage_at(e) <= now) {
    uint8_t s = (uint8_t)(e->stage + 1);
    CHECK(set_stage(e, s, now));
    if (s == SIPHB_ESCALATION_STAGE_NOTIFIED) {
      e->notified = true;
      CHECK(action(e, SIPHB_ESCALATION_ACTION_NOTIFY, now));
    } else if (s == SIPHB_ESCALATION_STAGE_ALARM && e->alarm_enabled && !e->alarm_on) {
      e->alarm_on = true;
      CHECK(action(e, SIPHB_ESCALATION_ACTION_ALARM_ON, now));
    }
  }
  if (e->stage == SIPHB_ESCALATION_STAGE_AUTODIAL) CHECK(try_dial(e, now));
  return 0;
}

static void rearm(siphb_escalation *e) {
  siphb_ms at = SIPHB_NEVER;
  if (e->incident_start != SIPHB_NEVER) {
    if (!e->link_down && e->recover_next < RECOVER_STEPS) at = e->recover_at;
    if (!e->maintenance) {
      siphb_ms s = next_stage_at(e);
      if (s < at) at = s;
    }
    /* A dial the cooldown blocked is tried when it ends. */
    if (e->stage == SIPHB_ESCALATION_STAGE_AUTODIAL &&
        (e->last_blocked & SIPHB_ESCALATION_GATE_COOLDOWN)) {
      if (e->cooldown_until < at) at = e->cooldown_until;
    }
  }
  siphb_wheel_arm(siphb_ctx_wheel(e->base.ctx), &e->node, at);
}

int escalation_evaluate(siphb_escalation *e, siphb_ms now) {
  if (e->incident_start == SIPHB_NEVER) {
    if (e->observed == SIPHB_HEALTH_STATE_HEALTHY) e->carried_start = SIPHB_NEVER;
    if (is_down(e) && !e->maintenance) CHECK(start_incident(e, now));
  } else if (e->observed == SIPHB_HEALTH_STATE_HEALTHY) {
    CHECK(end_incident(e, now));
  }
  if (e->incident_start != SIPHB_NEVER) {
    CHECK(run_recovery(e, now));
    CHECK(run_stages(e, now));
  }
  rearm(e);
  return 0;
}

int escalation_on_timer(siphb_wheel_node *node, siphb_ms now, void *arg) {
  (void)arg;
  siphb_escalation *e =
      (siphb_escalation *)(void *)((char *)node - offsetof(siphb_escalation, node));
  return escalation_evaluate(e, now);
}
