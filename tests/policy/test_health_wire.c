/*
 * test_health_wire.c - probes, flows and registrations wired to a health
 * monitor (docs/API-PLAN.md section 12): each result becomes one
 * observation of its layer, right after the source's own event, and the
 * wiring follows deletion on either side.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "health_script.h"
#include "simclock.h"

static sim *S;
static siphb_health *H;
static size_t seen;

static int setup(void **state) {
  (void)state;
  int rv;
  S = sim_new(NULL, &rv);
  assert_non_null(S);
  assert_int_equal(siphb_health_new(&H, S->ctx, NULL, NULL, 0), 0);
  seen = 0;
  return 0;
}

static int teardown(void **state) {
  (void)state;
  siphb_health_del(H);
  sim_delete(S);
  return 0;
}

static void expect(const char *const *want) { hs_expect(S, &seen, want); }

static const siphb_peer TCP_PEER = {7, NULL, SIPHB_TRANSPORT_TCP};
static const siphb_peer UDP_PEER = {8, NULL, SIPHB_TRANSPORT_UDP};

static void pong(void) {
  siphb_rx_result r;
  assert_int_equal(siphb_ctx_receive(S->ctx, &TCP_PEER, (const uint8_t *)"\r\n", 2, &r, S->now), 0);
  assert_true(r.consumed);
}

/* The index of the first record of type t at or after `from`. */
static size_t find(siphb_event_type t, size_t from) {
  for (size_t i = from; i < S->nrecords; i++)
    if (S->records[i].event.type == t) return i;
  fail_msg("no event %d", (int)t);
  return 0;
}

/* Every pong is a success, reported (report_alive) or not; a missing pong
 * is a confirmed failure of the transport. */
static void test_flow_feeds_transport(void **state) {
  (void)state;
  siphb_flow_config c;
  siphb_flow_config_init(&c, sizeof c);
  c.expect = SIPHB_FLOW_EXPECT_ALWAYS;
  c.interval_min = c.interval_max = 100000;
  siphb_flow *f;
  assert_int_equal(siphb_flow_new(&f, S->ctx, &c, &TCP_PEER, NULL, 0), 0);
  assert_int_equal(siphb_flow_set_health(f, H), 0);
  assert_int_equal(siphb_flow_start(f, 0), 0);
  assert_int_equal(sim_run_until(S, 100050), 0);
  pong();
  expect((const char *const[]){"100050 layer transport unknown>healthy none",
                               "100050 state unknown>healthy transport none", NULL});
  /* The flow's ALIVE first, then the monitor's events. */
  size_t alive = find(SIPHB_EVENT_FLOW_ALIVE, 0);
  size_t layer = find(SIPHB_EVENT_HEALTH_LAYER_CHANGED, 0);
  assert_true(alive < layer);
  const siphb_event_health *e = &S->records[layer].event.u.health;
  assert_int_equal(e->source_kind, SIPHB_OBJECT_FLOW);
  assert_ptr_equal(e->source, f);
  assert_int_equal(e->metric, 50); /* the RTT */
  /* The next ping unanswered: FAILED at 210 s, OFFLINE with it. */
  assert_int_equal(sim_run_until(S, 210000), 0);
  expect((const char *const[]){"210000 layer transport healthy>offline transport-failed",
                               "210000 state healthy>offline transport transport-failed",
                               "210000 alarm on transport-failed", NULL});
  siphb_health_stats st;
  assert_int_equal(siphb_health_get_stats(H, &st), 0);
  assert_int_equal(st.layers[SIPHB_HEALTH_LAYER_TRANSPORT].observations, 2);
  siphb_flow_del(f);
}

/* Unanswered OPTIONS are SIP timeouts; a refused send is the transport's. */
static int refuse_sends(sim *s, const sim_send *send) {
  (void)s;
  (void)send;
  return SIPHB_ERR_SEND;
}

