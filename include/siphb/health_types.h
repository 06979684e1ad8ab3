/*
 * siphb/health_types.h - the types of the health monitor's events
 * (siphb/health.h): declarations only, gathered by siphb/event.h.
 */
#ifndef SIPHB_HEALTH_TYPES_H
#define SIPHB_HEALTH_TYPES_H

#include <siphb/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A health monitor (siphb/health.h); declared here so that the sources'
 * headers can name it in their setters. */
typedef struct siphb_health siphb_health;

/* The judgement on one layer, or on the whole endpoint (the worst layer).
 * The order is the order of badness: a larger value is worse. */
typedef enum siphb_health_state {
  SIPHB_HEALTH_STATE_UNKNOWN = 0,  /* nothing observed yet (or reset, or disabled) */
  SIPHB_HEALTH_STATE_HEALTHY = 1,
  SIPHB_HEALTH_STATE_DEGRADED = 2, /* a few failures in a row: not yet confirmed */
  SIPHB_HEALTH_STATE_OFFLINE = 3   /* failure confirmed (k of n and lasting) */
} siphb_health_state;

/* The layers, bottom to top. A failing lower layer is the root cause of
 * the failures above it: the overall reason comes from the lowest layer
 * in the worst state ("link down", not "proxy unreachable"). */
typedef enum siphb_health_layer {
  SIPHB_HEALTH_LAYER_LINK = 0,         /* link, power, address (DHCP) */
  SIPHB_HEALTH_LAYER_TRANSPORT = 1,    /* the flow: TCP/TLS connection, keepalive pongs */
  SIPHB_HEALTH_LAYER_SIP = 2,          /* SIP reachability: OPTIONS answered */
  SIPHB_HEALTH_LAYER_REGISTRATION = 3, /* bound at the registrar */
  SIPHB_HEALTH_LAYER_MEDIA = 4,        /* media quality: estimated MOS, loss */
  SIPHB_HEALTH_LAYER_COUNT = 5
} siphb_health_layer;

/* One observation of one layer. */
typedef enum siphb_health_obs {
  SIPHB_HEALTH_OBS_SUCCESS = 0,  /* it worked */
  SIPHB_HEALTH_OBS_DEGRADED = 1, /* it worked, poorly: counts toward DEGRADED, never
                                    toward OFFLINE, and is no success for recovery */
  SIPHB_HEALTH_OBS_MISS = 2,     /* it failed (a timeout, a refusal): a soft failure
                                    that OFFLINE needs k of n of, over time */
  SIPHB_HEALTH_OBS_FAILURE = 3   /* a failure its source has confirmed (the OS says
                                    the link is down; RFC 5626 section 4.4.1 fails a
                                    flow on one missing pong): OFFLINE at once */
} siphb_health_obs;

/* Why a layer or the endpoint is in its state. */
typedef enum siphb_health_reason {
  SIPHB_HEALTH_REASON_NONE = 0,
  SIPHB_HEALTH_REASON_LINK_DOWN = 1,
  SIPHB_HEALTH_REASON_TRANSPORT_FAILED = 2, /* connection lost, pong missing */
  SIPHB_HEALTH_REASON_SEND_FAILED = 3,      /* the send callback refused */
  SIPHB_HEALTH_REASON_SIP_TIMEOUT = 4,      /* proxy unreachable: no answer, or a 408 */
  SIPHB_HEALTH_REASON_SIP_OVERLOAD = 5,     /* proxy overloaded: 503 */
  SIPHB_HEALTH_REASON_SIP_REJECTED = 6,     /* another final response counted as failure */
  SIPHB_HEALTH_REASON_REG_FAILED = 7,
  SIPHB_HEALTH_REASON_REG_AUTH = 8,         /* auth failure: 401/403 persisting */
  SIPHB_HEALTH_REASON_REG_EXPIRED = 9,      /* not registered: the binding ran out */
  SIPHB_HEALTH_REASON_MEDIA_POOR = 10,      /* estimated MOS below the threshold */
  SIPHB_HEALTH_REASON_STALE = 11,           /* no observation within stale_after */
  SIPHB_HEALTH_REASON_MAPPED_CHANGED = 12,  /* the NAT mapping changed (RFC 5626 4.4.1) */
  SIPHB_HEALTH_REASON_MANUAL = 13,          /* reset or disabled by the operator */
  SIPHB_HEALTH_REASON_NO_ADDRESS = 14,      /* no DHCP lease, no address */
  SIPHB_HEALTH_REASON_MAINTENANCE = 15,     /* an alarm withdrawn for a maintenance window */
  SIPHB_HEALTH_REASON_MEDIA_LOSS = 16,      /* packet loss above the threshold */
  SIPHB_HEALTH_REASON_COUNT = 17
} siphb_health_reason;

/* "No metric" for an observation (siphb_health_observe) and in events. */
#define SIPHB_HEALTH_NO_METRIC UINT32_MAX

/* Payload of the SIPHB_EVENT_HEALTH_* events (siphb_event.u.health). The
 * same fields for all five: `state`/`old_state` are the endpoint's for
 * HEALTH_CHANGED and the layer's for HEALTH_LAYER_CHANGED; the flags say
 * what the other three are about. */
typedef struct siphb_event_health {      /* LP64 offsets */
  siphb_health_state state;              /*  0 */
  siphb_health_state old_state;          /*  4 */
  siphb_health_layer layer;              /*  8: the changed layer, or the root-cause layer */
  siphb_health_reason reason;            /* 12 */
  siphb_health_state layers[SIPHB_HEALTH_LAYER_COUNT]; /* 16: every layer after it */
  uint32_t failures;                     /* 36: failures among that layer's last `down_n` */
  uint32_t observations;                 /* 40: observations in that window (<= down_n) */
  uint32_t consecutive;                  /* 44: failures (or successes) in a row there */
  uint32_t metric;                       /* 48: of the observation that caused it, or
                                              SIPHB_HEALTH_NO_METRIC */
  uint32_t changes_in_window;            /* 52: state changes within flap_window */
  bool maintenance;                      /* 56: inside a maintenance window */
  bool flapping;                         /* 57: flap damping holds the worse state */
  bool alarm;                            /* 58: the alarm is raised (after the event) */
  bool alarm_suppressed;                 /* 59: an alarm is due but maintenance holds it */
  siphb_object_kind source_kind;         /* 60: the object whose observation caused it */
  const void *source;                    /* 64: that object; NULL for the integrator's
                                              own calls and for timers */
  siphb_ms since;                        /* 72: when the previous state began */
  siphb_ms first_failure_at;             /* 80: start of the failure run; SIPHB_NEVER = none */
  siphb_ms maintenance_until;            /* 88: end of the current window; SIPHB_NEVER =
                                              open-ended, 0 = not in one */
} siphb_event_health;                    /* 96 bytes on LP64 */

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_HEALTH_TYPES_H */
