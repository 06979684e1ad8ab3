/*
 * siphb/event.h - the event every siphb object reports through the ctx's
 * `event` callback.
 *
 * One struct for all objects: a type, the reporting object, two times, and a
 * payload union whose member is chosen by `type`. The union reserves 192
 * bytes so that later modules add members without changing the struct's size
 * or layout. Payload pointers (siphb_str, arrays) are valid only during the
 * callback. Each module declares its payload types in its own
 * siphb/<module>_types.h, included here.
 */
#ifndef SIPHB_EVENT_H
#define SIPHB_EVENT_H

#include <siphb/common.h>
#include <siphb/failover_types.h>
#include <siphb/flow_types.h>
#include <siphb/health_types.h>
#include <siphb/probe_types.h>
#include <siphb/reg_types.h>
#include <siphb/session_types.h>
#include <siphb/timer_types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Event types. Each object kind owns a block of 100 values so that modules
 * can add types without renumbering: 1-99 ctx and timer, 100-199 probe,
 * 200-299 flow, 300-399 reg, 400-499 pacer, 500-599 health, 600-699
 * failover, 700-799 session. */
typedef enum siphb_event_type {
  SIPHB_EVENT_NONE = 0,
  SIPHB_EVENT_TIMER = 1,         /* a siphb_timer fired: payload u.timer */
  SIPHB_EVENT_PROBE_RESULT = 100, /* a probe round ended: payload u.probe */
  SIPHB_EVENT_FLOW_ALIVE = 200,       /* siphb/flow.h; payload u.flow for 200-205 */
  SIPHB_EVENT_FLOW_FAILED = 201,
  SIPHB_EVENT_FLOW_RECOVER_DUE = 202,
  SIPHB_EVENT_FLOW_RECOVERED = 203,
  SIPHB_EVENT_FLOW_MAPPED_ADDRESS = 204,
  SIPHB_EVENT_FLOW_INTERVAL = 205,
  SIPHB_EVENT_REG_REFRESH_DUE = 300, /* siphb/reg.h; payload u.reg for 300-304 */
  SIPHB_EVENT_REG_REGISTERED = 301,
  SIPHB_EVENT_REG_FAILED = 302,
  SIPHB_EVENT_REG_EXPIRED = 303,
  SIPHB_EVENT_REG_UNREGISTERED = 304,
  SIPHB_EVENT_HEALTH_CHANGED = 500,       /* siphb/health.h; payload u.health for 500-504 */
  SIPHB_EVENT_HEALTH_LAYER_CHANGED = 501,
  SIPHB_EVENT_HEALTH_FLAPPING = 502,
  SIPHB_EVENT_HEALTH_MAINTENANCE = 503,
  SIPHB_EVENT_HEALTH_ALARM = 504,
  SIPHB_EVENT_TARGETS_SWITCHED = 600,  /* siphb/failover.h; payload u.targets */
  SIPHB_EVENT_TARGETS_EXHAUSTED = 601,
  SIPHB_EVENT_ESCALATION_ACTION = 650, /* payload u.escalation for 650-654 */
  SIPHB_EVENT_ESCALATION_STAGE = 651,
  SIPHB_EVENT_ESCALATION_AUTODIAL = 652,
  SIPHB_EVENT_ESCALATION_AUTODIAL_BLOCKED = 653,
  SIPHB_EVENT_ESCALATION_RESOLVED = 654,
  SIPHB_EVENT_SESSION_REFRESH_DUE = 700, /* siphb/session.h; payload u.session */
  SIPHB_EVENT_SESSION_EXPIRED = 701,
  SIPHB_EVENT_SESSION_HARD_LIMIT = 702
} siphb_event_type;

typedef struct siphb_event {
  siphb_event_type type;
  siphb_object_kind object_kind;
  void *object;           /* the reporting object, e.g. (siphb_timer *) */
  void *object_user_data; /* that object's user pointer */
  siphb_ms now;           /* the `now` of the call that produced the event */
  siphb_ms due;           /* when the event was due; < now when advance was late */
  union {
    siphb_event_timer timer;
    siphb_event_probe probe;
    siphb_event_flow flow;
    siphb_event_reg reg;
    siphb_event_health health;
    siphb_event_targets targets;
    siphb_event_escalation escalation;
    siphb_event_session session;
    uint64_t reserved_[24]; /* keeps sizeof(siphb_event) stable as members are added */
  } u;
} siphb_event;

/* The enum name of an event type ("SIPHB_EVENT_TIMER"); never NULL. */
SIPHB_EXTERN const char *siphb_event_type_name(siphb_event_type type);

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_EVENT_H */
