/*
 * test_sip_respond.c - the OPTIONS responder and the reason phrases: exact
 * bytes of the responses to requests with one Via, three Vias on separate
 * lines and in one comma list, folded Via and From, To with and without a
 * tag, compact header names; custom status and reason; SIPHB_ERR_NOBUF at
 * every short capacity; every refused argument; a failing random callback;
 * and the response parsed back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <siphb/siphb.h>

#include "rndtest.h"

/* Each random byte is the next value of a counter: a generated To tag is
 * 0001020304050607. */
static rnd_state R;

static siphb_str S(const char *s) {
  siphb_str v = {s, strlen(s)};
  return v;
}

static void base_response(siphb_sip_response *rsp) {
  memset(&R, 0, sizeof(R));
  siphb_sip_response_init(rsp, sizeof *rsp);
  rsp->random = rnd_counter;
  rsp->random_user_data = &R;
}

/* Parses a whole request (datagram mode) that must be valid. */
static void parse_with(siphb_sip_msg *msg, const char *text, bool lenient) {
  siphb_sip_parse_config cfg;
  siphb_sip_parse_config_init(&cfg, sizeof cfg);
  cfg.lenient = lenient;
  siphb_error_info err;
  memset(&err, 0, sizeof(err));
  siphb_ssize n = siphb_sip_parse(msg, (const uint8_t *)text, strlen(text), &cfg, &err);
  if (n < 0) fail_msg("parse failed: %s at %zu: %s", siphb_errname((int)n), err.offset,
                      err.message ? err.message : "");
  assert_int_equal((size_t)n, strlen(text));
}

static void parse_ok(siphb_sip_msg *msg, const char *text) { parse_with(msg, text, false); }

/* Responds to a parsed request and compares the bytes as text. */
static void expect_response_to(const siphb_sip_msg *req, const siphb_sip_response *rsp,
                               const char *expected) {
  uint8_t buf[2048];
  memset(buf, 0xAA, sizeof(buf));
  siphb_error_info ei;
  memset(&ei, 0xEE, sizeof ei); /* poisoned: the call must clear or fill it */
  siphb_ssize n = siphb_sip_encode_response(buf, sizeof(buf) - 1, req, rsp, &ei);
  if (n < 0) fail_msg("encode_response: %s", siphb_errname((int)n));
  assert_int_equal(ei.code, 0); /* a success clears it */
  assert_int_equal(ei.need, 0);
  buf[n] = 0;
  assert_string_equal((const char *)buf, expected);
}

/* Responds to `request` (a strict parse) and compares the bytes as text. */
static void expect_response(const char *request, const siphb_sip_response *rsp,
                            const char *expected) {
  siphb_sip_msg req;
  parse_ok(&req, request);
  expect_response_to(&req, rsp, expected);
}

#define REQ_HEAD "OPTIONS sip:phone@10.0.0.5 SIP/2.0\r\n"
#define REQ_TAIL                                            \
  "Max-Forwards: 70\r\n"                                    \
  "To: <sip:phone@10.0.0.5>\r\n"                            \
  "From: \"Proxy\" <sip:proxy@example.com>;tag=1928301774\r\n" \
  "Call-ID: a84b4c76e66710@10.0.0.1\r\n"                    \
  "CSeq: 63104 OPTIONS\r\n"                                 \
  "Accept: application/sdp\r\n"                             \
  "Content-Length: 0\r\n\r\n"
#define VIA1 "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776asdhds;rport"
#define ONE_VIA_REQUEST REQ_HEAD "Via: " VIA1 "\r\n" REQ_TAIL

/* The lines after the Vias in the 200 to REQ_TAIL, generated tag. */
#define RSP_TAIL                                             \
  "From: \"Proxy\" <sip:proxy@example.com>;tag=1928301774\r\n" \
  "To: <sip:phone@10.0.0.5>;tag=0001020304050607\r\n"        \
  "Call-ID: a84b4c76e66710@10.0.0.1\r\n"                     \
  "CSeq: 63104 OPTIONS\r\n"                                  \
  "Content-Length: 0\r\n\r\n"

