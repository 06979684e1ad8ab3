/*
 * test_targets.c - the target selection (siphb/failover.h) as timelines:
 * switching once, the dwell and the rate limit deferring, failback only
 * after the hold-down, a dead link not switched, exhaustion, holds, the
 * operator's switch, monitors wired; and a property test of the guards
 * over long random sequences.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "failmem.h"
#include "health_script.h"
#include "rndtest.h"
#include "simclock.h"

#define HEALTHY SIPHB_HEALTH_STATE_HEALTHY
#define OFFLINE SIPHB_HEALTH_STATE_OFFLINE
#define DEGRADED SIPHB_HEALTH_STATE_DEGRADED
#define TIMEOUT SIPHB_HEALTH_REASON_SIP_TIMEOUT
#define NONE SIPHB_HEALTH_REASON_NONE

static sim *S;
static siphb_targets *T;
static size_t seen;

static int setup(void **state) {
  (void)state;
  int rv;
  S = sim_new(NULL, &rv);
  assert_non_null(S);
  T = NULL;
  seen = 0;
  hs_watch = 1u << SIPHB_OBJECT_FAILOVER;
  return 0;
}

static int teardown(void **state) {
  (void)state;
  siphb_targets_del(T);
  sim_delete(S);
  return 0;
}

static void expect(const char *const *want) { hs_expect(S, &seen, want); }
static const char *const none[] = {NULL};

static void make(const siphb_targets_config *cfg) {
  assert_int_equal(siphb_targets_new(&T, S->ctx, cfg, NULL, 0), 0);
}

/* Three targets, keys 1..3 in priorities 10, 20, 30 (so the order is fixed). */
static void set_three(siphb_health **monitors) {
  siphb_target list[3];
  for (int i = 0; i < 3; i++) {
    siphb_target_init(&list[i], sizeof list[i]);
    list[i].key = (uint64_t)(i + 1);
    list[i].priority = (uint16_t)(10 * (i + 1));
    list[i].weight = 1;
    list[i].health = monitors ? monitors[i] : NULL;
  }
  assert_int_equal(siphb_targets_set(T, list, 3, siphb_ctx_now(S->ctx)), 0);
}

static void observe(siphb_ms at, uint64_t key, siphb_health_state st, siphb_health_reason why) {
  assert_int_equal(sim_run_until(S, at), 0);
  assert_int_equal(siphb_targets_observe(T, key, st, why, at), 0);
}

static void run_to(siphb_ms at) { assert_int_equal(sim_run_until(S, at), 0); }

static uint64_t current_key(void) {
  siphb_target cur;
  if (siphb_targets_current(T, &cur) != 0) return 0;
  return cur.key;
}

static void test_switches_once_and_dwell_defers(void **state) {
  (void)state;
  make(NULL);
  set_three(NULL);
  expect((const char *const[]){"0 switched initial 0>1 none", NULL});
  observe(100000, 1, OFFLINE, TIMEOUT);
  expect((const char *const[]){"100000 switched next-target 1>2 sip-timeout", NULL});
  observe(101000, 1, OFFLINE, TIMEOUT); /* again: no second switch */
  expect(none);
  /* The new target lost at once: the dwell (60 s) holds the switch to 160 s. */
  observe(110000, 2, OFFLINE, SIPHB_HEALTH_REASON_SIP_OVERLOAD);
  expect(none);
  siphb_targets_stats st;
  assert_int_equal(siphb_targets_get_stats(T, &st), 0);
  assert_int_equal(st.next_switch_at, 160000);
  assert_int_equal(st.deferred, 1);
  run_to(159999);
  expect(none);
  run_to(160000);
  expect((const char *const[]){"160000 switched next-target 2>3 sip-overload", NULL});
  assert_int_equal(current_key(), 3);
  /* Everything lost: exhausted, once. */
  observe(300000, 3, OFFLINE, TIMEOUT);
  observe(300500, 3, OFFLINE, TIMEOUT);
  expect((const char *const[]){"300000 exhausted sip-timeout", NULL});
  assert_int_equal(siphb_targets_get_stats(T, &st), 0);
  assert_int_equal(st.switches, 2);
  assert_int_equal(st.exhausted, 1);
}

