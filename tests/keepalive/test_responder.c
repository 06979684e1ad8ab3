/*
 * test_responder.c - the ctx's responder (siphb/responder.h): the exact
 * bytes it answers OPTIONS and CRLF pings with, what it leaves to the
 * integrator, its refusals, send failures, and the allocation sweep.
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

static int setup(void **state) {
  (void)state;
  S = test_malloc(sizeof *S);
  assert_int_equal(sim_init(S, 0, NULL, 0), 0);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  sim_free(S);
  test_free(S);
  return 0;
}

static const siphb_peer UDP_PEER = {7, NULL, SIPHB_TRANSPORT_UDP};
static const siphb_peer TCP_PEER = {8, NULL, SIPHB_TRANSPORT_TCP};

#define OPTIONS_REQ                                                        \
  "OPTIONS sip:phone@192.0.2.9 SIP/2.0\r\n"                                \
  "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKabc\r\n"                   \
  "From: <sip:proxy@192.0.2.1>;tag=p1\r\n"                                  \
  "To: <sip:phone@192.0.2.9>;tag=ph\r\n"                                    \
  "Call-ID: c1@192.0.2.1\r\n"                                               \
  "CSeq: 42 OPTIONS\r\n"                                                    \
  "Max-Forwards: 70\r\n"                                                    \
  "Content-Length: 0\r\n\r\n"

static siphb_rx_result rx(const siphb_peer *peer, const char *text, int want_rv) {
  siphb_rx_result r;
  assert_int_equal(siphb_ctx_receive(S->ctx, peer, (const uint8_t *)text, strlen(text), &r, S->now),
                   want_rv);
  return r;
}

static void assert_sent(size_t i, siphb_payload_kind kind, const char *bytes) {
  assert_true(i < S->nsends);
  assert_int_equal(S->sends[i].info.payload, kind);
  assert_int_equal(S->sends[i].info.object_kind, SIPHB_OBJECT_RESPONDER);
  assert_int_equal(S->sends[i].len, strlen(bytes));
  assert_memory_equal(S->sends[i].data, bytes, strlen(bytes));
}

static siphb_responder *new_responder(const siphb_responder_config *c) {
  siphb_responder *r = NULL;
  assert_int_equal(siphb_responder_new(&r, S->ctx, c, NULL), 0);
  return r;
}

static void test_options_answered(void **state) {
  (void)state;
  siphb_responder_config c;
  siphb_responder_config_init(&c, sizeof c);
  c.allow = siphb_str_c("INVITE, ACK, BYE, CANCEL, OPTIONS");
  c.server = siphb_str_c("siphb-test");
  siphb_responder *r = new_responder(&c);
  siphb_rx_result res = rx(&UDP_PEER, OPTIONS_REQ, 0);
  assert_true(res.consumed);
  assert_int_equal(res.kind, SIPHB_STREAM_SIP_REQUEST);
  assert_int_equal(res.object_kind, SIPHB_OBJECT_RESPONDER);
  assert_ptr_equal(res.object, r);
  assert_int_equal(S->nsends, 1);
  assert_sent(0, SIPHB_PAYLOAD_SIP_RESPONSE,
              "SIP/2.0 200 OK\r\n"
              "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKabc\r\n"
              "From: <sip:proxy@192.0.2.1>;tag=p1\r\n"
              "To: <sip:phone@192.0.2.9>;tag=ph\r\n"
              "Call-ID: c1@192.0.2.1\r\n"
              "CSeq: 42 OPTIONS\r\n"
              "Allow: INVITE, ACK, BYE, CANCEL, OPTIONS\r\n"
              "Server: siphb-test\r\n"
              "Content-Length: 0\r\n\r\n");
  assert_true(S->sends[0].info.peer.id == UDP_PEER.id);
  assert_true(S->sends[0].info.ref == 42);
  siphb_responder_stats st;
  assert_int_equal(siphb_responder_get_stats(r, &st), 0);
  assert_true(st.options_answered == 1 && st.not_answered == 0 && st.send_failures == 0);
  for (size_t i = 0; i < sizeof st.reserved_ / sizeof st.reserved_[0]; i++)
    assert_true(st.reserved_[i] == 0);
}

static void test_status_and_generated_tag(void **state) {
  (void)state;
  siphb_responder_config c;
  siphb_responder_config_init(&c, sizeof c);
  c.options_status = 503;
  c.reason = siphb_str_c("Maintenance");
  new_responder(&c);
  rx(&TCP_PEER,
     "OPTIONS sip:phone@192.0.2.9 SIP/2.0\r\n"
     "Via: SIP/2.0/TCP 192.0.2.1;branch=z9hG4bKx\r\n"
     "From: <sip:proxy@192.0.2.1>;tag=p1\r\n"
     "To: <sip:phone@192.0.2.9>\r\n"
     "Call-ID: c2\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n",
     0);
  assert_int_equal(S->nsends, 1);
  const char *got = (const char *)S->sends[0].data;
  const char *head = "SIP/2.0 503 Maintenance\r\n";
  assert_memory_equal(got, head, strlen(head));
  /* To gets a tag from the ctx's random: 16 lowercase hex digits. */
  const char *to = strstr(got, "To: <sip:phone@192.0.2.9>;tag=");
  assert_non_null(to);
  to += strlen("To: <sip:phone@192.0.2.9>;tag=");
  for (int i = 0; i < 16; i++) assert_non_null(strchr("0123456789abcdef", to[i]));
  assert_memory_equal(to + 16, "\r\n", 2);
}

