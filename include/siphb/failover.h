/*
 * siphb/failover.h - what to do when a proxy is lost: two objects, each
 * usable without the other (docs/API-PLAN.md section 9).
 *
 * TARGET SELECTION (siphb_targets) keeps the list of proxies in RFC 2782
 * order (lowest priority first, weighted random within a priority) and
 * says which one to use. Each target may have a health monitor
 * (siphb_target.health): its state changes are the target's observations;
 * without one the integrator reports with siphb_targets_observe().
 *   - When the current target goes OFFLINE (or DEGRADED, fail_on_degraded)
 *     the next usable target is chosen: HEALTHY ones before UNKNOWN ones,
 *     in list order, never an OFFLINE or held one (a 503's Retry-After,
 *     siphb_targets_hold()). None usable: TARGETS_EXHAUSTED (re-resolve).
 *   - A link that is down is nobody's proxy's fault: a target lost with
 *     reason LINK_DOWN or NO_ADDRESS is not switched away from.
 *   - Guards: a new target is kept at least `dwell`; switches are at least
 *     `min_switch_interval` apart and at most `max_switches` within
 *     `switch_window` (a sliding window); a switch the guards forbid is
 *     deferred (next_switch_at), never dropped, and re-decided when due.
 *   - Failback to a target earlier in the list happens once it has been
 *     HEALTHY for `failback_hold` without interruption (it is probed in the
 *     background by its own probe), through the same guards.
 * Events: TARGETS_SWITCHED (cause INITIAL, NEXT_TARGET, FAILBACK, MANUAL),
 * TARGETS_EXHAUSTED. The integrator then re-points its probe, flow and
 * registration (siphb decides, the integrator acts).
 *
 * ESCALATION (siphb_escalation) is the staged reaction while service is
 * lost. It observes one health monitor (siphb_escalation_set_health) or a
 * target selection (siphb_escalation_set_targets: then the current target's
 * monitor, across switches; a loss the selection repaired at once by
 * switching to a healthy target is not passed on, so no incident opens). An incident starts when the observed state
 * goes OFFLINE (or DEGRADED, fail_on_degraded) outside maintenance, and ends
 * when it is HEALTHY again. From the incident's start:
 *   1. RECOVERING at once, quietly: one action per `recover_step`, in this
 *      order and as far as `recover_actions` allows: RESET_TRANSPORT,
 *      REREGISTER, RERESOLVE. A link-down incident has none (the proxy is
 *      not the cause: alarm only).
 *   2. NOTIFIED at `notify_after`: action NOTIFY.
 *   3. ALARM at `alarm_after`: action ALARM_ON (alarm_enabled). A latched
 *      alarm (alarm_latched) stays on after the incident until
 *      siphb_escalation_reset_alarm().
 *   4. AUTODIAL at `autodial_after`: event AUTODIAL when every gate is open
 *      (autodial_enabled, zone_critical, not in maintenance, not dialled in
 *      this incident when autodial_one_shot, autodial_cooldown elapsed since
 *      the last dial, every required input on, no blocking input on), else
 *      AUTODIAL_BLOCKED naming the closed gates; a blocked dial is tried
 *      again whenever a gate may have opened (inputs, maintenance's end,
 *      the cooldown's end) while the incident lasts.
 * Maintenance (from the monitor's events) starts no incident and defers
 * the stages that fall due inside it to its end. The incident's end:
 * RESOLVED, NOTIFY_CLEAR if notified, ALARM_OFF unless latched.
 * Events: ESCALATION_STAGE (each stage change), ESCALATION_ACTION,
 * ESCALATION_AUTODIAL, ESCALATION_AUTODIAL_BLOCKED, ESCALATION_RESOLVED.
 *
 * SNAPSHOTS. The state that must survive a restart (a latched alarm, the
 * auto-dial record and cooldown, the current target, the guards) is saved
 * as a few dozen bytes: versioned, checksummed, in durations rather than
 * stamps (the clock after a reboot has another origin). Restoring refuses
 * a snapshot of another version (SIPHB_ERR_SNAPSHOT_VERSION), another kind
 * (SIPHB_ERR_SNAPSHOT_KIND) or a damaged one (SIPHB_ERR_SNAPSHOT_CORRUPT),
 * leaving the object unchanged.
 */
