/*
 * test_reg.c - REGISTER refresh timing in simulated time: what each final
 * response does to the binding and when the next REFRESH_DUE comes, as
 * timelines with the exact events expected.
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
#include "simclock.h"

static sim *S;
static siphb_reg *R;

static int setup(void **state) {
  (void)state;
  int rv;
  S = sim_new(NULL, &rv);
  assert_non_null(S);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  sim_delete(S);
  return 0;
}

static void new_reg(uint32_t jitter) {
  siphb_reg_config c;
  siphb_reg_config_init(&c, sizeof c);
  c.refresh_jitter_permille = jitter;
  c.contact = siphb_str_c("sip:alice@192.0.2.5:5060");
  c.instance_id = siphb_str_c("<urn:uuid:00000000-0000-1000-8000-000A95A0E128>");
  c.response_timeout = 32000;
  assert_int_equal(siphb_reg_new(&R, S->ctx, &c, NULL, S->now), 0);
}

static void run_to(siphb_ms t) { assert_int_equal(sim_run_until(S, t), 0); }

static void result(unsigned status, bool has_expires, uint32_t expires, uint32_t min_expires,
                   int retry_after) {
  siphb_reg_result r;
  siphb_reg_result_init(&r, sizeof r);
  r.status = status;
  r.has_expires = has_expires;
  r.expires_s = expires;
  r.min_expires_s = min_expires;
  if (retry_after >= 0) {
    r.has_retry_after = true;
    r.retry_after_s = (uint32_t)retry_after;
  }
  assert_int_equal(siphb_reg_on_result(R, &r, S->now), 0);
}

/* Event i: its time, type, reason and (for REFRESH_DUE and REGISTERED) the
 * expiry; returns the payload. */
static const siphb_event_reg *ev(size_t i, siphb_ms at, siphb_event_type type,
                                 siphb_reg_reason reason, uint32_t expires_s) {
  if (i >= S->nrecords) fail_msg("event %zu missing (have %zu)", i, S->nrecords);
  const sim_record *r = &S->records[i];
  const siphb_event_reg *e = &r->event.u.reg;
  if (r->at != at || r->event.type != type || e->reason != reason || e->expires_s != expires_s)
    fail_msg("event %zu: at %llu %s reason %d expires %u; want at %llu %s reason %d expires %u", i,
             (unsigned long long)r->at, siphb_event_type_name(r->event.type), (int)e->reason,
             e->expires_s, (unsigned long long)at, siphb_event_type_name(type), (int)reason,
             expires_s);
  assert_ptr_equal(r->event.object, R);
  return e;
}

/* Register, refresh on schedule: refresh at sent + granted - 10 % (360 s
 * of 3600 s, above the 32 s floor). */
static void test_register_and_refresh(void **state) {
  (void)state;
  new_reg(0);
  assert_int_equal(siphb_reg_get_state(R), SIPHB_REG_STATE_STOPPED);
  assert_int_equal(siphb_reg_start(R, 0), 0);
  run_to(0);
  ev(0, 0, SIPHB_EVENT_REG_REFRESH_DUE, SIPHB_REG_REASON_INITIAL, 3600);
  assert_int_equal(siphb_reg_get_state(R), SIPHB_REG_STATE_DUE);
  assert_int_equal(siphb_reg_sent(R, 3600, 0), 0);
  S->now = 150;
  result(200, true, 3600, 0, -1);
  const siphb_event_reg *e = ev(1, 150, SIPHB_EVENT_REG_REGISTERED, SIPHB_REG_REASON_NONE, 3600);
  assert_true(e->bound);
  assert_int_equal(e->expires_at, 3600000);
  assert_int_equal(e->refresh_at, 3240000);
  assert_int_equal(siphb_reg_expires_at(R), 3600000);
  run_to(3239999);
  assert_int_equal(S->nrecords, 2);
  run_to(3240000);
  ev(2, 3240000, SIPHB_EVENT_REG_REFRESH_DUE, SIPHB_REG_REASON_SCHEDULED, 3600);
  /* a short grant refreshes at half of it (60 s <= twice the 32 s margin) */
  assert_int_equal(siphb_reg_sent(R, 3600, 3240000), 0);
  S->now = 3240100;
  result(200, true, 60, 0, -1);
  e = ev(3, 3240100, SIPHB_EVENT_REG_REGISTERED, SIPHB_REG_REASON_NONE, 60);
  assert_int_equal(e->refresh_at, 3240000 + 30000);
  siphb_reg_del(R);
}