/* At most 2 switches per 10 min, nothing else in the way: the third waits
 * until the first leaves the window. */
static void test_rate_limit(void **state) {
  (void)state;
  siphb_targets_config c;
  siphb_targets_config_init(&c, sizeof c);
  c.dwell = 0;
  c.min_switch_interval = 0;
  c.max_switches = 2;
  c.switch_window = 600000;
  c.failback = SIPHB_FAILBACK_NEVER;
  make(&c);
  set_three(NULL);
  seen = S->nrecords;
  observe(1000, 1, OFFLINE, TIMEOUT); /* 1 -> 2 */
  observe(2000, 1, HEALTHY, NONE);
  observe(3000, 2, OFFLINE, TIMEOUT); /* 2 -> 1 (healthy first) */
  observe(4000, 2, HEALTHY, NONE);
  observe(5000, 1, OFFLINE, TIMEOUT); /* deferred to 601000 */
  expect((const char *const[]){"1000 switched next-target 1>2 sip-timeout",
                               "3000 switched next-target 2>1 sip-timeout", NULL});
  assert_int_equal(siphb_targets_switch_to(T, 3, 6000), SIPHB_ERR_LIMIT);
  run_to(600999);
  expect(none);
  run_to(601000);
  expect((const char *const[]){"601000 switched next-target 1>2 sip-timeout", NULL});
}

/* Failback to the better target after it has been healthy for the
 * hold-down (5 min) without interruption. */
static void test_failback_after_hold_down(void **state) {
  (void)state;
  make(NULL);
  set_three(NULL);
  observe(0, 1, HEALTHY, NONE);
  observe(0, 2, HEALTHY, NONE);
  seen = S->nrecords;
  observe(100000, 1, OFFLINE, TIMEOUT);
  observe(200000, 1, HEALTHY, NONE);
  observe(300000, 1, OFFLINE, TIMEOUT); /* interrupted: the hold starts again */
  observe(350000, 1, HEALTHY, NONE);
  run_to(649999);
  expect((const char *const[]){"100000 switched next-target 1>2 sip-timeout", NULL});
  run_to(650000);
  expect((const char *const[]){"650000 switched failback 2>1 none", NULL});
  siphb_targets_stats st;
  assert_int_equal(siphb_targets_get_stats(T, &st), 0);
  assert_int_equal(st.failbacks, 1);
}

/* A dead link is no proxy's fault: no switch. */
static void test_link_down_is_not_switched(void **state) {
  (void)state;
  make(NULL);
  set_three(NULL);
  seen = S->nrecords;
  observe(100000, 1, OFFLINE, SIPHB_HEALTH_REASON_LINK_DOWN);
  run_to(1000000);
  expect(none);
  assert_int_equal(current_key(), 1);
  observe(1000001, 1, OFFLINE, TIMEOUT); /* the link is back, the proxy is not */
  expect((const char *const[]){"1000001 switched next-target 1>2 sip-timeout", NULL});
}

/* A 503's Retry-After holds the current target: switched away, and not
 * chosen while held. */
static void test_hold(void **state) {
  (void)state;
  make(NULL);
  set_three(NULL);
  seen = S->nrecords;
  run_to(100000);
  assert_int_equal(siphb_targets_hold(T, 1, 120000, 100000), 0);
  expect((const char *const[]){"100000 switched next-target 1>2 sip-overload", NULL});
  assert_int_equal(siphb_targets_hold(T, 9, 1, 100000), SIPHB_ERR_NOT_FOUND);
  observe(200000, 2, OFFLINE, TIMEOUT); /* 1 still held: 3 */
  expect((const char *const[]){"200000 switched next-target 2>3 sip-timeout", NULL});
}

