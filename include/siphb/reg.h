/*
 * siphb/reg.h - REGISTER refresh timing: when to register, refresh and
 * retry, and what the registrar's answers mean for the binding. The
 * integrator's SIP stack sends REGISTER and runs its transaction (RFC 3261
 * section 10.2); the reg object tells it when (SIPHB_EVENT_REG_REFRESH_DUE,
 * with the expiry to ask for), learns what was sent (siphb_reg_sent()) and
 * what came back (siphb_reg_on_result(), or the raw or parsed response).
 *
 * The refresh point (the RFC gives none, section 10.2.1.1):
 *   sent_at + granted - max(refresh_margin_min, margin * granted)
 *           - uniform[0, jitter * granted],
 * or sent_at + granted/2 when granted is at most twice the margin; sent_at
 * is when the REGISTER left, a conservative anchor (the registrar starts
 * its clock later). A failure waits the RFC 5626 section 4.5 back-off
 * (retry_base doubled per failure in a row, at most retry_max, a uniform
 * share of 50-100 % of it) or the response's Retry-After, whichever is
 * later; Retry-After: 0 means at once. A 423 asks again at once with
 * Min-Expires (section 10.3), a bounded number of times; a 401 or 407 is
 * answered by the stack, and only more of them in a row than
 * max_auth_challenges count as a failure.
 *
 * Events (300-399), every one with a siphb_event_reg payload:
 *   SIPHB_EVENT_REG_REFRESH_DUE   send REGISTER now, asking u.reg.expires_s
 *   SIPHB_EVENT_REG_REGISTERED    the binding holds until u.reg.expires_at
 *   SIPHB_EVENT_REG_FAILED        u.reg.reason; REFRESH_DUE comes at retry_at
 *   SIPHB_EVENT_REG_EXPIRED       expires_at passed without a refresh
 *   SIPHB_EVENT_REG_UNREGISTERED  a REGISTER with expires 0 succeeded; stopped
 */
#ifndef SIPHB_REG_H
#define SIPHB_REG_H

#include <siphb/common.h>
#include <siphb/ctx.h>
#include <siphb/health_types.h>
#include <siphb/reg_types.h>
#include <siphb/sip.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct siphb_reg siphb_reg;

/* Configuration. Fill with siphb_reg_config_init(&cfg, sizeof cfg); strings
 * are copied by siphb_reg_new(). */
typedef struct siphb_reg_config {
  uint32_t size;                    /* set by siphb_reg_config_init() */
  uint32_t expires_s;               /* 3600: RFC 3261's fallback (sections 10.2.1.1, 10.2.4) */
  siphb_ms refresh_margin_min;      /* 32000 = 64*T1: a refresh that runs into Timer F
                                       still ends before the expiry (section 17.1.2.2) */
  uint32_t refresh_margin_permille; /* 100 */
  uint32_t refresh_jitter_permille; /* 50 */
  siphb_ms retry_base, retry_max;   /* 30000, 1800000 (RFC 5626 section 4.5) */
  uint32_t max_min_expires_retries; /* 3: a 423 loop guard (section 10.3) */
  uint32_t max_auth_challenges;     /* 2: more 401/407 in a row without a 2xx fail */
  siphb_ms response_timeout;        /* 0: none (the stack reports its own 408) */
  siphb_str contact;                /* our Contact URI, to find our binding in a 2xx */
  siphb_str instance_id;            /* "<urn:uuid:...>", matched first (RFC 5626 section 4.1) */
} siphb_reg_config;

SIPHB_EXTERN void siphb_reg_config_init(siphb_reg_config *cfg, size_t size);

/* A final response as the stack saw it. Fill with siphb_reg_result_init()
 * (common.h: how the struct grows). */
typedef struct siphb_reg_result {
  uint32_t size;            /* set by siphb_reg_result_init() */
  uint32_t status;          /* 200-699; a 408 or 503 the stack made up for a timeout
                               or a transport error (RFC 3261 section 8.1.3.1) */
  bool has_expires;         /* our binding's expiry is known: */
  uint32_t expires_s;       /*   its Contact ;expires, else the Expires header */
  uint32_t min_expires_s;   /* of a 423; 0 = none */
  bool has_retry_after;
  uint32_t retry_after_s;   /* section 20.33 */
  uint32_t flow_timer_s;    /* RFC 5626 section 10; 0 = none */
  bool outbound;            /* "Require: outbound" in the 2xx */
  bool local;               /* made up by the stack, not received */
} siphb_reg_result;

SIPHB_EXTERN void siphb_reg_result_init(siphb_reg_result *res, size_t size);

