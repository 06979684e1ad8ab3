/*
 * siphb/flow.h - RFC 5626 keepalive of one client flow: a double-CRLF
 * ping answered by a CRLF pong on connection-oriented transports (section
 * 4.4.1), a STUN Binding request answered by a success response with
 * XOR-MAPPED-ADDRESS on UDP (section 4.4.2), or a raw payload that keeps a
 * NAT binding open and expects nothing back.
 *
 * Every keepalive draws a new interval, uniform in the bounds in effect:
 * with a Flow-Timer F from the 2xx REGISTER [F*flow_timer_permille/1000,
 * F] (section 4.4); without one the configured interval_min/max, or by
 * mode: CRLF 95-120 s (672-840 s on battery, section 4.4.1), STUN and RAW
 * 24-29 s (section 4.4.2: many NATs drop UDP bindings after 30 s).
 * One keepalive is in flight at a time; the next is due `interval` after
 * the previous one was sent, or when that one ends if it ends later.
 *
 * Every keepalive ends in exactly one way: its response (a pong, a STUN
 * success or error response), its timeout (a pong after pong_timeout, 10 s;
 * STUN after Rc sends and Rm*RTO, 39.5 s by default), a refused send, a
 * transport error, or being abandoned (stop, fail, restart, delete); RAW
 * keepalives end when sent. A missing or negative answer fails the flow
 * only while a response is expected (`expect`); until then it is counted.
 *
 * States: STOPPED -> ACTIVE (_start) -> UP (a response) -> FAILED (a failure;
 * the section 4.5 back-off runs) -> RECOVERING (RECOVER_DUE reported) ->
 * PROBATION (_restart on a new connection) -> UP (RECOVERED: the first
 * response after siphb_flow_set_outbound(true); only then is the failure
 * count reset). The back-off waits uniform [W/2, W], W = min(backoff_max,
 * base * 2^failures), base = backoff_base_all_failed when no other flow of
 * the same outbound_set is running and not failed, else
 * backoff_base_some_up.
 *
 * Receive: pongs by peer (a stream peer with a flow is the client end, so
 * a CRLF is a pong at once, and "\r\n\r\n" two pongs, never a ping to
 * answer); STUN responses by transaction id and peer. A pong handed to
 * siphb_ctx_receive() before the advance that would time it out counts
 * (section 4.4.1: the check comes after the message is handled).
 *
 * The flow reports results; health (not built yet) will judge them.
 */
#ifndef SIPHB_FLOW_H
#define SIPHB_FLOW_H

#include <siphb/common.h>
#include <siphb/ctx.h>
#include <siphb/health_types.h>
#include <siphb/flow_types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct siphb_flow siphb_flow;

/* Longest raw_payload (stored inside the flow). */
#define SIPHB_FLOW_RAW_MAX 128

/*
 * Configuration. Fill with siphb_flow_config_init(&cfg, sizeof cfg)
 * (common.h: how the struct grows); NULL means the defaults.
 */
typedef struct siphb_flow_config {
  uint32_t size;                 /* set by siphb_flow_config_init() */
  siphb_flow_mode mode;          /* AUTO */
  siphb_flow_expect expect;      /* AFTER_OUTBOUND */
  bool battery;                  /* false: CRLF default 672-840 s when true */
  siphb_ms interval_min;         /* 0, 0 = by mode (above); else both set, */
  siphb_ms interval_max;         /*   0 < min <= max, without a Flow-Timer */
  uint32_t flow_timer_permille;  /* 800: with Flow-Timer F, [0.8 F, F]; 1..1000 */
  siphb_ms pong_timeout;         /* 10000 (section 4.4.1) */
  siphb_ms stun_rto;             /* 500: RFC 5389 section 7.2.1 */
  uint32_t stun_rc;              /* 7: sends on UDP (1..16) */
  uint32_t stun_rm;              /* 16: the last wait is Rm*RTO (1..64); on a stream
                                    one send and the same total (39.5 s) */
  bool stun_fingerprint;         /* false: the request carries no attributes (4.4.2) */
  bool fail_on_mapped_change;    /* true: a new XOR-MAPPED-ADDRESS fails the flow */
  bool report_alive;             /* false: FLOW_ALIVE only when the state changes
                                    (ACTIVE -> UP); true: for every response */
  siphb_str raw_payload;         /* RAW mode: empty = "\r\n\r\n"; at most
                                    SIPHB_FLOW_RAW_MAX bytes, copied */
  uint32_t outbound_set;         /* 0: the registration set the flow belongs to */
  siphb_ms backoff_base_all_failed; /* 30000 (section 4.5) */
  siphb_ms backoff_base_some_up;    /* 90000 */
  siphb_ms backoff_max;             /* 1800000 */
} siphb_flow_config;