static void test_response_init_defaults(void **state) {
  (void)state;
  siphb_sip_response rsp;
  memset(&rsp, 0x5A, sizeof(rsp));
  siphb_sip_response_init(&rsp, sizeof rsp);
  assert_int_equal(rsp.status, 200);
  assert_int_equal(rsp.reason.len, 0);
  assert_int_equal(rsp.to_tag.len, 0);
  assert_int_equal(rsp.allow.len, 0);
  assert_int_equal(rsp.accept.len, 0);
  assert_int_equal(rsp.supported.len, 0);
  assert_int_equal(rsp.server.len, 0);
  assert_int_equal(rsp.contact_uri.len, 0);
  assert_null(rsp.random);
  assert_null(rsp.random_user_data);
  assert_int_equal(rsp.extra_headers.len, 0);
  siphb_sip_response_init(NULL, sizeof(siphb_sip_response)); /* no crash */
}

static void test_one_via_generated_tag(void **state) {
  (void)state;
  siphb_sip_response rsp;
  base_response(&rsp);
  expect_response(ONE_VIA_REQUEST, &rsp, "SIP/2.0 200 OK\r\nVia: " VIA1 "\r\n" RSP_TAIL);
  assert_int_equal(R.calls, 1);
  assert_int_equal(R.last_len, 8); /* 64 bits */
}

/* Via lines apart, with other headers between them: all of them, in order,
 * before From. */
static void test_three_vias_on_separate_lines(void **state) {
  (void)state;
  siphb_sip_response rsp;
  base_response(&rsp);
  expect_response(REQ_HEAD
                  "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
                  "Max-Forwards: 70\r\n"
                  "Via: SIP/2.0/TCP proxy2.example.com;branch=z9hG4bK2;received=192.0.2.7\r\n"
                  "User-Agent: test\r\n"
                  "Via: SIP/2.0/UDP [2001:db8::9]:5070;branch=z9hG4bK3\r\n"
                  "To: <sip:phone@10.0.0.5>\r\n"
                  "From: \"Proxy\" <sip:proxy@example.com>;tag=1928301774\r\n"
                  "Call-ID: a84b4c76e66710@10.0.0.1\r\n"
                  "CSeq: 63104 OPTIONS\r\n"
                  "Content-Length: 0\r\n\r\n",
                  &rsp,
                  "SIP/2.0 200 OK\r\n"
                  "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
                  "Via: SIP/2.0/TCP proxy2.example.com;branch=z9hG4bK2;received=192.0.2.7\r\n"
                  "Via: SIP/2.0/UDP [2001:db8::9]:5070;branch=z9hG4bK3\r\n" RSP_TAIL);
}

/* One comma list stays one line; a list and a single value mix. */
static void test_three_vias_in_one_list(void **state) {
  (void)state;
  siphb_sip_response rsp;
  base_response(&rsp);
  expect_response(REQ_HEAD
                  "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1, SIP/2.0/UDP 10.0.0.2;branch="
                  "z9hG4bK2 ,SIP/2.0/UDP 10.0.0.3;branch=z9hG4bK3\r\n" REQ_TAIL,
                  &rsp,
                  "SIP/2.0 200 OK\r\n"
                  "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1, SIP/2.0/UDP 10.0.0.2;branch="
                  "z9hG4bK2 ,SIP/2.0/UDP 10.0.0.3;branch=z9hG4bK3\r\n" RSP_TAIL);
  base_response(&rsp);
  expect_response(REQ_HEAD
                  "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1,SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2\r\n"
                  "Via: SIP/2.0/UDP 10.0.0.3;branch=z9hG4bK3\r\n" REQ_TAIL,
                  &rsp,
                  "SIP/2.0 200 OK\r\n"
                  "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1,SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2\r\n"
                  "Via: SIP/2.0/UDP 10.0.0.3;branch=z9hG4bK3\r\n" RSP_TAIL);
}

/* Folds (CRLF plus SP or HTAB, with blanks around) become one SP. */
static void test_folded_via_from_and_to(void **state) {
  (void)state;
  siphb_sip_response rsp;
  base_response(&rsp);
  expect_response(REQ_HEAD
                  "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1,\r\n"
                  "   SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2\r\n"
                  "Via: SIP/2.0/TCP\r\n\t10.0.0.3;branch=z9hG4bK3\r\n"
                  "Max-Forwards: 70\r\n"
                  "To:\r\n <sip:phone@10.0.0.5>\r\n"
                  "From: \"Proxy\"  \r\n \t <sip:proxy@example.com>\r\n ;tag=1928301774\r\n"
                  "Call-ID: a84b4c76e66710@10.0.0.1\r\n"
                  "CSeq: 63104\r\n OPTIONS\r\n"
                  "Content-Length: 0\r\n\r\n",
                  &rsp,
                  "SIP/2.0 200 OK\r\n"
                  "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1, SIP/2.0/UDP 10.0.0.2;"
                  "branch=z9hG4bK2\r\n"
                  "Via: SIP/2.0/TCP 10.0.0.3;branch=z9hG4bK3\r\n"
                  "From: \"Proxy\" <sip:proxy@example.com> ;tag=1928301774\r\n"
                  "To: <sip:phone@10.0.0.5>;tag=0001020304050607\r\n"
                  "Call-ID: a84b4c76e66710@10.0.0.1\r\n"
                  "CSeq: 63104 OPTIONS\r\n"
                  "Content-Length: 0\r\n\r\n");
}