static void test_manual_and_bad_input(void **state) {
  (void)state;
  make(NULL);
  set_three(NULL);
  seen = S->nrecords;
  assert_int_equal(siphb_targets_switch_to(T, 3, 1000), 0);
  expect((const char *const[]){"1000 switched manual 1>3 manual", NULL});
  assert_int_equal(siphb_targets_switch_to(T, 4, 1000), SIPHB_ERR_NOT_FOUND);
  assert_int_equal(siphb_targets_observe(T, 1, (siphb_health_state)4, NONE, 1000),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_targets_observe(T, 5, HEALTHY, NONE, 1000), SIPHB_ERR_NOT_FOUND);
  /* Lists refused whole. */
  siphb_target list[2];
  siphb_target_init(&list[0], sizeof list[0]);
  siphb_target_init(&list[1], sizeof list[1]);
  list[0].key = 7;
  list[1].key = 7;
  assert_int_equal(siphb_targets_set(T, list, 2, 2000), SIPHB_ERR_INVALID_ARGUMENT);
  list[1].key = 0;
  assert_int_equal(siphb_targets_set(T, list, 2, 2000), SIPHB_ERR_INVALID_ARGUMENT);
  list[1].size = 0;
  list[1].key = 8;
  assert_int_equal(siphb_targets_set(T, list, 2, 2000), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_target many[17];
  for (int i = 0; i < 17; i++) {
    siphb_target_init(&many[i], sizeof many[i]);
    many[i].key = (uint64_t)(100 + i);
  }
  assert_int_equal(siphb_targets_set(T, many, 17, 2000), SIPHB_ERR_LIMIT);
  assert_int_equal(current_key(), 3);
  expect(none);
  /* The current key kept across a new list: no switch. */
  set_three(NULL);
  expect(none);
  /* Configs refused. */
  siphb_targets *t2 = (siphb_targets *)(uintptr_t)1;
  siphb_targets_config c;
  siphb_targets_config_init(&c, sizeof c);
  c.max_targets = 0;
  assert_int_equal(siphb_targets_new(&t2, S->ctx, &c, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_targets_config_init(&c, sizeof c);
  c.max_switches = 65;
  assert_int_equal(siphb_targets_new(&t2, S->ctx, &c, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_targets_config_init(&c, sizeof c);
  c.switch_window = 0;
  assert_int_equal(siphb_targets_new(&t2, S->ctx, &c, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_targets_config_init(&c, sizeof c);
  c.failback = (siphb_failback_mode)3;
  assert_int_equal(siphb_targets_new(&t2, S->ctx, &c, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_ptr_equal(t2, (siphb_targets *)(uintptr_t)1);
}

/* Monitors wired: their state changes drive the choice; a deleted monitor
 * leaves its target to explicit observation. */
static void test_monitors_wired(void **state) {
  (void)state;
  make(NULL);
  siphb_health *h[3];
  for (int i = 0; i < 3; i++) assert_int_equal(siphb_health_new(&h[i], S->ctx, NULL, NULL, 0), 0);
  set_three(h);
  seen = S->nrecords;
  for (int i = 0; i < 3; i++)
    assert_int_equal(siphb_health_observe(h[i], SIPHB_HEALTH_LAYER_SIP, SIPHB_HEALTH_OBS_SUCCESS,
                                          NONE, SIPHB_HEALTH_NO_METRIC, 0),
                     0);
  run_to(100000);
  assert_int_equal(siphb_health_observe(h[0], SIPHB_HEALTH_LAYER_TRANSPORT,
                                        SIPHB_HEALTH_OBS_FAILURE, NONE, SIPHB_HEALTH_NO_METRIC,
                                        100000),
                   0);
  expect((const char *const[]){"100000 switched next-target 1>2 transport-failed", NULL});
  /* A monitor on a selection cannot be given to another. */
  siphb_targets *other;
  assert_int_equal(siphb_targets_new(&other, S->ctx, NULL, NULL, 100000), 0);
  siphb_target t;
  siphb_target_init(&t, sizeof t);
  t.key = 1;
  t.health = h[0];
  assert_int_equal(siphb_targets_set(other, &t, 1, 100000), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_targets_del(other);
  siphb_health_del(h[1]);
  siphb_target cur;
  assert_int_equal(siphb_targets_current(T, &cur), 0);
  assert_null(cur.health);
  assert_int_equal(siphb_targets_observe(T, 2, OFFLINE, TIMEOUT, 200000), 0);
  expect((const char *const[]){"200000 switched next-target 2>3 sip-timeout", NULL});
  siphb_health_del(h[0]);
  siphb_health_del(h[2]);
}

/* ---- the guards over long random sequences ------------------------------------- */

static uint64_t rng;
static uint64_t rnd(void) { return rnd_splitmix(&rng); }

static void test_guards_hold_over_random_sequences(void **state) {
  (void)state;
  siphb_targets_config c;
  siphb_targets_config_init(&c, sizeof c);
  c.dwell = 20000;
  c.min_switch_interval = 10000;
  c.max_switches = 4;
  c.switch_window = 300000;
  c.failback_hold = 60000;
  for (uint64_t seed = 1; seed <= 6; seed++) {
    rng = seed;
    sim_delete(S);
    int rv;
    S = sim_new(NULL, &rv);
    make(&c);
    set_three(NULL);
    siphb_ms now = 0;
    for (int i = 0; i < 3000; i++) {
      now += 1000 + rnd() % 20000;
      siphb_health_state st = (siphb_health_state)(rnd() % 4);
      observe(now, 1 + rnd() % 3, st, st >= DEGRADED ? TIMEOUT : NONE);
    }
    run_to(now + 600000);
    /* Every automatic switch: not within the dwell of the previous one's
     * target, at least min_switch_interval after it, and no window holding
     * more than max_switches. */
    siphb_ms times[4096];
    size_t n = 0;
    for (size_t i = 0; i < S->nrecords; i++) {
      const siphb_event *ev = &S->records[i].event;
      if (ev->type != SIPHB_EVENT_TARGETS_SWITCHED || ev->u.targets.cause == SIPHB_SWITCH_INITIAL)
        continue;
      assert_true(n < 4096);
      times[n++] = ev->now;
    }
    assert_true(n >= 20); /* the guards were exercised */
    assert_true(S->nrecords < SIM_MAX_RECORDS);
    for (size_t i = 1; i < n; i++) {
      assert_true(times[i] - times[i - 1] >= c.dwell);
      assert_true(times[i] - times[i - 1] >= c.min_switch_interval);
    }
    for (size_t i = c.max_switches; i < n; i++)
      assert_true(times[i] - times[i - c.max_switches] >= c.switch_window);
    siphb_targets_del(T);
    T = NULL;
  }
}

/* ---- the allocation-failure sweep ------------------------------------------------ */

static int make_targets(sim *s, size_t i, void **obj) {
  (void)i;
  siphb_targets *t;
  int rv = siphb_targets_new(&t, s->ctx, NULL, NULL, 0);
  if (rv != 0) return rv;
  siphb_target x;
  siphb_target_init(&x, sizeof x);
  x.key = 1;
  assert_int_equal(siphb_targets_set(t, &x, 1, 0), 0);
  *obj = t;
  return 0;
}

static void del_targets(void *t) { siphb_targets_del(t); }

static const sim_sweep sweep = {3, make_targets, del_targets, 1000, 0};

static void test_allocation_sweep(void **state) {
  (void)state;
  assert_true(failmem_sweep(sim_sweep_objects, (void *)(uintptr_t)&sweep) >= 1 + 3 * 2);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_switches_once_and_dwell_defers, setup, teardown),
      cmocka_unit_test_setup_teardown(test_rate_limit, setup, teardown),
      cmocka_unit_test_setup_teardown(test_failback_after_hold_down, setup, teardown),
      cmocka_unit_test_setup_teardown(test_link_down_is_not_switched, setup, teardown),
      cmocka_unit_test_setup_teardown(test_hold, setup, teardown),
      cmocka_unit_test_setup_teardown(test_manual_and_bad_input, setup, teardown),
      cmocka_unit_test_setup_teardown(test_monitors_wired, setup, teardown),
      cmocka_unit_test_setup_teardown(test_guards_hold_over_random_sequences, setup, teardown),
      cmocka_unit_test(test_allocation_sweep),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
