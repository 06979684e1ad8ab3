/*
 * test_probe_soak.c - 1,000 probes for 30 simulated days over a network
 * that loses, delays, duplicates, reorders and forges responses and
 * sometimes refuses sends. Checked throughout:
 *   - every round ends in exactly one outcome (a round's first send and its
 *     result pair up; at most one round per probe is open);
 *   - a forged response (wrong branch, Call-ID, CSeq or sent-by) is never
 *     consumed; a response to a round that has ended (and whose Timer K is
 *     over) is never consumed; one to the round in flight always is;
 *   - each interval lies in its jitter range;
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

#define PROBES 1000
#define DAYS 30
#define INTERVAL (3600 * 1000) /* an hour, so 30 days are 720 rounds a probe */
#define RETRY 600000
#define T4 5000
#define MAX_PENDING 65536

typedef enum tamper { T_NONE = 0, T_BRANCH, T_CALL_ID, T_CSEQ, T_HOST, T_COUNT } tamper;

typedef struct pending {
  siphb_ms at;
  size_t probe;
  uint32_t round;  /* the round the response answers */
  tamper forged;
  char text[400];
  size_t len;
} pending;

typedef struct probe_track {
  siphb_probe *p;
  uint32_t rounds_started, rounds_ended;
  bool open;            /* a round in flight */
  siphb_ms start;       /* of the open (or last) round */
  siphb_ms prev_start;
  bool prev_alive;
  siphb_ms prev_end;
  siphb_ms linger_until; /* the last round's Timer K, when it ended by a response */
  siphb_ms first_start;
} probe_track;

typedef struct soak {
  siphb_ctx *ctx;
  siphb_ms now;
  uint64_t rng;
  probe_track t[PROBES];
  pending *q;
  size_t nq;
  uint64_t sends, refused, events, consumed, forged_sent, dups, lost, late_checked;
} soak;

static soak *W;
static const siphb_peer PEER = {3, NULL, SIPHB_TRANSPORT_UDP};

static uint64_t below(uint64_t n) { return rnd_splitmix(&W->rng) % n; }

/* A response to `req`, possibly with one field forged. */
static size_t respond(char *out, size_t cap, const uint8_t *req, size_t len, tamper f) {
  siphb_sip_msg m;
  assert_true(siphb_sip_parse(&m, req, len, NULL, NULL) > 0);
  char via[200];
  snprintf(via, sizeof via, "%.*s", (int)m.via.value.len, m.via.value.ptr);
  if (f == T_BRANCH) {
    char *b = strstr(via, "z9hG4bK") + 7;
    b[3] = b[3] == '0' ? '1' : '0';
  }
  if (f == T_HOST) memcpy(strstr(via, "192.0.2.5"), "192.0.2.9", 9);
  char call_id[64];
  snprintf(call_id, sizeof call_id, "%.*s", (int)m.call_id.len, m.call_id.ptr);
  if (f == T_CALL_ID) call_id[5] = call_id[5] == 'a' ? 'b' : 'a';
  int n = snprintf(out, cap,
                   "SIP/2.0 200 OK\r\nVia: %s\r\nFrom: %.*s\r\nTo: %.*s;tag=u\r\nCall-ID: %s\r\n"
                   "CSeq: %u OPTIONS\r\nContent-Length: 0\r\n\r\n",
                   via, (int)m.from.value.len, m.from.value.ptr, (int)m.to.value.len,
                   m.to.value.ptr, call_id, m.cseq + (f == T_CSEQ));
  assert_true(n > 0 && (size_t)n < cap);
  return (size_t)n;
}

static void enqueue(size_t probe, uint32_t round, const uint8_t *req, size_t len, tamper f,
                    siphb_ms delay) {
  if (W->nq == MAX_PENDING) return;
  pending *q = &W->q[W->nq++];
  q->at = W->now + delay;
  q->probe = probe;
  q->round = round;
  q->forged = f;
  q->len = respond(q->text, sizeof q->text, req, len, f);
}

static int soak_send(siphb_ctx *ctx, const siphb_send_info *info, const uint8_t *data,
                     size_t len, void *user_data) {
  (void)ctx;
  (void)user_data;
  size_t k = (size_t)(uintptr_t)info->object_user_data;
  probe_track *t = &W->t[k];
  W->sends++;
  if (info->attempt == 0) {
    /* a new round: the previous one has ended, and it starts on time */
    assert_false(t->open);
    t->open = true;
    t->rounds_started++;
    t->prev_start = t->start;
    t->start = W->now;
    if (t->rounds_started > 1) {
      if (t->prev_alive) {
        siphb_ms gap = t->start - t->prev_start;
        assert_true(gap >= INTERVAL * 8 / 10 && gap <= INTERVAL);
      } else {
        siphb_ms gap = t->start - t->prev_end;
        assert_true(gap >= RETRY * 8 / 10 && gap <= RETRY);
      }
    } else {
      t->first_start = W->now;
    }
  }
  if (below(100) < 2) { /* 2 %: the socket refuses */
    W->refused++;
    return SIPHB_ERR_SEND;
  }
  uint32_t round = t->rounds_started;
  if (below(100) < 20) { /* 20 % lost */
    W->lost++;
  } else {
    /* 0.01 to 40 s: some after Timer F, reordered against retransmissions */
    siphb_ms delay = below(100) < 5 ? 30000 + below(10000) : 10 + below(3000);
    enqueue(k, round, data, len, T_NONE, delay);
    if (below(100) < 10) {
      W->dups++;
      enqueue(k, round, data, len, T_NONE, delay + below(8000));
    }
  }
  if (below(100) < 5) {
    W->forged_sent++;
    /* one draw per statement: the order of a call's arguments is the
     * compiler's, and gcc and clang must run the same network */
    tamper how = (tamper)(1 + below(T_COUNT - 1));
    enqueue(k, round, data, len, how, below(2000));
  }
  return 0;
}

