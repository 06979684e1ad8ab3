/*
 * escalation_int.h - the escalation's state (internal), shared by
 * escalation.c (the object, its wiring and calls), escalation_run.c (the
 * incident: stages, quiet recovery, the auto-dial gates, the timer) and
 * escalation_save.c (snapshots).
 */
#ifndef SIPHB_LIB_POLICY_ESCALATION_INT_H
#define SIPHB_LIB_POLICY_ESCALATION_INT_H

#include <siphb/failover.h>

#include "engine/ctx_int.h"
#include "engine/obs.h"

struct siphb_escalation {
  siphb_obj base; /* first: the handle is the object */
  siphb_wheel_node node;
  siphb_obs_sink sink; /* one monitor or one target selection feeds it */
  siphb_obj *source;   /* that object, while wired (NULL: explicit observation) */
  /* The config, validated. */
  siphb_ms recover_step, notify_after, alarm_after, autodial_after, autodial_cooldown;
  uint32_t recover_actions, required_inputs, blocking_inputs;
  bool fail_on_degraded, alarm_enabled, alarm_latched, autodial_enabled, one_shot,
      zone_critical;
  /* What it observes. */
  uint8_t observed, observed_reason;
  bool maintenance;
  uint32_t inputs;
  /* The incident. */
  uint8_t stage, reason;
  uint8_t recover_next; /* index into the quiet recovery's order */
  bool link_down, notified, alarm_on, dialled; /* dialled: in this incident */
  uint32_t last_blocked;                       /* gates last reported, 0 = none */
  siphb_ms incident_start;                     /* SIPHB_NEVER = none */
  siphb_ms incident_skew; /* how long before incident_start it really began: an
                             outage older than the clock's origin (a snapshot) */
  siphb_ms recover_at;                         /* the next quiet step */
  siphb_ms last_dial_at;                       /* SIPHB_NEVER = never */
  siphb_ms cooldown_until;                     /* 0 = no cooldown */
  /* From a restored snapshot: an outage that began before the restart
   * continues in the next incident unless service was seen healthy first. */
  siphb_ms carried_start; /* SIPHB_NEVER = none */
  siphb_ms carried_skew;
  bool carried_dialled;
  uint32_t incidents, dials, blocked_dials;
};

/* escalation_run.c ------------------------------------------------------------- */

/* Re-evaluates after an observation, an input or the timer: starts or ends
 * the incident, runs what is due, arms the timer. Returns 0 or a callback
 * code. */
int escalation_evaluate(siphb_escalation *e, siphb_ms now);
int escalation_on_timer(siphb_wheel_node *node, siphb_ms now, void *arg);
/* Reports an event of e (stage, action, ...). */
int escalation_emit(siphb_escalation *e, siphb_event_type type, siphb_escalation_stage old_stage,
                    siphb_escalation_action action, uint32_t blocked, siphb_ms now);

#endif /* SIPHB_LIB_POLICY_ESCALATION_INT_H */
