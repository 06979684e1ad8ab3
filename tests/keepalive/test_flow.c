/*
 * test_flow.c - the RFC 5626 flow keepalive in simulated time. Scenarios
 * are tables: a timeline of what the network and the integrator do
 * (pongs, STUN responses built from the request actually sent, forged
 * ones, outbound confirmation, Flow-Timer, transport errors) in, the exact
 * sends (time, payload, attempt, bytes) and events (time, type, state,
 * reason) out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <siphb/siphb.h>

#include "failmem.h"
#include "keepalive/flow_int.h"
#include "simclock.h"

#define NEVER SIPHB_NEVER
#define N(a) (sizeof(a) / sizeof((a)[0]))

static sim *S;
static siphb_flow *F;
static const siphb_peer UDP_PEER = {7, NULL, SIPHB_TRANSPORT_UDP};
static const siphb_peer TCP_PEER = {8, NULL, SIPHB_TRANSPORT_TCP};
static const siphb_peer TCP_PEER2 = {9, NULL, SIPHB_TRANSPORT_TCP};
static const siphb_peer OTHER_UDP = {70, NULL, SIPHB_TRANSPORT_UDP};

typedef void (*tweak_fn)(siphb_flow_config *cfg);

static int setup(void **state) {
  (void)state;
  int rv;
  S = sim_new(NULL, &rv);
  assert_non_null(S);
  F = NULL;
  return 0;
}

static int teardown(void **state) {
  (void)state;
  sim_delete(S);
  return 0;
}

/* Fixed intervals (min = max) so that times are exact; the ranges have
 * their own test. */
static void base_config(siphb_flow_config *c, siphb_ms interval) {
  siphb_flow_config_init(c, sizeof *c);
  c->expect = SIPHB_FLOW_EXPECT_ALWAYS;
  c->interval_min = c->interval_max = interval;
}

static siphb_flow *new_flow(const siphb_peer *peer, siphb_ms interval, tweak_fn tweak) {
  siphb_flow_config c;
  base_config(&c, interval);
  if (tweak) tweak(&c);
  siphb_flow *f = NULL;
  assert_int_equal(siphb_flow_new(&f, S->ctx, &c, peer, NULL, S->now), 0);
  return f;
}

static void run_to(siphb_ms t) { assert_int_equal(sim_run_until(S, t), 0); }

/* ---- what the network sends back ----------------------------------------------------- */

static const siphb_mapped_addr ADDR_A = {1, 0, 40000, {192, 0, 2, 77}};
static const siphb_mapped_addr ADDR_B = {1, 0, 40001, {192, 0, 2, 77}};

typedef enum stun_kind {
  ST_OK,
  ST_ERROR,
  ST_FORGED_TXID,
  ST_BAD_FP,
  ST_NO_ADDR,
  ST_UNKNOWN_REQUIRED /* success with an unknown comprehension-required attribute */
} stun_kind;

/* The response to send #k (a Binding request): success with addr, an
 * error with `code`, or a forgery. */
static size_t make_stun(uint8_t *out, size_t cap, size_t k, stun_kind kind,
                        const siphb_mapped_addr *addr, unsigned code) {
  assert_true(k < S->nsends);
  siphb_stun_msg req;
  assert_true(siphb_stun_parse(&req, S->sends[k].data, S->sends[k].len, NULL, NULL) > 0);
  assert_int_equal(req.cls, SIPHB_STUN_REQUEST);
  siphb_stun_encoder e;
  assert_int_equal(siphb_stun_encode_start_response(&e, out, cap, &req,
                                                    kind == ST_ERROR ? SIPHB_STUN_ERROR
                                                                     : SIPHB_STUN_SUCCESS),
                   0);
  if (kind == ST_ERROR)
    assert_int_equal(siphb_stun_encode_error_code(&e, code, (siphb_str){NULL, 0}), 0);
  else if (kind != ST_NO_ADDR)
    assert_int_equal(siphb_stun_encode_xor_mapped_address(&e, addr), 0);
  if (kind == ST_UNKNOWN_REQUIRED) /* 0x7f00: comprehension-required, unassigned */
    assert_int_equal(siphb_stun_encode_attr(&e, 0x7f00, "abcd", 4), 0);
  siphb_ssize n = siphb_stun_encode_finish(&e, NULL, kind == ST_BAD_FP ? SIPHB_STUN_WITH_FINGERPRINT
                                                                       : 0);
  assert_true(n > 0);
  if (kind == ST_FORGED_TXID) out[19] ^= 1;
  if (kind == ST_BAD_FP) out[n - 1] ^= 1;
  return (size_t)n;
}

static siphb_rx_result deliver(const siphb_peer *peer, const uint8_t *buf, size_t n) {
  siphb_rx_result r;
  assert_int_equal(siphb_ctx_receive(S->ctx, peer, buf, n, &r, S->now), 0);
  if (r.need == 0) assert_int_equal(r.length, n);
  if (r.consumed) assert_int_equal(r.object_kind, SIPHB_OBJECT_FLOW);
  return r;
}

/* ---- scenario tables ------------------------------------------------------------------- */

typedef enum act {
  A_PONG,        /* "\r\n" from the flow's peer */
  A_PONG2,       /* "\r\n\r\n": two pongs back to back */
  A_STUN,        /* a STUN response (kind, send #, address, code) */
  A_STUN_OTHER,  /* the right response from another peer */
  A_OUTBOUND,    /* siphb_flow_set_outbound(true) */
  A_FLOW_TIMER,  /* siphb_flow_set_flow_timer(arg) */
  A_CLOSED,      /* siphb_ctx_peer_event(CLOSED) */
  A_UNREACHABLE, /* siphb_ctx_peer_event(UNREACHABLE) */
  A_FAIL,        /* siphb_flow_fail(INTEGRATOR) */
  A_RESTART,     /* siphb_flow_restart(TCP_PEER2) */
  A_NOW,         /* siphb_flow_keepalive_now */
} act;

typedef struct step {
  siphb_ms at;
  act a;
  stun_kind kind;
  size_t send;
  const siphb_mapped_addr *addr;
  unsigned arg;
  bool consumed; /* expected, for receives */
} step;

typedef struct want_send {
  siphb_ms at;
  siphb_payload_kind payload;
  uint32_t attempt;
} want_send;

typedef struct want_event {
  siphb_ms at;
  siphb_event_type type;
  siphb_flow_state state;
  siphb_flow_reason reason;
  siphb_ms rtt; /* checked unless 0 */
} want_event;

typedef struct scenario {
  const char *name;
  const siphb_peer *peer;
  siphb_ms interval;
  tweak_fn tweak;
  const step *steps;
  size_t nsteps;
  siphb_ms until;
  const want_send *sends;
  size_t nsends;
  const want_event *events;
  size_t nevents;
  siphb_flow_stats want; /* the counters checked: non-zero ones of these */
} scenario;

static void do_step(const scenario *sc, const step *st, size_t i) {
  uint8_t buf[256];
  siphb_rx_result r;
  bool rx = false;
  switch (st->a) {
  case A_PONG:
    r = deliver(siphb_flow_get_peer(F), (const uint8_t *)"\r\n", 2);
    rx = true;
    break;
  case A_PONG2:
    r = deliver(siphb_flow_get_peer(F), (const uint8_t *)"\r\n\r\n", 4);
    rx = true;
    break;
  case A_STUN:
  case A_STUN_OTHER: {
    size_t n = make_stun(buf, sizeof buf, st->send, st->kind, st->addr, st->arg);
    r = deliver(st->a == A_STUN ? siphb_flow_get_peer(F) : &OTHER_UDP, buf, n);
    rx = true;
    break;
  }
  case A_OUTBOUND: assert_int_equal(siphb_flow_set_outbound(F, true, S->now), 0); break;
  case A_FLOW_TIMER: assert_int_equal(siphb_flow_set_flow_timer(F, st->arg, S->now), 0); break;
  case A_CLOSED:
    assert_int_equal(siphb_ctx_peer_event(S->ctx, siphb_flow_get_peer(F), SIPHB_PEER_CLOSED, S->now), 0);
    break;
  case A_UNREACHABLE:
    assert_int_equal(
        siphb_ctx_peer_event(S->ctx, siphb_flow_get_peer(F), SIPHB_PEER_UNREACHABLE, S->now), 0);
    break;
  case A_FAIL: assert_int_equal(siphb_flow_fail(F, SIPHB_FLOW_REASON_INTEGRATOR, S->now), 0); break;
  case A_RESTART: assert_int_equal(siphb_flow_restart(F, &TCP_PEER2, S->now), 0); break;
  case A_NOW: assert_int_equal(siphb_flow_keepalive_now(F, S->now), 0); break;
  }
  if (rx && r.consumed != st->consumed)
    fail_msg("%s: step %zu (at %llu): consumed should be %d", sc->name, i,
             (unsigned long long)st->at, st->consumed);
}

