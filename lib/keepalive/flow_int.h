/*
 * flow_int.h - the flow's state, shared by its two sources (internal):
 * flow.c (configuration, the object's life, the state machine, the
 * back-off, events) and flow_keepalive.c (sending pings, STUN requests and
 * raw payloads, receiving pongs and STUN responses, the timeouts).
 */
#ifndef SIPHB_LIB_KEEPALIVE_FLOW_INT_H
#define SIPHB_LIB_KEEPALIVE_FLOW_INT_H

#include <siphb/flow.h>
#include <siphb/stun.h>

#include "engine/ctx_int.h"
#include "engine/hmap.h"
#include "engine/obs.h"

/* No RTT yet (the compact counters keep milliseconds in 32 bits). */
#define FLOW_NO_RTT UINT32_MAX

/* The statistics, compact (32-bit counters wrap after 2^32);
 * siphb_flow_get_stats() widens them. */
typedef struct flow_counts {
  uint32_t keepalives, transmissions, retransmissions, responses, stun_errors, timeouts;
  uint32_t send_failures, abandoned, failures, recoveries, stray_pongs, rejected;
  uint32_t rtt_last, rtt_min, rtt_max, srtt;
  uint32_t interval_last;
} flow_counts;

/* A flow: one allocation, raw payload included (about 0.4 KiB;
 * tests/keepalive/test_flow.c prints it). */
struct siphb_flow {
  siphb_obj base; /* first: the handle is the object */
  siphb_peer peer;
  uint8_t cfg_mode;    /* as configured (AUTO is resolved again on _restart) */
  uint8_t mode;        /* resolved: CRLF, STUN or RAW */
  uint8_t expect;      /* a siphb_flow_expect */
  uint8_t state;       /* a siphb_flow_state */
  bool battery, stun_fingerprint, fail_on_mapped_change, report_alive;
  bool outbound;       /* siphb_flow_set_outbound(true) */
  bool active;         /* siphb_flow_set_active(true): a transaction uses the flow */
  bool pending;        /* a keepalive waits for its response */
  uint8_t transmissions; /* sends of the keepalive in flight */
  uint8_t stun_rc, stun_rm;
  uint8_t raw_len;
  uint8_t txid[SIPHB_STUN_TXID_SIZE]; /* of the STUN transaction in flight */
  uint32_t outbound_set;
  uint32_t flow_timer_s, flow_timer_permille;
  uint32_t cfg_min, cfg_max;  /* configured bounds (0, 0 = by mode) */
  uint32_t ival_min, ival_max; /* in effect */
  uint32_t pong_timeout, stun_rto, stun_total;
  uint32_t base_all, base_some, backoff_max;
  uint32_t failures;   /* consecutive: reset by RECOVERED (and ACTIVE -> UP) */
  uint16_t stun_error; /* of the last error response */
  siphb_mapped_addr mapped;
  flow_counts counts;
  siphb_ms sent_at;    /* first send of the keepalive in flight (or the last) */
  siphb_ms next_at;    /* when the next keepalive is due */
  siphb_ms timeout_at; /* the keepalive in flight fails then */
  siphb_ms retry_at;   /* FAILED: RECOVER_DUE */
  siphb_ms hold_until; /* _defer_recovery's Retry-After: no RECOVER_DUE before it */
  siphb_ms state_since;
  siphb_wheel_node ka_node;  /* the next keepalive, or the back-off */
  siphb_wheel_node txn_node; /* the pong timeout, STUN retransmissions and timeout */
  siphb_hmap_node peer_node; /* in the module's peer map for the flow's life */
  siphb_hmap_node txid_node; /* in the txid map while a STUN request waits */
  siphb_hmap_node set_node;  /* in the set map (outbound_set) for the flow's life */
  siphb_obs_link health; /* siphb_flow_set_health() */
  uint8_t raw[SIPHB_FLOW_RAW_MAX];
};

/* The flow module's per-ctx state (its module slot). */
typedef struct flow_module {
  siphb_hmap peers; /* peer -> flow (exactly one per peer) */
  siphb_hmap txids; /* STUN transaction id -> flow */
  siphb_hmap sets;  /* outbound_set -> flows, to count the live ones */
} flow_module;

flow_module *siphb_flow_module_of(siphb_ctx *ctx);

/* The flow on `peer`, or NULL. */
siphb_flow *siphb_flow_by_peer(flow_module *m, const siphb_peer *peer);
uint64_t siphb_flow_peer_hash(const flow_module *m, const siphb_peer *peer);

/* Running and not failed: what section 4.5's base time looks at. */
static inline bool siphb_flow_live(const siphb_flow *f) {
  return f->state == SIPHB_FLOW_STATE_ACTIVE || f->state == SIPHB_FLOW_STATE_UP ||
         f->state == SIPHB_FLOW_STATE_PROBATION;
}

/* A missing or negative answer fails the flow (section 4.4). */
static inline bool siphb_flow_expecting(const siphb_flow *f) {
  return f->expect == SIPHB_FLOW_EXPECT_ALWAYS ||
         (f->expect == SIPHB_FLOW_EXPECT_AFTER_OUTBOUND && f->outbound);
}

/* flow.c: events and the state machine. Each returns what the event
 * callback returned (0, SIPHB_ERR_CALLBACK_FAILURE, SIPHB_STOPPED). */
int siphb_flow_emit(siphb_flow *f, siphb_event_type type, siphb_flow_reason reason,
                    siphb_ms rtt, const siphb_mapped_addr *previous, siphb_ms due, siphb_ms now);
/* -> FAILED: the keepalive in flight must have ended; back-off, event. */
int siphb_flow_to_failed(siphb_flow *f, siphb_flow_reason reason, siphb_ms due, siphb_ms now);
/* A response ended the keepalive: UP, RECOVERED, ALIVE as they apply. */
int siphb_flow_on_alive(siphb_flow *f, siphb_ms rtt, siphb_ms now);
/* A new interval from the bounds in effect. */
siphb_ms siphb_flow_draw(siphb_flow *f);

/* flow_keepalive.c: the wheel callbacks, ending a keepalive, the hooks. */
int siphb_flow_ka_fire(siphb_wheel_node *node, siphb_ms now, void *arg);
int siphb_flow_txn_fire(siphb_wheel_node *node, siphb_ms now, void *arg);
/* Ends the keepalive in flight without an outcome of its own (counted as
 * abandoned when `count`). */
void siphb_flow_end_keepalive(siphb_flow *f, bool count);
/* The next keepalive at next_at, or now if that has passed. */
void siphb_flow_schedule(siphb_flow *f, siphb_ms now);
int siphb_flow_rx_pong(siphb_ctx *ctx, const siphb_peer *peer, const uint8_t *data, size_t len,
                       const siphb_sip_msg *sip, siphb_rx_result *result, siphb_ms now);
int siphb_flow_rx_stun(siphb_ctx *ctx, const siphb_peer *peer, const uint8_t *data, size_t len,
                       const siphb_sip_msg *sip, siphb_rx_result *result, siphb_ms now);
int siphb_flow_peer_event(siphb_ctx *ctx, const siphb_peer *peer, siphb_peer_event what,
                          siphb_ms now);
siphb_stream_role siphb_flow_role(siphb_ctx *ctx, const siphb_peer *peer);

#endif /* SIPHB_LIB_KEEPALIVE_FLOW_INT_H */
