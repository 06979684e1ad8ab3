/*
 * test_sip_respond_via.c - the responder told the request's source address
 * (RFC 3261 section 18.2.1 received=, RFC 3581 section 4 rport), exact bytes:
 * IPv4 and IPv6 sources, a host name sent-by, rport empty / with a value /
 * absent, received= already present, the top Via inside a comma list and on
 * a folded line; ACK refused; SIPHB_ERR_NOBUF with need at every short
 * capacity; bad source addresses and ports refused; an older caller's
 * struct without the new fields; and siphb_sip_find_param.
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

static rnd_state R;

static siphb_str S(const char *s) {
  siphb_str v = {s, strlen(s)};
  return v;
}

/* A response with a fixed To tag and the source address ip:port. */
static void base_response(siphb_sip_response *rsp, const char *ip, uint16_t port) {
  memset(&R, 0, sizeof(R));
  siphb_sip_response_init(rsp, sizeof *rsp);
  rsp->random = rnd_counter;
  rsp->random_user_data = &R;
  rsp->to_tag = S("t1");
  if (ip) rsp->source_ip = S(ip);
  rsp->source_port = port;
}

static void parse_ok(siphb_sip_msg *msg, const char *text) {
  siphb_error_info err;
  siphb_ssize n = siphb_sip_parse(msg, (const uint8_t *)text, strlen(text), NULL, &err);
  if (n < 0) fail_msg("parse failed: %s at %zu: %s", siphb_errname((int)n), err.offset,
                      err.message ? err.message : "");
}

#define HEAD "OPTIONS sip:phone@10.0.0.5 SIP/2.0\r\n"
#define TAIL                                  \
  "To: <sip:phone@10.0.0.5>\r\n"              \
  "From: <sip:proxy@example.com>;tag=ft\r\n"  \
  "Call-ID: c1@10.0.0.1\r\n"                  \
  "CSeq: 7 OPTIONS\r\n"                       \
  "Content-Length: 0\r\n\r\n"
#define RTAIL                                 \
  "From: <sip:proxy@example.com>;tag=ft\r\n"  \
  "To: <sip:phone@10.0.0.5>;tag=t1\r\n"       \
  "Call-ID: c1@10.0.0.1\r\n"                  \
  "CSeq: 7 OPTIONS\r\n"                       \
  "Content-Length: 0\r\n\r\n"

/* The 200 to HEAD + vias + TAIL from ip:port must carry `rvias`. */
static void expect_vias(const char *vias, const char *ip, uint16_t port, const char *rvias) {
  char request[2048], expected[2048];
  snprintf(request, sizeof request, "%s%s%s", HEAD, vias, TAIL);
  snprintf(expected, sizeof expected, "SIP/2.0 200 OK\r\n%s%s", rvias, RTAIL);
  siphb_sip_msg req;
  parse_ok(&req, request);
  siphb_sip_response rsp;
  base_response(&rsp, ip, port);
  uint8_t buf[2048];
  siphb_error_info ei;
  memset(&ei, 0xEE, sizeof ei);
  siphb_ssize n = siphb_sip_encode_response(buf, sizeof buf - 1, &req, &rsp, &ei);
  if (n < 0) fail_msg("encode_response: %s: %s", siphb_errname((int)n), ei.message);
  assert_int_equal(ei.code, 0);
  buf[n] = 0;
  assert_string_equal((const char *)buf, expected);
  /* and the response parses, its top Via carrying what was added */
  siphb_sip_msg back;
  assert_int_equal(siphb_sip_parse(&back, buf, (size_t)n, NULL, NULL), n);
}

/* Section 18.2.1: an IPv4 sent-by other than the source gets received=;
 * the same address gets nothing. */
