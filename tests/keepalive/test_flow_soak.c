/*
 * test_flow_soak.c - 1,000 flows (CRLF on TCP, STUN on UDP and TCP, with
 * and without FINGERPRINT) for 30 simulated days over a network that
 * loses, delays (past the pong and STUN timeouts), duplicates and reorders
 * answers, forges them (a wrong transaction id, the right one from another
 * peer, a pong from a peer without a flow), rebinds NATs, answers with STUN
 * errors, closes connections and sometimes refuses sends. The integrator
 * restarts every flow on a new peer at RECOVER_DUE. Checked throughout:
 *   - every keepalive ends in exactly one outcome (its first send opens
 *     it; ALIVE or FAILED closes it; at most one is open per flow);
 *   - a forged answer is never consumed; a STUN response is consumed
 *     exactly when its transaction is in flight on that peer; a pong from
 *     the flow's peer always is;
 *   - each keepalive starts exactly when the interval drawn at the one
 *     before (within its range) says, or when that one ended if later;
 *   - at siphb_ctx_del() every allocation has been given back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <siphb/siphb.h>

#include "failmem.h"
#include "quietctx.h"
#include "rndtest.h"

#define FLOWS 1000
#define DAYS 30
#define IMIN (2880 * 1000) /* 48-60 min: 30 days are about 800 keepalives a flow */
#define IMAX (3600 * 1000)
#define MAX_PENDING 65536

typedef enum forge { F_NONE = 0, F_TXID, F_PEER } forge;

typedef struct pending {
  siphb_ms at;
  size_t flow;
  uint32_t ka;       /* the keepalive it answers */
  siphb_peer from;
  forge forged;
  uint8_t data[64];
  size_t len;
} pending;

typedef struct flow_track {
  siphb_flow *f;
  uint32_t started, ended;
  bool open;
  siphb_ms base;      /* the previous keepalive's start (or the restart) */
  siphb_ms drawn;     /* the interval drawn then */
  siphb_ms last_end;  /* when the previous keepalive ended */
  uint32_t gen;       /* restarts */
  uint16_t port;      /* the mapped port the "NAT" reports */
} flow_track;

typedef struct soak {
  siphb_ctx *ctx;
  siphb_ms now;
  uint64_t rng;
  flow_track t[FLOWS];
  pending *q;
  size_t nq;
  uint64_t sends, refused, lost, dups, forged_sent, consumed, alive, failed, recovered;
  uint64_t late_checked, closes, errors, rebinds;
} soak;

static soak *W;

static uint64_t below(uint64_t n) { return rnd_splitmix(&W->rng) % n; }

static siphb_peer peer_of(size_t k, uint32_t gen) {
  siphb_peer p = {(uint64_t)k + 1 + (uint64_t)gen * 1000000, NULL,
                  k % 4 == 1 || k % 4 == 2 ? SIPHB_TRANSPORT_TCP : SIPHB_TRANSPORT_UDP};
  return p;
}

/* The STUN server's answer to `req`. */
static size_t stun_answer(uint8_t *out, size_t cap, const uint8_t *req, size_t len, uint16_t port,
                          bool error, bool fingerprint) {
  siphb_stun_msg m;
  assert_true(siphb_stun_parse(&m, req, len, NULL, NULL) > 0);
  siphb_stun_encoder e;
  assert_int_equal(siphb_stun_encode_start_response(&e, out, cap, &m,
                                                    error ? SIPHB_STUN_ERROR : SIPHB_STUN_SUCCESS),
                   0);
  if (error) {
    assert_int_equal(siphb_stun_encode_error_code(&e, 500, (siphb_str){NULL, 0}), 0);
  } else {
    siphb_mapped_addr a = {1, 0, port, {198, 51, 100, 7}};
    assert_int_equal(siphb_stun_encode_xor_mapped_address(&e, &a), 0);
  }
  siphb_ssize n = siphb_stun_encode_finish(&e, NULL, fingerprint ? SIPHB_STUN_WITH_FINGERPRINT : 0);
  assert_true(n > 0);
  return (size_t)n;
}

static void enqueue(size_t k, const siphb_peer *from, const uint8_t *req, size_t len, bool stun,
                    forge f, siphb_ms delay) {
  if (W->nq == MAX_PENDING) return;
  flow_track *t = &W->t[k];
  pending *q = &W->q[W->nq++];
  q->at = W->now + delay;
  q->flow = k;
  q->ka = t->started;
  q->from = *from;
  q->forged = f;
  if (f == F_PEER) q->from.id += 500000000;
  if (stun) {
    bool error = f == F_NONE && below(1000) < 3;
    W->errors += error;
    q->len = stun_answer(q->data, sizeof q->data, req, len, t->port, error, below(2) == 0);
    if (f == F_TXID) q->data[8 + below(12)] ^= (uint8_t)(1 + below(255));
  } else {
    memcpy(q->data, "\r\n", 2);
    q->len = 2;
  }
}

