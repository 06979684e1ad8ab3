/*
 * test_session.c - the session timer (siphb/session.h) in simulated time:
 * refreshes over hours, a lost refresh retried (RFC mode and segments),
 * every refresh lost and the BYE at the exact millisecond with and without
 * grace, 408/481, the hard limits, the calls refused, the allocation
 * sweep.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "failmem.h"
#include "rndtest.h"
#include "simclock.h"

static sim *S;
static siphb_session *X;
static size_t seen;
/* Refresh automatically at each REFRESH_DUE after `answer_after` ms
 * (0 = leave it unanswered). */
static siphb_ms answer_after;
static siphb_ms pending_at;

static int setup(void **state) {
  (void)state;
  int rv;
  S = sim_new(NULL, &rv);
  assert_non_null(S);
  X = NULL;
  seen = 0;
  answer_after = 0;
  pending_at = SIPHB_NEVER;
  return 0;
}

static int teardown(void **state) {
  (void)state;
  siphb_session_del(X);
  sim_delete(S);
  return 0;
}

static void make(const siphb_session_config *cfg) {
  assert_int_equal(siphb_session_new(&X, S->ctx, cfg, NULL, 0), 0);
}

static siphb_st_result negotiated(uint32_t interval, bool local) {
  siphb_st_result r;
  memset(&r, 0, sizeof r);
  r.active = true;
  r.interval_s = interval;
  r.local_refresher = local;
  r.refresher = local ? SIPHB_SIP_REFRESHER_UAS : SIPHB_SIP_REFRESHER_UAC;
  return r;
}

/* The session events from `seen` on as "<ms> due N" / "<ms> expired
 * <reason>" / "<ms> hard-limit", compared with want. */
static void expect(const char *const *want) {
  char got[64][64];
  size_t n = 0;
  for (size_t i = seen; i < S->nrecords && n < 64; i++) {
    const siphb_event *ev = &S->records[i].event;
    if (ev->object_kind != SIPHB_OBJECT_SESSION) continue;
    unsigned long long at = (unsigned long long)ev->now;
    if (ev->type == SIPHB_EVENT_SESSION_REFRESH_DUE)
      snprintf(got[n++], sizeof got[0], "%llu due %u %s", at, ev->u.session.refresh_number,
               siphb_session_reason_name(ev->u.session.reason));
    else if (ev->type == SIPHB_EVENT_SESSION_EXPIRED)
      snprintf(got[n++], sizeof got[0], "%llu expired %s", at,
               siphb_session_reason_name(ev->u.session.reason));
    else
      snprintf(got[n++], sizeof got[0], "%llu hard-limit", at);
  }
  size_t w = 0;
  while (want[w]) w++;
  bool same = n == w;
  for (size_t i = 0; same && i < n; i++) same = strcmp(got[i], want[i]) == 0;
  if (!same) {
    fprintf(stderr, "session events differ; got %zu:\n", n);
    for (size_t i = 0; i < n; i++) fprintf(stderr, "  %s\n", got[i]);
    fprintf(stderr, "wanted %zu:\n", w);
    for (size_t i = 0; i < w; i++) fprintf(stderr, "  %s\n", want[i]);
    fail();
  }
  seen = S->nrecords;
}

static const char *const none[] = {NULL};

/* The integrator: answers a REFRESH_DUE after answer_after ms. */
static int on_event(sim *s, const siphb_event *ev) {
  (void)s;
  if (ev->type == SIPHB_EVENT_SESSION_REFRESH_DUE && answer_after)
    pending_at = ev->now + answer_after;
  return 0;
}

/* Runs to `until`, giving each pending refresh its 2xx on time. */
static void run_to(siphb_ms until) {
  S->hook = on_event;
  for (;;) {
    siphb_ms t = siphb_ctx_next_deadline(S->ctx);
    if (pending_at < t) t = pending_at;
    if (t > until) break;
    assert_int_equal(sim_run_until(S, t), 0);
    if (pending_at == t) {
      pending_at = SIPHB_NEVER;
      assert_int_equal(siphb_session_refreshed(X, NULL, t), 0);
    }
  }
  assert_int_equal(sim_run_until(S, until), 0);
}