static void test_ipv4(void **state) {
  (void)state;
  expect_vias("Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa\r\n", "192.0.2.7", 40000,
              "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa;received=192.0.2.7\r\n");
  expect_vias("Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa\r\n", "10.0.0.1", 5060,
              "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa\r\n");
  /* the port of sent-by plays no part in received= */
  expect_vias("Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa\r\n", "10.0.0.1", 5999,
              "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa\r\n");
}

/* IPv6: compared without brackets and in any case, written without
 * brackets (received takes an IPv6address, RFC 5118 section 4.5). */
static void test_ipv6(void **state) {
  (void)state;
  expect_vias("Via: SIP/2.0/UDP [2001:DB8::1]:5060;branch=z9hG4bKa\r\n", "2001:db8::1", 5060,
              "Via: SIP/2.0/UDP [2001:DB8::1]:5060;branch=z9hG4bKa\r\n");
  expect_vias("Via: SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bKa\r\n", "[2001:db8::1]", 5060,
              "Via: SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bKa\r\n");
  expect_vias("Via: SIP/2.0/TCP [2001:db8::1];branch=z9hG4bKa\r\n", "[::1]", 5060,
              "Via: SIP/2.0/TCP [2001:db8::1];branch=z9hG4bKa;received=::1\r\n");
  expect_vias("Via: SIP/2.0/UDP [::1]:5060;branch=z9hG4bKa;rport\r\n", "::1", 41234,
              "Via: SIP/2.0/UDP [::1]:5060;branch=z9hG4bKa;rport=41234;received=::1\r\n");
  /* an IPv4-mapped source in IPv6 text differs from the IPv4 sent-by */
  expect_vias("Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKa\r\n", "::ffff:10.0.0.1", 5060,
              "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKa;received=::ffff:10.0.0.1\r\n");
}

/* A domain name always differs from an address. */
static void test_hostname_sent_by(void **state) {
  (void)state;
  expect_vias("Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bKa\r\n", "192.0.2.4", 5060,
              "Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bKa;received=192.0.2.4\r\n");
}

/* RFC 3581 section 4: an empty rport gets the source port, and received=
 * even when the address equals sent-by; its place is kept. */
static void test_rport_empty(void **state) {
  (void)state;
  expect_vias("Via: SIP/2.0/UDP 10.1.1.1:4540;rport;branch=z9hG4bKkjshdyff\r\n", "192.0.2.1",
              9988,
              "Via: SIP/2.0/UDP 10.1.1.1:4540;rport=9988;branch=z9hG4bKkjshdyff;"
              "received=192.0.2.1\r\n");
  expect_vias("Via: SIP/2.0/UDP 10.1.1.1:4540;branch=z9hG4bKk;RPort\r\n", "10.1.1.1", 4540,
              "Via: SIP/2.0/UDP 10.1.1.1:4540;branch=z9hG4bKk;RPort=4540;received=10.1.1.1\r\n");
  /* blanks around the separators stay as they were */
  expect_vias("Via: SIP/2.0/UDP 10.1.1.1 ; rport ; branch=z9hG4bKk\r\n", "10.1.1.1", 1,
              "Via: SIP/2.0/UDP 10.1.1.1 ; rport=1 ; branch=z9hG4bKk;received=10.1.1.1\r\n");
}

/* An rport with a value is no request for one: left as is; received=
 * only if the address differs. Without rport nothing is filled. */
static void test_rport_with_value_or_absent(void **state) {
  (void)state;
  expect_vias("Via: SIP/2.0/UDP 10.1.1.1:4540;rport=1234;branch=z9hG4bKk\r\n", "10.1.1.1", 9988,
              "Via: SIP/2.0/UDP 10.1.1.1:4540;rport=1234;branch=z9hG4bKk\r\n");
  expect_vias("Via: SIP/2.0/UDP 10.1.1.1:4540;rport=1234;branch=z9hG4bKk\r\n", "192.0.2.1", 9988,
              "Via: SIP/2.0/UDP 10.1.1.1:4540;rport=1234;branch=z9hG4bKk;"
              "received=192.0.2.1\r\n");
  expect_vias("Via: SIP/2.0/UDP 10.1.1.1:4540;branch=z9hG4bKk\r\n", "10.1.1.1", 9988,
              "Via: SIP/2.0/UDP 10.1.1.1:4540;branch=z9hG4bKk\r\n");
}