/* The integrator's peer_source: peer 7 came from 198.51.100.4:40000, peer
 * 8 from 2001:db8::9:5070, others are unknown. */
static int source_of(const siphb_peer *peer, char *ip, size_t cap, uint16_t *port, void *ud) {
  (void)ud;
  const char *text = peer->id == 7 ? "198.51.100.4" : peer->id == 8 ? "2001:db8::9" : NULL;
  if (!text || strlen(text) >= cap) return -1;
  memcpy(ip, text, strlen(text) + 1);
  *port = peer->id == 7 ? 40000 : 5070;
  return 0;
}

static void test_received_and_rport(void **state) {
  (void)state;
  siphb_responder_config c;
  siphb_responder_config_init(&c, sizeof c);
  c.peer_source = source_of;
  new_responder(&c);
  /* NATed: sent-by differs from the source, rport asked: both filled */
  rx(&UDP_PEER,
     "OPTIONS sip:phone@192.0.2.9 SIP/2.0\r\n"
     "Via: SIP/2.0/UDP 10.0.0.2:5060;rport;branch=z9hG4bKn1\r\n"
     "From: <sip:proxy@192.0.2.1>;tag=p1\r\nTo: <sip:phone@192.0.2.9>;tag=ph\r\n"
     "Call-ID: n1\r\nCSeq: 5 OPTIONS\r\nContent-Length: 0\r\n\r\n",
     0);
  assert_int_equal(S->nsends, 1);
  assert_non_null(strstr((const char *)S->sends[0].data,
                         "\r\nVia: SIP/2.0/UDP 10.0.0.2:5060;rport=40000;branch=z9hG4bKn1;"
                         "received=198.51.100.4\r\n"));
  /* IPv6 source, no rport asked: received= only, without brackets */
  rx(&TCP_PEER,
     "OPTIONS sip:phone@192.0.2.9 SIP/2.0\r\n"
     "Via: SIP/2.0/TCP [2001:db8::1];branch=z9hG4bKn2\r\n"
     "From: <sip:proxy@192.0.2.1>;tag=p1\r\nTo: <sip:phone@192.0.2.9>;tag=ph\r\n"
     "Call-ID: n2\r\nCSeq: 6 OPTIONS\r\nContent-Length: 0\r\n\r\n",
     0);
  assert_int_equal(S->nsends, 2);
  assert_non_null(strstr((const char *)S->sends[1].data,
                         "\r\nVia: SIP/2.0/TCP [2001:db8::1];branch=z9hG4bKn2;"
                         "received=2001:db8::9\r\n"));
  /* an unknown peer: the Via as received */
  const siphb_peer other = {99, NULL, SIPHB_TRANSPORT_UDP};
  rx(&other, OPTIONS_REQ, 0);
  assert_int_equal(S->nsends, 3);
  assert_non_null(strstr((const char *)S->sends[2].data,
                         "\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKabc\r\n"));
}