/* Fills cfg (size bytes: pass sizeof *cfg) with the defaults above. */
SIPHB_EXTERN void siphb_flow_config_init(siphb_flow_config *cfg, size_t size);

/* Statistics. Caller-allocated; siphb zeroes reserved_ (common.h). */
typedef struct siphb_flow_stats {
  uint64_t keepalives;      /* keepalives started (RAW: sent) */
  uint64_t transmissions;   /* sends, STUN retransmissions included */
  uint64_t retransmissions;
  uint64_t responses;       /* pongs and STUN success responses that ended one */
  uint64_t stun_errors;     /* STUN error responses */
  uint64_t timeouts;        /* keepalives that timed out (failing the flow or not) */
  uint64_t send_failures;   /* sends the send callback refused */
  uint64_t abandoned;       /* keepalives ended by stop, fail, restart, peer events */
  uint64_t failures;        /* times the flow went FAILED */
  uint64_t recoveries;      /* RECOVERED */
  uint64_t stray_pongs;     /* pongs with no keepalive waiting */
  uint64_t rejected;        /* STUN responses to this flow's request refused (a bad
                               FINGERPRINT, no XOR-MAPPED-ADDRESS) */
  uint32_t consecutive_failures;
  uint32_t flow_timer_s;    /* 0 = none */
  siphb_flow_state state;
  siphb_ms state_since;
  siphb_ms interval_min, interval_max; /* in effect */
  siphb_ms interval_last;   /* the last interval drawn; 0 before the first */
  siphb_ms rtt_last, rtt_min, rtt_max, srtt; /* SIPHB_NEVER before the first
                               response; srtt from single-send keepalives (Karn) */
  uint64_t reserved_[4];    /* zeroed; later fields are carved from here */
} siphb_flow_stats;

/*
 * Creates a stopped flow on `peer` (copied) and enters it in the flow
 * module's peer map, which also makes a stream peer the client end for
 * receive. Returns 0 and writes *out, or:
 *   SIPHB_ERR_INVALID_ARGUMENT  a NULL pointer, cfg never initialised, a
 *                               field out of range (siphb_flow_config_check()
 *                               names it)
 *   SIPHB_ERR_UNSUPPORTED       CRLF on UDP or DTLS (section 3.5.1), AUTO on
 *                               DTLS, or a config field this library does
 *                               not know
 *   SIPHB_ERR_EXISTS            the peer has a flow already
 *   SIPHB_ERR_INVALID_STATE     the ctx is being deleted
 *   SIPHB_ERR_NOMEM
 *   SIPHB_ERR_CALLBACK_FAILURE  `random` failed (the module's map keys)
 */
SIPHB_EXTERN int siphb_flow_new(siphb_flow **out, siphb_ctx *ctx, const siphb_flow_config *cfg,
                                const siphb_peer *peer, void *user_data, siphb_ms now);

/*
 * Checks cfg for `transport` as siphb_flow_new() would: returns 0 or its
 * code, and sets *message (when not NULL) to a static text naming the
 * field ("" on success).
 */
SIPHB_EXTERN int siphb_flow_config_check(const siphb_flow_config *cfg, siphb_transport transport,
                                         const char **message);

/* Deletes the flow (NULL accepted). From a callback it is silenced at once
 * and freed when the outermost siphb call returns. */
SIPHB_EXTERN void siphb_flow_del(siphb_flow *flow);

/* STOPPED -> ACTIVE: the first keepalive after one random interval. A
 * running flow is left as it is. Returns 0 or SIPHB_ERR_INVALID_ARGUMENT. */
SIPHB_EXTERN int siphb_flow_start(siphb_flow *flow, siphb_ms now);

/* -> STOPPED: the keepalive in flight and the back-off are abandoned
 * without an event. Returns 0 or SIPHB_ERR_INVALID_ARGUMENT. */
SIPHB_EXTERN int siphb_flow_stop(siphb_flow *flow, siphb_ms now);

/* `Require: outbound` was seen in the 2xx REGISTER (section 4.4): with
 * expect AFTER_OUTBOUND a missing answer fails the flow from now on, and a
 * PROBATION flow passes at its next response. false withdraws it.
 * Returns 0 or SIPHB_ERR_INVALID_ARGUMENT. */
SIPHB_EXTERN int siphb_flow_set_outbound(siphb_flow *flow, bool confirmed, siphb_ms now);

/* The Flow-Timer of the 2xx REGISTER (sections 4.4, 10), in seconds; 0
 * restores the defaults. A next keepalive later than now + the new maximum
 * is drawn again from now. Reports SIPHB_EVENT_FLOW_INTERVAL when the
 * bounds change. Returns 0, SIPHB_ERR_INVALID_ARGUMENT (seconds > 2^31),
 * SIPHB_ERR_CALLBACK_FAILURE. */