/* SE 1800, we refresh: REFRESH_DUE every 900 s after each 2xx (which
 * comes 120 ms after the request), for four hours. */
static void test_refreshes_over_hours(void **state) {
  (void)state;
  make(NULL);
  siphb_st_result neg = negotiated(1800, true);
  assert_int_equal(siphb_session_start(X, &neg, true, 0), 0);
  answer_after = 120;
  run_to(4 * 3600000);
  /* 900000, then each 900000 after the previous 2xx (+120 ms). */
  static const char *const want[] = {
      "900000 due 1 scheduled",   "1800120 due 1 scheduled",  "2700240 due 1 scheduled",
      "3600360 due 1 scheduled",  "4500480 due 1 scheduled",  "5400600 due 1 scheduled",
      "6300720 due 1 scheduled",  "7200840 due 1 scheduled",  "8100960 due 1 scheduled",
      "9001080 due 1 scheduled",  "9901200 due 1 scheduled",  "10801320 due 1 scheduled",
      "11701440 due 1 scheduled", "12601560 due 1 scheduled", "13501680 due 1 scheduled",
      NULL};
  expect(want);
  const siphb_event *last = &S->records[S->nrecords - 1].event;
  assert_int_equal(last->u.session.method, SIPHB_SESSION_METHOD_UPDATE); /* peer allows it */
  assert_int_equal(last->u.session.interval_s, 1800);
  siphb_session_stats st;
  assert_int_equal(siphb_session_get_stats(X, &st), 0);
  assert_int_equal(st.refreshes, 15);
  assert_int_equal(st.state, SIPHB_SESSION_STATE_RUNNING);
}

/* RFC mode: a refresh answered 503 is tried once more, halfway to the
 * expiry (900 s + (1800 s - 900 s) / 2); that one lost too: EXPIRED at
 * the interval's end. */
static void test_rfc_retry_then_expiry(void **state) {
  (void)state;
  make(NULL);
  siphb_st_result neg = negotiated(1800, true);
  assert_int_equal(siphb_session_start(X, &neg, false, 0), 0);
  assert_int_equal(sim_run_until(S, 900000), 0);
  assert_int_equal(siphb_session_refresh_failed(X, 503, 900200), 0);
  assert_int_equal(sim_run_until(S, 1800000), 0);
  expect((const char *const[]){"900000 due 1 scheduled", "1350100 due 2 retry",
                               "1800000 expired not-refreshed", NULL});
  const siphb_event *first = &S->records[0].event;
  assert_int_equal(first->u.session.method, SIPHB_SESSION_METHOD_REINVITE);
  assert_int_equal(siphb_session_refresh_failed(X, 503, 1800001), SIPHB_ERR_INVALID_STATE);
}

/* 408 or 481 to a refresh: the dialog is gone, EXPIRED at once. */
static void test_408_expires_at_once(void **state) {
  (void)state;
  make(NULL);
  siphb_st_result neg = negotiated(90, true);
  assert_int_equal(siphb_session_start(X, &neg, false, 0), 0);
  assert_int_equal(sim_run_until(S, 45000), 0);
  assert_int_equal(siphb_session_refresh_failed(X, 481, 45300), 0);
  expect((const char *const[]){"45000 due 1 scheduled", "45300 expired refresh-failed", NULL});
  assert_int_equal(sim_run_until(S, 600000), 0);
  expect(none);
}

/* Segments: 90 s in 3, a refresh at 30 s and 60 s; the first lost, the
 * second answered: the interval starts again from that 2xx. */
