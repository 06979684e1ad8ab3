/*
 * siphb/st.h - RFC 4028 session timers as pure functions: the header
 * values (Session-Expires, Min-SE), the negotiation of every role, the
 * headers each decision sends and the schedule. No ctx, no allocation;
 * the scheduler object is siphb/session.h.
 *
 * Numbers (RFC 4028 section 4, 5): Session-Expires is RECOMMENDED at
 * 1800 s and MUST NOT be below 90 s, which is also the Min-SE assumed when
 * a request carries none. The refresher refreshes at half the interval; the
 * other side sends BYE when no refresh came by interval - min(32 s,
 * interval/3) (section 10).
 *
 * The roles, in one call each (section numbers of RFC 4028):
 *   siphb_st_uac_offer()    the Session-Expires, Min-SE and Supported of a
 *                           request the UAC sends (7.1, 7.4);
 *   siphb_st_uas_answer()   422, or the interval and refresher a UAS
 *                           accepts and the headers of its 2xx (9);
 *   siphb_st_proxy_request() what a proxy forwards (raised Min-SE and
 *                           Session-Expires) or its 422 (8.1);
 *   siphb_st_uac_on_response() the timer in force after a 2xx, or the
 *                           retry after a 422 with its loop guard (7.2, 7.3).
 * UAS table (section 9), applied exactly:
 *   UAC supports timer | refresher in request | refresher in the 2xx
 *   no                 | none                 | uas
 *   yes                | none                 | the UAS's preference
 *   yes                | uac                  | uac
 *   yes                | uas                  | uas
 * and a 2xx that makes the UAC the refresher carries Require: timer.
 */
#ifndef SIPHB_ST_H
#define SIPHB_ST_H

#include <siphb/common.h>
#include <siphb/sip.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SIPHB_ST_DEFAULT_SE 1800u /* RECOMMENDED interval (section 4) */
#define SIPHB_ST_MIN_SE 90u       /* the floor, and Min-SE when absent (sections 4, 5) */

/* ---- header values -------------------------------------------------------------- */

/* A Session-Expires value: delta-seconds *( ";" se-params ) (section 4).
 * Fixed layout. */
typedef struct siphb_st_session_expires {
  uint32_t delta_s;
  siphb_sip_refresher refresher; /* NONE: no refresher parameter */
  siphb_str params;              /* every parameter as written, refresher
                                    included, each with its ";" (empty: none) */
} siphb_st_session_expires;

/*
 * Parses the value of a Session-Expires (or "x") header: value is the text
 * after the colon. Returns 0 and fills *out; SIPHB_ERR_SIP_NUMBER (no
 * delta-seconds, not a number, above 4294967295); SIPHB_ERR_SIP_PARAM (a
 * malformed parameter, or two refresher parameters); SIPHB_ERR_SIP_QUOTE (a
 * quoted parameter value without its closing quote);
 * SIPHB_ERR_SIP_MULTIPLE_VALUES (a comma: a second value); SIPHB_ERR_SIP_REFRESHER
 * (refresher neither uac nor uas); SIPHB_ERR_SIP_SESSION_INTERVAL (below
 * 90 s: *out is filled, so that a UAS can still answer 422);
 * SIPHB_ERR_INVALID_ARGUMENT. err (optional) gets the offset and message.
 */
SIPHB_EXTERN int siphb_st_parse_session_expires(siphb_str value, siphb_st_session_expires *out,
                                                siphb_error_info *err);

/* Parses a Min-SE value: delta-seconds *( ";" generic-param ). Returns as
 * above: 0, SIPHB_ERR_SIP_NUMBER, SIPHB_ERR_SIP_PARAM, SIPHB_ERR_SIP_QUOTE,
 * SIPHB_ERR_SIP_MULTIPLE_VALUES, SIPHB_ERR_SIP_SESSION_INTERVAL (below 90:
 * *min_se_s is filled). */
SIPHB_EXTERN int siphb_st_parse_min_se(siphb_str value, uint32_t *min_se_s,
                                       siphb_error_info *err);