#ifndef SIPHB_FAILOVER_H
#define SIPHB_FAILOVER_H

#include <siphb/common.h>
#include <siphb/ctx.h>
#include <siphb/failover_types.h>
#include <siphb/health.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- target selection ------------------------------------------------------ */

typedef enum siphb_failback_mode {
  SIPHB_FAILBACK_AUTO = 0,   /* after failback_hold */
  SIPHB_FAILBACK_MANUAL = 1, /* only siphb_targets_switch_to() */
  SIPHB_FAILBACK_NEVER = 2
} siphb_failback_mode;

/* Most targets of one selection. */
#define SIPHB_TARGETS_MAX 64

typedef struct siphb_targets_config {
  uint32_t size;                /* set by siphb_targets_config_init() */
  uint32_t max_targets;         /* 16 (1..SIPHB_TARGETS_MAX): capacity reserved by _new */
  bool fail_on_degraded;        /* false */
  siphb_ms dwell;               /* 60000: least time on a new target */
  siphb_ms min_switch_interval; /* 30000 */
  uint32_t max_switches;        /* 6 (1..64) within switch_window */
  siphb_ms switch_window;       /* 3600000 */
  siphb_failback_mode failback; /* AUTO */
  siphb_ms failback_hold;       /* 300000 */
} siphb_targets_config;

SIPHB_EXTERN void siphb_targets_config_init(siphb_targets_config *cfg, size_t size);

typedef struct siphb_target { /* caller-filled input */
  uint32_t size;         /* siphb_target_init(&t, sizeof t) */
  uint64_t key;          /* the integrator's id, not 0; state survives _set by key */
  uint16_t priority;     /* RFC 2782: lower first */
  uint16_t weight;       /* RFC 2782: relative within a priority */
  siphb_health *health;  /* optional, on the same ctx; at most one selection each */
  void *user_data;
} siphb_target;

SIPHB_EXTERN void siphb_target_init(siphb_target *t, size_t size);

/* Returns 0 and writes *out; INVALID_ARGUMENT (a field out of range);
 * UNSUPPORTED; NOMEM. No target until siphb_targets_set(). */
SIPHB_EXTERN int siphb_targets_new(siphb_targets **out, siphb_ctx *ctx,
                                   const siphb_targets_config *cfg, void *user_data,
                                   siphb_ms now);
/* NULL accepted; the targets' monitors are unwired. */
SIPHB_EXTERN void siphb_targets_del(siphb_targets *targets);

/*
 * Replaces the list (copied; n may be 0). Targets are ordered by RFC 2782
 * with the ctx's generator; a target whose key was in the old list keeps
 * its state (held, healthy since). The current target stays current when
 * its key is still listed; otherwise the best usable one is chosen
 * (SWITCHED, cause INITIAL, outside the guards). Returns 0; LIMIT (n above
 * max_targets); INVALID_ARGUMENT (key 0 or repeated, a monitor on another
 * ctx, deleted, or wired to another selection or escalation: the list is
 * then unchanged). Allocates nothing.
 */
SIPHB_EXTERN int siphb_targets_set(siphb_targets *targets, const siphb_target *list, size_t n,
                                   siphb_ms now);

/* The state of a target without a monitor, as the integrator judged it.
 * Returns 0; NOT_FOUND; INVALID_ARGUMENT (a state or reason out of range,
 * or the target has a monitor). */
SIPHB_EXTERN int siphb_targets_observe(siphb_targets *targets, uint64_t key,
                                       siphb_health_state state, siphb_health_reason reason,
                                       siphb_ms now);

/* Not to be chosen for `duration` ms (a 503's Retry-After, RFC 3261
 * section 21.5.4); 0 lifts the hold. Returns 0 or NOT_FOUND. */
