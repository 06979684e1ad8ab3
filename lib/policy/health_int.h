/*
 * health_int.h - the health monitor's state (internal), shared by
 * health.c (the object, its calls and events), health_layer.c (one
 * layer's rules), health_judge.c (the endpoint's state, flap damping, the
 * alarm), health_maint.c (maintenance windows), health_cfg.c (configs
 * shared between monitors) and health_wire.c (what sources' events mean).
 */
#ifndef SIPHB_LIB_POLICY_HEALTH_INT_H
#define SIPHB_LIB_POLICY_HEALTH_INT_H

#include <siphb/health.h>

#include "engine/ctx_int.h"
#include "engine/obs.h"

/* One layer's rules, as validated (durations fit 32 bits). No padding:
 * health_cfg.c compares configs bytewise. */
typedef struct health_rules {
  uint32_t down_after, stale_after;
  uint8_t enabled, mode, degrade_after, down_k, down_n, up_after;
  uint8_t counter_max, counter_up, counter_down, counter_initial;
  uint8_t zero_[2];
} health_rules;

/* A validated config. Monitors with equal configs share one copy (a PBX
 * runs thousands of monitors on a few presets), counted by `refs`. */
typedef struct health_cfg {
  struct health_cfg *next; /* the module's list */
  uint32_t refs;
  health_rules layers[SIPHB_HEALTH_LAYER_COUNT];
  uint32_t flap_window, flap_hold;
  uint32_t media_sustain;
  uint16_t media_mos_x100, media_loss_permille;
  uint8_t flap_changes;
  bool alarm_on_degraded;
} health_cfg;

/* Returns the shared copy of the config *c (validated), taking a
 * reference: 0, or SIPHB_ERR_NOMEM (nothing changed). */
int health_cfg_acquire(siphb_ctx *ctx, const health_cfg *c, const health_cfg **out);
void health_cfg_release(siphb_ctx *ctx, const health_cfg *c);

/* One layer's judgement. Times are stamps of the ctx clock. */
typedef struct health_layer {
  siphb_ms since;     /* the state began */
  siphb_ms run_start; /* first failure of the current failure run; SIPHB_NEVER = none */
  siphb_ms last_obs;  /* for staleness */
  uint32_t history;   /* bit i: the observation i before the newest failed */
  uint32_t observations, failures; /* since creation */
  uint16_t transitions;            /* since creation, saturating */
  uint8_t state, reason;
  uint8_t fill;    /* observations in history (<= down_n) */
  uint8_t run;     /* observations of the last kind in a row (saturating); 0 = none yet */
  uint8_t last_ok; /* that kind: 1 success, 0 not */
  uint8_t fail_reason; /* of the newest non-success */
  uint8_t counter; /* COUNTER mode */
} health_layer;

/* A scheduled window. */
typedef struct health_window {
  int64_t start;
  uint32_t duration;
  uint8_t repeat, used;
} health_window;

/* The wall clock and the scheduled windows: allocated by the first
 * siphb_health_set_wallclock(), since most monitors never have any. */
typedef struct health_sched {
  int64_t wall_minus_mono; /* Unix ms - ctx ms */
  int32_t utc_offset_s;
  health_window windows[SIPHB_HEALTH_MAX_WINDOWS];
} health_sched;

/* What caused the work in progress, for the events it produces. */
typedef struct health_cause {
  siphb_object_kind kind;
  const void *source;
  uint32_t metric;
  siphb_ms due;
  siphb_ms since;  /* for the event being emitted: when the previous state began */
  bool manual;     /* the operator's reset: an alarm it clears says MANUAL */
} health_cause;

enum {
  HEALTH_ALARM = 1u,
  HEALTH_ALARM_HELD = 2u, /* alarm_suppressed */
  HEALTH_FLAPPING = 4u,
  HEALTH_MAINT = 8u,
  HEALTH_DISABLED = 16u
};