static void check_bytes(const scenario *sc, size_t i, const sim_send *got) {
  switch (got->info.payload) {
  case SIPHB_PAYLOAD_CRLF_PING:
    assert_int_equal(got->len, 4);
    assert_memory_equal(got->data, "\r\n\r\n", 4);
    break;
  case SIPHB_PAYLOAD_STUN: {
    /* RFC 5389 section 6: Binding request, Length 0, the magic cookie; the
     * same bytes for each retransmission of one transaction */
    static const uint8_t head[8] = {0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42};
    assert_int_equal(got->len, 20);
    assert_memory_equal(got->data, head, 8);
    if (got->info.attempt > 0) assert_memory_equal(got->data, S->sends[i - 1].data, 20);
    if (got->info.attempt == 0 && i > 0 && S->sends[i - 1].info.payload == SIPHB_PAYLOAD_STUN &&
        memcmp(got->data + 8, S->sends[i - 1].data + 8, 12) == 0)
      fail_msg("%s: send %zu reuses the previous transaction id", sc->name, i);
    break;
  }
  case SIPHB_PAYLOAD_RAW:
    assert_int_equal(got->len, 5);
    assert_memory_equal(got->data, "HELLO", 5);
    break;
  default: fail_msg("%s: send %zu: payload %d", sc->name, i, (int)got->info.payload);
  }
}

static void run(const scenario *sc) {
  F = new_flow(sc->peer, sc->interval, sc->tweak);
  assert_int_equal(siphb_flow_start(F, 0), 0);
  for (size_t i = 0; i < sc->nsteps; i++) {
    run_to(sc->steps[i].at);
    do_step(sc, &sc->steps[i], i);
  }
  run_to(sc->until);
  for (size_t i = 0; i < sc->nsends && i < S->nsends; i++) {
    const sim_send *got = &S->sends[i];
    const want_send *w = &sc->sends[i];
    if (got->at != w->at || got->info.payload != w->payload || got->info.attempt != w->attempt)
      fail_msg("%s: send %zu at %llu payload %d attempt %u; want at %llu payload %d attempt %u",
               sc->name, i, (unsigned long long)got->at, (int)got->info.payload,
               got->info.attempt, (unsigned long long)w->at, (int)w->payload, w->attempt);
    assert_int_equal(got->info.object_kind, SIPHB_OBJECT_FLOW);
    assert_ptr_equal(got->info.object, F);
    check_bytes(sc, i, got);
  }
  if (S->nsends != sc->nsends) fail_msg("%s: %zu sends, want %zu", sc->name, S->nsends, sc->nsends);
  for (size_t i = 0; i < sc->nevents && i < S->nrecords; i++) {
    const sim_record *r = &S->records[i];
    const want_event *w = &sc->events[i];
    const siphb_event_flow *e = &r->event.u.flow;
    if (r->at != w->at || r->event.type != w->type || e->state != w->state ||
        e->reason != w->reason || (w->rtt && e->rtt != w->rtt))
      fail_msg("%s: event %zu: at %llu %s state %d reason %d rtt %llu; want at %llu %s state %d "
               "reason %d rtt %llu",
               sc->name, i, (unsigned long long)r->at, siphb_event_type_name(r->event.type),
               (int)e->state, (int)e->reason, (unsigned long long)e->rtt,
               (unsigned long long)w->at, siphb_event_type_name(w->type), (int)w->state,
               (int)w->reason, (unsigned long long)w->rtt);
    assert_ptr_equal(r->event.object, F);
    assert_int_equal(r->event.object_kind, SIPHB_OBJECT_FLOW);
  }
  if (S->nrecords != sc->nevents)
    fail_msg("%s: %zu events, want %zu", sc->name, S->nrecords, sc->nevents);
  siphb_flow_stats st;
  assert_int_equal(siphb_flow_get_stats(F, &st), 0);
#define CHECK(field)                                                                            \
  if (sc->want.field && st.field != sc->want.field)                                             \
    fail_msg("%s: stats." #field " %llu, want %llu", sc->name, (unsigned long long)st.field,     \
             (unsigned long long)sc->want.field);
  CHECK(keepalives)
  CHECK(responses)
  CHECK(stray_pongs)
  CHECK(timeouts)
  CHECK(retransmissions)
  CHECK(stun_errors)
  CHECK(rejected)
  CHECK(failures)
  CHECK(recoveries)
#undef CHECK
}

#define SC(name, peer, interval, tweak, steps, until, sends, events, ...)                       \
  {name, peer, interval, tweak, steps, N(steps), until, sends, N(sends), events, N(events),     \
   __VA_ARGS__}

static void t_after_outbound(siphb_flow_config *c) { c->expect = SIPHB_FLOW_EXPECT_AFTER_OUTBOUND; }
static void t_stun(siphb_flow_config *c) { c->mode = SIPHB_FLOW_MODE_STUN; }
static void t_raw(siphb_flow_config *c) {
  c->mode = SIPHB_FLOW_MODE_RAW;
  c->raw_payload = siphb_str_c("HELLO");
}
static void t_report_alive(siphb_flow_config *c) { c->report_alive = true; }
static void t_exact_flow_timer(siphb_flow_config *c) { c->flow_timer_permille = 1000; }
static void t_keep_mapped(siphb_flow_config *c) { c->fail_on_mapped_change = false; }

/* CRLF on TCP: the ping, the pong 50 ms later (ACTIVE -> UP, one ALIVE: a
 * state change), the next ping one interval after the first was sent; a
 * second pong (report_alive false) is silent. "\r\n\r\n" at the client
 * end is two pongs: one answers, one is stray. */
static const step crlf_steps[] = {{100050, A_PONG, 0, 0, NULL, 0, true},
                                  {200020, A_PONG2, 0, 0, NULL, 0, true}};
static const want_send crlf_sends[] = {{100000, SIPHB_PAYLOAD_CRLF_PING, 0},
                                       {200000, SIPHB_PAYLOAD_CRLF_PING, 0},
                                       {300000, SIPHB_PAYLOAD_CRLF_PING, 0}};
static const want_event crlf_events[] = {
    {100050, SIPHB_EVENT_FLOW_ALIVE, SIPHB_FLOW_STATE_UP, SIPHB_FLOW_REASON_NONE, 50}};

/* No pong: FAILED at exactly 10 s (section 4.4.1); the late pong is stray. */
static const step timeout_steps[] = {{110000, A_PONG, 0, 0, NULL, 0, true}};
static const want_send timeout_sends[] = {{100000, SIPHB_PAYLOAD_CRLF_PING, 0}};
static const want_event timeout_events[] = {
    {110000, SIPHB_EVENT_FLOW_FAILED, SIPHB_FLOW_STATE_FAILED, SIPHB_FLOW_REASON_PONG_TIMEOUT, 0}};

/* AFTER_OUTBOUND: the missing pong at 110 s is only counted; after
 * set_outbound(true) the next missing one fails the flow. */
static const step outbound_steps[] = {{150000, A_OUTBOUND, 0, 0, NULL, 0, false}};
static const want_send outbound_sends[] = {{100000, SIPHB_PAYLOAD_CRLF_PING, 0},
                                           {200000, SIPHB_PAYLOAD_CRLF_PING, 0}};
static const want_event outbound_events[] = {
    {210000, SIPHB_EVENT_FLOW_FAILED, SIPHB_FLOW_STATE_FAILED, SIPHB_FLOW_REASON_PONG_TIMEOUT, 0}};

/* STUN on UDP without an answer: RTO 500 ms doubling, Rc = 7 sends, then
 * Rm*RTO = 8 s: sends at +0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s, failure at
 * +39.5 s (RFC 5389 section 7.2.1). */
static const step none[] = {{0, A_OUTBOUND, 0, 0, NULL, 0, false}};
static const want_send udp_silence_sends[] = {
    {25000, SIPHB_PAYLOAD_STUN, 0}, {25500, SIPHB_PAYLOAD_STUN, 1}, {26500, SIPHB_PAYLOAD_STUN, 2},
    {28500, SIPHB_PAYLOAD_STUN, 3}, {32500, SIPHB_PAYLOAD_STUN, 4}, {40500, SIPHB_PAYLOAD_STUN, 5},
    {56500, SIPHB_PAYLOAD_STUN, 6}};