/* The timer view of one message. Fixed layout. */
typedef struct siphb_st_header {
  bool has_session_expires;
  bool has_min_se;
  bool supported_timer; /* "timer" in Supported */
  bool require_timer;   /* "timer" in Require */
  uint32_t session_expires_s;
  siphb_sip_refresher refresher;
  uint32_t min_se_s;
  int error;            /* 0, or the code the values failed with (for a UAS
                           or proxy: SIPHB_ERR_SIP_SESSION_INTERVAL is a 422
                           case, the others a 400) */
} siphb_st_header;

/* The view of a message siphb_sip_parse() parsed (every Session-Expires,
 * Min-SE, Supported and Require line read again with the parsers above).
 * Returns 0, or SIPHB_ERR_INVALID_ARGUMENT (NULL). */
SIPHB_EXTERN int siphb_st_from_msg(const siphb_sip_msg *msg, siphb_st_header *out);

/* ---- negotiation -------------------------------------------------------------------- */

/* Who a UAS or proxy would rather have refresh, when the RFC leaves the
 * choice to it. */
typedef enum siphb_st_prefer {
  SIPHB_ST_PREFER_UAS = 0, /* default: the answering side refreshes itself */
  SIPHB_ST_PREFER_UAC = 1
} siphb_st_prefer;

typedef struct siphb_st_config {
  uint32_t size;               /* set by siphb_st_config_init() */
  uint32_t session_expires_s;  /* 1800: offered by a UAC; a UAS or proxy lowers a
                                  longer one to it; 0 = no timer of our own */
  uint32_t min_se_s;           /* 90: the local minimum (>= 90) */
  siphb_st_prefer refresher;   /* UAS */
  bool uac_refresh_anyway;     /* true: a UAC whose 2xx has no Session-Expires
                                  refreshes as if it had one (section 7.2) */
  uint32_t max_retries;        /* 3 (0..10): 422s a UAC retries for one request,
                                  each of which must raise Min-SE */
} siphb_st_config;

SIPHB_EXTERN void siphb_st_config_init(siphb_st_config *cfg, size_t size);

/* What a decision asks the caller to do. */
typedef enum siphb_st_action {
  SIPHB_ST_ACTION_ACCEPT = 0,  /* go on (send or forward the message, run the timer
                                  if active) */
  SIPHB_ST_ACTION_REJECT = 1,  /* UAS or proxy: answer `status` (422 with Min-SE,
                                  or 400 for a malformed value) */
  SIPHB_ST_ACTION_RETRY = 2,   /* UAC after a 422: send the request again with
                                  these values (a new CSeq) */
  SIPHB_ST_ACTION_GIVE_UP = 3  /* UAC after a 422 it cannot satisfy: no Min-SE,
                                  none above what was offered, or max_retries
                                  reached (the loop guards) */
} siphb_st_action;

typedef struct siphb_st_result {
  siphb_st_action action;
  uint32_t status;             /* REJECT: 422 or 400; else 0 */
  bool active;                 /* a session timer runs (ACCEPT of a 2xx) */
  bool local_refresher;        /* the caller is the refresher */
  bool require_timer;          /* a 2xx: Require: timer (refresher=uac) */
  bool supported_timer;        /* the message carries Supported: timer */
  bool has_session_expires;    /* the message carries Session-Expires */
  bool has_min_se;             /* the message carries Min-SE */
  uint32_t interval_s;         /* Session-Expires to send, or in force */
  uint32_t min_se_s;           /* Min-SE to send (422, request), or to keep */
  siphb_sip_refresher refresher; /* refresher parameter to send, or in force */
  const char *reason;          /* why, in a few words (static text) */
  uint32_t retries;            /* UAC: 422s retried so far for this request */
  uint32_t zero_;              /* zeroed */
  uint64_t reserved_[1];       /* zeroed */
} siphb_st_result;

/*
 * The timer headers of a request the UAC sends: Supported: timer,
 * Session-Expires = max(cfg interval, min_se_seen), Min-SE when
 * min_se_seen (the largest of every 422 and refresh in the dialog,
 * section 7.4; 0 = none) or the local minimum is above 90; refresher
 * `refresher` (NONE in an initial request, as section 7.1 recommends; in a
 * refresh the one in force). Returns 0; INVALID_ARGUMENT (cfg never
 * initialised, min_se_s below 90, a refresher out of range).
 */