SIPHB_EXTERN int siphb_flow_set_flow_timer(siphb_flow *flow, uint32_t seconds, siphb_ms now);

/* One keepalive at the next advance. Returns 0, SIPHB_ERR_INVALID_ARGUMENT,
 * or SIPHB_ERR_INVALID_STATE (stopped, failed, recovering, or a response
 * is pending). */
SIPHB_EXTERN int siphb_flow_keepalive_now(siphb_flow *flow, siphb_ms now);

/* The integrator saw the flow fail (`reason`, usually
 * SIPHB_FLOW_REASON_INTEGRATOR): FLOW_FAILED and the back-off. Returns 0,
 * SIPHB_ERR_INVALID_ARGUMENT (reason NONE or unknown), SIPHB_ERR_INVALID_STATE
 * unless ACTIVE, UP or PROBATION, SIPHB_ERR_CALLBACK_FAILURE. */
SIPHB_EXTERN int siphb_flow_fail(siphb_flow *flow, siphb_flow_reason reason, siphb_ms now);

/* A new connection exists after RECOVER_DUE (or during the back-off): the
 * flow moves to `peer` (its peer-map entry too) and enters PROBATION; the
 * first keepalive after one random interval (or siphb_flow_keepalive_now).
 * When the interval bounds change with the transport (AUTO: CRLF on a
 * connection, STUN on UDP), SIPHB_EVENT_FLOW_INTERVAL reports them.
 * Returns 0, SIPHB_ERR_INVALID_ARGUMENT, SIPHB_ERR_UNSUPPORTED (the mode
 * cannot run on peer's transport), SIPHB_ERR_EXISTS (another flow has that
 * peer), SIPHB_ERR_INVALID_STATE unless FAILED or RECOVERING,
 * SIPHB_ERR_CALLBACK_FAILURE. */
SIPHB_EXTERN int siphb_flow_restart(siphb_flow *flow, const siphb_peer *peer, siphb_ms now);

/* A 503 with Retry-After (section 4.5): RECOVER_DUE not before `until`.
 * Returns 0, SIPHB_ERR_INVALID_ARGUMENT, SIPHB_ERR_INVALID_STATE unless
 * FAILED. */
SIPHB_EXTERN int siphb_flow_defer_recovery(siphb_flow *flow, siphb_ms until, siphb_ms now);

/* Marks whether a transaction of the integrator's (a call being set up, a
 * REGISTER in flight) uses the flow. A flow that fails while marked asks
 * for an immediate reopen and resend: SIPHB_EVENT_FLOW_RECOVER_DUE at the
 * next advance instead of after the back-off (a Retry-After from
 * _defer_recovery still holds); marking a flow whose back-off runs does the
 * same. Unmarked, a failed flow is reopened lazily, when the back-off ends.
 * The failure counts for the back-off either way. Any state. Returns 0 or
 * SIPHB_ERR_INVALID_ARGUMENT. */
SIPHB_EXTERN int siphb_flow_set_active(siphb_flow *flow, bool active, siphb_ms now);

/* STOPPED for NULL. */
SIPHB_EXTERN siphb_flow_state siphb_flow_get_state(const siphb_flow *flow);
SIPHB_EXTERN const siphb_peer *siphb_flow_get_peer(const siphb_flow *flow);

/* The last XOR-MAPPED-ADDRESS. Returns 0, SIPHB_ERR_NOT_FOUND (none yet),
 * SIPHB_ERR_INVALID_ARGUMENT. */
SIPHB_EXTERN int siphb_flow_get_mapped(const siphb_flow *flow, siphb_mapped_addr *out);

/* Copies the statistics. Returns 0 or SIPHB_ERR_INVALID_ARGUMENT. */
SIPHB_EXTERN int siphb_flow_get_stats(const siphb_flow *flow, siphb_flow_stats *st);

/*
 * Wires the flow to a health monitor on the same ctx: from now on each of
 * its keepalive responses (every one, whatever report_alive says) and failures is also an observation of the monitor's TRANSPORT layer
 * (docs/API-PLAN.md section 12), delivered right after the flow's own event
 * returns. A second call moves the wiring; health NULL removes it; deleting
 * either side removes it too. Returns 0 or INVALID_ARGUMENT (NULL flow, a
 * monitor deleted or on another ctx; the wiring is then unchanged).
 */
SIPHB_EXTERN int siphb_flow_set_health(siphb_flow *flow, siphb_health *health);

SIPHB_EXTERN void *siphb_flow_get_user_data(const siphb_flow *flow);
SIPHB_EXTERN void siphb_flow_set_user_data(siphb_flow *flow, void *user_data);

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_FLOW_H */
