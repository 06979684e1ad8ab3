/*
 * siphb/probe.h - SIP OPTIONS reachability of one target (RFC 3261 section
 * 11): the probe sends an OPTIONS request every interval, retransmits it on
 * UDP as a non-INVITE client transaction does (section 17.1.2), matches the
 * response and reports how every round ended.
 *
 * The probe reports results and keeps statistics; it holds no UP/DOWN
 * verdict (docs/CONVENTIONS.md "How objects compose"): a health monitor
 * turns its results into one.
 *
 * A round: a new Via branch (64 random bits from the ctx's `random`) and the
 * next CSeq number; Call-ID and From tag stay the same for the probe's life.
 * On UDP the request is resent after T1, 2*T1, ... capped at T2 (Timer E; a
 * provisional response moves to T2 at once) until Timer F (64*T1 by
 * default) ends the round as TIMEOUT; on reliable transports it is sent once
 * and only Timer F runs (section 17.1.2.2). A final response ends the
 * round; on UDP its branch lingers for T4 (Timer K) so that retransmitted
 * finals are consumed instead of reaching the integrator's stack. A response
 * that arrives after its round ended (timed out) is not this probe's any
 * more and is not consumed by a later round: each round has its own branch.
 *
 * Rounds never overlap: the next one starts `interval` (jittered) after the
 * previous one started, or `retry_interval` after a failed one ended, and
 * never before a Retry-After ends (section 20.33, when honoured).
 * Every round ends in exactly one outcome (siphb/probe_types.h), reported as
 * SIPHB_EVENT_PROBE_RESULT, so a probe is never stuck "pinging".
 */
#ifndef SIPHB_PROBE_H
#define SIPHB_PROBE_H

#include <siphb/common.h>
#include <siphb/ctx.h>
#include <siphb/health_types.h>
#include <siphb/probe_types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct siphb_probe siphb_probe;

/* Most fail_codes. */
#define SIPHB_PROBE_FAIL_CODES 8

/*
 * Configuration. Fill with siphb_probe_config_init(&cfg, sizeof cfg), then
 * set at least request_uri and via_host (common.h: how the struct grows).
 * Strings are copied by siphb_probe_new(); CR, LF and NUL are refused.
 */
typedef struct siphb_probe_config {
  uint32_t size;            /* set by siphb_probe_config_init() */
  siphb_str request_uri;    /* required, e.g. "sip:proxy.example.com" */
  siphb_str via_host;       /* required: the local address or name for Via sent-by */
  uint16_t via_port;        /* the local port for Via; 0 = none */
  siphb_str from_uri;       /* default "sip:siphb@invalid" */
  siphb_str to_uri;         /* empty = request_uri */
  siphb_str contact_uri;    /* empty = no Contact (MAY, RFC 3261 section 11.1) */
  siphb_str user_agent;     /* empty = no User-Agent */
  siphb_ms interval;        /* 30000: from the start of one round to the next */
  uint32_t jitter_permille; /* 200: each interval uniform in [80 %, 100 %] of it,
                               so that a fleet started together spreads out */
  siphb_ms start_delay_max; /* 0: the first round at once; else uniform [0, this] */
  siphb_ms retry_interval;  /* 5000: from a failed round's end to the next round */
  siphb_ms t1, t2, t4;      /* 500, 4000, 5000 (RFC 3261 section 17.1.1.1, Table 4) */
  siphb_ms timeout;         /* 0 = 64*T1 (Timer F, section 17.1.2.2), on every transport */
  uint32_t alive_classes;   /* 0x7C: bit n set = final responses nxx mean alive
                               (bits 2..6; any final response proves the target
                               answers, section 11.2) */
  uint16_t fail_codes[SIPHB_PROBE_FAIL_CODES]; /* {408, 503}: final codes that do not
                               mean alive, 0-terminated: a 408 from a proxy means the
                               hop behind it did not answer, a 503 means overload
                               (RFC 3261 section 21.5.4, RFC 3263 section 4.3) */
  bool honour_retry_after;  /* true: no round before a response's Retry-After ends */
  bool rport;               /* true: ";rport" in Via (RFC 3581) */
  bool accept_sdp;          /* true: "Accept: application/sdp" (SHOULD, section 11) */
  uint32_t max_forwards;    /* 70 (section 8.1.1.6) */
} siphb_probe_config;

/* Fills cfg (size bytes: pass sizeof *cfg) with the defaults above. */
SIPHB_EXTERN void siphb_probe_config_init(siphb_probe_config *cfg, size_t size);