static const want_event stun_timeout_events[] = {
    {64500, SIPHB_EVENT_FLOW_FAILED, SIPHB_FLOW_STATE_FAILED, SIPHB_FLOW_REASON_STUN_TIMEOUT, 0}};
/* On TCP: one send, the same 39.5 s. */
static const want_send tcp_silence_sends[] = {{25000, SIPHB_PAYLOAD_STUN, 0}};

/* A success response: the mapped address learned (204), then UP (200);
 * the same address again is silent. */
static const step stun_ok_steps[] = {{25040, A_STUN, ST_OK, 0, &ADDR_A, 0, true},
                                     {50030, A_STUN, ST_OK, 1, &ADDR_A, 0, true}};
static const want_send stun_ok_sends[] = {{25000, SIPHB_PAYLOAD_STUN, 0},
                                          {50000, SIPHB_PAYLOAD_STUN, 0},
                                          {75000, SIPHB_PAYLOAD_STUN, 0}};
static const want_event stun_ok_events[] = {
    {25040, SIPHB_EVENT_FLOW_MAPPED_ADDRESS, SIPHB_FLOW_STATE_ACTIVE, SIPHB_FLOW_REASON_NONE, 40},
    {25040, SIPHB_EVENT_FLOW_ALIVE, SIPHB_FLOW_STATE_UP, SIPHB_FLOW_REASON_NONE, 40}};

/* NAT rebinding: another address in the second response: 204, then 201. */
static const step rebind_steps[] = {{25040, A_STUN, ST_OK, 0, &ADDR_A, 0, true},
                                    {50030, A_STUN, ST_OK, 1, &ADDR_B, 0, true}};
static const want_send rebind_sends[] = {{25000, SIPHB_PAYLOAD_STUN, 0},
                                         {50000, SIPHB_PAYLOAD_STUN, 0}};
static const want_event rebind_events[] = {
    {25040, SIPHB_EVENT_FLOW_MAPPED_ADDRESS, SIPHB_FLOW_STATE_ACTIVE, SIPHB_FLOW_REASON_NONE, 40},
    {25040, SIPHB_EVENT_FLOW_ALIVE, SIPHB_FLOW_STATE_UP, SIPHB_FLOW_REASON_NONE, 40},
    {50030, SIPHB_EVENT_FLOW_MAPPED_ADDRESS, SIPHB_FLOW_STATE_UP, SIPHB_FLOW_REASON_NONE, 30},
    {50030, SIPHB_EVENT_FLOW_FAILED, SIPHB_FLOW_STATE_FAILED, SIPHB_FLOW_REASON_MAPPED_CHANGED, 0}};
/* ... and with fail_on_mapped_change false (report_alive too): 204, 200. */
static void t_keep_mapped_alive(siphb_flow_config *c) {
  t_keep_mapped(c);
  t_report_alive(c);
}
static const want_send rebind_kept_sends[] = {{25000, SIPHB_PAYLOAD_STUN, 0},
                                              {50000, SIPHB_PAYLOAD_STUN, 0},
                                              {75000, SIPHB_PAYLOAD_STUN, 0}};
static const want_event rebind_kept_events[] = {
    {25040, SIPHB_EVENT_FLOW_MAPPED_ADDRESS, SIPHB_FLOW_STATE_ACTIVE, SIPHB_FLOW_REASON_NONE, 40},
    {25040, SIPHB_EVENT_FLOW_ALIVE, SIPHB_FLOW_STATE_UP, SIPHB_FLOW_REASON_NONE, 40},
    {50030, SIPHB_EVENT_FLOW_MAPPED_ADDRESS, SIPHB_FLOW_STATE_UP, SIPHB_FLOW_REASON_NONE, 30},
    {50030, SIPHB_EVENT_FLOW_ALIVE, SIPHB_FLOW_STATE_UP, SIPHB_FLOW_REASON_NONE, 30}};

/* A Binding error response fails the flow (section 4.4.2). */
static const step stun_error_steps[] = {{25020, A_STUN, ST_ERROR, 0, NULL, 500, true}};
static const want_send stun_error_sends[] = {{25000, SIPHB_PAYLOAD_STUN, 0}};
static const want_event stun_error_events[] = {
    {25020, SIPHB_EVENT_FLOW_FAILED, SIPHB_FLOW_STATE_FAILED, SIPHB_FLOW_REASON_STUN_ERROR, 0}};

/* RFC 8489 section 6.3.4: a success with an unknown comprehension-required
 * attribute fails the transaction, and so the flow. */
static const step stun_unknown_steps[] = {{25020, A_STUN, ST_UNKNOWN_REQUIRED, 0, &ADDR_A, 0, true}};
static const want_event stun_unknown_events[] = {
    {25020, SIPHB_EVENT_FLOW_FAILED, SIPHB_FLOW_STATE_FAILED, SIPHB_FLOW_REASON_STUN_ERROR, 0}};

/* Forgeries: a wrong transaction id and the right one from another peer
 * are not consumed; a bad FINGERPRINT and no XOR-MAPPED-ADDRESS are the
 * flow's but refused; none of them ends the transaction, the real one
 * (after one retransmission) does. */
static const step forged_steps[] = {{25100, A_STUN, ST_FORGED_TXID, 0, &ADDR_A, 0, false},
                                    {25200, A_STUN_OTHER, ST_OK, 0, &ADDR_A, 0, false},
                                    {25300, A_STUN, ST_BAD_FP, 0, &ADDR_A, 0, true},
                                    {25400, A_STUN, ST_NO_ADDR, 0, NULL, 0, true},
                                    {25600, A_STUN, ST_OK, 0, &ADDR_A, 0, true},
                                    {25700, A_STUN, ST_OK, 0, &ADDR_A, 0, false}};
static const want_send forged_sends[] = {{25000, SIPHB_PAYLOAD_STUN, 0},
                                         {25500, SIPHB_PAYLOAD_STUN, 1},
                                         {50000, SIPHB_PAYLOAD_STUN, 0}};
static const want_event forged_events[] = {
    {25600, SIPHB_EVENT_FLOW_MAPPED_ADDRESS, SIPHB_FLOW_STATE_ACTIVE, SIPHB_FLOW_REASON_NONE, 600},
    {25600, SIPHB_EVENT_FLOW_ALIVE, SIPHB_FLOW_STATE_UP, SIPHB_FLOW_REASON_NONE, 600}};

/* Flow-Timer (permille 1000: exactly F): 30 s at 10 s moves the keepalive
 * planned for 100 s to 40 s; 0 at 80 s restores the configured 100 s (the
 * keepalive due at 100 s stays). */
static const step ft_steps[] = {{10000, A_FLOW_TIMER, 0, 0, NULL, 30, false},
                                {40010, A_PONG, 0, 0, NULL, 0, true},
                                {70010, A_PONG, 0, 0, NULL, 0, true},
                                {80000, A_FLOW_TIMER, 0, 0, NULL, 0, false},
                                {100010, A_PONG, 0, 0, NULL, 0, true}};
static const want_send ft_sends[] = {{40000, SIPHB_PAYLOAD_CRLF_PING, 0},
                                     {70000, SIPHB_PAYLOAD_CRLF_PING, 0},
                                     {100000, SIPHB_PAYLOAD_CRLF_PING, 0},
                                     {200000, SIPHB_PAYLOAD_CRLF_PING, 0}};
static const want_event ft_events[] = {
    {10000, SIPHB_EVENT_FLOW_INTERVAL, SIPHB_FLOW_STATE_ACTIVE, SIPHB_FLOW_REASON_NONE, 0},
    {40010, SIPHB_EVENT_FLOW_ALIVE, SIPHB_FLOW_STATE_UP, SIPHB_FLOW_REASON_NONE, 10},
    {80000, SIPHB_EVENT_FLOW_INTERVAL, SIPHB_FLOW_STATE_UP, SIPHB_FLOW_REASON_NONE, 0}};

/* RAW: the payload every interval, nothing expected, no event. */
static const want_send raw_sends[] = {{25000, SIPHB_PAYLOAD_RAW, 0},
                                      {50000, SIPHB_PAYLOAD_RAW, 0},
                                      {75000, SIPHB_PAYLOAD_RAW, 0}};
static const want_event no_events[] = {{0, SIPHB_EVENT_NONE, 0, 0, 0}};

/* Transport events: CLOSED -> PEER_CLOSED, UNREACHABLE -> SEND_FAILED,
 * the ping in flight abandoned. */