static int soak_send(siphb_ctx *ctx, const siphb_send_info *info, const uint8_t *data,
                     size_t len, void *user_data) {
  (void)ctx;
  (void)user_data;
  size_t k = (size_t)(uintptr_t)info->object_user_data;
  flow_track *t = &W->t[k];
  W->sends++;
  if (info->attempt == 0) {
    /* a new keepalive: the previous one has ended; it starts when the
     * interval drawn at the previous one says, or when that one ended */
    assert_false(t->open);
    siphb_ms want = t->base + t->drawn;
    if (t->last_end > want) want = t->last_end;
    assert_int_equal(W->now, want);
    t->open = true;
    t->started++;
    siphb_flow_stats st;
    assert_int_equal(siphb_flow_get_stats(t->f, &st), 0);
    assert_true(st.interval_last >= IMIN && st.interval_last <= IMAX);
    t->base = W->now;
    t->drawn = st.interval_last;
  }
  if (below(100) < 2) { /* 2 %: the socket refuses */
    W->refused++;
    return SIPHB_ERR_SEND;
  }
  bool stun = info->payload == SIPHB_PAYLOAD_STUN;
  if (below(100) < 15) {
    W->lost++;
  } else {
    /* 10 ms to 3 s; 5 % after the pong timeout, some after STUN's 39.5 s */
    siphb_ms delay = below(100) < 5 ? 9000 + below(35000) : 10 + below(3000);
    enqueue(k, &info->peer, data, len, stun, F_NONE, delay);
    if (below(100) < 10) {
      W->dups++;
      enqueue(k, &info->peer, data, len, stun, F_NONE, delay + below(8000));
    }
  }
  if (below(100) < 5) {
    W->forged_sent++;
    /* one decision at a time: the order of arguments' evaluation is the
     * compiler's, and the runs must be the same with every compiler */
    forge f = stun && below(2) ? F_TXID : F_PEER;
    enqueue(k, &info->peer, data, len, stun, f, below(5000));
  }
  return 0;
}

static void close_open(flow_track *t) {
  if (t->open) {
    t->open = false;
    t->ended++;
    t->last_end = W->now;
  }
}

static int soak_event(siphb_ctx *ctx, const siphb_event *ev, void *user_data) {
  (void)ctx;
  (void)user_data;
  size_t k = (size_t)(uintptr_t)ev->object_user_data;
  flow_track *t = &W->t[k];
  const siphb_event_flow *e = &ev->u.flow;
  switch (ev->type) {
  case SIPHB_EVENT_FLOW_ALIVE:
    assert_true(t->open); /* one outcome: the response */
    close_open(t);
    W->alive++;
    break;
  case SIPHB_EVENT_FLOW_FAILED:
    W->failed++;
    if (e->reason == SIPHB_FLOW_REASON_PONG_TIMEOUT || e->reason == SIPHB_FLOW_REASON_STUN_TIMEOUT ||
        e->reason == SIPHB_FLOW_REASON_STUN_ERROR || e->reason == SIPHB_FLOW_REASON_MAPPED_CHANGED ||
        e->reason == SIPHB_FLOW_REASON_SEND_FAILED)
      assert_true(t->open);
    close_open(t);
    assert_true(e->retry_at >= W->now);
    break;
  case SIPHB_EVENT_FLOW_RECOVER_DUE: {
    /* a new connection, re-registered: restart on it */
    assert_false(t->open);
    t->gen++;
    siphb_peer p = peer_of(k, t->gen);
    assert_int_equal(siphb_flow_restart(t->f, &p, W->now), 0);
    assert_int_equal(siphb_flow_set_outbound(t->f, true, W->now), 0);
    siphb_flow_stats st;
    assert_int_equal(siphb_flow_get_stats(t->f, &st), 0);
    t->base = W->now;
    t->drawn = st.interval_last;
    t->last_end = 0;
    break;
  }
  case SIPHB_EVENT_FLOW_RECOVERED: W->recovered++; break;
  case SIPHB_EVENT_FLOW_MAPPED_ADDRESS: assert_true(t->open); break;
  default: fail_msg("event %s", siphb_event_type_name(ev->type));
  }
  return 0;
}