/* 423 twice: at once with Min-Expires each time; the fourth is a failure. */
static void test_min_expires(void **state) {
  (void)state;
  new_reg(0);
  assert_int_equal(siphb_reg_start(R, 0), 0);
  run_to(0);
  for (int i = 0; i < 3; i++) {
    assert_int_equal(siphb_reg_sent(R, i == 0 ? 3600 : 7200, S->now), 0);
    S->now += 100;
    result(423, false, 0, 7200, -1);
    ev((size_t)i + 1, S->now, SIPHB_EVENT_REG_REFRESH_DUE, SIPHB_REG_REASON_MIN_EXPIRES, 7200);
  }
  assert_int_equal(siphb_reg_sent(R, 7200, S->now), 0);
  S->now += 100;
  result(423, false, 0, 7200, -1);
  const siphb_event_reg *e = ev(4, S->now, SIPHB_EVENT_REG_FAILED, SIPHB_REG_REASON_REJECTED, 7200);
  assert_int_equal(e->status, 423);
  assert_int_equal(e->min_expires_s, 7200);
  siphb_reg_del(R);
}

/* 401/407: passed to the stack twice; the third in a row fails (AUTH). */
static void test_auth_bounded(void **state) {
  (void)state;
  new_reg(0);
  assert_int_equal(siphb_reg_start(R, 0), 0);
  run_to(0);
  static const unsigned codes[] = {401, 407};
  for (int i = 0; i < 2; i++) {
    assert_int_equal(siphb_reg_sent(R, 3600, S->now), 0);
    S->now += 50;
    result(codes[i], false, 0, 0, -1);
    assert_int_equal(S->nrecords, 1); /* nothing to report */
    assert_int_equal(siphb_reg_get_state(R), SIPHB_REG_STATE_PENDING);
  }
  assert_int_equal(siphb_reg_sent(R, 3600, S->now), 0);
  S->now += 50;
  result(401, false, 0, 0, -1);
  ev(1, S->now, SIPHB_EVENT_REG_FAILED, SIPHB_REG_REASON_AUTH, 3600);
  siphb_reg_stats st;
  assert_int_equal(siphb_reg_get_stats(R, &st), 0);
  assert_int_equal(st.challenges, 2);
  assert_int_equal(st.failures, 1);
  siphb_reg_del(R);
}

/* A 503 with Retry-After: 120 waits 120 s (longer than the back-off);
 * Retry-After: 0 means at once; a 500 without one waits the back-off: one
 * failure, base 30 s, W = 60 s, uniform in [30 s, 60 s]. */
static void test_retry_after_and_backoff(void **state) {
  (void)state;
  new_reg(0);
  assert_int_equal(siphb_reg_start(R, 0), 0);
  run_to(0);
  assert_int_equal(siphb_reg_sent(R, 3600, 0), 0);
  S->now = 100;
  result(503, false, 0, 0, 120);
  const siphb_event_reg *e = ev(1, 100, SIPHB_EVENT_REG_FAILED, SIPHB_REG_REASON_REJECTED, 3600);
  assert_int_equal(e->retry_at, 120100);
  run_to(120099);
  assert_int_equal(S->nrecords, 2);
  run_to(120100);
  ev(2, 120100, SIPHB_EVENT_REG_REFRESH_DUE, SIPHB_REG_REASON_RETRY, 3600);
  assert_int_equal(siphb_reg_sent(R, 3600, 120100), 0);
  S->now = 120200;
  result(503, false, 0, 0, 0);
  e = ev(3, 120200, SIPHB_EVENT_REG_FAILED, SIPHB_REG_REASON_REJECTED, 3600);
  assert_int_equal(e->retry_at, 120200);
  run_to(120200);
  ev(4, 120200, SIPHB_EVENT_REG_REFRESH_DUE, SIPHB_REG_REASON_RETRY, 3600);
  assert_int_equal(siphb_reg_sent(R, 3600, 120200), 0);
  S->now = 120300;
  result(500, false, 0, 0, -1);
  e = ev(5, 120300, SIPHB_EVENT_REG_FAILED, SIPHB_REG_REASON_REJECTED, 3600);
  assert_int_equal(e->consecutive_failures, 3);
  /* third failure in a row: W = 30 s * 2^3 = 240 s, delay in [120 s, 240 s] */
  assert_true(e->retry_at >= 120300 + 120000 && e->retry_at <= 120300 + 240000);
  siphb_reg_del(R);
}

