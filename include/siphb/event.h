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
#include <siphb/flow_types.h>
#include <siphb/probe_types.h>
#include <siphb/reg_types.h>
#include <siphb/timer_types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What kind of object reported an event or asked for a send. */
typedef enum siphb_object_kind {
  SIPHB_OBJECT_CTX = 0,
  SIPHB_OBJECT_TIMER = 1,
  SIPHB_OBJECT_PROBE = 2,    /* SIP OPTIONS reachability (siphb/probe.h) */
  SIPHB_OBJECT_FLOW = 3,     /* RFC 5626 flow keepalive (siphb/flow.h) */
  SIPHB_OBJECT_REG = 4,      /* REGISTER refresh timing (siphb/reg.h) */
  SIPHB_OBJECT_PACER = 5,    /* planned: server-side mass keepalive */
  SIPHB_OBJECT_HEALTH = 6,   /* planned: health state machine */
  SIPHB_OBJECT_FAILOVER = 7, /* planned: failover policy */
  SIPHB_OBJECT_SESSION = 8,  /* planned: RFC 4028 session timer */
  SIPHB_OBJECT_RESPONDER = 9 /* answers OPTIONS and CRLF pings (siphb/responder.h) */
} siphb_object_kind;

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
  SIPHB_EVENT_REG_UNREGISTERED = 304
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
    uint64_t reserved_[24]; /* keeps sizeof(siphb_event) stable as members are added */
  } u;
} siphb_event;

/* The enum name of an event type ("SIPHB_EVENT_TIMER"); never NULL. */
SIPHB_EXTERN const char *siphb_event_type_name(siphb_event_type type);

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_EVENT_H */