SIPHB_EXTERN int siphb_targets_hold(siphb_targets *targets, uint64_t key, siphb_ms duration,
                                    siphb_ms now);

/* The operator's switch: at once, counted by the rate limit but not
 * refused by the dwell. Returns 0; NOT_FOUND; LIMIT (max_switches within
 * switch_window reached). */
SIPHB_EXTERN int siphb_targets_switch_to(siphb_targets *targets, uint64_t key, siphb_ms now);

/* The current target (copied into *out). Returns 0, or NOT_FOUND when there
 * is none (no list, or everything exhausted from the start). */
SIPHB_EXTERN int siphb_targets_current(const siphb_targets *targets, siphb_target *out);

typedef struct siphb_targets_stats {
  uint32_t count;              /* targets listed */
  int32_t current_index;       /* -1 = none */
  uint32_t switches;           /* since creation, INITIAL not counted */
  uint32_t failbacks;
  uint32_t exhausted;          /* TARGETS_EXHAUSTED events */
  uint32_t deferred;           /* switches the guards deferred */
  uint32_t switches_in_window;
  siphb_ms next_switch_at;     /* a deferred switch, SIPHB_NEVER = none */
  uint64_t reserved_[4];
} siphb_targets_stats;

SIPHB_EXTERN int siphb_targets_get_stats(const siphb_targets *targets, siphb_targets_stats *st);
SIPHB_EXTERN void *siphb_targets_get_user_data(const siphb_targets *targets);
SIPHB_EXTERN void siphb_targets_set_user_data(siphb_targets *targets, void *user_data);

/* ---- escalation -------------------------------------------------------------- */

typedef struct siphb_escalation_config {
  uint32_t size;                     /* set by siphb_escalation_config_init() */
  siphb_ms recover_step;             /* 32000: one non-INVITE timeout (64*T1) */
  uint32_t recover_actions;          /* bits (1 << action) allowed in quiet recovery:
                                        RESET_TRANSPORT | REREGISTER | RERESOLVE */
  bool fail_on_degraded;             /* false */
  siphb_ms notify_after;             /* 120000 */
  siphb_ms alarm_after;              /* 600000 */
  siphb_ms autodial_after;           /* 900000 */
  bool alarm_enabled;                /* true */
  bool alarm_latched;                /* true: on until siphb_escalation_reset_alarm() */
  bool autodial_enabled;             /* false: a library never dials unasked */
  bool autodial_one_shot;            /* true: at most one dial per incident */
  bool zone_critical;                /* false: the zone must be marked critical to dial */
  siphb_ms autodial_cooldown;        /* 3600000: least time between two dials */
  uint32_t autodial_required_inputs; /* 0: inputs that must all be on (critical mode) */
  uint32_t autodial_blocking_inputs; /* 0: inputs any of which blocks */
} siphb_escalation_config;

SIPHB_EXTERN void siphb_escalation_config_init(siphb_escalation_config *cfg, size_t size);

/* Returns 0 and writes *out; INVALID_ARGUMENT (notify_after > alarm_after >
 * autodial_after is required in that order, recover_step > 0, a bit of
 * recover_actions beyond the three); UNSUPPORTED; NOMEM. */
SIPHB_EXTERN int siphb_escalation_new(siphb_escalation **out, siphb_ctx *ctx,
                                      const siphb_escalation_config *cfg, void *user_data,
                                      siphb_ms now);
SIPHB_EXTERN void siphb_escalation_del(siphb_escalation *esc);

/* What the escalation observes: one monitor, or a target selection (the
 * current target's monitor). NULL unwires. The observed state is taken at
 * once (an OFFLINE monitor starts an incident now). Returns 0 or
 * INVALID_ARGUMENT (another ctx, deleted, the monitor already wired to a
 * selection or escalation, the selection already observed). */
SIPHB_EXTERN int siphb_escalation_set_health(siphb_escalation *esc, siphb_health *health,
                                             siphb_ms now);