static void test_probe_feeds_sip_and_transport(void **state) {
  (void)state;
  siphb_probe_config c;
  siphb_probe_config_init(&c, sizeof c);
  c.request_uri = siphb_str_c("sip:proxy.example.com");
  c.via_host = siphb_str_c("192.0.2.5");
  c.via_port = 5060;
  c.jitter_permille = 0;
  siphb_probe *p;
  assert_int_equal(siphb_probe_new(&p, S->ctx, &c, &UDP_PEER, NULL, 0), 0);
  assert_int_equal(siphb_probe_set_health(p, H), 0);
  assert_int_equal(siphb_probe_start(p, 0), 0);
  assert_int_equal(sim_run_until(S, 120000), 0);
  size_t r1 = find(SIPHB_EVENT_PROBE_RESULT, 0);
  size_t r2 = find(SIPHB_EVENT_PROBE_RESULT, r1 + 1);
  siphb_ms second = S->records[r2].event.now;
  size_t degraded = find(SIPHB_EVENT_HEALTH_LAYER_CHANGED, 0);
  assert_true(degraded > r2);
  const siphb_event_health *e = &S->records[degraded].event.u.health;
  assert_int_equal(e->layer, SIPHB_HEALTH_LAYER_SIP);
  assert_int_equal(e->state, SIPHB_HEALTH_STATE_DEGRADED);
  assert_int_equal(e->reason, SIPHB_HEALTH_REASON_SIP_TIMEOUT);
  assert_int_equal(S->records[degraded].event.now, second);
  assert_int_equal(e->source_kind, SIPHB_OBJECT_PROBE);
  assert_ptr_equal(e->source, p);
  /* Sends refused: TRANSPORT misses, the reason SEND_FAILED. */
  S->send_hook = refuse_sends;
  seen = S->nrecords;
  assert_int_equal(sim_run_until(S, 240000), 0);
  siphb_health_stats st;
  assert_int_equal(siphb_health_get_stats(H, &st), 0);
  assert_true(st.layers[SIPHB_HEALTH_LAYER_TRANSPORT].failures >= 2);
  assert_int_equal(st.layers[SIPHB_HEALTH_LAYER_TRANSPORT].state, SIPHB_HEALTH_STATE_DEGRADED);
  assert_int_equal(st.layers[SIPHB_HEALTH_LAYER_TRANSPORT].reason, SIPHB_HEALTH_REASON_SEND_FAILED);
  assert_int_equal(st.root_layer, SIPHB_HEALTH_LAYER_TRANSPORT);
  /* Unwired: results no longer reach the monitor. */
  assert_int_equal(siphb_probe_set_health(p, NULL), 0);
  uint32_t before = st.layers[SIPHB_HEALTH_LAYER_TRANSPORT].observations;
  assert_int_equal(sim_run_until(S, 400000), 0);
  assert_int_equal(siphb_health_get_stats(H, &st), 0);
  assert_int_equal(st.layers[SIPHB_HEALTH_LAYER_TRANSPORT].observations, before);
  siphb_probe_del(p);
}

static void result(siphb_reg *r, uint32_t status, uint32_t expires) {
  siphb_reg_result res;
  siphb_reg_result_init(&res, sizeof res);
  res.status = status;
  res.has_expires = expires != 0;
  res.expires_s = expires;
  assert_int_equal(siphb_reg_on_result(r, &res, S->now), 0);
}

/* REGISTERED a success, FAILED a miss (401/403 as REG_AUTH). */
static void test_reg_feeds_registration(void **state) {
  (void)state;
  siphb_reg *r;
  assert_int_equal(siphb_reg_new(&r, S->ctx, NULL, NULL, 0), 0);
  assert_int_equal(siphb_reg_set_health(r, H), 0);
  assert_int_equal(siphb_reg_start(r, 0), 0);
  assert_int_equal(siphb_reg_sent(r, 3600, 0), 0);
  result(r, 200, 3600);
  expect((const char *const[]){"0 layer registration unknown>healthy none",
                               "0 state unknown>healthy registration none", NULL});
  for (int i = 0; i < 2; i++) {
    siphb_ms due = siphb_ctx_next_deadline(S->ctx);
    assert_int_equal(sim_run_until(S, due), 0);
    assert_int_equal(siphb_reg_sent(r, 3600, S->now), 0);
    result(r, 403, 0);
  }
  assert_int_equal(siphb_health_get_layer(H, SIPHB_HEALTH_LAYER_REGISTRATION),
                   SIPHB_HEALTH_STATE_DEGRADED);
  siphb_health_reason why;
  siphb_health_get_state(H, &why);
  assert_int_equal(why, SIPHB_HEALTH_REASON_REG_AUTH);
  siphb_reg_del(r);
}

/* Wiring refused across ctxs and to dead objects; deleting the monitor
 * unwires its sources, which then run on alone. */
static void test_wiring_rules(void **state) {
  (void)state;
  int rv;
  sim *other = sim_new(NULL, &rv);
  siphb_health *foreign;
  assert_int_equal(siphb_health_new(&foreign, other->ctx, NULL, NULL, 0), 0);
  siphb_reg *r;
  assert_int_equal(siphb_reg_new(&r, S->ctx, NULL, NULL, 0), 0);
  assert_int_equal(siphb_reg_set_health(r, foreign), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_reg_set_health(NULL, H), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_reg_set_health(r, H), 0);
  assert_int_equal(siphb_reg_set_health(r, H), 0); /* again: no change */
  siphb_health_del(H);
  H = NULL;
  assert_int_equal(siphb_reg_start(r, 0), 0);
  assert_int_equal(siphb_reg_sent(r, 3600, 0), 0);
  result(r, 200, 3600); /* no monitor to feed: nothing breaks */
  assert_int_equal(sim_count(S, SIPHB_EVENT_REG_REGISTERED), 1);
  assert_int_equal(sim_count(S, SIPHB_EVENT_HEALTH_LAYER_CHANGED), 0);
  siphb_reg_del(r);
  siphb_health_del(foreign);
  sim_delete(other);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_flow_feeds_transport, setup, teardown),
      cmocka_unit_test_setup_teardown(test_probe_feeds_sip_and_transport, setup, teardown),
      cmocka_unit_test_setup_teardown(test_reg_feeds_registration, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wiring_rules, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
