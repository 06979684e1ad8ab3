/*
 * test_session_e2e.c - RFC 4028 end to end in simulated time: a UAC and a
 * UAS, each with the st negotiation and a session object on one ctx,
 * exchange real SIP messages (built as text, parsed with siphb_sip_parse):
 * the UAC offers 90 s, the UAS (minimum 1800 s) answers 422, the UAC
 * retries once with 1800 s and gets a 200; both sessions run, the UAS
 * refreshes at 900 s, the UAC would hang up at 1768 s without it; and a
 * second 422 with the same Min-SE is not retried.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "simclock.h"

/* A request or response with the st header lines `st` (CRLF-terminated). */
static size_t build(char *out, size_t cap, const char *start, unsigned cseq, const char *st) {
  int n = snprintf(out, cap,
                   "%s\r\n"
                   "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-%u\r\n"
                   "From: <sip:alice@example.com>;tag=a1\r\n"
                   "To: <sip:bob@example.com>\r\n"
                   "Call-ID: e2e@192.0.2.1\r\n"
                   "CSeq: %u INVITE\r\n"
                   "%s"
                   "Content-Length: 0\r\n\r\n",
                   start, cseq, cseq, st);
  assert_true(n > 0 && (size_t)n < cap);
  return (size_t)n;
}

/* Parses text and returns its timer view. */
static siphb_st_header view(const char *text, size_t len) {
  siphb_sip_msg m;
  assert_int_equal(siphb_sip_parse(&m, (const uint8_t *)text, len, NULL, NULL), (siphb_ssize)len);
  siphb_st_header h;
  assert_int_equal(siphb_st_from_msg(&m, &h), 0);
  return h;
}

static void encode(const siphb_st_result *r, char *out, size_t cap) {
  assert_true(siphb_st_encode(out, cap, r, NULL) >= 0);
}

static void test_422_then_success_then_refreshes(void **state) {
  (void)state;
  int rv;
  sim *s = sim_new(NULL, &rv);
  siphb_st_config uac, uas;
  siphb_st_config_init(&uac, sizeof uac);
  uac.session_expires_s = 90;
  siphb_st_config_init(&uas, sizeof uas);
  uas.min_se_s = 1800;
  char hdrs[256], msg[1024];

  /* INVITE 1: Session-Expires 90. */
  siphb_st_result offer;
  assert_int_equal(siphb_st_uac_offer(&uac, 0, SIPHB_SIP_REFRESHER_NONE, &offer), 0);
  encode(&offer, hdrs, sizeof hdrs);
  assert_string_equal(hdrs, "Supported: timer\r\nSession-Expires: 90\r\n");
  size_t len = build(msg, sizeof msg, "INVITE sip:bob@example.com SIP/2.0", 1, hdrs);
  siphb_st_header req = view(msg, len);
  siphb_st_result answer;
  assert_int_equal(siphb_st_uas_answer(&uas, &req, &answer), 0);
  assert_int_equal(answer.action, SIPHB_ST_ACTION_REJECT);
  assert_int_equal(answer.status, 422);
  encode(&answer, hdrs, sizeof hdrs);
  assert_string_equal(hdrs, "Min-SE: 1800\r\n");

  /* The 422 at the UAC: one retry, with 1800 and the Min-SE. */
  len = build(msg, sizeof msg, "SIP/2.0 422 Session Interval Too Small", 1, hdrs);
  siphb_st_header resp = view(msg, len);
  siphb_st_result retry;
  assert_int_equal(siphb_st_uac_on_response(&uac, &offer, 422, &resp, &retry), 0);
  assert_int_equal(retry.action, SIPHB_ST_ACTION_RETRY);
  encode(&retry, hdrs, sizeof hdrs);
  assert_string_equal(hdrs, "Supported: timer\r\nSession-Expires: 1800\r\nMin-SE: 1800\r\n");

  /* INVITE 2: accepted; the UAS refreshes (its preference). */
  len = build(msg, sizeof msg, "INVITE sip:bob@example.com SIP/2.0", 2, hdrs);
  req = view(msg, len);
  assert_int_equal(siphb_st_uas_answer(&uas, &req, &answer), 0);
  assert_int_equal(answer.action, SIPHB_ST_ACTION_ACCEPT);
  encode(&answer, hdrs, sizeof hdrs);
  assert_string_equal(hdrs, "Supported: timer\r\nSession-Expires: 1800;refresher=uas\r\n");
  len = build(msg, sizeof msg, "SIP/2.0 200 OK", 2, hdrs);
  resp = view(msg, len);
  siphb_st_result in_force;
  assert_int_equal(siphb_st_uac_on_response(&uac, &retry, 200, &resp, &in_force), 0);
  assert_true(in_force.active);
  assert_int_equal(in_force.interval_s, 1800);
  assert_false(in_force.local_refresher);

  /* Both sessions on the ctx from the 200 at t = 0. */
  siphb_session *uac_s, *uas_s;
  assert_int_equal(siphb_session_new(&uac_s, s->ctx, NULL, NULL, 0), 0);
  assert_int_equal(siphb_session_new(&uas_s, s->ctx, NULL, NULL, 0), 0);
  assert_int_equal(siphb_session_start(uac_s, &in_force, false, 0), 0);
  assert_int_equal(siphb_session_start(uas_s, &answer, false, 0), 0);
  /* The UAS's refresh at 900 s reaches the UAC 40 ms later, its 2xx 40 ms
   * after that: both restart. */
  assert_int_equal(sim_run_until(s, 900000), 0);
  assert_int_equal(sim_count(s, SIPHB_EVENT_SESSION_REFRESH_DUE), 1);
  assert_ptr_equal(s->records[s->nrecords - 1].event.object, uas_s);
  assert_int_equal(siphb_session_refreshed(uac_s, NULL, 900040), 0);
  assert_int_equal(siphb_session_refreshed(uas_s, NULL, 900080), 0);
  /* Then the UAS goes silent: the UAC hangs up at 900.04 s + 1768 s; the
   * UAS, whose refresh at 1800.08 s got no 2xx, at its interval's end. */
  assert_int_equal(sim_run_until(s, 900040 + 1768000 - 1), 0);
  assert_int_equal(sim_count(s, SIPHB_EVENT_SESSION_EXPIRED), 0);
  assert_int_equal(sim_run_until(s, 900040 + 1768000), 0);
  assert_int_equal(sim_count(s, SIPHB_EVENT_SESSION_EXPIRED), 1);
  const siphb_event *bye = &s->records[s->nrecords - 1].event;
  assert_ptr_equal(bye->object, uac_s);
  assert_int_equal(bye->now, 2668040);
  assert_int_equal(sim_run_until(s, 900080 + 1800000), 0);
  assert_int_equal(sim_count(s, SIPHB_EVENT_SESSION_EXPIRED), 2);
  assert_int_equal(s->records[s->nrecords - 1].event.now, 2700080);
  siphb_session_del(uac_s);
  siphb_session_del(uas_s);
  sim_delete(s);
}