/* A received= already there gets the source address when one is due
 * (in place, once), and is left alone when none is. */
static void test_received_already_present(void **state) {
  (void)state;
  expect_vias("Via: SIP/2.0/UDP 10.1.1.1;received=198.51.100.9;rport;branch=z9hG4bKk\r\n",
              "192.0.2.1", 9988,
              "Via: SIP/2.0/UDP 10.1.1.1;received=192.0.2.1;rport=9988;branch=z9hG4bKk\r\n");
  expect_vias("Via: SIP/2.0/UDP 10.1.1.1;rport;branch=z9hG4bKk;received=198.51.100.9\r\n",
              "192.0.2.1", 9988,
              "Via: SIP/2.0/UDP 10.1.1.1;rport=9988;branch=z9hG4bKk;received=192.0.2.1\r\n");
  expect_vias("Via: SIP/2.0/UDP 10.1.1.1;received=198.51.100.9;branch=z9hG4bKk\r\n", "10.1.1.1",
              9988, "Via: SIP/2.0/UDP 10.1.1.1;received=198.51.100.9;branch=z9hG4bKk\r\n");
  /* of two, the last: the one a parser keeps */
  expect_vias("Via: SIP/2.0/UDP 10.1.1.1;received=1.1.1.1;rport;received=2.2.2.2;branch=z9hG4bKk\r\n",
              "192.0.2.1", 5,
              "Via: SIP/2.0/UDP 10.1.1.1;received=1.1.1.1;rport=5;received=192.0.2.1;"
              "branch=z9hG4bKk\r\n");
}

/* Only the top Via changes: in a comma list, on a folded line, with more
 * Via lines below. */
static void test_only_the_top_via(void **state) {
  (void)state;
  expect_vias("Via: SIP/2.0/UDP 10.0.0.1;rport;branch=z9hG4bK1, SIP/2.0/UDP 10.0.0.2;rport;"
              "branch=z9hG4bK2\r\n"
              "Via: SIP/2.0/UDP 10.0.0.3;rport;branch=z9hG4bK3\r\n",
              "192.0.2.1", 7,
              "Via: SIP/2.0/UDP 10.0.0.1;rport=7;branch=z9hG4bK1;received=192.0.2.1, "
              "SIP/2.0/UDP 10.0.0.2;rport;branch=z9hG4bK2\r\n"
              "Via: SIP/2.0/UDP 10.0.0.3;rport;branch=z9hG4bK3\r\n");
  expect_vias("Via: SIP/2.0/UDP 10.0.0.1\r\n ;rport;branch=z9hG4bK1\r\n"
              "Via: SIP/2.0/UDP 10.0.0.3;branch=z9hG4bK3\r\n",
              "192.0.2.1", 7,
              "Via: SIP/2.0/UDP 10.0.0.1 ;rport=7;branch=z9hG4bK1;received=192.0.2.1\r\n"
              "Via: SIP/2.0/UDP 10.0.0.3;branch=z9hG4bK3\r\n");
  /* the single-Via path with a fold inside the top Via */
  expect_vias("Via: SIP/2.0/UDP 10.0.0.1;rport;\r\n branch=z9hG4bK1\r\n", "192.0.2.1", 7,
              "Via: SIP/2.0/UDP 10.0.0.1;rport=7; branch=z9hG4bK1;received=192.0.2.1\r\n");
  /* no source address: every Via as received */
  expect_vias("Via: SIP/2.0/UDP 10.0.0.1;rport;branch=z9hG4bK1\r\n", NULL, 0,
              "Via: SIP/2.0/UDP 10.0.0.1;rport;branch=z9hG4bK1\r\n");
}