/* No final response within response_timeout: TIMEOUT; a binding whose
 * refresh keeps failing EXPIRES at sent + granted. */
static void test_timeout_and_expiry(void **state) {
  (void)state;
  new_reg(0);
  assert_int_equal(siphb_reg_start(R, 0), 0);
  run_to(0);
  assert_int_equal(siphb_reg_sent(R, 3600, 0), 0);
  S->now = 100;
  result(200, true, 60, 0, -1); /* expires at 60 s, refresh at 30 s */
  run_to(30000);
  ev(2, 30000, SIPHB_EVENT_REG_REFRESH_DUE, SIPHB_REG_REASON_SCHEDULED, 3600);
  assert_int_equal(siphb_reg_sent(R, 3600, 30000), 0);
  run_to(62000);
  /* the guard (32 s) fires at 62 s; the binding ended at 60 s first */
  const siphb_event_reg *e = ev(3, 60000, SIPHB_EVENT_REG_EXPIRED, SIPHB_REG_REASON_NONE, 0);
  assert_false(e->bound);
  e = ev(4, 62000, SIPHB_EVENT_REG_FAILED, SIPHB_REG_REASON_TIMEOUT, 3600);
  assert_false(e->bound);
  assert_int_equal(siphb_reg_expires_at(R), 0);
  siphb_reg_del(R);
}

/* Unregister: a 2xx to expires 0 reports UNREGISTERED and stops; a 2xx
 * without our binding is BINDING_MISSING. */
static void test_unregister_and_missing_binding(void **state) {
  (void)state;
  new_reg(0);
  assert_int_equal(siphb_reg_start(R, 0), 0);
  run_to(0);
  assert_int_equal(siphb_reg_sent(R, 3600, 0), 0);
  S->now = 10;
  result(200, false, 0, 0, -1);
  ev(1, 10, SIPHB_EVENT_REG_FAILED, SIPHB_REG_REASON_BINDING_MISSING, 3600);
  run_to(S->records[1].event.u.reg.retry_at);
  assert_int_equal(siphb_reg_sent(R, 0, S->now), 0);
  siphb_ms t = S->now + 5;
  S->now = t;
  result(200, false, 0, 0, -1);
  ev(3, t, SIPHB_EVENT_REG_UNREGISTERED, SIPHB_REG_REASON_NONE, 0);
  assert_int_equal(siphb_reg_get_state(R), SIPHB_REG_STATE_STOPPED);
  assert_int_equal(siphb_ctx_next_deadline(S->ctx), SIPHB_NEVER);
  siphb_reg_del(R);
}

/* Raw responses: our binding found by +sip.instance, else by URI, else as
 * the only Contact; its ;expires beats Expires. */
static void respond(const char *text) {
  assert_int_equal(siphb_reg_on_response(R, (const uint8_t *)text, strlen(text), S->now), 0);
}

#define HEAD                                                                                  \
  "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.5:5060;branch=z9hG4bKr\r\n"                     \
  "From: <sip:alice@example.com>;tag=a\r\nTo: <sip:alice@example.com>;tag=b\r\n"             \
  "Call-ID: reg1\r\nCSeq: 2 REGISTER\r\n"