SIPHB_EXTERN int siphb_st_uac_offer(const siphb_st_config *cfg, uint32_t min_se_seen,
                                    siphb_sip_refresher refresher, siphb_st_result *out);

/*
 * A UAS's decision on a request (section 9): REJECT 400 for a malformed
 * value; REJECT 422 with Min-SE = max(local, request's) when the interval is
 * below it and the UAC supports timer; otherwise ACCEPT, the interval never
 * raised above the request's except to the minimum when the UAC does not
 * support timer (RFC 4028 erratum 1687), lowered to the local preference but
 * not below the request's Min-SE; the refresher by the table above. A
 * request without Session-Expires: the UAS's own interval when cfg has one.
 * Returns 0 or INVALID_ARGUMENT.
 */
SIPHB_EXTERN int siphb_st_uas_answer(const siphb_st_config *cfg, const siphb_st_header *req,
                                     siphb_st_result *out);

/*
 * A proxy's decision on a request (section 8.1): REJECT 422 when the
 * interval is below the proxy's minimum and the UAC supports timer; REJECT
 * 400 for a malformed value; otherwise ACCEPT with the Session-Expires and
 * Min-SE to forward: Min-SE raised to the proxy's minimum (inserted when
 * absent and above 90), a Session-Expires below it raised to it (the UAC
 * does not support timer), a longer one lowered to the proxy's preference,
 * one inserted when absent and the proxy wants a timer. The refresher in
 * the request is forwarded as it is. Returns 0 or INVALID_ARGUMENT.
 */
SIPHB_EXTERN int siphb_st_proxy_request(const siphb_st_config *cfg, const siphb_st_header *req,
                                        siphb_st_result *out);

/*
 * The UAC's reading of a final response to a request it sent with `sent`
 * (its siphb_st_result from siphb_st_uac_offer()):
 *   2xx with Session-Expires: ACCEPT, active with its interval and refresher
 *     (no refresher parameter: the UAC refreshes; an interval below the
 *     Min-SE sent, or 90 s, is run at that minimum);
 *   2xx without: ACCEPT, active only with uac_refresh_anyway, the UAC
 *     refreshing at the interval it offered;
 *   422: RETRY with Session-Expires and Min-SE = the 422's Min-SE (or the
 *     largest seen, or the local minimum, if larger) and retries one more,
 *     or GIVE_UP when sent->retries reached max_retries when the 422 has no Min-SE or one not above
 *     the interval offered (a second 422 for the same value is not retried);
 *   other statuses: ACCEPT, not active.
 * Returns 0 or INVALID_ARGUMENT (status out of 200..699).
 */
SIPHB_EXTERN int siphb_st_uac_on_response(const siphb_st_config *cfg, const siphb_st_result *sent,
                                          unsigned status, const siphb_st_header *resp,
                                          siphb_st_result *out);

/* ---- the headers of a decision ---------------------------------------------------- */

/*
 * Writes the header lines (each ending in CRLF) a decision puts in its
 * message: Supported: timer, Session-Expires: N[;refresher=X], Min-SE: N,
 * Require: timer, as the result says, in that order; a REJECT 422 writes
 * Min-SE only, a REJECT 400 nothing. Returns the length (NUL-terminated
 * when room is left), NOBUF (err->need), INVALID_ARGUMENT.
 */
SIPHB_EXTERN siphb_ssize siphb_st_encode(char *buf, size_t cap, const siphb_st_result *res,
                                         siphb_error_info *err);

/* ---- the schedule ---------------------------------------------------------------------- */

/* When the refresher refreshes: interval x 1000 / 2 ms after the last
 * refresh (section 10). */
SIPHB_EXTERN siphb_ms siphb_st_refresh_delay(uint32_t interval_s);

/* When the other side gives up and sends BYE: interval - min(32 s,
 * interval / margin_divisor) after the last refresh; margin_divisor 3 is
 * the RFC's (section 10), some stacks use 10; 0 is taken as 3. */
SIPHB_EXTERN siphb_ms siphb_st_bye_delay(uint32_t interval_s, uint32_t margin_divisor);

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_ST_H */