/* A hand-typed request with lines ended by LF alone, parsed leniently, is
 * answered in CRLF lines, its fold written as one SP. */
static void test_bare_lf_request_gets_crlf_response(void **state) {
  (void)state;
  siphb_sip_msg req;
  parse_with(&req,
             "OPTIONS sip:phone@10.0.0.5 SIP/2.0\n"
             "Via: SIP/2.0/UDP 10.0.0.1:5060\n ;branch=z9hG4bK1\n"
             "Via: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2\n"
             "To: <sip:phone@10.0.0.5>\n"
             "From: <sip:mon@example.net>;tag=77\n"
             "Call-ID: lf1@10.0.0.1\n"
             "CSeq: 9 OPTIONS\n"
             "\n",
             true);
  siphb_sip_response rsp;
  base_response(&rsp);
  expect_response_to(&req, &rsp,
                     "SIP/2.0 200 OK\r\n"
                     "Via: SIP/2.0/UDP 10.0.0.1:5060 ;branch=z9hG4bK1\r\n"
                     "Via: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2\r\n"
                     "From: <sip:mon@example.net>;tag=77\r\n"
                     "To: <sip:phone@10.0.0.5>;tag=0001020304050607\r\n"
                     "Call-ID: lf1@10.0.0.1\r\n"
                     "CSeq: 9 OPTIONS\r\n"
                     "Content-Length: 0\r\n\r\n");
}

/* A single Via value is written from the parsed top Via rather than by
 * walking the headers again: the same bytes as the line, folds and odd
 * spacing included. */
static void test_single_via_spacing_and_fold(void **state) {
  (void)state;
  siphb_sip_response rsp;
  base_response(&rsp);
  expect_response(REQ_HEAD "Via:   SIP / 2.0 / UDP 10.0.0.1 : 5060 ;branch = z9hG4bK1 ; rport  \r\n"
                           REQ_TAIL,
                  &rsp,
                  "SIP/2.0 200 OK\r\n"
                  "Via: SIP / 2.0 / UDP 10.0.0.1 : 5060 ;branch = z9hG4bK1 ; rport\r\n" RSP_TAIL);
  base_response(&rsp);
  expect_response(REQ_HEAD "Via: SIP/2.0/UDP 10.0.0.1:5060 \r\n\t ;branch=z9hG4bK1\r\n\t;rport\r\n"
                           REQ_TAIL,
                  &rsp,
                  "SIP/2.0 200 OK\r\n"
                  "Via: SIP/2.0/UDP 10.0.0.1:5060 ;branch=z9hG4bK1 ;rport\r\n" RSP_TAIL);
}

/* The single-Via shortcut and the walk over the header lines agree (the
 * walk forced by claiming a second Via value). */
static void test_single_via_shortcut_matches_walk(void **state) {
  (void)state;
  static const char *const requests[] = {
      ONE_VIA_REQUEST,
      REQ_HEAD "v:SIP/2.0/TCP\r\n host.example.com;branch=z9hG4bKx;keep=30\r\n" REQ_TAIL,
      REQ_HEAD "Via: SIP / 2.0 / UDP [::1] : 5060 ; branch = z9hG4bK1\r\n" REQ_TAIL,
  };
  for (size_t i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
    siphb_sip_msg req;
    parse_ok(&req, requests[i]);
    assert_int_equal(req.via_count, 1);
    siphb_sip_response rsp;
    uint8_t a[1024], b[1024];
    base_response(&rsp);
    siphb_ssize na = siphb_sip_encode_response(a, sizeof(a), &req, &rsp, NULL);
    siphb_sip_msg walked = req;
    walked.via_count = 2;
    base_response(&rsp);
    siphb_ssize nb = siphb_sip_encode_response(b, sizeof(b), &walked, &rsp, NULL);
    assert_true(na > 0);
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, (size_t)na);
  }
}