/* Statistics. Caller-allocated; siphb zeroes reserved_ (common.h). */
typedef struct siphb_reg_stats {
  uint64_t registers;      /* REGISTERs reported sent */
  uint64_t registered;     /* 2xx with our binding */
  uint64_t failures;       /* FAILED events */
  uint64_t min_expires;    /* 423s followed */
  uint64_t challenges;     /* 401/407 passed on to the stack */
  uint64_t expirations;    /* EXPIRED events */
  uint32_t consecutive_failures;
  uint32_t granted_s;      /* of the last binding */
  siphb_ms expires_at;     /* 0 = no binding */
  uint64_t reserved_[4];   /* zeroed; later fields are carved from here */
} siphb_reg_stats;

/* Creates a stopped reg. cfg NULL means the defaults (no Contact: a 2xx's
 * only Contact is taken as ours). Returns 0, SIPHB_ERR_INVALID_ARGUMENT (a
 * NULL pointer, a value out of range, a text with CR, LF or NUL),
 * SIPHB_ERR_UNSUPPORTED (a config field this library does not know),
 * SIPHB_ERR_INVALID_STATE (the ctx is being deleted), SIPHB_ERR_NOMEM. */
SIPHB_EXTERN int siphb_reg_new(siphb_reg **out, siphb_ctx *ctx, const siphb_reg_config *cfg,
                               void *user_data, siphb_ms now);
SIPHB_EXTERN void siphb_reg_del(siphb_reg *reg);

/* REFRESH_DUE (reason INITIAL) at the next advance; a running reg is left
 * as it is. Returns 0 or SIPHB_ERR_INVALID_ARGUMENT. */
SIPHB_EXTERN int siphb_reg_start(siphb_reg *reg, siphb_ms now);
/* No more events; the binding is forgotten. Returns 0 or INVALID_ARGUMENT. */
SIPHB_EXTERN int siphb_reg_stop(siphb_reg *reg, siphb_ms now);

/* A REGISTER asking expires_s (0 = remove the binding) just went out.
 * Returns 0, SIPHB_ERR_INVALID_ARGUMENT, SIPHB_ERR_INVALID_STATE (stopped). */
SIPHB_EXTERN int siphb_reg_sent(siphb_reg *reg, uint32_t expires_s, siphb_ms now);

/* The final response to the REGISTER reported sent. Returns 0,
 * SIPHB_ERR_INVALID_ARGUMENT (NULL, never initialised, status outside
 * 200-699), SIPHB_ERR_UNSUPPORTED (a result field this library does not
 * know), SIPHB_ERR_INVALID_STATE (nothing sent), SIPHB_ERR_CALLBACK_FAILURE. */
SIPHB_EXTERN int siphb_reg_on_result(siphb_reg *reg, const siphb_reg_result *res, siphb_ms now);

/* The same from the response's bytes (parsed with siphb_sip_parse) or from
 * a response already parsed. Our binding is the Contact whose
 * +sip.instance equals instance_id, else the one whose URI equals contact
 * byte for byte, else the only Contact. Returns what siphb_reg_on_result()
 * returns, or the parser's SIPHB_ERR_SIP_* for bytes that do not parse
 * (the reg unchanged), or SIPHB_ERR_INVALID_ARGUMENT for a request. */
SIPHB_EXTERN int siphb_reg_on_response(siphb_reg *reg, const uint8_t *data, size_t len,
                                       siphb_ms now);
SIPHB_EXTERN int siphb_reg_on_parsed(siphb_reg *reg, const siphb_sip_msg *msg, siphb_ms now);

SIPHB_EXTERN siphb_reg_state siphb_reg_get_state(const siphb_reg *reg);
/* When the binding ends; 0 without one. */
SIPHB_EXTERN siphb_ms siphb_reg_expires_at(const siphb_reg *reg);
SIPHB_EXTERN int siphb_reg_get_stats(const siphb_reg *reg, siphb_reg_stats *st);
/*
 * Wires the reg to a health monitor on the same ctx: from now on each of
 * its results (REGISTERED, FAILED, EXPIRED) is also an observation of the monitor's REGISTRATION layer
 * (docs/API-PLAN.md section 12), delivered right after the reg's own event
 * returns. A second call moves the wiring; health NULL removes it; deleting
 * either side removes it too. Returns 0 or INVALID_ARGUMENT (NULL reg, a
 * monitor deleted or on another ctx; the wiring is then unchanged).
 */
SIPHB_EXTERN int siphb_reg_set_health(siphb_reg *reg, siphb_health *health);

SIPHB_EXTERN void *siphb_reg_get_user_data(const siphb_reg *reg);
SIPHB_EXTERN void siphb_reg_set_user_data(siphb_reg *reg, void *user_data);

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_REG_H */