SIPHB_EXTERN int siphb_escalation_set_targets(siphb_escalation *esc, siphb_targets *targets,
                                              siphb_ms now);

/* The observed state, fed by hand (no monitor wired). Returns 0 or
 * INVALID_ARGUMENT (out of range, or something is wired). */
SIPHB_EXTERN int siphb_escalation_observe(siphb_escalation *esc, siphb_health_state state,
                                          siphb_health_reason reason, bool maintenance,
                                          siphb_ms now);

/* 32 integrator-defined inputs (critical mode, zone armed, ...). Returns 0. */
SIPHB_EXTERN int siphb_escalation_set_inputs(siphb_escalation *esc, uint32_t inputs,
                                             siphb_ms now);

/* Ends a latched alarm (ALARM_OFF) once the incident is over; during an
 * incident the alarm stays on. Returns 0 (nothing to do is no error). */
SIPHB_EXTERN int siphb_escalation_reset_alarm(siphb_escalation *esc, siphb_ms now);

SIPHB_EXTERN siphb_escalation_stage siphb_escalation_get_stage(const siphb_escalation *esc);

typedef struct siphb_escalation_stats {
  siphb_escalation_stage stage;
  siphb_health_reason reason;
  bool alarm_on, alarm_latched, autodial_spent, maintenance;
  uint32_t incidents, dials, blocked_dials;
  siphb_ms incident_start;   /* SIPHB_NEVER = none */
  siphb_ms last_dial_at;     /* SIPHB_NEVER = never */
  uint64_t reserved_[4];
} siphb_escalation_stats;

SIPHB_EXTERN int siphb_escalation_get_stats(const siphb_escalation *esc,
                                            siphb_escalation_stats *st);
SIPHB_EXTERN void *siphb_escalation_get_user_data(const siphb_escalation *esc);
SIPHB_EXTERN void siphb_escalation_set_user_data(siphb_escalation *esc, void *user_data);

/* ---- snapshots ------------------------------------------------------------------ */


/*
 * Writes the durable state into buf[0..cap): returns its length, or NOBUF
 * (with the size needed in siphb_error_info.need, when err is not NULL),
 * INVALID_ARGUMENT. Restoring: 0, or SNAPSHOT_VERSION, SNAPSHOT_KIND,
 * SNAPSHOT_CORRUPT, INVALID_ARGUMENT (the snapshot's current target is not
 * listed; an escalation in an incident); the object is then unchanged.
 *   health (siphb_health_save(), siphb/health.h): manual maintenance
 *           (remaining) and the disabled flag;
 *   targets: the current target's key, dwell and failback-hold remaining,
 *            the switches within the window (their ages);
 *   escalation: latched alarm, auto-dial spent in the current incident,
 *               cooldown remaining, the incident's age.
 */
SIPHB_EXTERN siphb_ssize siphb_targets_save(const siphb_targets *targets, uint8_t *buf,
                                            size_t cap, siphb_error_info *err, siphb_ms now);
SIPHB_EXTERN int siphb_targets_restore(siphb_targets *targets, const uint8_t *buf, size_t len,
                                       siphb_ms now);
SIPHB_EXTERN siphb_ssize siphb_escalation_save(const siphb_escalation *esc, uint8_t *buf,
                                               size_t cap, siphb_error_info *err, siphb_ms now);
SIPHB_EXTERN int siphb_escalation_restore(siphb_escalation *esc, const uint8_t *buf, size_t len,
                                          siphb_ms now);

/* Names for the export and the tool: "next-target", "recovering",
 * "reset-transport", ...; "?" out of range. */
SIPHB_EXTERN const char *siphb_switch_cause_name(siphb_switch_cause cause);
SIPHB_EXTERN const char *siphb_escalation_stage_name(siphb_escalation_stage stage);
SIPHB_EXTERN const char *siphb_escalation_action_name(siphb_escalation_action action);

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_FAILOVER_H */
