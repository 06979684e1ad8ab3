/*
 * targets_int.h - the target selection's state (internal), shared by
 * targets.c (the object, its list and calls), targets_decide.c (which
 * target, when: the guards and failback) and targets_save.c (snapshots).
 */
#ifndef SIPHB_LIB_POLICY_TARGETS_INT_H
#define SIPHB_LIB_POLICY_TARGETS_INT_H

#include <siphb/failover.h>

#include "engine/ctx_int.h"
#include "engine/obs.h"

/* One target, in RFC 2782 order in the selection's array. */
typedef struct target_slot {
  uint64_t key;
  void *user_data;
  siphb_health *health;     /* NULL: observed by siphb_targets_observe() */
  siphb_ms held_until;      /* 0 = not held */
  siphb_ms healthy_since;   /* SIPHB_NEVER = not healthy */
  uint16_t priority, weight;
  uint8_t state, reason;    /* as last observed */
  bool maintenance;         /* its monitor's last word */
} target_slot;

struct siphb_targets {
  siphb_obj base; /* first: the handle is the object */
  siphb_wheel_node node;
  siphb_obs_sink sink;  /* the targets' monitors feed it */
  siphb_obs_link out;   /* to one escalation */
  /* The config, validated. */
  siphb_ms dwell, min_switch_interval, switch_window, failback_hold;
  uint32_t max_targets, max_switches;
  uint8_t failback;
  bool fail_on_degraded;
  bool exhausted;       /* EXHAUSTED reported for the current loss */
  /* The list and the choice. */
  target_slot *slots;   /* max_targets, one allocation made by _new */
  uint32_t count;
  int32_t current;      /* -1 = none */
  siphb_ms current_since;
  siphb_ms next_switch_at; /* a deferred switch; SIPHB_NEVER = none */
  /* The sliding window of switches: a ring of their times. */
  siphb_ms *switch_times;  /* max_switches, in the same allocation as slots */
  uint32_t switch_head, switch_count;
  uint32_t switches, failbacks, exhausted_count, deferred;
};

/* targets_decide.c ----------------------------------------------------------- */

/* Re-decides after an observation, a hold, a new list or the timer:
 * switches, defers or reports exhaustion, and arms the timer. Returns 0 or
 * a callback code. */
int targets_decide(siphb_targets *t, siphb_health_reason why, siphb_ms now);
/* Makes slot `to` current and reports it (SWITCHED); counts it in the
 * window unless INITIAL. Returns 0 or a callback code. */
int targets_switch(siphb_targets *t, int32_t to, siphb_switch_cause cause,
                   siphb_health_reason reason, siphb_ms now);
/* Switches within switch_window before now. */
uint32_t targets_window_count(const siphb_targets *t, siphb_ms now);
/* The best target to use other than `except` (-1: none excluded), or -1:
 * HEALTHY before UNKNOWN before DEGRADED, list order within each. */
int32_t targets_best(const siphb_targets *t, int32_t except, siphb_ms now);
void targets_rearm(siphb_targets *t, siphb_ms now);
int targets_on_timer(siphb_wheel_node *node, siphb_ms now, void *arg);

/* targets.c ------------------------------------------------------------------ */

/* Reports an event of t (SWITCHED, EXHAUSTED), then feeds it to the wired
 * escalation. */
int targets_emit(siphb_targets *t, siphb_event_type type, siphb_switch_cause cause,
                 siphb_health_reason reason, int32_t from, int32_t to, siphb_ms now);

#endif /* SIPHB_LIB_POLICY_TARGETS_INT_H */