static void test_segment_retry(void **state) {
  (void)state;
  siphb_session_config c;
  siphb_session_config_init(&c, sizeof c);
  c.segments = 3;
  make(&c);
  siphb_st_result neg = negotiated(90, true);
  assert_int_equal(siphb_session_start(X, &neg, false, 0), 0);
  assert_int_equal(sim_run_until(S, 60000), 0);
  assert_int_equal(siphb_session_refreshed(X, NULL, 60100), 0);
  assert_int_equal(sim_run_until(S, 120100), 0);
  expect((const char *const[]){"30000 due 1 scheduled", "60000 due 2 retry",
                               "90100 due 1 scheduled", "120100 due 2 retry", NULL});
  /* All lost from here: EXPIRED at the interval's end, 60.1 s + 90 s. */
  assert_int_equal(sim_run_until(S, 150100), 0);
  expect((const char *const[]){"150100 expired not-refreshed", NULL});
}

/* The side that does not refresh: BYE at interval - min(32 s, interval/3)
 * after the last refresh, at the exact millisecond, plus grace. */
static void test_bye_at_the_exact_millisecond(void **state) {
  (void)state;
  make(NULL);
  siphb_st_result neg = negotiated(1800, false);
  assert_int_equal(siphb_session_start(X, &neg, false, 0), 0);
  assert_int_equal(siphb_session_refreshed(X, NULL, 1000), 0); /* a refresh came at 1 s */
  assert_int_equal(sim_run_until(S, 1768999), 0);
  expect(none);
  assert_int_equal(sim_run_until(S, 1769000), 0);
  expect((const char *const[]){"1769000 expired not-refreshed", NULL});
  assert_int_equal(siphb_session_refresh_failed(X, 503, 1769001), SIPHB_ERR_INVALID_STATE);
  siphb_session_del(X);
  /* With 5 s of grace and 90 s (margin 30 s): 60 s + 5 s. */
  siphb_session_config c;
  siphb_session_config_init(&c, sizeof c);
  c.grace = 5000;
  assert_int_equal(siphb_session_new(&X, S->ctx, &c, NULL, 2000000), 0);
  neg = negotiated(90, false);
  assert_int_equal(siphb_session_start(X, &neg, false, 2000000), 0);
  assert_int_equal(sim_run_until(S, 2064999), 0);
  expect(none);
  assert_int_equal(sim_run_until(S, 2065000), 0);
  expect((const char *const[]){"2065000 expired not-refreshed", NULL});
  /* A stack that waits longer: margin interval/10. */
  siphb_session_del(X);
  c.grace = 0;
  c.bye_margin_divisor = 10;
  assert_int_equal(siphb_session_new(&X, S->ctx, &c, NULL, 3000000), 0);
  assert_int_equal(siphb_session_start(X, &neg, false, 3000000), 0);
  assert_int_equal(sim_run_until(S, 3100000), 0);
  expect((const char *const[]){"3081000 expired not-refreshed", NULL});
}

/* An endpoint without session timers: only the hard limit (2 h). A limit
 * for every call cuts a refreshed one too. */
static void test_hard_limits(void **state) {
  (void)state;
  make(NULL);
  siphb_st_result off;
  memset(&off, 0, sizeof off);
  assert_int_equal(siphb_session_start(X, &off, false, 0), 0);
  assert_int_equal(sim_run_until(S, 7199999), 0);
  expect(none);
  assert_int_equal(sim_run_until(S, 7200000), 0);
  expect((const char *const[]){"7200000 hard-limit", NULL});
  siphb_session_del(X);
  siphb_session_config c;
  siphb_session_config_init(&c, sizeof c);
  c.max_duration = 3600000;
  assert_int_equal(siphb_session_new(&X, S->ctx, &c, NULL, 8000000), 0);
  siphb_st_result neg = negotiated(1800, true);
  assert_int_equal(siphb_session_start(X, &neg, false, 8000000), 0);
  answer_after = 50;
  run_to(8000000 + 4000000);
  expect((const char *const[]){"8900000 due 1 scheduled", "9800050 due 1 scheduled",
                               "10700100 due 1 scheduled", "11600000 hard-limit", NULL});
  siphb_session_stats st;
  assert_int_equal(siphb_session_get_stats(X, &st), 0);
  assert_int_equal(st.state, SIPHB_SESSION_STATE_EXPIRED);
}