static void test_other_requests_left_alone(void **state) {
  (void)state;
  siphb_responder *r = new_responder(NULL);
  siphb_rx_result res = rx(&UDP_PEER,
                           "ACK sip:phone@192.0.2.9 SIP/2.0\r\n"
                           "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKa\r\n"
                           "From: <sip:p@192.0.2.1>;tag=1\r\nTo: <sip:q@192.0.2.9>;tag=2\r\n"
                           "Call-ID: a\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n",
                           0);
  assert_false(res.consumed);
  res = rx(&UDP_PEER,
           "INVITE sip:phone@192.0.2.9 SIP/2.0\r\n"
           "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKi\r\n"
           "From: <sip:p@192.0.2.1>;tag=1\r\nTo: <sip:q@192.0.2.9>\r\n"
           "Call-ID: i\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n",
           0);
  assert_false(res.consumed);
  assert_int_equal(S->nsends, 0);
  siphb_responder_stats st;
  siphb_responder_get_stats(r, &st);
  assert_true(st.not_answered == 2 && st.options_answered == 0);
}

static void test_unanswerable_options(void **state) {
  (void)state;
  siphb_responder_config c;
  siphb_responder_config_init(&c, sizeof c);
  c.max_response = 256;
  siphb_responder *r = new_responder(&c);
  /* No Call-ID: the lenient parse lets it through, the encoder cannot
   * answer it. */
  siphb_rx_result res = rx(&UDP_PEER,
                           "OPTIONS sip:phone@192.0.2.9 SIP/2.0\r\n"
                           "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKn\r\n"
                           "From: <sip:p@192.0.2.1>;tag=1\r\nTo: <sip:q@192.0.2.9>\r\n"
                           "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n",
                           0);
  assert_false(res.consumed);
  assert_int_equal(res.error, SIPHB_ERR_INVALID_ARGUMENT);
  assert_ptr_equal(res.object, r);
  /* A response above max_response (a long From). */
  char big[1024];
  snprintf(big, sizeof big,
           "OPTIONS sip:phone@192.0.2.9 SIP/2.0\r\n"
           "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKb\r\n"
           "From: <sip:%0200d@192.0.2.1>;tag=1\r\nTo: <sip:q@192.0.2.9>;tag=2\r\n"
           "Call-ID: b\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n",
           0);
  res = rx(&UDP_PEER, big, 0);
  assert_false(res.consumed);
  assert_int_equal(res.error, SIPHB_ERR_NOBUF);
  assert_int_equal(S->nsends, 0);
  siphb_responder_stats st;
  siphb_responder_get_stats(r, &st);
  assert_true(st.unanswerable == 2 && st.options_answered == 0);
}

static void test_crlf(void **state) {
  (void)state;
  siphb_responder *r = new_responder(NULL);
  siphb_rx_result res = rx(&TCP_PEER, "\r\n\r\n", 0);
  assert_true(res.consumed);
  assert_int_equal(res.kind, SIPHB_STREAM_CRLF_PING);
  assert_int_equal(res.length, 4);
  assert_int_equal(S->nsends, 1);
  assert_sent(0, SIPHB_PAYLOAD_CRLF_PONG, "\r\n");
  /* On UDP the same bytes are a NAT keepalive: taken, never answered. */
  res = rx(&UDP_PEER, "\r\n\r\n", 0);
  assert_true(res.consumed);
  assert_int_equal(S->nsends, 1);
  siphb_responder_stats st;
  siphb_responder_get_stats(r, &st);
  assert_true(st.crlf_pongs == 1 && st.datagram_keepalives == 1);
}

static void test_crlf_off(void **state) {
  (void)state;
  siphb_responder_config c;
  siphb_responder_config_init(&c, sizeof c);
  c.answer_crlf_pings = false;
  new_responder(&c);
  siphb_rx_result res = rx(&TCP_PEER, "\r\n\r\n", 0);
  assert_false(res.consumed);
  assert_int_equal(S->nsends, 0);
}

static int refuse_send(sim *s, const sim_send *send) {
  (void)s;
  (void)send;
  return SIPHB_ERR_SEND;
}

static void test_send_failure_counted(void **state) {
  (void)state;
  siphb_responder *r = new_responder(NULL);
  S->send_hook = refuse_send;
  siphb_rx_result res = rx(&UDP_PEER, OPTIONS_REQ, 0);
  assert_true(res.consumed); /* answered; the transport lost it */
  rx(&TCP_PEER, "\r\n\r\n", 0);
  siphb_responder_stats st;
  siphb_responder_get_stats(r, &st);
  assert_true(st.send_failures == 2 && st.options_answered == 1 && st.crlf_pongs == 1);
}

