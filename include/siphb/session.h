/*
 * siphb/session.h - the RFC 4028 session timer of one dialog, on a ctx: it
 * says when the refresher refreshes and when a dialog nobody refreshed
 * must be hung up. The dialog itself is the integrator's stack's: siphb
 * sends nothing; the negotiation is siphb/st.h.
 *
 * Started from a negotiated result (siphb_st_result: the interval, who
 * refreshes). From each successful refresh (the start, then every
 * siphb_session_refreshed()):
 *   - RFC mode (segments 0, the default): the refresher gets REFRESH_DUE at
 *     half the interval (RFC 4028 section 10); a refresh that failed with
 *     another code than 408 or 481 (491, 5xx) is tried once more, halfway
 *     to the expiry if that is at least 1 s away;
 *   - segment mode (segments S = 2..10, as softswitches offer it): the
 *     interval is divided into S segments and the refresher gets
 *     REFRESH_DUE at each segment boundary, 1..S-1, until one refresh
 *     succeeds; all of them failing is the end;
 *   - EXPIRED (send BYE) when no refresh succeeded in time: for the side
 *     that does not refresh at interval - min(32 s, interval /
 *     bye_margin_divisor) (section 10), for the refresher at the interval's
 *     end (its last refresh got no 2xx), each plus `grace`;
 *   - a refresh that failed with 408 or 481 (section 10: the dialog is gone)
 *     is EXPIRED at once.
 * Hard limits: `max_duration` for every call (0 = off) and
 * `max_duration_no_timer` for a call with no session timer (the endpoint
 * does not support it): HARD_LIMIT (send BYE) that long after the start.
 *
 * Events (payload u.session): SESSION_REFRESH_DUE (700), SESSION_EXPIRED
 * (701), SESSION_HARD_LIMIT (702). After EXPIRED or HARD_LIMIT the session
 * is stopped.
 */
#ifndef SIPHB_SESSION_H
#define SIPHB_SESSION_H

#include <siphb/common.h>
#include <siphb/ctx.h>
#include <siphb/session_types.h>
#include <siphb/st.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct siphb_session_config {
  uint32_t size;                  /* set by siphb_session_config_init() */
  uint32_t segments;              /* 0: RFC mode; 2..10: segment mode (above) */
  uint32_t bye_margin_divisor;    /* 3 (section 10); e.g. 10 for stacks that wait longer */
  siphb_ms grace;                 /* 0: more time before EXPIRED */
  siphb_ms max_duration_no_timer; /* 7200000 (2 h): a call without a session timer;
                                     0 = off */
  siphb_ms max_duration;          /* 0 = off: every call */
  bool prefer_update;             /* true: REFRESH_DUE hints UPDATE when the peer
                                     allows it (RFC 3311), else re-INVITE */
} siphb_session_config;

SIPHB_EXTERN void siphb_session_config_init(siphb_session_config *cfg, size_t size);

/* A new, stopped session. Returns 0 and writes *out; INVALID_ARGUMENT (a
 * field out of range: segments 1 or above 10, bye_margin_divisor 0 or above
 * 100, a duration above 2^32 ms); UNSUPPORTED; NOMEM. */
SIPHB_EXTERN int siphb_session_new(siphb_session **out, siphb_ctx *ctx,
                                   const siphb_session_config *cfg, void *user_data,
                                   siphb_ms now);
/* NULL accepted; from a callback, silenced at once and freed on return. */
SIPHB_EXTERN void siphb_session_del(siphb_session *session);

/*
 * Starts (or restarts) the session from the negotiated result of the
 * dialog's INVITE transaction: neg->active with neg->interval_s (>= 90) and
 * neg->local_refresher; not active: only the hard limits run. The peer's
 * Allow listing UPDATE makes REFRESH_DUE hint UPDATE (prefer_update).
 * Returns 0; INVALID_ARGUMENT (NULL, an active result with an interval
 * below 90 s).
 */
SIPHB_EXTERN int siphb_session_start(siphb_session *session, const siphb_st_result *neg,
                                     bool peer_allows_update, siphb_ms now);

/*
 * A refresh succeeded: a 2xx to our refresh, or (the side that does not
 * refresh) a refresh request received and answered 2xx. neg (or NULL: keep
 * the interval and refresher) is the negotiation of that transaction: the
 * interval and the refresher may change (section 10). Restarts every
 * timer. Returns 0; INVALID_ARGUMENT; INVALID_STATE (not started, or
 * ended).
 */
SIPHB_EXTERN int siphb_session_refreshed(siphb_session *session, const siphb_st_result *neg,
                                         siphb_ms now);

/*
 * Our refresh failed: status the final response (0 = no response, a
 * timeout). 408, 481 and 0 in RFC mode: EXPIRED at once; otherwise the
 * next attempt (above). Returns 0; INVALID_STATE (not the refresher, not
 * running).
 */
SIPHB_EXTERN int siphb_session_refresh_failed(siphb_session *session, unsigned status,
                                              siphb_ms now);

/* The dialog ended (BYE): no more events. Returns 0 or INVALID_ARGUMENT. */
SIPHB_EXTERN int siphb_session_stop(siphb_session *session, siphb_ms now);

typedef struct siphb_session_stats {
  siphb_session_state state;
  uint32_t interval_s;
  bool local_refresher;
  bool timer_active;
  uint32_t refreshes;          /* successful refreshes */
  uint32_t refresh_failures;
  siphb_ms last_refresh;       /* the start or the last successful refresh */
  siphb_ms next_refresh_at;    /* SIPHB_NEVER: none due */
  siphb_ms expire_at;          /* SIPHB_NEVER: no timer */
  siphb_ms hard_limit_at;      /* SIPHB_NEVER: off */
  uint64_t reserved_[4];
} siphb_session_stats;

SIPHB_EXTERN int siphb_session_get_stats(const siphb_session *session, siphb_session_stats *st);
SIPHB_EXTERN void *siphb_session_get_user_data(const siphb_session *session);
SIPHB_EXTERN void siphb_session_set_user_data(siphb_session *session, void *user_data);

/* "scheduled", "retry", "not-refreshed", ...; "?" out of range. */
SIPHB_EXTERN const char *siphb_session_reason_name(siphb_session_reason reason);

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_SESSION_H */