static void expect_invalid_rsp(const char *request, const siphb_sip_response *rsp,
                               const char *what) {
  siphb_sip_msg req;
  parse_ok(&req, request);
  uint8_t buf[1024];
  siphb_error_info ei;
  memset(&ei, 0xEE, sizeof ei);
  assert_int_equal(siphb_sip_encode_response(buf, sizeof buf, &req, rsp, &ei),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(ei.code, SIPHB_ERR_INVALID_ARGUMENT);
  assert_non_null(ei.message);
  if (!strstr(ei.message, what)) fail_msg("message '%s' lacks '%s'", ei.message, what);
  assert_int_equal(R.calls, 0);
}

#define VIA_OK "Via: SIP/2.0/UDP 10.0.0.1;rport;branch=z9hG4bK1\r\n"

/* Section 17: no response to ACK, whatever the options. */
static void test_ack_refused(void **state) {
  (void)state;
  siphb_sip_response rsp;
  base_response(&rsp, "192.0.2.1", 5060);
  expect_invalid_rsp("ACK sip:phone@10.0.0.5 SIP/2.0\r\n" VIA_OK
                     "To: <sip:phone@10.0.0.5>;tag=x\r\n"
                     "From: <sip:proxy@example.com>;tag=ft\r\n"
                     "Call-ID: c1@10.0.0.1\r\n"
                     "CSeq: 7 ACK\r\n"
                     "Content-Length: 0\r\n\r\n",
                     &rsp, "ACK");
  base_response(&rsp, NULL, 0);
  expect_invalid_rsp("ACK sip:phone@10.0.0.5 SIP/2.0\r\n" VIA_OK
                     "To: <sip:phone@10.0.0.5>\r\n"
                     "From: <sip:proxy@example.com>;tag=ft\r\n"
                     "Call-ID: c1@10.0.0.1\r\n"
                     "CSeq: 7 ACK\r\n\r\n",
                     &rsp, "ACK");
}

static void test_bad_source(void **state) {
  (void)state;
  static const char *const bad_ips[] = {
      "1.2.3",       "1.2.3.4.5",  "256.1.1.1",   "01.2.3.4",     "1.2.3.4 ",  "host.example",
      "::1::",       "1:2:3:4:5:6:7:8:9",          "1:2:3:4:5:6:7", ":1",       "1:",
      "12345::",     "fe80::1%eth0", "[::1",       "::1]",         "[]",        "1.2.3.4:5060",
      "::ffff:1.2.3", "g::1",        "1:2:3:4:5:6:7:1.2.3.4",        "[1.2.3.4",  "1..2.3",
  };
  for (size_t i = 0; i < sizeof bad_ips / sizeof bad_ips[0]; i++) {
    siphb_sip_response rsp;
    base_response(&rsp, bad_ips[i], 5060);
    expect_invalid_rsp(HEAD VIA_OK TAIL, &rsp, "source_ip");
  }
  static const char *const good_ips[] = {
      "0.0.0.0", "255.255.255.255", "::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6::8",
      "1::8", "::ffff:192.0.2.1", "1:2:3:4:5:6:1.2.3.4", "ABCD:ef01::1", "[2001:db8::1]",
  };
  for (size_t i = 0; i < sizeof good_ips / sizeof good_ips[0]; i++) {
    siphb_sip_response rsp;
    base_response(&rsp, good_ips[i], 5060);
    siphb_sip_msg req;
    parse_ok(&req, HEAD VIA_OK TAIL);
    uint8_t buf[1024];
    siphb_ssize n = siphb_sip_encode_response(buf, sizeof buf, &req, &rsp, NULL);
    if (n < 0) fail_msg("'%s' refused: %s", good_ips[i], siphb_errname((int)n));
  }
  siphb_sip_response rsp;
  base_response(&rsp, "192.0.2.1", 0);
  expect_invalid_rsp(HEAD VIA_OK TAIL, &rsp, "source_port");
  base_response(&rsp, NULL, 5060);
  expect_invalid_rsp(HEAD VIA_OK TAIL, &rsp, "source_port");
  base_response(&rsp, NULL, 5060);
  rsp.source_ip.len = 3; /* NULL with a length */
  expect_invalid_rsp(HEAD VIA_OK TAIL, &rsp, "source_ip");
}

/* Every capacity below the length: NOBUF with the exact need, no random. */
static void test_nobuf_every_short_capacity(void **state) {
  (void)state;
  static const char *const requests[] = {
      HEAD VIA_OK TAIL,
      HEAD "Via: SIP/2.0/UDP 10.0.0.1;received=1.1.1.1;rport;branch=z9hG4bK1, SIP/2.0/UDP "
           "h;branch=z9hG4bK2\r\nVia: SIP/2.0/TCP [::1];branch=z9hG4bK3\r\n" TAIL,
  };
  for (size_t r = 0; r < 2; r++) {
    siphb_sip_msg req;
    parse_ok(&req, requests[r]);
    siphb_sip_response rsp;
    base_response(&rsp, "2001:db8:1:2:3:4:5:6", 65535);
    rsp.to_tag.len = 0; /* generated: no random call may precede a NOBUF */
    uint8_t full[2048];
    siphb_ssize len = siphb_sip_encode_response(full, sizeof full, &req, &rsp, NULL);
    assert_true(len > 0);
    assert_non_null(strstr((const char *)full, "rport=65535"));
    for (size_t cap = 0; cap < (size_t)len; cap++) {
      uint8_t buf[2048];
      siphb_error_info ei;
      memset(&ei, 0xEE, sizeof ei);
      R.calls = 0;
      assert_int_equal(siphb_sip_encode_response(buf, cap, &req, &rsp, &ei), SIPHB_ERR_NOBUF);
      assert_int_equal(ei.code, SIPHB_ERR_NOBUF);
      assert_int_equal(ei.need, (size_t)len);
      assert_int_equal(R.calls, 0);
    }
    uint8_t exact[2048];
    R.next = 0;
    assert_int_equal(siphb_sip_encode_response(exact, (size_t)len, &req, &rsp, NULL), len);
    assert_memory_equal(exact, full, (size_t)len);
  }
}

/* A caller built against the first release's header has no source fields:
 * its struct is read with the defaults for them (nothing added). */
static void test_older_struct_has_no_source(void **state) {
  (void)state;
  siphb_sip_msg req;
  parse_ok(&req, HEAD VIA_OK TAIL);
  union {
    siphb_sip_response rsp;
    uint8_t bytes[sizeof(siphb_sip_response)];
  } u;
  const size_t old_size = offsetof(siphb_sip_response, random_user_data) + sizeof(void *);
  memset(&u, 0x77, sizeof u); /* past old_size: what the old caller never wrote */
  siphb_sip_response_init(&u.rsp, old_size);
  u.rsp.to_tag = S("t1");
  uint8_t buf[1024];
  siphb_ssize n = siphb_sip_encode_response(buf, sizeof buf - 1, &req, &u.rsp, NULL);
  assert_true(n > 0);
  buf[n] = 0;
  assert_string_equal((const char *)buf, "SIP/2.0 200 OK\r\n" VIA_OK RTAIL);
}

/* ---- siphb_sip_find_param ------------------------------------------------ */

static void expect_param(const char *value, const char *name, const char *pvalue, bool has_value,
                         const char *whole) {
  siphb_sip_param p;
  memset(&p, 0xEE, sizeof p);
  if (!siphb_sip_find_param(S(value), name, &p)) fail_msg("'%s' not found in '%s'", name, value);
  assert_int_equal(p.has_value, has_value);
  assert_int_equal(p.value.len, strlen(pvalue));
  assert_memory_equal(p.value.ptr, pvalue, strlen(pvalue));
  assert_int_equal(p.whole.len, strlen(whole));
  assert_memory_equal(p.whole.ptr, whole, strlen(whole));
  assert_int_equal(p.reserved_[0], 0);
  assert_true(p.whole.ptr >= value && p.whole.ptr + p.whole.len <= value + strlen(value));
}

static void expect_no_param(const char *value, const char *name) {
  siphb_sip_param p;
  memset(&p, 0xEE, sizeof p);
  assert_false(siphb_sip_find_param(S(value), name, &p));
  assert_int_equal(p.name.len, 0);
  assert_int_equal(p.has_value, false);
}

static void test_find_param(void **state) {
  (void)state;
  const char *via = "SIP/2.0/UDP 10.0.0.1:5060;Branch=z9hG4bK1 ;rport; received = ::1";
  expect_param(via, "branch", "z9hG4bK1", true, ";Branch=z9hG4bK1");
  expect_param(via, "BRANCH", "z9hG4bK1", true, ";Branch=z9hG4bK1");
  expect_param(via, "rport", "", false, ";rport");
  expect_param(via, "received", "::1", true, "; received = ::1");
  expect_no_param(via, "branc");
  expect_no_param(via, "maddr");
  /* quoted strings: a ';' inside is no parameter; the quotes are kept */
  expect_param("<sip:a@b>;x=\"a;y=1\";y=2", "y", "2", true, ";y=2");
  expect_param("<sip:a@b>;x=\"a\\\";y=1\"", "x", "\"a\\\";y=1\"", true, ";x=\"a\\\";y=1\"");
  expect_param("\"Bob;tag=no\" <sip:a@b>;tag=yes", "tag", "yes", true, ";tag=yes");
  /* URI parameters inside <...> are not header parameters */
  expect_no_param("<sip:a@b;lr;tag=u>", "tag");
  expect_param("<sip:a@b;lr>;lr", "lr", "", false, ";lr");
  /* the search stops at the next value of a list */
  expect_no_param("SIP/2.0/UDP a;branch=1, SIP/2.0/UDP b;rport", "rport");
  expect_param("SIP/2.0/UDP a;branch=1, SIP/2.0/UDP b;rport", "branch", "1", true, ";branch=1");
  /* a params slice on its own, folded */
  expect_param(";a=1;\r\n b=2", "b", "2", true, ";\r\n b=2");
  /* malformed before it, unclosed quote or angle: not found */
  expect_no_param(";=1;a=2", "a");
  expect_no_param(";x=;a=2", "a");
  expect_no_param("\"open;a=1", "a");
  expect_no_param("<sip:x;a=1", "a");
  /* arguments */
  siphb_sip_param p;
  assert_false(siphb_sip_find_param(S(";a"), "", &p));
  assert_false(siphb_sip_find_param(S(";a"), NULL, &p));
  assert_false(siphb_sip_find_param(S(";a"), "a", NULL));
  siphb_str null_len = {NULL, 3};
  assert_false(siphb_sip_find_param(null_len, "a", &p));
  siphb_str empty = {NULL, 0};
  assert_false(siphb_sip_find_param(empty, "a", &p));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ipv4),
      cmocka_unit_test(test_ipv6),
      cmocka_unit_test(test_hostname_sent_by),
      cmocka_unit_test(test_rport_empty),
      cmocka_unit_test(test_rport_with_value_or_absent),
      cmocka_unit_test(test_received_already_present),
      cmocka_unit_test(test_only_the_top_via),
      cmocka_unit_test(test_ack_refused),
      cmocka_unit_test(test_bad_source),
      cmocka_unit_test(test_nobuf_every_short_capacity),
      cmocka_unit_test(test_older_struct_has_no_source),
      cmocka_unit_test(test_find_param),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