/* A UAS that answers 422 with the Min-SE the retry already offered: the
 * UAC gives up after its one retry instead of looping. */
static void test_second_422_is_not_retried(void **state) {
  (void)state;
  siphb_st_config uac;
  siphb_st_config_init(&uac, sizeof uac);
  uac.session_expires_s = 90;
  siphb_st_result sent;
  assert_int_equal(siphb_st_uac_offer(&uac, 0, SIPHB_SIP_REFRESHER_NONE, &sent), 0);
  char msg[1024];
  unsigned attempts = 0;
  for (;;) {
    attempts++;
    assert_true(attempts <= 5); /* a loop would show here */
    size_t len = build(msg, sizeof msg, "SIP/2.0 422 Session Interval Too Small", attempts,
                       "Min-SE: 1800\r\n");
    siphb_st_header resp = view(msg, len);
    siphb_st_result next;
    assert_int_equal(siphb_st_uac_on_response(&uac, &sent, 422, &resp, &next), 0);
    if (next.action == SIPHB_ST_ACTION_GIVE_UP) break;
    assert_int_equal(next.action, SIPHB_ST_ACTION_RETRY);
    sent = next;
  }
  assert_int_equal(attempts, 2);
}

/* A peer that raises Min-SE by one second with every 422: each retry is
 * allowed by the loop guard, and max_retries (3) ends it. */
static void test_422_retries_are_capped(void **state) {
  (void)state;
  siphb_st_config uac;
  siphb_st_config_init(&uac, sizeof uac);
  uac.session_expires_s = 90;
  siphb_st_result sent;
  assert_int_equal(siphb_st_uac_offer(&uac, 0, SIPHB_SIP_REFRESHER_NONE, &sent), 0);
  char msg[1024], line[64];
  unsigned attempts = 0;
  for (;;) {
    attempts++;
    assert_true(attempts <= 10);
    snprintf(line, sizeof line, "Min-SE: %u\r\n", sent.interval_s + 1);
    size_t len = build(msg, sizeof msg, "SIP/2.0 422 Session Interval Too Small", attempts, line);
    siphb_st_header resp = view(msg, len);
    siphb_st_result next;
    assert_int_equal(siphb_st_uac_on_response(&uac, &sent, 422, &resp, &next), 0);
    if (next.action == SIPHB_ST_ACTION_GIVE_UP) break;
    assert_int_equal(next.retries, attempts);
    sent = next;
  }
  assert_int_equal(attempts, 4); /* the offer and 3 retries */
  assert_int_equal(sent.interval_s, 93);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_422_then_success_then_refreshes),
      cmocka_unit_test(test_second_422_is_not_retried),
      cmocka_unit_test(test_422_retries_are_capped),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