static int soak_event(siphb_ctx *ctx, const siphb_event *ev, void *user_data) {
  (void)ctx;
  (void)user_data;
  assert_int_equal(ev->type, SIPHB_EVENT_PROBE_RESULT);
  size_t k = (size_t)(uintptr_t)ev->object_user_data;
  probe_track *t = &W->t[k];
  assert_true(t->open); /* exactly one outcome per round */
  t->open = false;
  t->rounds_ended++;
  t->prev_alive = ev->u.probe.outcome == SIPHB_PROBE_ALIVE;
  t->prev_end = W->now;
  t->linger_until = ev->u.probe.status ? W->now + T4 : 0;
  assert_true(ev->u.probe.transmissions >= 1);
  assert_true(ev->u.probe.outcome <= SIPHB_PROBE_TRANSPORT_ERROR);
  W->events++;
  return 0;
}

static void deliver(size_t i) {
  pending q = W->q[i];
  W->q[i] = W->q[--W->nq];
  probe_track *t = &W->t[q.probe];
  bool in_flight = t->open && q.round == t->rounds_started;
  bool lingering = !t->open && q.round == t->rounds_started && W->now < t->linger_until;
  siphb_rx_result r;
  assert_int_equal(
      siphb_ctx_receive(W->ctx, &PEER, (const uint8_t *)q.text, q.len, &r, W->now), 0);
  if (q.forged != T_NONE) {
    assert_false(r.consumed);
    return;
  }
  if (in_flight) assert_true(r.consumed);
  if (!in_flight && !lingering) {
    assert_false(r.consumed); /* an ended round's response is no one's */
    W->late_checked++;
  }
  W->consumed += r.consumed;
}

/* The earliest queued answer, or SIZE_MAX. */
static size_t next_input(siphb_ms *at) {
  size_t first = SIZE_MAX;
  for (size_t i = 0; i < W->nq; i++)
    if (first == SIZE_MAX || W->q[i].at < W->q[first].at) first = i;
  if (first != SIZE_MAX) *at = W->q[first].at;
  return first;
}

static void test_soak(void **state) {
  (void)state;
  W = test_calloc(1, sizeof *W);
  W->q = test_calloc(MAX_PENDING, sizeof *W->q);
  W->rng = 20261207;
  failmem fm;
  failmem_init(&fm, -1);
  W->ctx = test_ctx_new(soak_send, soak_event, rnd_splitmix_fill, &fm.mem, &W->rng);
  siphb_probe_config c;
  siphb_probe_config_init(&c, sizeof c);
  c.request_uri = siphb_str_c("sip:pbx.example.com");
  c.via_host = siphb_str_c("192.0.2.5");
  c.via_port = 5060;
  c.interval = INTERVAL;
  c.retry_interval = RETRY;
  c.start_delay_max = INTERVAL;
  for (size_t k = 0; k < PROBES; k++) {
    assert_int_equal(siphb_probe_new(&W->t[k].p, W->ctx, &c, &PEER, (void *)(uintptr_t)k, 0), 0);
    assert_int_equal(siphb_probe_start(W->t[k].p, 0), 0);
  }
  const siphb_ms end = (siphb_ms)DAYS * 86400 * 1000;
  test_drive(W->ctx, &W->now, end, next_input, deliver, NULL);
  uint64_t started = 0, ended = 0;
  for (size_t k = 0; k < PROBES; k++) {
    probe_track *t = &W->t[k];
    assert_true(t->rounds_started - t->rounds_ended <= 1);
    assert_int_equal(t->open, t->rounds_started != t->rounds_ended);
    siphb_probe_stats st;
    assert_int_equal(siphb_probe_get_stats(t->p, &st), 0);
    assert_int_equal(st.rounds, t->rounds_ended);
    assert_int_equal(st.alive + st.rejected + st.timeouts + st.send_failures + st.transport_errors,
                     st.rounds);
    started += t->rounds_started;
    ended += t->rounds_ended;
  }
  print_message("soak: %llu rounds started, %llu ended, %llu sends (%llu refused, %llu lost), "
                "%llu consumed, %llu forged, %llu duplicates, %llu late checked\n",
                (unsigned long long)started, (unsigned long long)ended,
                (unsigned long long)W->sends, (unsigned long long)W->refused,
                (unsigned long long)W->lost, (unsigned long long)W->consumed,
                (unsigned long long)W->forged_sent, (unsigned long long)W->dups,
                (unsigned long long)W->late_checked);
  assert_true(ended >= (uint64_t)PROBES * (DAYS * 24 - 2));
  siphb_ctx_del(W->ctx);
  assert_int_equal(fm.live_blocks, 0);
  test_free(W->q);
  test_free(W);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_soak)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
