/*
 * siphb/session_types.h - the types of the session timer's events
 * (siphb/session.h): declarations only, gathered by siphb/event.h.
 */
#ifndef SIPHB_SESSION_TYPES_H
#define SIPHB_SESSION_TYPES_H

#include <siphb/common.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct siphb_session siphb_session;

typedef enum siphb_session_state {
  SIPHB_SESSION_STATE_STOPPED = 0, /* new, stopped, or ended */
  SIPHB_SESSION_STATE_RUNNING = 1, /* a timer runs (or only a hard limit) */
  SIPHB_SESSION_STATE_EXPIRED = 2  /* EXPIRED or HARD_LIMIT reported */
} siphb_session_state;

typedef enum siphb_session_reason {
  SIPHB_SESSION_REASON_SCHEDULED = 0,      /* REFRESH_DUE at its point */
  SIPHB_SESSION_REASON_RETRY = 1,          /* REFRESH_DUE again after a failed refresh */
  SIPHB_SESSION_REASON_NOT_REFRESHED = 2,  /* EXPIRED: no refresh came (or got a 2xx) */
  SIPHB_SESSION_REASON_REFRESH_FAILED = 3, /* EXPIRED: 408, 481 or no response */
  SIPHB_SESSION_REASON_HARD_LIMIT = 4      /* HARD_LIMIT: the call lasted its maximum */
} siphb_session_reason;

/* How the refresher should refresh. */
typedef enum siphb_session_method {
  SIPHB_SESSION_METHOD_REINVITE = 0, /* a re-INVITE with the current SDP */
  SIPHB_SESSION_METHOD_UPDATE = 1    /* UPDATE (RFC 3311), no body needed */
} siphb_session_method;

/* Payload of SIPHB_EVENT_SESSION_* (siphb_event.u.session). */
typedef struct siphb_event_session { /* LP64 offsets */
  siphb_session_reason reason;       /*  0 */
  siphb_session_method method;       /*  4: for REFRESH_DUE */
  uint32_t interval_s;               /*  8: the interval in force */
  uint32_t refresh_number;           /* 12: REFRESH_DUE: 1.. since the last success */
  bool local_refresher;              /* 16 */
  bool timer_active;                 /* 17: false: only hard limits run */
  siphb_ms last_refresh;             /* 24: the start or the last successful refresh */
  siphb_ms expire_at;                /* 32: SIPHB_NEVER: no timer */
  siphb_ms hard_limit_at;            /* 40: SIPHB_NEVER: off */
  siphb_ms next_refresh_at;          /* 48: after this event; SIPHB_NEVER: none */
} siphb_event_session;               /* 56 bytes on LP64 */

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_SESSION_TYPES_H */