static void test_responses(void **state) {
  (void)state;
  new_reg(0);
  assert_int_equal(siphb_reg_start(R, 0), 0);
  run_to(0);
  static const struct {
    const char *text;
    uint32_t granted; /* 0: binding missing */
  } cases[] = {
      {HEAD "Contact: <sip:bob@192.0.2.9>;expires=100, <sip:other@192.0.2.5>;expires=200;"
            "+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\"\r\n"
            "Expires: 300\r\nContent-Length: 0\r\n\r\n",
       200},
      {HEAD "Contact: <sip:bob@192.0.2.9>;expires=100\r\nContact: <sip:alice@192.0.2.5:5060>"
            ";expires=400\r\nContent-Length: 0\r\n\r\n",
       400},
      {HEAD "Contact: <sip:someone@192.0.2.7>\r\nExpires: 500\r\nContent-Length: 0\r\n\r\n", 500},
      {HEAD "Contact: <sip:a@192.0.2.7>;expires=1, <sip:b@192.0.2.8>;expires=2\r\n"
            "Content-Length: 0\r\n\r\n",
       0},
  };
  size_t events = S->nrecords;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    assert_int_equal(siphb_reg_sent(R, 3600, S->now), 0);
    S->now += 10;
    respond(cases[i].text);
    assert_int_equal(S->nrecords, events + 1);
    const sim_record *r = &S->records[events];
    if (cases[i].granted) {
      assert_int_equal(r->event.type, SIPHB_EVENT_REG_REGISTERED);
      assert_int_equal(r->event.u.reg.expires_s, cases[i].granted);
    } else {
      assert_int_equal(r->event.type, SIPHB_EVENT_REG_FAILED);
      assert_int_equal(r->event.u.reg.reason, SIPHB_REG_REASON_BINDING_MISSING);
      run_to(r->event.u.reg.retry_at);
    }
    events = S->nrecords;
  }
  /* a 423 read from bytes, with Retry-After and Flow-Timer read too */
  assert_int_equal(siphb_reg_sent(R, 3600, S->now), 0);
  respond("SIP/2.0 423 Interval Too Brief\r\nVia: SIP/2.0/UDP 192.0.2.5;branch=z9hG4bKr\r\n"
          "From: <sip:a@b>;tag=a\r\nTo: <sip:a@b>;tag=b\r\nCall-ID: r\r\nCSeq: 3 REGISTER\r\n"
          "Min-Expires: 7200\r\nContent-Length: 0\r\n\r\n");
  assert_int_equal(S->records[S->nrecords - 1].event.type, SIPHB_EVENT_REG_REFRESH_DUE);
  assert_int_equal(S->records[S->nrecords - 1].event.u.reg.expires_s, 7200);
  /* bytes that are no response leave the reg as it was */
  assert_int_equal(siphb_reg_sent(R, 7200, S->now), 0);
  assert_int_equal(siphb_reg_on_response(R, (const uint8_t *)"junk", 4, S->now),
                   SIPHB_ERR_SIP_START_LINE);
  assert_int_equal(siphb_reg_get_state(R), SIPHB_REG_STATE_PENDING);
  siphb_reg_del(R);
}

/* With jitter (50 permille of 3600 s = 180 s) the refresh point lies in
 * [3060 s, 3240 s] after the send. */
static void test_refresh_jitter(void **state) {
  (void)state;
  new_reg(50);
  assert_int_equal(siphb_reg_start(R, 0), 0);
  run_to(0);
  siphb_ms lo = SIPHB_NEVER, hi = 0;
  for (int i = 0; i < 200; i++) {
    siphb_ms sent = S->now;
    assert_int_equal(siphb_reg_sent(R, 3600, sent), 0);
    result(200, true, 3600, 0, -1);
    siphb_ms at = S->records[S->nrecords - 1].event.u.reg.refresh_at - sent;
    assert_true(at >= 3060000 && at <= 3240000);
    lo = at < lo ? at : lo;
    hi = at > hi ? at : hi;
    run_to(S->records[S->nrecords - 1].event.u.reg.refresh_at);
  }
  assert_true(hi - lo > 100000);
  siphb_reg_del(R);
}