struct siphb_health {
  siphb_obj base; /* first: the handle is the object */
  siphb_wheel_node node;
  siphb_obs_sink sink;  /* probes, flows and regs feed it */
  siphb_obs_link out;   /* to one target selection or escalation */
  const health_cfg *cfg;
  health_layer layers[SIPHB_HEALTH_LAYER_COUNT];
  /* The endpoint: reported state (damped) and the underlying one. */
  siphb_ms since;        /* the reported state began */
  siphb_ms stable_since; /* the underlying state last changed */
  siphb_ms flap_last;    /* newest entry of flap_ring, in full */
  uint32_t flap_ring[SIPHB_HEALTH_MAX_FLAP_CHANGES + 1]; /* low 32 bits of change times */
  uint8_t flap_head, flap_count;
  uint8_t state, reason, root, actual;
  uint8_t flags;
  uint32_t alarms_raised, transitions, ignored;
  /* Maintenance. */
  siphb_ms manual_until;  /* 0 = off, SIPHB_NEVER = until turned off */
  health_sched *sched;    /* NULL until a wall clock is set */
  /* Media: when the current bad stretch began (SIPHB_NEVER = good); bad is
   * a low MOS or a high loss, whichever (health.h). */
  siphb_ms media_bad_since;
};

/* health_layer.c ------------------------------------------------------------- */

/* The layer's default reason for a failure. */
siphb_health_reason health_default_reason(siphb_health_layer layer);
void health_layer_reset(health_layer *l, const health_rules *r, siphb_ms now);
/* Applies one observation; returns true when the layer's state changed
 * (new state and reason in *l). */
bool health_layer_observe(health_layer *l, const health_rules *r, siphb_health_obs obs,
                          siphb_health_reason reason, siphb_ms now);
/* When the layer next needs the clock (confirmation, staleness), or
 * SIPHB_NEVER. */
siphb_ms health_layer_deadline(const health_layer *l, const health_rules *r);
/* Runs what is due at now: confirmation or a stale miss. Returns true when
 * the state changed. */
bool health_layer_tick(health_layer *l, const health_rules *r, siphb_ms now);
uint32_t health_layer_window_failures(const health_layer *l);

/* health_maint.c ------------------------------------------------------------- */

/* Whether maintenance holds at now, and until when (SIPHB_NEVER =
 * open-ended) in *until; *next_edge is the next time it may change. */
bool health_maint_at(const siphb_health *h, siphb_ms now, siphb_ms *until, siphb_ms *next_edge);
int health_window_check(const siphb_health_window *w);

/* health_judge.c ------------------------------------------------------------- */

/* Re-judges the endpoint after layers or maintenance changed and reports
 * what changed: endpoint, flapping, alarm. Returns 0 or a callback code. */
int health_judge(siphb_health *h, const health_cause *cause, siphb_ms now);
/* When damping next needs the clock, or SIPHB_NEVER. */
siphb_ms health_flap_deadline(const siphb_health *h);
/* The endpoint's state changes within flap_window before now. */
uint32_t health_flap_count(const siphb_health *h, siphb_ms now);
void health_flap_reset(siphb_health *h);

/* health.c -------------------------------------------------------------------- */

/* Emits one event of h; `layer` names the layer for LAYER_CHANGED (and
 * the root cause otherwise); cause->since is the event's `since`. Then
 * feeds it to h's target selection or escalation. */
int health_emit(siphb_health *h, siphb_event_type type, siphb_health_layer layer,
                siphb_health_state old_state, siphb_health_state state,
                siphb_health_reason reason, const health_cause *cause, siphb_ms now);
/* Feeds one observation (the integrator's or a wired source's); the
 * reason is already checked. Returns 0 or a callback code. */
int health_take(siphb_health *h, siphb_health_layer layer, siphb_health_obs obs,
                siphb_health_reason reason, health_cause *cause, siphb_ms now);
/* Arms the timer for the earliest thing that needs the clock. */
void health_rearm(siphb_health *h, siphb_ms now);
/* Every layer UNKNOWN with an empty history, no damping. */
void health_start_fresh(siphb_health *h, siphb_ms now);

/* health_wire.c -------------------------------------------------------------- */

/* The sink function: what a probe's, flow's or reg's event means. */
int health_wire_observe(siphb_obs_sink *sink, const siphb_event *ev, siphb_ms now);

#endif /* SIPHB_LIB_POLICY_HEALTH_INT_H */
