/*
 * probe_int.h - the probe's state, shared by its two sources (internal):
 * probe.c (configuration, the request template, the object's life) and
 * probe_round.c (rounds, the transaction timers, matching responses,
 * events).
 */
#ifndef SIPHB_LIB_KEEPALIVE_PROBE_INT_H
#define SIPHB_LIB_KEEPALIVE_PROBE_INT_H

#include <siphb/probe.h>
#include <siphb/sip.h>

#include "engine/ctx_int.h"
#include "engine/hmap.h"
#include "engine/obs.h"

/* "z9hG4bK" (RFC 3261 section 8.1.1.7) and 16 hex digits: 64 random bits. */
#define PROBE_COOKIE_LEN 7
#define PROBE_BRANCH_LEN (PROBE_COOKIE_LEN + 16)
/* Every CSeq has 10 digits, so the request never changes length: the first
 * is random in [10^9, 2*10^9), and after 2^31-1 (the largest allowed,
 * section 8.1.1.5) the count goes back to 10^9. */
#define PROBE_CSEQ_DIGITS 10
#define PROBE_CSEQ_FIRST 1000000000u
#define PROBE_CSEQ_LAST 2147483647u

/* Where a round is: no request in flight; Calling or Proceeding (section
 * 17.1.2.2); or ended with a final response whose branch lingers for
 * Timer K so that retransmitted finals are consumed. */
typedef enum probe_txn { TXN_NONE = 0, TXN_CALLING, TXN_PROCEEDING, TXN_LINGER } probe_txn;

/* Longest text the probe accepts: far above any URI or product token, and
 * small enough that every offset into the request fits 16 bits. */
#define PROBE_MAX_TEXT 2048

/* The timing and matching part of the config; durations fit 32 bits
 * (siphb_probe_new() checks). */
typedef struct probe_timing {
  uint32_t interval, start_delay_max, retry_interval, t1, t2, t4, timeout;
  uint16_t jitter_permille;
  uint8_t alive_classes;
  bool honour_retry_after;
  uint16_t fail_codes[SIPHB_PROBE_FAIL_CODES];
} probe_timing;

/* The statistics, compact (32-bit counters wrap after 2^32; RTTs in ms,
 * PROBE_NO_RTT = none); siphb_probe_get_stats() widens them. */
#define PROBE_NO_RTT UINT32_MAX
typedef struct probe_counts {
  uint32_t rounds, transmissions, alive, rejected, timeouts, send_failures, transport_errors;
  uint32_t retransmit_failures, provisional, late_responses, consecutive_failures;
  uint32_t rtt_last, rtt_min, rtt_max, srtt, rttvar;
  uint16_t last_status;
  uint8_t last_outcome; /* a siphb_probe_outcome */
  siphb_ms last_result_at;
} probe_counts;

/* A probe, about 0.5 KiB with its request (bench/bench_probe.c measures
 * it): the texts and identifiers live in the request itself. */
struct siphb_probe {
  siphb_obj base; /* first: the handle is the object */
  siphb_peer peer;
  probe_timing timing;
  probe_counts counts;
  uint16_t via_port;
  uint8_t max_forwards;
  bool rport, accept_sdp;
  bool running;
  uint8_t txn;      /* a probe_txn */
  uint8_t *request; /* the encoded OPTIONS; branch and CSeq rewritten per round */
  uint16_t request_size, request_len; /* allocated, used (equal but for a moment) */
  /* offsets in the request: the branch digits (after z9hG4bK), the CSeq
   * digits, the Call-ID (32 hex digits), the sent-by host (IPv6 without
   * brackets) */
  uint16_t branch_at, cseq_at, call_id_at, via_host_at, via_host_len;
  uint32_t cseq;
  uint32_t transmissions; /* of the round in flight */
  uint32_t timer_e;       /* the current retransmission interval */
  siphb_hmap_node branch_node; /* in the module's branch map while a round is matched */
  siphb_hmap_node peer_node;   /* in the module's peer map for the probe's life */
  siphb_wheel_node round_node; /* the next round */
  siphb_wheel_node txn_node;   /* Timer E and F in flight (Timer K is timeout_at) */
  siphb_ms round_start;   /* first transmission of the round in flight */
  siphb_ms timeout_at;    /* Timer F in flight; Timer K while lingering */
  siphb_ms retry_after_until;
  siphb_obs_link health; /* siphb_probe_set_health() */
};


/* The probe module's per-ctx state (its module slot). */
typedef struct probe_module {
  siphb_hmap branches; /* branch -> probe */
  siphb_hmap peers;    /* peer -> probes, for siphb_ctx_peer_event() */
} probe_module;

static inline siphb_probe *probe_of_branch(siphb_hmap_node *n) {
  return (siphb_probe *)(void *)((char *)n - offsetof(siphb_probe, branch_node));
}

/* The module state, creating it (and registering the receive hook) with
 * the ctx's first probe. Returns 0, SIPHB_ERR_NOMEM or a callback failure
 * from `random` (the map's key). */
int siphb_probe_module(siphb_ctx *ctx, probe_module **out);

/* probe_round.c: the wheel callbacks, the first round, abandoning one, and
 * the receive hook for SIP responses. */
int siphb_probe_round_fire(siphb_wheel_node *node, siphb_ms now, void *arg);
int siphb_probe_txn_fire(siphb_wheel_node *node, siphb_ms now, void *arg);
void siphb_probe_schedule_first(siphb_probe *p, siphb_ms now);
void siphb_probe_abandon(siphb_probe *p);
int siphb_probe_rx(siphb_ctx *ctx, const siphb_peer *peer, const uint8_t *data, size_t len,
                   const siphb_sip_msg *sip, siphb_rx_result *result, siphb_ms now);
int siphb_probe_peer_event(siphb_ctx *ctx, const siphb_peer *peer, siphb_peer_event what,
                           siphb_ms now);

/* The probe's entry in the peer map, under its current peer. */
void siphb_probe_link_peer(siphb_probe *p, probe_module *m);

#endif /* SIPHB_LIB_KEEPALIVE_PROBE_INT_H */