static void test_refusals(void **state) {
  (void)state;
  siphb_reg_config c;
  siphb_reg_config_init(&c, sizeof c);
  assert_int_equal(c.expires_s, 3600);
  assert_int_equal(c.refresh_margin_min, 32000);
  assert_int_equal(c.retry_base, 30000);
  assert_int_equal(c.retry_max, 1800000);
  siphb_reg *r = (siphb_reg *)(uintptr_t)1;
  c.expires_s = 0;
  assert_int_equal(siphb_reg_new(&r, S->ctx, &c, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_reg_config_init(&c, sizeof c);
  c.retry_base = 2000000; /* above retry_max */
  assert_int_equal(siphb_reg_new(&r, S->ctx, &c, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_reg_config_init(&c, sizeof c);
  c.contact = siphb_str_c("sip:a@b\r\nX: y");
  assert_int_equal(siphb_reg_new(&r, S->ctx, &c, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_reg_config_init(&c, sizeof c);
  c.refresh_jitter_permille = 1001;
  assert_int_equal(siphb_reg_new(&r, S->ctx, &c, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_ptr_equal(r, (siphb_reg *)(uintptr_t)1);
  assert_int_equal(siphb_reg_new(&R, S->ctx, NULL, NULL, 0), 0); /* the defaults */
  siphb_reg_result res;
  siphb_reg_result_init(&res, sizeof res);
  res.status = 200;
  assert_int_equal(siphb_reg_on_result(R, &res, 0), SIPHB_ERR_INVALID_STATE); /* nothing sent */
  assert_int_equal(siphb_reg_sent(R, 60, 0), SIPHB_ERR_INVALID_STATE);        /* stopped */
  assert_int_equal(siphb_reg_start(R, 0), 0);
  assert_int_equal(siphb_reg_sent(R, 60, 0), 0);
  res.status = 180;
  assert_int_equal(siphb_reg_on_result(R, &res, 0), SIPHB_ERR_INVALID_ARGUMENT);
  res.status = 700;
  assert_int_equal(siphb_reg_on_result(R, &res, 0), SIPHB_ERR_INVALID_ARGUMENT);
  res.size = 0;
  assert_int_equal(siphb_reg_on_result(R, &res, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_reg_on_result(R, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_reg_get_state(R), SIPHB_REG_STATE_PENDING);
  siphb_reg_stats st;
  memset(&st, 0xAA, sizeof st);
  assert_int_equal(siphb_reg_get_stats(R, &st), 0);
  for (size_t i = 0; i < sizeof st.reserved_ / sizeof st.reserved_[0]; i++)
    assert_int_equal(st.reserved_[i], 0);
  siphb_reg_del(R);
}

static int delete_on_event(sim *s, const siphb_event *e) {
  (void)s;
  if (e->type == SIPHB_EVENT_REG_REGISTERED) siphb_reg_del((siphb_reg *)e->object);
  return 0;
}

/* Deleted from its own REGISTERED event inside siphb_reg_on_result(): freed
 * when that call returns, nothing more fires. */
static void test_delete_from_event(void **state) {
  (void)state;
  S->hook = delete_on_event;
  new_reg(0);
  assert_int_equal(siphb_reg_start(R, 0), 0);
  run_to(0);
  assert_int_equal(siphb_reg_sent(R, 3600, 0), 0);
  result(200, true, 3600, 0, -1);
  assert_int_equal(siphb_ctx_next_deadline(S->ctx), SIPHB_NEVER);
  run_to(7200000);
  assert_int_equal(S->nrecords, 2);
}

/* Every allocation of a reg (the object, its copied texts) failed in turn:
 * siphb_reg_new() reports NOMEM and leaves nothing behind. */
static int make_reg(sim *s, size_t i, void **obj) {
  (void)i;
  siphb_reg_config c;
  siphb_reg_config_init(&c, sizeof c);
  c.contact = siphb_str_c("sip:alice@192.0.2.5");
  siphb_reg *r;
  int rv = siphb_reg_new(&r, s->ctx, &c, NULL, 0);
  if (rv != 0) return rv;
  assert_int_equal(siphb_reg_start(r, 0), 0);
  *obj = r;
  return 0;
}

static void del_reg(void *r) { siphb_reg_del(r); }

static const sim_sweep sweep = {3, make_reg, del_reg, 0, 0};

static void test_allocation_sweep(void **state) {
  (void)state;
  assert_true(failmem_sweep(sim_sweep_objects, (void *)(uintptr_t)&sweep) >= 1 + 3 * 2);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_register_and_refresh, setup, teardown),
      cmocka_unit_test_setup_teardown(test_min_expires, setup, teardown),
      cmocka_unit_test_setup_teardown(test_auth_bounded, setup, teardown),
      cmocka_unit_test_setup_teardown(test_retry_after_and_backoff, setup, teardown),
      cmocka_unit_test_setup_teardown(test_timeout_and_expiry, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unregister_and_missing_binding, setup, teardown),
      cmocka_unit_test_setup_teardown(test_responses, setup, teardown),
      cmocka_unit_test_setup_teardown(test_refresh_jitter, setup, teardown),
      cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
      cmocka_unit_test_setup_teardown(test_delete_from_event, setup, teardown),
      cmocka_unit_test(test_allocation_sweep),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