/* A To that has a tag keeps it, gets no second one, and needs no random. */
static void test_to_with_tag(void **state) {
  (void)state;
  siphb_sip_response rsp;
  base_response(&rsp);
  rsp.random = NULL;
  expect_response(REQ_HEAD "Via: " VIA1 "\r\n"
                           "To: <sip:phone@10.0.0.5>;tag=abc\r\n"
                           "From: <sip:proxy@example.com>;tag=1\r\n"
                           "Call-ID: x\r\n"
                           "CSeq: 2 OPTIONS\r\n\r\n",
                  &rsp,
                  "SIP/2.0 200 OK\r\n"
                  "Via: " VIA1 "\r\n"
                  "From: <sip:proxy@example.com>;tag=1\r\n"
                  "To: <sip:phone@10.0.0.5>;tag=abc\r\n"
                  "Call-ID: x\r\n"
                  "CSeq: 2 OPTIONS\r\n"
                  "Content-Length: 0\r\n\r\n");
  assert_int_equal(R.calls, 0);
}

/* Compact names in the request, long names in the response; a To in
 * addr-spec form with a parameter gets the tag after it. */
static void test_compact_forms(void **state) {
  (void)state;
  siphb_sip_response rsp;
  base_response(&rsp);
  expect_response("OPTIONS sip:phone@10.0.0.5 SIP/2.0\r\n"
                  "v: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKc1\r\n"
                  "t: sip:phone@10.0.0.5;x=y\r\n"
                  "f: sip:proxy@example.com;tag=ff\r\n"
                  "i: short-call-id\r\n"
                  "CSeq: 7 OPTIONS\r\n"
                  "V: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKc2\r\n"
                  "l: 0\r\n\r\n",
                  &rsp,
                  "SIP/2.0 200 OK\r\n"
                  "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKc1\r\n"
                  "Via: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKc2\r\n"
                  "From: sip:proxy@example.com;tag=ff\r\n"
                  "To: sip:phone@10.0.0.5;x=y;tag=0001020304050607\r\n"
                  "Call-ID: short-call-id\r\n"
                  "CSeq: 7 OPTIONS\r\n"
                  "Content-Length: 0\r\n\r\n");
}

/* A status of every kind, the default phrase or the caller's, a caller's
 * tag, and every optional header. */
static void test_custom_status_reason_and_headers(void **state) {
  (void)state;
  siphb_sip_response rsp;
  base_response(&rsp);
  rsp.status = 486;
  expect_response(ONE_VIA_REQUEST, &rsp, "SIP/2.0 486 Busy Here\r\nVia: " VIA1 "\r\n" RSP_TAIL);

  base_response(&rsp);
  rsp.status = 299;
  expect_response(ONE_VIA_REQUEST, &rsp, "SIP/2.0 299 Success\r\nVia: " VIA1 "\r\n" RSP_TAIL);

  base_response(&rsp);
  rsp.status = 100;
  rsp.reason = S("Trying hard");
  expect_response(ONE_VIA_REQUEST, &rsp, "SIP/2.0 100 Trying hard\r\nVia: " VIA1 "\r\n" RSP_TAIL);

  base_response(&rsp);
  rsp.status = 699;
  rsp.to_tag = S("my-tag");
  rsp.allow = S("INVITE, ACK, CANCEL, OPTIONS, BYE");
  rsp.accept = S("application/sdp");
  rsp.supported = S("outbound, path");
  rsp.server = S("siphb/0.1");
  rsp.contact_uri = S("sip:phone@10.0.0.5:5060");
  expect_response(ONE_VIA_REQUEST, &rsp,
                  "SIP/2.0 699 Global Failure\r\n"
                  "Via: " VIA1 "\r\n"
                  "From: \"Proxy\" <sip:proxy@example.com>;tag=1928301774\r\n"
                  "To: <sip:phone@10.0.0.5>;tag=my-tag\r\n"
                  "Call-ID: a84b4c76e66710@10.0.0.1\r\n"
                  "CSeq: 63104 OPTIONS\r\n"
                  "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE\r\n"
                  "Accept: application/sdp\r\n"
                  "Supported: outbound, path\r\n"
                  "Server: siphb/0.1\r\n"
                  "Contact: <sip:phone@10.0.0.5:5060>\r\n"
                  "Content-Length: 0\r\n\r\n");
  assert_int_equal(R.calls, 0); /* the caller's tag: no random */
}