static void deliver(size_t i) {
  pending q = W->q[i];
  W->q[i] = W->q[--W->nq];
  flow_track *t = &W->t[q.flow];
  const siphb_peer *cur = siphb_flow_get_peer(t->f);
  bool same_peer = q.from.id == cur->id && q.from.transport == cur->transport;
  bool in_flight = t->open && q.ka == t->started && same_peer;
  bool stun = q.len > 2;
  siphb_rx_result r;
  assert_int_equal(siphb_ctx_receive(W->ctx, &q.from, q.data, q.len, &r, W->now), 0);
  if (q.forged != F_NONE) {
    assert_false(r.consumed);
    return;
  }
  if (stun) {
    assert_int_equal(r.consumed, in_flight);
    if (!in_flight) W->late_checked++;
  } else {
    assert_int_equal(r.consumed, same_peer); /* answer or stray: the flow's */
  }
  W->consumed += r.consumed;
}

static void t_fresh(size_t k) {
  flow_track *t = &W->t[k];
  siphb_flow_stats st;
  assert_int_equal(siphb_flow_get_stats(t->f, &st), 0);
  t->base = W->now;
  t->drawn = st.interval_last;
}

/* The earliest queued answer, or SIZE_MAX. */
static size_t next_input(siphb_ms *at) {
  size_t first = SIZE_MAX;
  for (size_t i = 0; i < W->nq; i++)
    if (first == SIZE_MAX || W->q[i].at < W->q[first].at) first = i;
  if (first != SIZE_MAX) *at = W->q[first].at;
  return first;
}

/* After each advance: now and then a NAT rebinds or a connection closes. */
static void after_advance(void) {
  uint64_t r = below(100000);
  size_t k = (size_t)below(FLOWS);
  if (r < 30) {
    W->t[k].port++;
    W->rebinds++;
  } else if (r < 60) {
    W->closes++;
    assert_int_equal(siphb_ctx_peer_event(W->ctx, siphb_flow_get_peer(W->t[k].f),
                                          SIPHB_PEER_CLOSED, W->now),
                     0);
  }
}

static void test_soak(void **state) {
  (void)state;
  W = test_calloc(1, sizeof *W);
  W->q = test_calloc(MAX_PENDING, sizeof *W->q);
  W->rng = 20261207;
  failmem fm;
  failmem_init(&fm, -1);
  W->ctx = test_ctx_new(soak_send, soak_event, rnd_splitmix_fill, &fm.mem, &W->rng);
  for (size_t k = 0; k < FLOWS; k++) {
    siphb_flow_config c;
    siphb_flow_config_init(&c, sizeof c);
    c.mode = k % 4 == 2 ? SIPHB_FLOW_MODE_STUN : SIPHB_FLOW_MODE_AUTO;
    c.expect = SIPHB_FLOW_EXPECT_ALWAYS;
    c.interval_min = IMIN;
    c.interval_max = IMAX;
    c.report_alive = true; /* so that every answer is an event to check */
    c.stun_fingerprint = k % 8 == 3;
    c.outbound_set = (uint32_t)(k / 4);
    siphb_peer p = peer_of(k, 0);
    W->t[k].port = (uint16_t)(20000 + k);
    assert_int_equal(siphb_flow_new(&W->t[k].f, W->ctx, &c, &p, (void *)(uintptr_t)k, 0), 0);
    assert_int_equal(siphb_flow_start(W->t[k].f, 0), 0);
    t_fresh(k);
  }
  const siphb_ms end = (siphb_ms)DAYS * 86400 * 1000;
  test_drive(W->ctx, &W->now, end, next_input, deliver, after_advance);
  uint64_t started = 0, ended = 0;
  for (size_t k = 0; k < FLOWS; k++) {
    flow_track *t = &W->t[k];
    assert_true(t->started - t->ended <= 1);
    assert_int_equal(t->open, t->started != t->ended);
    siphb_flow_stats st;
    assert_int_equal(siphb_flow_get_stats(t->f, &st), 0);
    assert_int_equal(st.keepalives, t->started);
    started += t->started;
    ended += t->ended;
  }
  print_message("flow soak: %llu keepalives started, %llu ended, %llu sends (%llu refused, %llu "
                "lost), %llu consumed, %llu forged, %llu duplicates, %llu late checked, %llu "
                "alive, %llu failed, %llu recovered, %llu STUN errors, %llu rebinds, %llu "
                "closes\n",
                (unsigned long long)started, (unsigned long long)ended,
                (unsigned long long)W->sends, (unsigned long long)W->refused,
                (unsigned long long)W->lost, (unsigned long long)W->consumed,
                (unsigned long long)W->forged_sent, (unsigned long long)W->dups,
                (unsigned long long)W->late_checked, (unsigned long long)W->alive,
                (unsigned long long)W->failed, (unsigned long long)W->recovered,
                (unsigned long long)W->errors, (unsigned long long)W->rebinds,
                (unsigned long long)W->closes);
  assert_true(started >= (uint64_t)FLOWS * 600);
  assert_true(W->recovered > 0);
  siphb_ctx_del(W->ctx);
  assert_int_equal(fm.live_blocks, 0);
  test_free(W->q);
  test_free(W);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_soak)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