static const step closed_steps[] = {{100005, A_CLOSED, 0, 0, NULL, 0, false}};
static const want_event closed_events[] = {
    {100005, SIPHB_EVENT_FLOW_FAILED, SIPHB_FLOW_STATE_FAILED, SIPHB_FLOW_REASON_PEER_CLOSED, 0}};
static const step unreachable_steps[] = {{30000, A_UNREACHABLE, 0, 0, NULL, 0, false}};
static const want_event unreachable_events[] = {
    {30000, SIPHB_EVENT_FLOW_FAILED, SIPHB_FLOW_STATE_FAILED, SIPHB_FLOW_REASON_SEND_FAILED, 0}};

/* report_alive: an ALIVE for every pong. */
static const step alive_steps[] = {{100010, A_PONG, 0, 0, NULL, 0, true},
                                   {200020, A_PONG, 0, 0, NULL, 0, true}};
static const want_send alive_sends[] = {{100000, SIPHB_PAYLOAD_CRLF_PING, 0},
                                        {200000, SIPHB_PAYLOAD_CRLF_PING, 0}};
static const want_event alive_events[] = {
    {100010, SIPHB_EVENT_FLOW_ALIVE, SIPHB_FLOW_STATE_UP, SIPHB_FLOW_REASON_NONE, 10},
    {200020, SIPHB_EVENT_FLOW_ALIVE, SIPHB_FLOW_STATE_UP, SIPHB_FLOW_REASON_NONE, 20}};

static const scenario scenarios[] = {
    SC("crlf ping and pong", &TCP_PEER, 100000, NULL, crlf_steps, 300005, crlf_sends, crlf_events,
       {.keepalives = 3, .responses = 2, .stray_pongs = 1}),
    SC("pong timeout at 10 s, late pong stray", &TCP_PEER, 100000, NULL, timeout_steps, 111000,
       timeout_sends, timeout_events, {.keepalives = 1, .timeouts = 1, .stray_pongs = 1, .failures = 1}),
    SC("expect after outbound", &TCP_PEER, 100000, t_after_outbound, outbound_steps, 215000,
       outbound_sends, outbound_events, {.keepalives = 2, .timeouts = 2, .failures = 1}),
    SC("stun udp retransmissions", &UDP_PEER, 25000, NULL, none, 70000, udp_silence_sends,
       stun_timeout_events, {.keepalives = 1, .retransmissions = 6, .timeouts = 1}),
    SC("stun tcp one send", &TCP_PEER, 25000, t_stun, none, 70000, tcp_silence_sends,
       stun_timeout_events, {.keepalives = 1, .timeouts = 1}),
    SC("stun success", &UDP_PEER, 25000, NULL, stun_ok_steps, 75005, stun_ok_sends, stun_ok_events,
       {.responses = 2}),
    SC("nat rebinding", &UDP_PEER, 25000, NULL, rebind_steps, 75005, rebind_sends, rebind_events,
       {.responses = 2, .failures = 1}),
    SC("nat rebinding kept", &UDP_PEER, 25000, t_keep_mapped_alive, rebind_steps, 75005,
       rebind_kept_sends, rebind_kept_events, {.responses = 2}),
    SC("stun error", &UDP_PEER, 25000, NULL, stun_error_steps, 30000, stun_error_sends,
       stun_error_events, {.stun_errors = 1, .failures = 1}),
    SC("stun unknown required attribute", &UDP_PEER, 25000, NULL, stun_unknown_steps, 30000,
       stun_error_sends, stun_unknown_events, {.rejected = 1, .failures = 1}),
    SC("forged stun", &UDP_PEER, 25000, NULL, forged_steps, 50005, forged_sends, forged_events,
       {.responses = 1, .rejected = 2, .retransmissions = 1}),
    SC("flow timer", &TCP_PEER, 100000, t_exact_flow_timer, ft_steps, 200005, ft_sends, ft_events,
       {.responses = 3}),
    SC("raw", &UDP_PEER, 25000, t_raw, none, 75005, raw_sends, no_events, {.keepalives = 3}),
    SC("peer closed", &TCP_PEER, 100000, NULL, closed_steps, 100010, timeout_sends, closed_events,
       {.failures = 1}),
    SC("peer unreachable", &UDP_PEER, 25000, NULL, unreachable_steps, 30005, udp_silence_sends,
       unreachable_events, {.failures = 1}),
    SC("report alive", &TCP_PEER, 100000, t_report_alive, alive_steps, 200030, alive_sends,
       alive_events, {.responses = 2}),
};

static void test_scenarios(void **state) {
  (void)state;
  for (size_t i = 0; i < N(scenarios); i++) {
    setup(NULL);
    scenario sc = scenarios[i];
    if (sc.events == no_events) sc.nevents = 0;
    /* the unreachable case sees only what went out before 30 s */
    if (sc.sends == udp_silence_sends && sc.steps == unreachable_steps) sc.nsends = 4;
    run(&sc);
    siphb_flow_del(F);
    teardown(NULL);
  }
}

/* ---- interval ranges ---------------------------------------------------------------- */

/* Drawn anew for every keepalive, uniformly in the bounds by mode and
 * battery (sections 4.4.1, 4.4.2), and with Flow-Timer [0.8 F, F]. */
static void test_interval_ranges(void **state) {
  (void)state;
  static const struct {
    const siphb_peer *peer;
    bool battery;
    uint32_t flow_timer;
    siphb_ms lo, hi;
  } cases[] = {{&TCP_PEER, false, 0, 95000, 120000},
               {&TCP_PEER, true, 0, 672000, 840000},
               {&UDP_PEER, false, 0, 24000, 29000},
               {&TCP_PEER, false, 120, 96000, 120000},
               {&UDP_PEER, false, 25, 20000, 25000}};
  for (size_t i = 0; i < N(cases); i++) {
    setup(NULL);
    siphb_flow_config c;
    siphb_flow_config_init(&c, sizeof c);
    c.mode = SIPHB_FLOW_MODE_RAW; /* nothing to answer: only the timing */
    c.battery = cases[i].battery;
    c.expect = SIPHB_FLOW_EXPECT_NEVER;
    assert_int_equal(siphb_flow_new(&F, S->ctx, &c, cases[i].peer, NULL, 0), 0);
    /* RAW uses the UDP defaults; CRLF's are checked through the bounds of
     * a CRLF flow below */
    if (cases[i].peer == &TCP_PEER && cases[i].flow_timer == 0) {
      siphb_flow_del(F);
      c.mode = SIPHB_FLOW_MODE_CRLF;
      assert_int_equal(siphb_flow_new(&F, S->ctx, &c, cases[i].peer, NULL, 0), 0);
    }
    if (cases[i].flow_timer) assert_int_equal(siphb_flow_set_flow_timer(F, cases[i].flow_timer, 0), 0);
    assert_int_equal(siphb_flow_start(F, 0), 0);
    siphb_flow_stats st;
    assert_int_equal(siphb_flow_get_stats(F, &st), 0);
    assert_int_equal(st.interval_min, cases[i].lo);
    assert_int_equal(st.interval_max, cases[i].hi);
    siphb_ms lo = NEVER, hi = 0, prev = 0;
    size_t seen = 0;
    for (size_t k = 0; k < 200; k++) {
      siphb_ms next = siphb_ctx_next_deadline(S->ctx);
      S->now = next;
      assert_int_equal(siphb_ctx_advance(S->ctx, next), 0);
      if (S->nsends > seen) {
        seen = S->nsends;
        siphb_ms gap = next - prev;
        prev = next;
        if (gap < lo) lo = gap;
        if (gap > hi) hi = gap;
        assert_true(gap >= cases[i].lo && gap <= cases[i].hi);
      }
      /* CRLF pings are answered at once */
      if (c.mode == SIPHB_FLOW_MODE_CRLF) deliver(cases[i].peer, (const uint8_t *)"\r\n", 2);
    }
    /* spread over the range, not stuck at one end */
    siphb_ms span = cases[i].hi - cases[i].lo;
    assert_true(lo < cases[i].lo + span / 4);
    assert_true(hi > cases[i].hi - span / 4);
    siphb_flow_del(F);
    teardown(NULL);
  }
}

/* ---- back-off ------------------------------------------------------------------------- */

static siphb_ms last_retry_wait(siphb_ms now) {
  const siphb_event *e = &S->records[S->nrecords - 1].event;
  assert_int_equal(e->type, SIPHB_EVENT_FLOW_FAILED);
  return e->u.flow.retry_at - now;
}

static void t_set1(siphb_flow_config *c) { c->outbound_set = 1; }
static void t_set2(siphb_flow_config *c) { c->outbound_set = 2; }