static void test_refusals(void **state) {
  (void)state;
  siphb_responder_config c;
  siphb_responder *r = (siphb_responder *)(uintptr_t)1;
  assert_int_equal(siphb_responder_new(NULL, S->ctx, NULL, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_responder_new(&r, NULL, NULL, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_responder_config_init(&c, sizeof c);
  c.options_status = 180;
  assert_int_equal(siphb_responder_new(&r, S->ctx, &c, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_responder_config_init(&c, sizeof c);
  c.options_status = 700;
  assert_int_equal(siphb_responder_new(&r, S->ctx, &c, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_responder_config_init(&c, sizeof c);
  c.server = siphb_str_c("a\r\nInjected: 1");
  assert_int_equal(siphb_responder_new(&r, S->ctx, &c, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_responder_config_init(&c, sizeof c);
  c.max_response = 255;
  assert_int_equal(siphb_responder_new(&r, S->ctx, &c, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_responder_config_init(&c, sizeof c);
  c.max_response = 65536;
  assert_int_equal(siphb_responder_new(&r, S->ctx, &c, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  /* A struct from a newer header with a field set: refused. */
  struct {
    siphb_responder_config c;
    uint64_t newer;
  } grown;
  memset(&grown, 0, sizeof grown);
  siphb_responder_config_init(&grown.c, sizeof grown.c);
  grown.c.size = sizeof grown;
  grown.newer = 1;
  assert_int_equal(siphb_responder_new(&r, S->ctx, &grown.c, NULL), SIPHB_ERR_UNSUPPORTED);
  assert_ptr_equal(r, NULL); /* *out is cleared on every refusal after the checks of out */
  assert_int_equal(siphb_responder_get_stats(NULL, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  /* One per ctx; a second one after the first is deleted. */
  siphb_responder *first = new_responder(NULL);
  assert_int_equal(siphb_responder_new(&r, S->ctx, NULL, NULL), SIPHB_ERR_EXISTS);
  siphb_responder_del(first);
  siphb_rx_result res = rx(&UDP_PEER, OPTIONS_REQ, 0);
  assert_false(res.consumed); /* nobody answers now */
  new_responder(NULL);
  res = rx(&UDP_PEER, OPTIONS_REQ, 0);
  assert_true(res.consumed);
}

/* Every allocation (the object, its texts and buffer) failed in turn. */
static int scenario_responder(failmem *fm, void *arg) {
  (void)arg;
  sim *s = test_malloc(sizeof *s);
  int rv = sim_init(s, 0, &fm->mem, 0);
  if (rv != 0) {
    test_free(s);
    return rv;
  }
  siphb_responder_config c;
  siphb_responder_config_init(&c, sizeof c);
  c.server = siphb_str_c("siphb-test");
  size_t used = siphb_ctx_mem_used(s->ctx);
  siphb_responder *r = (siphb_responder *)(uintptr_t)1;
  rv = siphb_responder_new(&r, s->ctx, &c, NULL);
  if (rv != 0) {
    assert_ptr_equal(r, NULL);
    assert_int_equal(siphb_ctx_mem_used(s->ctx), used);
  } else {
    siphb_rx_result res;
    assert_int_equal(siphb_ctx_receive(s->ctx, &UDP_PEER, (const uint8_t *)OPTIONS_REQ,
                                       strlen(OPTIONS_REQ), &res, 0),
                     0);
    assert_true(res.consumed);
  }
  sim_free(s);
  test_free(s);
  return rv;
}

static void test_allocation_sweep(void **state) {
  (void)state;
  assert_true(failmem_sweep(scenario_responder, NULL) >= 2);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_options_answered, setup, teardown),
      cmocka_unit_test_setup_teardown(test_status_and_generated_tag, setup, teardown),
      cmocka_unit_test_setup_teardown(test_received_and_rport, setup, teardown),
      cmocka_unit_test_setup_teardown(test_other_requests_left_alone, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unanswerable_options, setup, teardown),
      cmocka_unit_test_setup_teardown(test_crlf, setup, teardown),
      cmocka_unit_test_setup_teardown(test_crlf_off, setup, teardown),
      cmocka_unit_test_setup_teardown(test_send_failure_counted, setup, teardown),
      cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
      cmocka_unit_test(test_allocation_sweep),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