/* A renegotiated interval on a refresh: the new one from then on; a
 * change of refresher too. */
static void test_refresh_renegotiates(void **state) {
  (void)state;
  make(NULL);
  siphb_st_result neg = negotiated(1800, true);
  assert_int_equal(siphb_session_start(X, &neg, false, 0), 0);
  assert_int_equal(sim_run_until(S, 900000), 0);
  siphb_st_result shorter = negotiated(600, false);
  assert_int_equal(siphb_session_refreshed(X, &shorter, 900100), 0);
  siphb_session_stats st;
  assert_int_equal(siphb_session_get_stats(X, &st), 0);
  assert_int_equal(st.interval_s, 600);
  assert_false(st.local_refresher);
  assert_int_equal(st.next_refresh_at, SIPHB_NEVER);
  assert_int_equal(st.expire_at, 900100 + 568000);
}

static void test_refused(void **state) {
  (void)state;
  siphb_session *s = (siphb_session *)(uintptr_t)1;
  siphb_session_config c;
  siphb_session_config_init(&c, sizeof c);
  c.segments = 1;
  assert_int_equal(siphb_session_new(&s, S->ctx, &c, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  c.segments = 11;
  assert_int_equal(siphb_session_new(&s, S->ctx, &c, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_session_config_init(&c, sizeof c);
  c.bye_margin_divisor = 0;
  assert_int_equal(siphb_session_new(&s, S->ctx, &c, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_session_config_init(&c, sizeof c);
  c.grace = (siphb_ms)1 << 33;
  assert_int_equal(siphb_session_new(&s, S->ctx, &c, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  c.size = 0;
  assert_int_equal(siphb_session_new(&s, S->ctx, &c, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_ptr_equal(s, (siphb_session *)(uintptr_t)1);
  make(NULL);
  siphb_st_result neg = negotiated(60, true); /* below 90 */
  assert_int_equal(siphb_session_start(X, &neg, false, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_session_refreshed(X, NULL, 0), SIPHB_ERR_INVALID_STATE);
  assert_int_equal(siphb_session_refresh_failed(X, 503, 0), SIPHB_ERR_INVALID_STATE);
  assert_int_equal(siphb_session_stop(NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  neg = negotiated(90, false);
  assert_int_equal(siphb_session_start(X, &neg, false, 0), 0);
  assert_int_equal(siphb_session_refresh_failed(X, 503, 0), SIPHB_ERR_INVALID_STATE);
  assert_int_equal(siphb_session_stop(X, 1), 0);
  assert_int_equal(sim_run_until(S, 3600000), 0);
  expect(none);
  assert_string_equal(siphb_session_reason_name(SIPHB_SESSION_REASON_HARD_LIMIT), "hard-limit");
  assert_string_equal(siphb_session_reason_name((siphb_session_reason)9), "?");
}

/* Random refreshes, failures and renegotiations over days: a REFRESH_DUE
 * only for the refresher and never before its point, EXPIRED never before
 * its deadline from the last success (nor without one, but for 408/481),
 * nothing after the end. */
static uint64_t rng;
static uint64_t rnd(void) { return rnd_splitmix(&rng); }

static siphb_ms prop_last;
static uint32_t prop_interval;
static bool prop_local, prop_ended, prop_failed_fatal;
static uint32_t prop_segments;
static unsigned prop_expired;

static int prop_check(sim *s, const siphb_event *ev) {
  (void)s;
  assert_false(prop_ended);
  const siphb_event_session *e = &ev->u.session;
  siphb_ms whole = (siphb_ms)prop_interval * 1000;
  if (ev->type == SIPHB_EVENT_SESSION_REFRESH_DUE) {
    assert_true(prop_local);
    siphb_ms first = prop_segments ? whole / prop_segments : whole / 2;
    assert_true(ev->now >= prop_last + first);
    assert_true(ev->now < prop_last + whole);
  } else if (ev->type == SIPHB_EVENT_SESSION_EXPIRED) {
    prop_ended = true;
    prop_expired++;
    if (e->reason == SIPHB_SESSION_REASON_REFRESH_FAILED) {
      assert_true(prop_failed_fatal);
    } else {
      siphb_ms deadline = prop_local ? whole : siphb_st_bye_delay(prop_interval, 3);
      assert_int_equal(ev->now, prop_last + deadline);
    }
  }
  return 0;
}

static void test_random_lifetimes(void **state) {
  (void)state;
  for (uint64_t seed = 1; seed <= 40; seed++) {
    rng = seed;
    siphb_session_config c;
    siphb_session_config_init(&c, sizeof c);
    c.max_duration_no_timer = 0;
    prop_segments = rnd() % 2 ? 0 : 2 + (uint32_t)(rnd() % 9);
    c.segments = prop_segments;
    siphb_session_del(X);
    siphb_ms now = siphb_ctx_now(S->ctx);
    assert_int_equal(siphb_session_new(&X, S->ctx, &c, NULL, now), 0);
    prop_interval = 90 + (uint32_t)(rnd() % 3600);
    prop_local = rnd() % 2;
    prop_ended = prop_failed_fatal = false;
    siphb_st_result neg = negotiated(prop_interval, prop_local);
    assert_int_equal(siphb_session_start(X, &neg, false, now), 0);
    prop_last = now;
    S->hook = prop_check;
    for (int step = 0; step < 200 && !prop_ended; step++) {
      now += rnd() % ((siphb_ms)prop_interval * 800);
      assert_int_equal(sim_run_until(S, now), 0);
      if (prop_ended) break;
      unsigned what = (unsigned)(rnd() % 4);
      if (what == 0) {
        assert_int_equal(siphb_session_refreshed(X, NULL, now), 0);
        prop_last = now;
      } else if (what == 1 && prop_local) {
        unsigned status = (unsigned)(rnd() % 3 ? 503 : 408);
        prop_failed_fatal = status == 408;
        assert_int_equal(siphb_session_refresh_failed(X, status, now), 0);
      } else if (what == 2) {
        prop_interval = 90 + (uint32_t)(rnd() % 3600);
        prop_local = rnd() % 2;
        neg = negotiated(prop_interval, prop_local);
        assert_int_equal(siphb_session_refreshed(X, &neg, now), 0);
        prop_last = now;
      }
    }
    S->hook = NULL;
  }
  assert_true(prop_expired >= 10);
}

static int make_session(sim *s, size_t i, void **obj) {
  (void)i;
  siphb_session *x;
  int rv = siphb_session_new(&x, s->ctx, NULL, NULL, 0);
  if (rv != 0) return rv;
  siphb_st_result neg = negotiated(90, true);
  assert_int_equal(siphb_session_start(x, &neg, false, 0), 0);
  *obj = x;
  return 0;
}

static void del_session(void *x) { siphb_session_del(x); }

static const sim_sweep sweep = {3, make_session, del_session, 200000, 0};

static void test_allocation_sweep(void **state) {
  (void)state;
  assert_true(failmem_sweep(sim_sweep_objects, (void *)(uintptr_t)&sweep) >= 1 + 3);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_refreshes_over_hours, setup, teardown),
      cmocka_unit_test_setup_teardown(test_rfc_retry_then_expiry, setup, teardown),
      cmocka_unit_test_setup_teardown(test_408_expires_at_once, setup, teardown),
      cmocka_unit_test_setup_teardown(test_segment_retry, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bye_at_the_exact_millisecond, setup, teardown),
      cmocka_unit_test_setup_teardown(test_hard_limits, setup, teardown),
      cmocka_unit_test_setup_teardown(test_refresh_renegotiates, setup, teardown),
      cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
      cmocka_unit_test_setup_teardown(test_random_lifetimes, setup, teardown),
      cmocka_unit_test(test_allocation_sweep),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