/* Section 4.5: base 90 s while another flow of the set is up, 30 s when
 * all have failed; a flow of another set does not count; W doubles with
 * failures in a row. */
static void test_backoff_bases(void **state) {
  (void)state;
  const siphb_peer p3 = {10, NULL, SIPHB_TRANSPORT_TCP};
  for (int round = 0; round < 50; round++) {
    setup(NULL);
    siphb_flow *a = new_flow(&TCP_PEER, 100000, t_set1);
    siphb_flow *b = new_flow(&TCP_PEER2, 100000, t_set1);
    siphb_flow *c = new_flow(&p3, 100000, t_set2);
    assert_int_equal(siphb_flow_start(a, 0), 0);
    assert_int_equal(siphb_flow_start(b, 0), 0);
    assert_int_equal(siphb_flow_start(c, 0), 0);
    assert_int_equal(siphb_flow_fail(a, SIPHB_FLOW_REASON_INTEGRATOR, 0), 0);
    siphb_ms w = last_retry_wait(0); /* b is up: base 90 s, one failure: W = 180 s */
    assert_true(w >= 90000 && w <= 180000);
    assert_int_equal(siphb_flow_fail(b, SIPHB_FLOW_REASON_INTEGRATOR, 0), 0);
    w = last_retry_wait(0); /* a failed, c is another set's: base 30 s, W = 60 s */
    assert_true(w >= 30000 && w <= 60000);
    assert_int_equal(S->records[S->nrecords - 1].event.u.flow.consecutive_failures, 1);
    /* b again, after RECOVER_DUE and a restart that failed in probation:
     * two failures in a row, W = 120 s */
    run_to(60000);
    assert_int_equal(siphb_flow_get_state(b), SIPHB_FLOW_STATE_RECOVERING);
    const siphb_peer p4 = {11, NULL, SIPHB_TRANSPORT_TCP};
    assert_int_equal(siphb_flow_restart(b, &p4, S->now), 0);
    assert_int_equal(siphb_flow_fail(b, SIPHB_FLOW_REASON_INTEGRATOR, S->now), 0);
    w = last_retry_wait(S->now);
    assert_true(w >= 60000 && w <= 120000);
    siphb_flow_del(a);
    siphb_flow_del(b);
    siphb_flow_del(c);
    teardown(NULL);
  }
}

/* The back-off window's cap and the 503 deferral. */
static void test_defer_recovery(void **state) {
  (void)state;
  F = new_flow(&TCP_PEER, 100000, NULL);
  assert_int_equal(siphb_flow_defer_recovery(F, 500000, 0), SIPHB_ERR_INVALID_STATE);
  assert_int_equal(siphb_flow_start(F, 0), 0);
  assert_int_equal(siphb_flow_fail(F, SIPHB_FLOW_REASON_INTEGRATOR, 0), 0);
  assert_int_equal(siphb_flow_defer_recovery(F, 500000, 0), 0);
  run_to(499999);
  assert_int_equal(sim_count(S, SIPHB_EVENT_FLOW_RECOVER_DUE), 0);
  run_to(500000);
  assert_int_equal(sim_count(S, SIPHB_EVENT_FLOW_RECOVER_DUE), 1);
  assert_int_equal(S->records[S->nrecords - 1].at, 500000);
  assert_int_equal(S->records[S->nrecords - 1].event.u.flow.retry_at, 500000);
  assert_int_equal(siphb_flow_get_state(F), SIPHB_FLOW_STATE_RECOVERING);
  assert_int_equal(siphb_flow_defer_recovery(F, 600000, S->now), SIPHB_ERR_INVALID_STATE);
  siphb_flow_del(F);
}

/* The active-transaction mark: a marked flow's failure asks for a reopen
 * at once; marking one in back-off does too; a Retry-After still holds. */