/* Every capacity below the length: NOBUF, the exact size, no random call. */
static void test_nobuf_every_short_capacity(void **state) {
  (void)state;
  siphb_sip_msg req;
  parse_ok(&req, REQ_HEAD
           "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1,\r\n SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2\r\n"
           "Via: SIP/2.0/UDP 10.0.0.3;branch=z9hG4bK3\r\n" REQ_TAIL);
  siphb_sip_response rsp;
  base_response(&rsp);
  rsp.server = S("srv");
  rsp.contact_uri = S("sip:me@10.0.0.5");
  uint8_t full[2048];
  siphb_ssize len = siphb_sip_encode_response(full, sizeof(full), &req, &rsp, NULL);
  assert_true(len > 0);
  for (size_t cap = 0; cap < (size_t)len; cap++) {
    uint8_t buf[2048];
    siphb_error_info ei;
    memset(&ei, 0xEE, sizeof ei); /* poisoned: the call must clear or fill it */
    R.calls = 0;
    assert_int_equal(siphb_sip_encode_response(buf, cap, &req, &rsp, &ei), SIPHB_ERR_NOBUF);
    assert_int_equal(ei.code, SIPHB_ERR_NOBUF);
    assert_int_equal(ei.need, (size_t)len);
    assert_int_equal(R.calls, 0);
  }
  siphb_error_info ei;
  memset(&ei, 0xEE, sizeof ei); /* poisoned: the call must clear or fill it */
  assert_int_equal(siphb_sip_encode_response(NULL, 0, &req, &rsp, &ei), SIPHB_ERR_NOBUF);
  assert_int_equal(ei.code, SIPHB_ERR_NOBUF);
    assert_int_equal(ei.need, (size_t)len);
  assert_int_equal(siphb_sip_encode_response(full, 5, &req, &rsp, NULL), SIPHB_ERR_NOBUF);
  uint8_t exact[2048];
  R.next = 0;
  assert_int_equal(siphb_sip_encode_response(exact, (size_t)len, &req, &rsp, NULL), len);
  assert_memory_equal(exact, full, (size_t)len);
}

