/*
 * siphb/failover_types.h - the types of the failover objects' events
 * (siphb/failover.h): the target selection (siphb_targets) and the
 * escalation (siphb_escalation). Declarations only, gathered by
 * siphb/event.h.
 */
#ifndef SIPHB_FAILOVER_TYPES_H
#define SIPHB_FAILOVER_TYPES_H

#include <siphb/common.h>
#include <siphb/health_types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct siphb_targets siphb_targets;
typedef struct siphb_escalation siphb_escalation;

/* Why the target selection changed its current target. */
typedef enum siphb_switch_cause {
  SIPHB_SWITCH_NEXT_TARGET = 0, /* the current one failed (or the first choice) */
  SIPHB_SWITCH_FAILBACK = 1,    /* a better one has been healthy for failback_hold */
  SIPHB_SWITCH_MANUAL = 2,      /* siphb_targets_switch_to() */
  SIPHB_SWITCH_INITIAL = 3      /* the first target of a new list */
} siphb_switch_cause;

/* Payload of SIPHB_EVENT_TARGETS_SWITCHED and _EXHAUSTED (u.targets). */
typedef struct siphb_event_targets {  /* LP64 offsets */
  siphb_switch_cause cause;           /*  0 */
  siphb_health_reason reason;         /*  4: why the old target was left */
  int32_t from_index, to_index;       /*  8, 12: in the ordered list; -1 = none */
  uint32_t switches_in_window;        /* 16: switches within switch_window, this one included */
  siphb_health_state to_state;        /* 20: the new target's state */
  uint64_t from_key, to_key;          /* 24, 32: 0 = none */
  void *to_user_data;                 /* 40 */
  siphb_ms next_switch_at;            /* 48: a switch deferred by the rate limit;
                                         SIPHB_NEVER = none */
} siphb_event_targets;                /* 56 bytes on LP64 */

typedef enum siphb_escalation_stage {
  SIPHB_ESCALATION_STAGE_NORMAL = 0,     /* no incident */
  SIPHB_ESCALATION_STAGE_RECOVERING = 1, /* quiet recovery: no operator noise */
  SIPHB_ESCALATION_STAGE_NOTIFIED = 2,
  SIPHB_ESCALATION_STAGE_ALARM = 3,      /* the local alarm (relay, beacon, audible) */
  SIPHB_ESCALATION_STAGE_AUTODIAL = 4
} siphb_escalation_stage;

/* What the integrator is asked to do (SIPHB_EVENT_ESCALATION_ACTION). */
typedef enum siphb_escalation_action {
  SIPHB_ESCALATION_ACTION_NONE = 0,
  SIPHB_ESCALATION_ACTION_RESET_TRANSPORT = 1, /* close and reopen the connection */
  SIPHB_ESCALATION_ACTION_REREGISTER = 2,
  SIPHB_ESCALATION_ACTION_RERESOLVE = 3,       /* DNS again (RFC 3263) */
  SIPHB_ESCALATION_ACTION_NOTIFY = 4,          /* tell the operator */
  SIPHB_ESCALATION_ACTION_NOTIFY_CLEAR = 5,
  SIPHB_ESCALATION_ACTION_ALARM_ON = 6,        /* the local alarm output on */
  SIPHB_ESCALATION_ACTION_ALARM_OFF = 7,
  SIPHB_ESCALATION_ACTION_AUTODIAL = 8         /* dial the configured number now */
} siphb_escalation_action;

/* The gates of auto-dial: bits of `blocked`, each one closed. */
typedef enum siphb_escalation_gate {
  SIPHB_ESCALATION_GATE_DISABLED = 1,        /* autodial_enabled false */
  SIPHB_ESCALATION_GATE_MAINTENANCE = 2,
  SIPHB_ESCALATION_GATE_COOLDOWN = 4,        /* dialled less than autodial_cooldown ago */
  SIPHB_ESCALATION_GATE_ONE_SHOT = 8,        /* already dialled in this incident */
  SIPHB_ESCALATION_GATE_REQUIRED_INPUT = 16, /* a required input (critical mode) is off */
  SIPHB_ESCALATION_GATE_BLOCKING_INPUT = 32, /* a blocking input is on */
  SIPHB_ESCALATION_GATE_ZONE = 64            /* the zone is not marked critical */
} siphb_escalation_gate;

/* Payload of SIPHB_EVENT_ESCALATION_* (u.escalation). */
typedef struct siphb_event_escalation {  /* LP64 offsets */
  siphb_escalation_stage stage;          /*  0: after the event */
  siphb_escalation_stage old_stage;      /*  4 */
  siphb_escalation_action action;        /*  8: ACTION and AUTODIAL; else NONE */
  siphb_health_reason reason;            /* 12: why the incident started */
  uint32_t blocked;                      /* 16: AUTODIAL_BLOCKED: the closed gates */
  uint32_t inputs;                       /* 20: the integrator's inputs */
  bool alarm_on, alarm_latched;          /* 24, 25: the local alarm after the event */
  bool maintenance, link_down;           /* 26, 27: link_down: no proxy-side recovery */
  siphb_ms incident_start;               /* 32: SIPHB_NEVER = no incident */
  siphb_ms next_stage_at;                /* 40: SIPHB_NEVER = none */
} siphb_event_escalation;                /* 48 bytes on LP64 */

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_FAILOVER_TYPES_H */
