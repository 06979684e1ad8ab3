/*
 * siphb/reg_types.h - the types of the REGISTER timing object's events
 * (siphb/reg.h): declarations only, gathered by siphb/event.h.
 */
#ifndef SIPHB_REG_TYPES_H
#define SIPHB_REG_TYPES_H

#include <siphb/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Where a registration is. */
typedef enum siphb_reg_state {
  SIPHB_REG_STATE_STOPPED = 0,
  SIPHB_REG_STATE_DUE = 1,        /* REFRESH_DUE reported: send REGISTER, then siphb_reg_sent() */
  SIPHB_REG_STATE_PENDING = 2,    /* a REGISTER is out, its final response awaited */
  SIPHB_REG_STATE_REGISTERED = 3, /* the binding holds until expires_at; refresh at refresh_at */
  SIPHB_REG_STATE_RETRY_WAIT = 4  /* a failure: REFRESH_DUE again at retry_at */
} siphb_reg_state;

/* Why an event came. */
typedef enum siphb_reg_reason {
  SIPHB_REG_REASON_NONE = 0,
  SIPHB_REG_REASON_INITIAL = 1,         /* the first REGISTER after siphb_reg_start() */
  SIPHB_REG_REASON_SCHEDULED = 2,       /* the refresh point of a binding */
  SIPHB_REG_REASON_RETRY = 3,           /* the back-off after a failure is over */
  SIPHB_REG_REASON_MIN_EXPIRES = 4,     /* a 423: again at once with Min-Expires */
  SIPHB_REG_REASON_REJECTED = 5,        /* a final response that is no success */
  SIPHB_REG_REASON_AUTH = 6,            /* more 401/407 in a row than max_auth_challenges */
  SIPHB_REG_REASON_TIMEOUT = 7,         /* no final response within response_timeout, or a
                                           408 the stack made up */
  SIPHB_REG_REASON_BINDING_MISSING = 8  /* a 2xx without our Contact */
} siphb_reg_reason;

/* Payload of the SIPHB_EVENT_REG_* events (siphb_event.u.reg). */
typedef struct siphb_event_reg {
  siphb_reg_state state;   /* after the event */
  siphb_reg_reason reason;
  uint32_t status;         /* the final status of the result; 0 for REFRESH_DUE */
  uint32_t expires_s;      /* REFRESH_DUE: to ask for; REGISTERED: granted */
  uint32_t min_expires_s;  /* of a 423 */
  uint32_t flow_timer_s;   /* of the 2xx (RFC 5626 section 10); 0 = none */
  uint32_t consecutive_failures;
  bool bound;              /* a binding is believed to exist at the registrar */
  bool outbound;           /* the 2xx carried Require: outbound */
  bool local;              /* the result was made up by the stack, not received */
  siphb_ms expires_at;     /* when the binding ends; 0 = none */
  siphb_ms refresh_at;     /* when REFRESH_DUE comes for it; 0 = none */
  siphb_ms retry_at;       /* FAILED: when REFRESH_DUE comes; 0 = none */
} siphb_event_reg;

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_REG_TYPES_H */