static void test_active_transaction(void **state) {
  (void)state;
  F = new_flow(&TCP_PEER, 100000, NULL);
  assert_int_equal(siphb_flow_set_active(NULL, true, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_flow_set_active(F, true, 0), 0);
  assert_int_equal(siphb_flow_start(F, 0), 0);
  assert_int_equal(siphb_flow_fail(F, SIPHB_FLOW_REASON_INTEGRATOR, 1000), 0);
  assert_int_equal(S->records[S->nrecords - 1].event.u.flow.retry_at, 1000);
  run_to(1000);
  assert_int_equal(S->records[S->nrecords - 1].event.type, SIPHB_EVENT_FLOW_RECOVER_DUE);
  assert_int_equal(S->records[S->nrecords - 1].at, 1000);
  const siphb_peer p2 = {21, NULL, SIPHB_TRANSPORT_TCP};
  assert_int_equal(siphb_flow_restart(F, &p2, 1000), 0);
  /* unmarked: the lazy reopen after the back-off (two failures: W = 120 s) */
  assert_int_equal(siphb_flow_set_active(F, false, 1000), 0);
  assert_int_equal(siphb_flow_fail(F, SIPHB_FLOW_REASON_INTEGRATOR, 2000), 0);
  siphb_ms lazy = S->records[S->nrecords - 1].event.u.flow.retry_at;
  assert_true(lazy >= 2000 + 60000 && lazy <= 2000 + 120000);
  run_to(5000);
  assert_int_equal(siphb_flow_get_state(F), SIPHB_FLOW_STATE_FAILED);
  /* a transaction starts during the back-off: RECOVER_DUE at once */
  assert_int_equal(siphb_flow_set_active(F, true, 5000), 0);
  run_to(5000);
  assert_int_equal(S->records[S->nrecords - 1].event.type, SIPHB_EVENT_FLOW_RECOVER_DUE);
  assert_int_equal(S->records[S->nrecords - 1].at, 5000);
  /* a 503 Retry-After outlasts the mark */
  const siphb_peer p3 = {22, NULL, SIPHB_TRANSPORT_TCP};
  assert_int_equal(siphb_flow_restart(F, &p3, 5000), 0);
  assert_int_equal(siphb_flow_set_active(F, false, 5000), 0);
  assert_int_equal(siphb_flow_fail(F, SIPHB_FLOW_REASON_INTEGRATOR, 6000), 0);
  assert_int_equal(siphb_flow_defer_recovery(F, 900000, 6000), 0);
  assert_int_equal(siphb_flow_set_active(F, true, 7000), 0);
  run_to(899999);
  assert_int_equal(siphb_flow_get_state(F), SIPHB_FLOW_STATE_FAILED);
  run_to(900000);
  assert_int_equal(S->records[S->nrecords - 1].event.type, SIPHB_EVENT_FLOW_RECOVER_DUE);
  assert_int_equal(S->records[S->nrecords - 1].at, 900000);
  siphb_flow_del(F);
}

/* AUTO restarted from a connection onto UDP: CRLF becomes STUN, and the
 * new bounds (24-29 s instead of 95-120 s) are reported; the same
 * transport again reports nothing. */
static void test_restart_other_transport(void **state) {
  (void)state;
  siphb_flow_config c;
  siphb_flow_config_init(&c, sizeof c);
  F = NULL;
  assert_int_equal(siphb_flow_new(&F, S->ctx, &c, &TCP_PEER, NULL, 0), 0);
  assert_int_equal(siphb_flow_start(F, 0), 0);
  assert_int_equal(siphb_flow_fail(F, SIPHB_FLOW_REASON_INTEGRATOR, 0), 0);
  size_t events = S->nrecords;
  const siphb_peer udp = {31, NULL, SIPHB_TRANSPORT_UDP};
  assert_int_equal(siphb_flow_restart(F, &udp, 0), 0);
  assert_int_equal(S->nrecords, events + 1);
  const siphb_event *e = &S->records[events].event;
  assert_int_equal(e->type, SIPHB_EVENT_FLOW_INTERVAL);
  assert_int_equal(e->u.flow.mode, SIPHB_FLOW_MODE_STUN);
  assert_int_equal(e->u.flow.interval_min, 24000);
  assert_int_equal(e->u.flow.interval_max, 29000);
  assert_int_equal(siphb_flow_fail(F, SIPHB_FLOW_REASON_INTEGRATOR, 0), 0);
  events = S->nrecords;
  const siphb_peer udp2 = {32, NULL, SIPHB_TRANSPORT_UDP};
  assert_int_equal(siphb_flow_restart(F, &udp2, 0), 0);
  assert_int_equal(S->nrecords, events);
  siphb_flow_del(F);
}

/* FAILED -> RECOVER_DUE -> _restart -> PROBATION; a pong before the
 * outbound registration keeps it there; the first after it: RECOVERED and
 * the failure count reset. */
static void test_recovery(void **state) {
  (void)state;
  siphb_flow *other = new_flow(&TCP_PEER2, 100000, NULL);
  F = new_flow(&TCP_PEER, 100000, NULL);
  assert_int_equal(siphb_flow_new(&F, S->ctx, NULL, &TCP_PEER, NULL, 0), SIPHB_ERR_EXISTS);
  assert_int_equal(siphb_flow_restart(F, &TCP_PEER2, 0), SIPHB_ERR_INVALID_STATE);
  assert_int_equal(siphb_flow_start(F, 0), 0);
  run_to(100000);
  assert_int_equal(deliver(&TCP_PEER, (const uint8_t *)"\r\n", 2).consumed, true);
  assert_int_equal(siphb_flow_fail(F, SIPHB_FLOW_REASON_INTEGRATOR, S->now), 0);
  siphb_ms retry_at = S->records[S->nrecords - 1].event.u.flow.retry_at;
  run_to(retry_at);
  assert_int_equal(S->records[S->nrecords - 1].event.type, SIPHB_EVENT_FLOW_RECOVER_DUE);
  assert_int_equal(S->records[S->nrecords - 1].at, retry_at);
  /* the peer of another flow is taken; UDP cannot carry CRLF (AUTO: a
   * UDP peer would be STUN, allowed) */
  assert_int_equal(siphb_flow_restart(F, &TCP_PEER2, S->now), SIPHB_ERR_EXISTS);
  const siphb_peer dtls = {12, NULL, SIPHB_TRANSPORT_DTLS};
  assert_int_equal(siphb_flow_restart(F, &dtls, S->now), SIPHB_ERR_UNSUPPORTED);
  const siphb_peer fresh = {13, NULL, SIPHB_TRANSPORT_TCP};
  assert_int_equal(siphb_flow_restart(F, &fresh, S->now), 0);
  assert_int_equal(siphb_flow_get_state(F), SIPHB_FLOW_STATE_PROBATION);
  /* the old peer is no flow's now: its pong is not consumed */
  assert_int_equal(deliver(&TCP_PEER, (const uint8_t *)"\r\n", 2).consumed, false);
  assert_int_equal(siphb_flow_keepalive_now(F, S->now), 0);
  run_to(S->now);
  assert_int_equal(siphb_flow_keepalive_now(F, S->now), SIPHB_ERR_INVALID_STATE); /* pending */
  S->now += 20;
  assert_int_equal(deliver(&fresh, (const uint8_t *)"\r\n", 2).consumed, true);
  assert_int_equal(siphb_flow_get_state(F), SIPHB_FLOW_STATE_PROBATION);
  siphb_flow_stats st;
  assert_int_equal(siphb_flow_get_stats(F, &st), 0);
  assert_int_equal(st.consecutive_failures, 1);
  size_t events = S->nrecords;
  assert_int_equal(siphb_flow_set_outbound(F, true, S->now), 0);
  assert_int_equal(siphb_flow_keepalive_now(F, S->now), 0);
  run_to(S->now);
  S->now += 30;
  assert_int_equal(deliver(&fresh, (const uint8_t *)"\r\n", 2).consumed, true);
  assert_int_equal(S->nrecords, events + 1);
  const siphb_event *e = &S->records[events].event;
  assert_int_equal(e->type, SIPHB_EVENT_FLOW_RECOVERED);
  assert_int_equal(e->u.flow.state, SIPHB_FLOW_STATE_UP);
  assert_int_equal(e->u.flow.consecutive_failures, 0);
  assert_int_equal(e->u.flow.rtt, 30);
  assert_int_equal(siphb_flow_get_stats(F, &st), 0);
  assert_int_equal(st.recoveries, 1);
  siphb_flow_del(F);
  siphb_flow_del(other);
}

/* ---- sends refused, deletion from callbacks ----------------------------------------- */

static int refuse_all(sim *s, const sim_send *snd) {
  (void)s;
  (void)snd;
  return SIPHB_ERR_SEND;
}

static int refuse_retransmissions(sim *s, const sim_send *snd) {
  (void)s;
  return snd->info.attempt > 0 ? SIPHB_ERR_SEND : 0;
}

static void test_send_failures(void **state) {
  (void)state;
  S->send_hook = refuse_all;
  F = new_flow(&TCP_PEER, 100000, NULL);
  assert_int_equal(siphb_flow_start(F, 0), 0);
  run_to(100000);
  assert_int_equal(S->nrecords, 1);
  assert_int_equal(S->records[0].event.type, SIPHB_EVENT_FLOW_FAILED);
  assert_int_equal(S->records[0].event.u.flow.reason, SIPHB_FLOW_REASON_SEND_FAILED);
  assert_int_equal(S->records[0].at, 100000);
  siphb_flow_del(F);
  /* a refused STUN retransmission is a loss: the schedule and the 39.5 s go on */
  S->send_hook = refuse_retransmissions;
  S->nrecords = S->nsends = 0;
  F = new_flow(&UDP_PEER, 25000, NULL);
  assert_int_equal(siphb_flow_start(F, S->now), 0);
  siphb_ms t0 = S->now;
  run_to(t0 + 25000 + 39500);
  assert_int_equal(S->nsends, 7);
  assert_int_equal(S->nrecords, 1);
  assert_int_equal(S->records[0].event.u.flow.reason, SIPHB_FLOW_REASON_STUN_TIMEOUT);
  assert_int_equal(S->records[0].at, t0 + 25000 + 39500);
  siphb_flow_stats st;
  assert_int_equal(siphb_flow_get_stats(F, &st), 0);
  assert_int_equal(st.send_failures, 6);
  siphb_flow_del(F);
}

static int delete_on_event(sim *s, const siphb_event *ev) {
  (void)s;
  siphb_flow_del((siphb_flow *)ev->object);
  return 0;
}

static int delete_on_send(sim *s, const sim_send *snd) {
  (void)s;
  siphb_flow_del((siphb_flow *)snd->info.object);
  return 0;
}

static void test_delete_from_callbacks(void **state) {
  (void)state;
  S->hook = delete_on_event;
  F = new_flow(&UDP_PEER, 25000, NULL);
  assert_int_equal(siphb_flow_start(F, 0), 0);
  run_to(25000);
  uint8_t buf[128];
  size_t n = make_stun(buf, sizeof buf, 0, ST_OK, &ADDR_A, 0);
  S->now = 25010;
  /* deleted by the MAPPED_ADDRESS event: no ALIVE after it */
  assert_true(deliver(&UDP_PEER, buf, n).consumed);
  assert_int_equal(S->nrecords, 1);
  run_to(200000);
  assert_int_equal(S->nsends, 1);
  /* deleted by its own send */
  S->hook = NULL;
  S->send_hook = delete_on_send;
  F = new_flow(&TCP_PEER, 1000, NULL);
  assert_int_equal(siphb_flow_start(F, S->now), 0);
  run_to(S->now + 60000);
  assert_int_equal(S->nsends, 2);
  assert_int_equal(S->nrecords, 1);
}

static void test_stop_start_now(void **state) {
  (void)state;
  F = new_flow(&TCP_PEER, 100000, NULL);
  assert_int_equal(siphb_flow_keepalive_now(F, 0), SIPHB_ERR_INVALID_STATE);
  assert_int_equal(siphb_flow_fail(F, SIPHB_FLOW_REASON_INTEGRATOR, 0), SIPHB_ERR_INVALID_STATE);
  assert_int_equal(siphb_flow_fail(F, SIPHB_FLOW_REASON_NONE, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_flow_stop(F, 0), 0);
  assert_int_equal(siphb_flow_start(F, 0), 0);
  assert_int_equal(siphb_flow_start(F, 0), 0);
  assert_int_equal(siphb_flow_get_state(F), SIPHB_FLOW_STATE_ACTIVE);
  assert_int_equal(siphb_ctx_next_deadline(S->ctx), 100000);
  assert_int_equal(siphb_flow_keepalive_now(F, 5000), 0);
  S->now = 5000;
  run_to(5000);
  assert_int_equal(S->nsends, 1);
  assert_int_equal(S->sends[0].at, 5000);
  /* stop abandons the ping: no timeout, nothing more sent */
  assert_int_equal(siphb_flow_stop(F, 5001), 0);
  run_to(500000);
  assert_int_equal(S->nsends, 1);
  assert_int_equal(S->nrecords, 0);
  siphb_flow_stats st;
  assert_int_equal(siphb_flow_get_stats(F, &st), 0);
  assert_int_equal(st.abandoned, 1);
  assert_int_equal(st.state, SIPHB_FLOW_STATE_STOPPED);
  for (size_t i = 0; i < N(st.reserved_); i++) assert_int_equal(st.reserved_[i], 0);
  /* a pong on a stopped flow is still the flow's (its peer), and stray */
  assert_true(deliver(&TCP_PEER, (const uint8_t *)"\r\n", 2).consumed);
  /* bad arguments */
  assert_int_equal(siphb_flow_start(NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_flow_set_flow_timer(F, 0x80000001u, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_flow_get_stats(F, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_mapped_addr ma;
  assert_int_equal(siphb_flow_get_mapped(F, &ma), SIPHB_ERR_NOT_FOUND);
  assert_int_equal(siphb_flow_get_state(NULL), SIPHB_FLOW_STATE_STOPPED);
  siphb_flow_set_user_data(F, &ma);
  assert_ptr_equal(siphb_flow_get_user_data(F), &ma);
  siphb_flow_del(F);
  siphb_flow_del(NULL);
}

/* ---- configuration ------------------------------------------------------------------- */

typedef struct bad_case {
  const char *what;
  void (*apply)(siphb_flow_config *c);
  const siphb_peer *peer;
  int code;
  const char *message; /* the start of what siphb_flow_config_check says */
} bad_case;

static void b_mode(siphb_flow_config *c) { c->mode = (siphb_flow_mode)4; }
static void b_crlf(siphb_flow_config *c) { c->mode = SIPHB_FLOW_MODE_CRLF; }
static void b_expect(siphb_flow_config *c) { c->expect = (siphb_flow_expect)3; }
static void b_min_only(siphb_flow_config *c) { c->interval_min = 0, c->interval_max = 5; }
static void b_min_gt_max(siphb_flow_config *c) { c->interval_min = 6, c->interval_max = 5; }
static void b_max_big(siphb_flow_config *c) { c->interval_min = 1, c->interval_max = 1ull << 32; }
static void b_permille0(siphb_flow_config *c) { c->flow_timer_permille = 0; }
static void b_permille(siphb_flow_config *c) { c->flow_timer_permille = 1001; }
static void b_pong0(siphb_flow_config *c) { c->pong_timeout = 0; }
static void b_pong_big(siphb_flow_config *c) { c->pong_timeout = 1ull << 32; }
static void b_rto0(siphb_flow_config *c) { c->stun_rto = 0; }
static void b_rc0(siphb_flow_config *c) { c->stun_rc = 0; }
static void b_rc17(siphb_flow_config *c) { c->stun_rc = 17; }
static void b_rm0(siphb_flow_config *c) { c->stun_rm = 0; }
static void b_rm65(siphb_flow_config *c) { c->stun_rm = 65; }
static void b_total(siphb_flow_config *c) { c->stun_rto = 1000000, c->stun_rc = 16; }
static void b_raw_long(siphb_flow_config *c) {
  static const char big[129] = {0};
  c->raw_payload = (siphb_str){big, 129};
}
static void b_raw_null(siphb_flow_config *c) { c->raw_payload = (siphb_str){NULL, 3}; }
static void b_max0(siphb_flow_config *c) { c->backoff_max = 0; }
static void b_max_big_b(siphb_flow_config *c) { c->backoff_max = 1ull << 32; }
static void b_all0(siphb_flow_config *c) { c->backoff_base_all_failed = 0; }
static void b_all_big(siphb_flow_config *c) { c->backoff_base_all_failed = 1800001; }
static void b_some0(siphb_flow_config *c) { c->backoff_base_some_up = 0; }
static void b_some_big(siphb_flow_config *c) { c->backoff_base_some_up = 1800001; }
static void b_size0(siphb_flow_config *c) { c->size = 0; }
static void b_size_small(siphb_flow_config *c) { c->size = 8; }
static void b_auto(siphb_flow_config *c) { (void)c; }

static const siphb_peer DTLS_PEER = {14, NULL, SIPHB_TRANSPORT_DTLS};
static const siphb_peer BOGUS_PEER = {15, NULL, (siphb_transport)9};

static const bad_case bad_cases[] = {
    {"mode", b_mode, &UDP_PEER, SIPHB_ERR_INVALID_ARGUMENT, "mode: not"},
    {"crlf on udp", b_crlf, &UDP_PEER, SIPHB_ERR_UNSUPPORTED, "mode: CRLF"},
    {"crlf on dtls", b_crlf, &DTLS_PEER, SIPHB_ERR_UNSUPPORTED, "mode: CRLF"},
    {"auto on dtls", b_auto, &DTLS_PEER, SIPHB_ERR_UNSUPPORTED, "mode: CRLF"},
    {"transport", b_auto, &BOGUS_PEER, SIPHB_ERR_INVALID_ARGUMENT, "peer->transport"},
    {"expect", b_expect, &UDP_PEER, SIPHB_ERR_INVALID_ARGUMENT, "expect"},
    {"interval min 0", b_min_only, &UDP_PEER, SIPHB_ERR_INVALID_ARGUMENT, "interval_min/"},
    {"interval min > max", b_min_gt_max, &UDP_PEER, SIPHB_ERR_INVALID_ARGUMENT, "interval_min:"},
    {"interval max 2^32", b_max_big, &UDP_PEER, SIPHB_ERR_INVALID_ARGUMENT, "interval_min/"},
    {"permille 0", b_permille0, &UDP_PEER, SIPHB_ERR_INVALID_ARGUMENT, "flow_timer_permille"},
    {"permille 1001", b_permille, &UDP_PEER, SIPHB_ERR_INVALID_ARGUMENT, "flow_timer_permille"},
    {"pong 0", b_pong0, &UDP_PEER, SIPHB_ERR_INVALID_ARGUMENT, "pong_timeout"},
    {"pong 2^32", b_pong_big, &UDP_PEER, SIPHB_ERR_INVALID_ARGUMENT, "pong_timeout"},
    {"rto 0", b_rto0, &UDP_PEER, SIPHB_ERR_INVALID_ARGUMENT, "stun_rto/"},
    {"rc 0", b_rc0, &UDP_PEER, SIPHB_ERR_INVALID_ARGUMENT, "stun_rto/"},
    {"rc 17", b_rc17, &UDP_PEER, SIPHB_ERR_INVALID_ARGUMENT, "stun_rto/"},
    {"rm 0", b_rm0, &UDP_PEER, SIPHB_ERR_INVALID_ARGUMENT, "stun_rto/"},
    {"rm 65", b_rm65, &UDP_PEER, SIPHB_ERR_INVALID_ARGUMENT, "stun_rto/"},
    {"stun total", b_total, &UDP_PEER, SIPHB_ERR_INVALID_ARGUMENT, "stun_rto:"},
    {"raw 129", b_raw_long, &UDP_PEER, SIPHB_ERR_INVALID_ARGUMENT, "raw_payload: longer"},
    {"raw null", b_raw_null, &UDP_PEER, SIPHB_ERR_INVALID_ARGUMENT, "raw_payload: NULL"},
    {"backoff max 0", b_max0, &UDP_PEER, SIPHB_ERR_INVALID_ARGUMENT, "backoff_max"},
    {"backoff max 2^32", b_max_big_b, &UDP_PEER, SIPHB_ERR_INVALID_ARGUMENT, "backoff_max"},
    {"base all 0", b_all0, &UDP_PEER, SIPHB_ERR_INVALID_ARGUMENT, "backoff_base_all"},
    {"base all > max", b_all_big, &UDP_PEER, SIPHB_ERR_INVALID_ARGUMENT, "backoff_base_all"},
    {"base some 0", b_some0, &UDP_PEER, SIPHB_ERR_INVALID_ARGUMENT, "backoff_base_some"},
    {"base some > max", b_some_big, &UDP_PEER, SIPHB_ERR_INVALID_ARGUMENT, "backoff_base_some"},
    {"never initialised", b_size0, &UDP_PEER, SIPHB_ERR_INVALID_ARGUMENT, "cfg: not"},
    {"too small", b_size_small, &UDP_PEER, SIPHB_ERR_INVALID_ARGUMENT, "cfg: not"},
};

static void test_config_refused(void **state) {
  (void)state;
  size_t used = siphb_ctx_mem_used(S->ctx);
  for (size_t i = 0; i < N(bad_cases); i++) {
    siphb_flow_config c;
    siphb_flow_config_init(&c, sizeof c);
    bad_cases[i].apply(&c);
    siphb_flow *f = (siphb_flow *)(uintptr_t)1;
    int rv = siphb_flow_new(&f, S->ctx, &c, bad_cases[i].peer, NULL, 0);
    if (rv != bad_cases[i].code) fail_msg("%s: %s", bad_cases[i].what, siphb_errname(rv));
    assert_ptr_equal(f, (siphb_flow *)(uintptr_t)1); /* *out untouched */
    const char *msg = NULL;
    rv = siphb_flow_config_check(&c, bad_cases[i].peer->transport, &msg);
    assert_int_equal(rv, bad_cases[i].code);
    if (strncmp(msg, bad_cases[i].message, strlen(bad_cases[i].message)) != 0)
      fail_msg("%s: message \"%s\"", bad_cases[i].what, msg);
  }
  assert_int_equal(siphb_ctx_mem_used(S->ctx), used); /* refused before anything */
  siphb_flow_config c;
  siphb_flow_config_init(&c, sizeof c);
  const char *msg = NULL;
  assert_int_equal(siphb_flow_config_check(&c, SIPHB_TRANSPORT_UDP, &msg), 0);
  assert_string_equal(msg, "");
  assert_int_equal(siphb_flow_config_check(NULL, SIPHB_TRANSPORT_TCP, NULL), 0);
  assert_int_equal(siphb_flow_new(&F, S->ctx, &c, NULL, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_flow_new(NULL, S->ctx, &c, &UDP_PEER, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_flow_new(&F, NULL, &c, &UDP_PEER, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  /* the edges that are fine: 128 raw bytes, permille 1000, rc 16 */
  static const char raw[128] = {1};
  c.raw_payload = (siphb_str){raw, 128};
  c.mode = SIPHB_FLOW_MODE_RAW;
  c.flow_timer_permille = 1000;
  c.stun_rc = 16;
  assert_int_equal(siphb_flow_new(&F, S->ctx, &c, &DTLS_PEER, NULL, 0), 0);
  siphb_flow_del(F);
  /* NULL: the defaults (AUTO, STUN on UDP) */
  assert_int_equal(siphb_flow_new(&F, S->ctx, NULL, &UDP_PEER, NULL, 0), 0);
  siphb_flow_stats st;
  assert_int_equal(siphb_flow_get_stats(F, &st), 0);
  assert_int_equal(st.interval_min, 24000);
  assert_int_equal(st.interval_max, 29000);
  siphb_flow_del(F);
}

static void test_config_defaults(void **state) {
  (void)state;
  siphb_flow_config c;
  siphb_flow_config_init(&c, sizeof c);
  assert_int_equal(c.size, sizeof c);
  assert_int_equal(c.mode, SIPHB_FLOW_MODE_AUTO);
  assert_int_equal(c.expect, SIPHB_FLOW_EXPECT_AFTER_OUTBOUND);
  assert_false(c.battery);
  assert_int_equal(c.interval_min, 0);
  assert_int_equal(c.interval_max, 0);
  assert_int_equal(c.flow_timer_permille, 800);
  assert_int_equal(c.pong_timeout, 10000);
  assert_int_equal(c.stun_rto, 500);
  assert_int_equal(c.stun_rc, 7);
  assert_int_equal(c.stun_rm, 16);
  assert_false(c.stun_fingerprint);
  assert_true(c.fail_on_mapped_change);
  assert_false(c.report_alive);
  assert_int_equal(c.raw_payload.len, 0);
  assert_int_equal(c.outbound_set, 0);
  assert_int_equal(c.backoff_base_all_failed, 30000);
  assert_int_equal(c.backoff_base_some_up, 90000);
  assert_int_equal(c.backoff_max, 1800000);
}

/* The request with FINGERPRINT: 28 bytes, a valid one. */
static void test_stun_fingerprint_request(void **state) {
  (void)state;
  siphb_flow_config c;
  base_config(&c, 25000);
  c.stun_fingerprint = true;
  assert_int_equal(siphb_flow_new(&F, S->ctx, &c, &UDP_PEER, NULL, 0), 0);
  assert_int_equal(siphb_flow_start(F, 0), 0);
  run_to(25000);
  assert_int_equal(S->nsends, 1);
  assert_int_equal(S->sends[0].len, 28);
  siphb_stun_msg m;
  assert_int_equal(siphb_stun_parse(&m, S->sends[0].data, 28, NULL, NULL), 28);
  assert_int_equal(siphb_stun_check_fingerprint(&m), 0);
  /* a response with a good FINGERPRINT is taken */
  uint8_t buf[128];
  siphb_stun_encoder e;
  assert_int_equal(siphb_stun_encode_start_response(&e, buf, sizeof buf, &m, SIPHB_STUN_SUCCESS), 0);
  assert_int_equal(siphb_stun_encode_xor_mapped_address(&e, &ADDR_A), 0);
  siphb_ssize n = siphb_stun_encode_finish(&e, NULL, SIPHB_STUN_WITH_FINGERPRINT);
  assert_true(n > 0);
  S->now = 25010;
  siphb_rx_result r = deliver(&UDP_PEER, buf, (size_t)n);
  assert_true(r.consumed);
  assert_int_equal(r.error, 0);
  siphb_mapped_addr got;
  assert_int_equal(siphb_flow_get_mapped(F, &got), 0);
  assert_int_equal(got.port, 40000);
  siphb_flow_del(F);
}

/* One allocation per flow; its size. */
static void test_memory(void **state) {
  (void)state;
  /* the module, and buckets for 4 entries in each map */
  siphb_flow *first[3];
  for (uint64_t i = 0; i < 3; i++) {
    const siphb_peer p = {200 + i, NULL, SIPHB_TRANSPORT_TCP};
    first[i] = new_flow(&p, 1000, NULL);
  }
  size_t used = siphb_ctx_mem_used(S->ctx);
  F = new_flow(&TCP_PEER2, 1000, NULL);
  size_t per_flow = siphb_ctx_mem_used(S->ctx) - used;
  printf("sizeof(struct siphb_flow) = %zu bytes; memory per flow %zu bytes\n",
         sizeof(struct siphb_flow), per_flow);
  /* 576 before the health wiring (siphb_flow_set_health: a 24-byte link). */
  assert_true(sizeof(struct siphb_flow) <= 600);
  assert_int_equal(per_flow, sizeof(struct siphb_flow)); /* the second's buckets exist */
  siphb_flow_del(F);
  for (size_t i = 0; i < 3; i++) siphb_flow_del(first[i]);
}

/* ---- the allocation-failure sweep -------------------------------------------------------- */

/* Creates flows until one fails (the module, the three maps' buckets as
 * they grow, each flow's object: every allocation flow_new causes); a
 * failed _new changes nothing, and the flows made so far still run. */
static int make_flow(sim *s, size_t i, void **obj) {
  siphb_flow_config c;
  base_config(&c, 1000);
  siphb_peer peer = {100 + i, NULL, i % 2 ? SIPHB_TRANSPORT_TCP : SIPHB_TRANSPORT_UDP};
  siphb_flow *f;
  int rv = siphb_flow_new(&f, s->ctx, &c, &peer, NULL, 0);
  if (rv != 0) return rv;
  assert_int_equal(siphb_flow_start(f, 0), 0);
  *obj = f;
  return 0;
}

static void del_flow(void *f) { siphb_flow_del(f); }

static const sim_sweep sweep = {6, make_flow, del_flow, 1000, 1};

static void test_allocation_sweep(void **state) {
  (void)state;
  long allocs = failmem_sweep(sim_sweep_objects, (void *)(uintptr_t)&sweep);
  assert_true(allocs >= 1 + 1 + 3 + 6); /* ctx, module, three maps, one per flow */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_scenarios),
      cmocka_unit_test(test_interval_ranges),
      cmocka_unit_test(test_backoff_bases),
      cmocka_unit_test_setup_teardown(test_defer_recovery, setup, teardown),
      cmocka_unit_test_setup_teardown(test_active_transaction, setup, teardown),
      cmocka_unit_test_setup_teardown(test_restart_other_transport, setup, teardown),
      cmocka_unit_test_setup_teardown(test_recovery, setup, teardown),
      cmocka_unit_test_setup_teardown(test_send_failures, setup, teardown),
      cmocka_unit_test_setup_teardown(test_delete_from_callbacks, setup, teardown),
      cmocka_unit_test_setup_teardown(test_stop_start_now, setup, teardown),
      cmocka_unit_test(test_config_defaults),
      cmocka_unit_test_setup_teardown(test_config_refused, setup, teardown),
      cmocka_unit_test_setup_teardown(test_stun_fingerprint_request, setup, teardown),
      cmocka_unit_test_setup_teardown(test_memory, setup, teardown),
      cmocka_unit_test(test_allocation_sweep),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