/* Statistics. Caller-allocated; siphb zeroes reserved_ (common.h). */
typedef struct siphb_probe_stats {
  uint64_t rounds;          /* rounds ended */
  uint64_t transmissions;   /* requests sent, retransmissions included */
  uint64_t alive, rejected, timeouts, send_failures, transport_errors; /* by outcome */
  uint64_t retransmit_failures; /* retransmissions the send callback refused */
  uint64_t provisional;     /* 1xx responses matched */
  uint64_t late_responses;  /* finals matched while the branch lingered (Timer K) */
  uint32_t consecutive_failures; /* rounds in a row not ALIVE (a counter, not a verdict) */
  uint32_t last_status;     /* of the last round; 0 without a response */
  siphb_probe_outcome last_outcome;
  siphb_ms last_result_at;  /* when the last round ended; 0 = none yet */
  siphb_ms rtt_last, rtt_min, rtt_max; /* SIPHB_NEVER before the first response */
  siphb_ms srtt, rttvar;    /* RFC 6298 section 2 smoothing of single-send rounds
                               (Karn: retransmitted rounds are not sampled);
                               SIPHB_NEVER before the first sample */
  uint64_t reserved_[4];    /* zeroed; later fields are carved from here */
} siphb_probe_stats;

/*
 * Creates a stopped probe of `peer` (copied; peer->transport picks the Via
 * transport). cfg NULL is refused: request_uri and via_host have no default.
 * Returns 0 and writes *out, or:
 *   SIPHB_ERR_INVALID_ARGUMENT  a NULL pointer, cfg never initialised, a
 *                               field out of range, a text with CR/LF/NUL,
 *                               a request over 1300 bytes on UDP (RFC 3261
 *                               section 18.1.1)
 *   SIPHB_ERR_UNSUPPORTED       DTLS (SIP has no Via token for it), or a
 *                               config field this library does not know
 *   SIPHB_ERR_INVALID_STATE     the ctx is being deleted
 *   SIPHB_ERR_NOMEM
 *   SIPHB_ERR_CALLBACK_FAILURE  `random` failed (the Call-ID and From tag)
 */
SIPHB_EXTERN int siphb_probe_new(siphb_probe **out, siphb_ctx *ctx, const siphb_probe_config *cfg,
                                 const siphb_peer *peer, void *user_data, siphb_ms now);

/* Deletes the probe (NULL accepted). From a callback it is silenced at once
 * and freed when the outermost siphb call returns. */
SIPHB_EXTERN void siphb_probe_del(siphb_probe *probe);

/* Starts the rounds: the first at now + uniform[0, start_delay_max]. A
 * running probe is left as it is. Returns 0 or SIPHB_ERR_INVALID_ARGUMENT. */
SIPHB_EXTERN int siphb_probe_start(siphb_probe *probe, siphb_ms now);

/* Stops: the round in flight is abandoned without an event, nothing more is
 * sent or matched. Returns 0 or SIPHB_ERR_INVALID_ARGUMENT. */
SIPHB_EXTERN int siphb_probe_stop(siphb_probe *probe, siphb_ms now);

/* A round at the next advance instead of at its scheduled time (e.g. after
 * a failover). Returns 0, SIPHB_ERR_INVALID_ARGUMENT, or
 * SIPHB_ERR_INVALID_STATE when stopped or while a round is in flight. */
SIPHB_EXTERN int siphb_probe_trigger(siphb_probe *probe, siphb_ms now);

/* Moves the probe to another peer: a round in flight is abandoned without
 * an event; statistics are kept. Returns 0, SIPHB_ERR_INVALID_ARGUMENT, or
 * SIPHB_ERR_UNSUPPORTED (DTLS, or a transport whose request would not fit a
 * UDP datagram). */
SIPHB_EXTERN int siphb_probe_set_peer(siphb_probe *probe, const siphb_peer *peer, siphb_ms now);

SIPHB_EXTERN bool siphb_probe_running(const siphb_probe *probe);
SIPHB_EXTERN const siphb_peer *siphb_probe_get_peer(const siphb_probe *probe);

/* Copies the statistics. Returns 0 or SIPHB_ERR_INVALID_ARGUMENT. */
SIPHB_EXTERN int siphb_probe_get_stats(const siphb_probe *probe, siphb_probe_stats *st);

/*
 * Wires the probe to a health monitor on the same ctx: from now on each of
 * its rounds (PROBE_RESULT) is also an observation of the monitor's SIP (TRANSPORT for a send or transport failure) layer
 * (docs/API-PLAN.md section 12), delivered right after the probe's own event
 * returns. A second call moves the wiring; health NULL removes it; deleting
 * either side removes it too. Returns 0 or INVALID_ARGUMENT (NULL probe, a
 * monitor deleted or on another ctx; the wiring is then unchanged).
 */
SIPHB_EXTERN int siphb_probe_set_health(siphb_probe *probe, siphb_health *health);

SIPHB_EXTERN void *siphb_probe_get_user_data(const siphb_probe *probe);
SIPHB_EXTERN void siphb_probe_set_user_data(siphb_probe *probe, void *user_data);

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_PROBE_H */