static void expect_invalid(const siphb_sip_msg *req, const siphb_sip_response *rsp) {
  uint8_t buf[2048];
  siphb_error_info ei;
  memset(&ei, 0xEE, sizeof ei); /* poisoned: the call must clear or fill it */
  R.calls = 0;
  assert_int_equal(siphb_sip_encode_response(buf, sizeof(buf), req, rsp, &ei),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(ei.code, SIPHB_ERR_INVALID_ARGUMENT);
  assert_non_null(ei.message);
  assert_int_equal(R.calls, 0);
}

static void test_invalid_arguments(void **state) {
  (void)state;
  siphb_sip_msg req;
  parse_ok(&req, ONE_VIA_REQUEST);
  siphb_sip_response rsp;
  uint8_t buf[64];
  base_response(&rsp);
  assert_int_equal(siphb_sip_encode_response(buf, sizeof(buf), NULL, &rsp, NULL),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_sip_encode_response(buf, sizeof(buf), &req, NULL, NULL),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_sip_encode_response(NULL, 10, &req, &rsp, NULL),
                   SIPHB_ERR_INVALID_ARGUMENT);

  /* a response given as the request */
  siphb_sip_msg resp_msg;
  parse_ok(&resp_msg, "SIP/2.0 200 OK\r\n"
                      "Via: " VIA1 "\r\n"
                      "To: <sip:phone@10.0.0.5>;tag=9\r\n"
                      "From: <sip:proxy@example.com>;tag=1\r\n"
                      "Call-ID: x\r\n"
                      "CSeq: 2 OPTIONS\r\n\r\n");
  expect_invalid(&resp_msg, &rsp);

  /* status outside 100..699 */
  static const uint16_t bad_status[] = {0, 1, 99, 700, 999, 65535};
  for (size_t i = 0; i < sizeof(bad_status) / sizeof(bad_status[0]); i++) {
    base_response(&rsp);
    rsp.status = bad_status[i];
    expect_invalid(&req, &rsp);
  }

  /* CR, LF or NUL in any value, or a NULL pointer with a length */
  static const char *const bad[] = {"a\rb", "a\nb", "abcdefghijk\0", "0123456789abcdef\r\n"};
  static const size_t bad_len[] = {3, 3, 12, 18};
  for (int f = 0; f < 7; f++) {
    for (size_t b = 0; b <= sizeof(bad) / sizeof(bad[0]); b++) {
      base_response(&rsp);
      siphb_str *field = f == 0   ? &rsp.reason
                         : f == 1 ? &rsp.to_tag
                         : f == 2 ? &rsp.allow
                         : f == 3 ? &rsp.accept
                         : f == 4 ? &rsp.supported
                         : f == 5 ? &rsp.server
                                  : &rsp.contact_uri;
      if (b < sizeof(bad) / sizeof(bad[0])) {
        field->ptr = bad[b];
        field->len = bad_len[b];
      } else {
        field->ptr = NULL;
        field->len = 2;
      }
      expect_invalid(&req, &rsp);
    }
  }

  /* a tag to generate and no random */
  base_response(&rsp);
  rsp.random = NULL;
  expect_invalid(&req, &rsp);
  /* ... but a caller's tag needs none */
  rsp.to_tag = S("t");
  uint8_t big[1024];
  assert_true(siphb_sip_encode_response(big, sizeof(big), &req, &rsp, NULL) > 0);

  /* a lenient parse lets a request without Call-ID through: no response
   * can be built from it */
  siphb_sip_parse_config cfg;
  siphb_sip_parse_config_init(&cfg, sizeof cfg);
  cfg.lenient = true;
  const char *no_call_id = REQ_HEAD "Via: " VIA1 "\r\n"
                                    "To: <sip:a@b>\r\nFrom: <sip:c@d>;tag=1\r\n"
                                    "CSeq: 1 OPTIONS\r\n\r\n";
  siphb_sip_msg lenient;
  assert_true(siphb_sip_parse(&lenient, (const uint8_t *)no_call_id, strlen(no_call_id), &cfg,
                              NULL) > 0);
  base_response(&rsp);
  expect_invalid(&lenient, &rsp);
}

static void test_random_failure(void **state) {
  (void)state;
  siphb_sip_msg req;
  parse_ok(&req, ONE_VIA_REQUEST);
  siphb_sip_response rsp;
  base_response(&rsp);
  R.fail = true;
  uint8_t buf[1024];
  assert_int_equal(siphb_sip_encode_response(buf, sizeof(buf), &req, &rsp, NULL),
                   SIPHB_ERR_CALLBACK_FAILURE);
  assert_int_equal(R.calls, 1);
}

/* The response parses, and what a client matches on survives. */
static void test_response_parses_back(void **state) {
  (void)state;
  siphb_sip_msg req;
  parse_ok(&req, REQ_HEAD
           "v: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKtop;rport,\r\n"
           " SIP/2.0/TCP 10.0.0.2;branch=z9hG4bK2\r\n"
           "Via: SIP/2.0/TLS h3.example.com:5061;branch=z9hG4bK3\r\n" REQ_TAIL);
  siphb_sip_response rsp;
  base_response(&rsp);
  rsp.status = 200;
  rsp.allow = S("OPTIONS");
  rsp.contact_uri = S("sip:phone@10.0.0.5");
  uint8_t buf[1024];
  siphb_ssize n = siphb_sip_encode_response(buf, sizeof(buf), &req, &rsp, NULL);
  assert_true(n > 0);
  siphb_sip_msg m;
  siphb_error_info err;
  assert_int_equal(siphb_sip_parse(&m, buf, (size_t)n, NULL, &err), n);
  assert_false(m.is_request);
  assert_int_equal(m.status, 200);
  assert_int_equal(m.reason.len, 2);
  assert_memory_equal(m.reason.ptr, "OK", 2);
  assert_int_equal(m.via_count, 3);
  assert_int_equal(m.via.branch.len, strlen("z9hG4bKtop"));
  assert_memory_equal(m.via.branch.ptr, "z9hG4bKtop", m.via.branch.len);
  assert_true(m.via.has_rport);
  assert_int_equal(m.from.tag.len, 10);
  assert_memory_equal(m.from.tag.ptr, "1928301774", 10);
  assert_int_equal(m.to.tag.len, 16);
  assert_memory_equal(m.to.tag.ptr, "0001020304050607", 16);
  assert_int_equal(m.call_id.len, req.call_id.len);
  assert_memory_equal(m.call_id.ptr, req.call_id.ptr, req.call_id.len);
  assert_int_equal(m.cseq, 63104);
  assert_int_equal(m.cseq_method_id, SIPHB_SIP_METHOD_OPTIONS);
  assert_int_equal(m.allow, 1u << SIPHB_SIP_METHOD_OPTIONS);
  assert_int_equal(m.contact_count, 1);
  assert_memory_equal(m.contact.uri.ptr, "sip:phone@10.0.0.5", m.contact.uri.len);
  assert_true(siphb_sip_msg_has(&m, SIPHB_SIP_HDR_CONTENT_LENGTH));
  assert_int_equal(m.content_length, 0);
  /* the Vias, value by value, in the request's order */
  static const char *const branches[] = {"z9hG4bKtop", "z9hG4bK2", "z9hG4bK3"};
  siphb_sip_iter it;
  siphb_sip_via v;
  siphb_sip_iter_init(&it, &m);
  for (size_t i = 0; i < 3; i++) {
    assert_true(siphb_sip_next_via(&it, &v));
    assert_int_equal(v.branch.len, strlen(branches[i]));
    assert_memory_equal(v.branch.ptr, branches[i], v.branch.len);
  }
  assert_false(siphb_sip_next_via(&it, &v));
}

static void test_reason_phrases(void **state) {
  (void)state;
  static const struct {
    unsigned code;
    const char *phrase;
  } rfc3261[] = {
      {100, "Trying"}, {180, "Ringing"}, {181, "Call Is Being Forwarded"}, {182, "Queued"},
      {183, "Session Progress"}, {200, "OK"}, {300, "Multiple Choices"},
      {301, "Moved Permanently"}, {302, "Moved Temporarily"}, {305, "Use Proxy"},
      {380, "Alternative Service"}, {400, "Bad Request"}, {401, "Unauthorized"},
      {402, "Payment Required"}, {403, "Forbidden"}, {404, "Not Found"},
      {405, "Method Not Allowed"}, {406, "Not Acceptable"},
      {407, "Proxy Authentication Required"}, {408, "Request Timeout"}, {410, "Gone"},
      {413, "Request Entity Too Large"}, {414, "Request-URI Too Long"},
      {415, "Unsupported Media Type"}, {416, "Unsupported URI Scheme"},
      {420, "Bad Extension"}, {421, "Extension Required"}, {422, "Session Interval Too Small"}, /* RFC 4028 section 6 */
      {423, "Interval Too Brief"},
      {480, "Temporarily Unavailable"}, {481, "Call/Transaction Does Not Exist"},
      {482, "Loop Detected"}, {483, "Too Many Hops"}, {484, "Address Incomplete"},
      {485, "Ambiguous"}, {486, "Busy Here"}, {487, "Request Terminated"},
      {488, "Not Acceptable Here"}, {491, "Request Pending"}, {493, "Undecipherable"},
      {500, "Server Internal Error"}, {501, "Not Implemented"}, {502, "Bad Gateway"},
      {503, "Service Unavailable"}, {504, "Server Time-out"}, {505, "Version Not Supported"},
      {513, "Message Too Large"}, {600, "Busy Everywhere"}, {603, "Decline"},
      {604, "Does Not Exist Anywhere"}, {606, "Not Acceptable"},
  };
  size_t named = sizeof(rfc3261) / sizeof(rfc3261[0]);
  for (size_t i = 0; i < named; i++)
    assert_string_equal(siphb_sip_reason(rfc3261[i].code), rfc3261[i].phrase);
  /* every other code of a class gets the class phrase (section 7.2) */
  static const char *const classes[] = {"Provisional", "Success", "Redirection",
                                        "Client Error", "Server Error", "Global Failure"};
  for (unsigned code = 100; code <= 699; code++) {
    bool is_named = false;
    for (size_t i = 0; i < named; i++) is_named |= rfc3261[i].code == code;
    if (!is_named) assert_string_equal(siphb_sip_reason(code), classes[code / 100 - 1]);
  }
  assert_string_equal(siphb_sip_reason(0), "Unknown");
  assert_string_equal(siphb_sip_reason(99), "Unknown");
  assert_string_equal(siphb_sip_reason(700), "Unknown");
  assert_string_equal(siphb_sip_reason(100000), "Unknown");
}

/* extra_headers: whole lines, written after Contact and before
 * Content-Length, byte for byte (the session timer lines of a 422 or 2xx
 * to INVITE, as siphb_st_encode() writes them). */
static void test_extra_headers(void **state) {
  (void)state;
  siphb_sip_response rsp;
  base_response(&rsp);
  rsp.status = 422;
  rsp.reason = S("Session Interval Too Small"); /* RFC 4028 section 6 */
  rsp.extra_headers = S("Min-SE: 1800\r\n");
  expect_response(ONE_VIA_REQUEST, &rsp,
                  "SIP/2.0 422 Session Interval Too Small\r\n"
                  "Via: " VIA1 "\r\n"
                  "From: \"Proxy\" <sip:proxy@example.com>;tag=1928301774\r\n"
                  "To: <sip:phone@10.0.0.5>;tag=0001020304050607\r\n"
                  "Call-ID: a84b4c76e66710@10.0.0.1\r\n"
                  "CSeq: 63104 OPTIONS\r\n"
                  "Min-SE: 1800\r\n"
                  "Content-Length: 0\r\n\r\n");

  base_response(&rsp);
  rsp.server = S("siphb/0.1");
  rsp.contact_uri = S("sip:phone@10.0.0.5:5060");
  rsp.extra_headers = S("Supported: timer\r\nSession-Expires: 1800;refresher=uac\r\n"
                        "Require: timer\r\n");
  expect_response(ONE_VIA_REQUEST, &rsp,
                  "SIP/2.0 200 OK\r\n"
                  "Via: " VIA1 "\r\n"
                  "From: \"Proxy\" <sip:proxy@example.com>;tag=1928301774\r\n"
                  "To: <sip:phone@10.0.0.5>;tag=0001020304050607\r\n"
                  "Call-ID: a84b4c76e66710@10.0.0.1\r\n"
                  "CSeq: 63104 OPTIONS\r\n"
                  "Server: siphb/0.1\r\n"
                  "Contact: <sip:phone@10.0.0.5:5060>\r\n"
                  "Supported: timer\r\n"
                  "Session-Expires: 1800;refresher=uac\r\n"
                  "Require: timer\r\n"
                  "Content-Length: 0\r\n\r\n");

  /* NOBUF counts the extra lines too, and an exact buffer takes them */
  siphb_sip_msg req;
  parse_ok(&req, ONE_VIA_REQUEST);
  uint8_t buf[1024];
  siphb_error_info ei;
  siphb_ssize full = siphb_sip_encode_response(buf, sizeof buf, &req, &rsp, &ei);
  assert_true(full > 0);
  assert_int_equal(siphb_sip_encode_response(buf, (size_t)full - 1, &req, &rsp, &ei),
                   SIPHB_ERR_NOBUF);
  assert_int_equal(ei.need, (size_t)full);
  assert_int_equal(siphb_sip_encode_response(buf, (size_t)full, &req, &rsp, &ei), full);

  /* anything but whole CRLF-ended lines is refused, before `random` runs */
  static const char *const bad[] = {
      "Min-SE: 90",                  /* no CRLF at the end */
      "Min-SE: 90\r",                /* CR alone at the end */
      "Min-SE: 90\n",                /* LF alone */
      "Min-SE: 90\r\nX: 1",          /* the last line unended */
      "Min-SE: 90\rX: 1\r\n",        /* a bare CR inside */
      "Min-SE: 90\nX: 1\r\n",        /* a bare LF inside */
      "\r\n",                        /* an empty line: the end of the headers */
      "Min-SE: 90\r\n\r\nbody",      /* a body smuggled in */
      "Min-SE: 90\r\n more\r\n",     /* a fold */
      "\tX: 1\r\n",                  /* a line starting with a blank */
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    base_response(&rsp);
    rsp.extra_headers = S(bad[i]);
    expect_invalid(&req, &rsp);
  }
  /* NUL inside */
  base_response(&rsp);
  static const char with_nul[] = "X: a\0b\r\n";
  rsp.extra_headers.ptr = with_nul;
  rsp.extra_headers.len = sizeof with_nul - 1;
  expect_invalid(&req, &rsp);
  /* a length without a pointer */
  base_response(&rsp);
  rsp.extra_headers.ptr = NULL;
  rsp.extra_headers.len = 4;
  expect_invalid(&req, &rsp);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_response_init_defaults),
      cmocka_unit_test(test_one_via_generated_tag),
      cmocka_unit_test(test_three_vias_on_separate_lines),
      cmocka_unit_test(test_three_vias_in_one_list),
      cmocka_unit_test(test_folded_via_from_and_to),
      cmocka_unit_test(test_bare_lf_request_gets_crlf_response),
      cmocka_unit_test(test_single_via_spacing_and_fold),
      cmocka_unit_test(test_single_via_shortcut_matches_walk),
      cmocka_unit_test(test_to_with_tag),
      cmocka_unit_test(test_compact_forms),
      cmocka_unit_test(test_custom_status_reason_and_headers),
      cmocka_unit_test(test_extra_headers),
      cmocka_unit_test(test_nobuf_every_short_capacity),
      cmocka_unit_test(test_invalid_arguments),
      cmocka_unit_test(test_random_failure),
      cmocka_unit_test(test_response_parses_back),
      cmocka_unit_test(test_reason_phrases),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
