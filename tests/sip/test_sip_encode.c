/*
 * test_sip_encode.c - the OPTIONS encoder: exact bytes for every transport
 * and host form with and without each optional part, caller-supplied
 * identifiers, SIPHB_ERR_NOBUF at every short capacity, every refused
 * argument, a failing random callback, and a round trip through the parser.
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

static siphb_str S(const char *s) {
  siphb_str v = {s, strlen(s)};
  return v;
}

/* ---- a deterministic random source ---------------------------------------
 * Each byte is the next value of a counter (rndtest.h), so generated
 * identifiers are known: with everything generated, the branch is
 * z9hG4bK0001020304050607, the tag 08090a0b0c0d0e0f, the Call-ID
 * 101112131415161718191a1b1c1d1e1f. */
static rnd_state R;

static void base_options(siphb_sip_options *o) {
  memset(&R, 0, sizeof(R));
  siphb_sip_options_init(o, sizeof *o);
  o->request_uri = S("sip:proxy.example.com");
  o->from_uri = S("sip:phone@10.0.0.5");
  o->via_host = S("10.0.0.5");
  o->via_port = 5060;
  o->random = rnd_counter;
  o->random_user_data = &R;
}

#define BRANCH "z9hG4bK0001020304050607"
#define TAG "08090a0b0c0d0e0f"
#define CALL_ID "101112131415161718191a1b1c1d1e1f"

/* The lines after Via in the base request, generated ids. */
#define BASE_TAIL                                     \
  "Max-Forwards: 70\r\n"                              \
  "To: <sip:proxy.example.com>\r\n"                   \
  "From: <sip:phone@10.0.0.5>;tag=" TAG "\r\n"        \
  "Call-ID: " CALL_ID "\r\n"                          \
  "CSeq: 1 OPTIONS\r\n"                               \
  "Accept: application/sdp\r\n"                       \
  "Content-Length: 0\r\n\r\n"

/* Encodes into a large buffer and compares the bytes as text. */
static size_t expect_encoding(const siphb_sip_options *o, siphb_sip_ids *ids,
                              const char *expected, uint8_t *out) {
  uint8_t buf[2048];
  memset(buf, 0xAA, sizeof(buf));
  siphb_error_info ei;
  memset(&ei, 0xEE, sizeof ei); /* poisoned: the call must clear or fill it */
  siphb_ssize n = siphb_sip_encode_options(buf, sizeof(buf) - 1, o, ids, &ei);
  assert_true(n > 0);
  assert_int_equal(ei.code, 0); /* a success clears it */
  assert_int_equal(ei.need, 0);
  buf[n] = 0;
  assert_string_equal((const char *)buf, expected);
  assert_int_equal((size_t)n, strlen(expected));
  if (out) memcpy(out, buf, (size_t)n + 1);
  return (size_t)n;
}

static void test_options_init_defaults(void **state) {
  (void)state;
  siphb_sip_options o;
  memset(&o, 0x5A, sizeof(o));
  siphb_sip_options_init(&o, sizeof o);
  assert_int_equal(o.transport, SIPHB_TRANSPORT_UDP);
  assert_true(o.rport);
  assert_false(o.keep);
  assert_int_equal(o.cseq, 1);
  assert_int_equal(o.max_forwards, 70);
  assert_int_equal(o.accept.len, 15);
  assert_memory_equal(o.accept.ptr, "application/sdp", 15);
  assert_int_equal(o.request_uri.len, 0);
  assert_int_equal(o.to_uri.len, 0);
  assert_int_equal(o.from_uri.len, 0);
  assert_int_equal(o.from_display.len, 0);
  assert_int_equal(o.contact_uri.len, 0);
  assert_int_equal(o.via_host.len, 0);
  assert_int_equal(o.via_port, 0);
  assert_int_equal(o.branch.len, 0);
  assert_int_equal(o.from_tag.len, 0);
  assert_int_equal(o.call_id.len, 0);
  assert_int_equal(o.supported.len, 0);
  assert_int_equal(o.allow.len, 0);
  assert_int_equal(o.user_agent.len, 0);
  assert_null(o.random);
  assert_null(o.random_user_data);
  siphb_sip_options_init(NULL, sizeof(siphb_sip_options)); /* no crash */
}

static void test_udp_ipv4_generated_ids(void **state) {
  (void)state;
  siphb_sip_options o;
  base_options(&o);
  uint8_t out[2048];
  siphb_sip_ids ids;
  expect_encoding(&o, &ids,
                  "OPTIONS sip:proxy.example.com SIP/2.0\r\n"
                  "Via: SIP/2.0/UDP 10.0.0.5:5060;branch=" BRANCH ";rport\r\n" BASE_TAIL,
                  out);
  /* one random call for all three identifiers: 8 + 8 + 16 bytes */
  assert_int_equal(R.calls, 1);
  assert_int_equal(R.last_len, 32);
  /* ids are slices of the output */
  const char *text = (const char *)out;
  assert_int_equal(ids.branch.len, strlen(BRANCH));
  assert_memory_equal(ids.branch.ptr, BRANCH, ids.branch.len);
  assert_int_equal(ids.from_tag.len, 16);
  assert_memory_equal(ids.from_tag.ptr, TAG, 16);
  assert_int_equal(ids.call_id.len, 32);
  assert_memory_equal(ids.call_id.ptr, CALL_ID, 32);
  (void)text;
}

/* The slices point into the caller's buffer, not a copy. */
static void test_ids_point_into_buffer(void **state) {
  (void)state;
  siphb_sip_options o;
  base_options(&o);
  uint8_t buf[512];
  siphb_sip_ids ids;
  siphb_ssize n = siphb_sip_encode_options(buf, sizeof(buf), &o, &ids, NULL);
  assert_true(n > 0);
  const char *b = (const char *)buf;
  assert_true(ids.branch.ptr > b && ids.branch.ptr + ids.branch.len <= b + n);
  assert_true(ids.from_tag.ptr > b && ids.from_tag.ptr + ids.from_tag.len <= b + n);
  assert_true(ids.call_id.ptr > b && ids.call_id.ptr + ids.call_id.len <= b + n);
  assert_memory_equal(ids.branch.ptr - 8, ";branch=", 8);
  assert_memory_equal(ids.from_tag.ptr - 5, ";tag=", 5);
  assert_memory_equal(ids.call_id.ptr - 9, "Call-ID: ", 9);
  /* ids is optional */
  base_options(&o);
  assert_int_equal(siphb_sip_encode_options(buf, sizeof(buf), &o, NULL, NULL), n);
}

static void test_tcp_hostname_no_port_no_rport_keep(void **state) {
  (void)state;
  siphb_sip_options o;
  base_options(&o);
  o.transport = SIPHB_TRANSPORT_TCP;
  o.via_host = S("phone7.example.net");
  o.via_port = 0;
  o.rport = false;
  o.keep = true;
  expect_encoding(&o, NULL,
                  "OPTIONS sip:proxy.example.com SIP/2.0\r\n"
                  "Via: SIP/2.0/TCP phone7.example.net;branch=" BRANCH ";keep\r\n" BASE_TAIL,
                  NULL);
}

static void test_rport_and_keep_together(void **state) {
  (void)state;
  siphb_sip_options o;
  base_options(&o);
  o.keep = true;
  expect_encoding(&o, NULL,
                  "OPTIONS sip:proxy.example.com SIP/2.0\r\n"
                  "Via: SIP/2.0/UDP 10.0.0.5:5060;branch=" BRANCH ";rport;keep\r\n" BASE_TAIL,
                  NULL);
}

static void test_every_transport(void **state) {
  (void)state;
  static const struct {
    siphb_transport t;
    const char *via;
  } cases[] = {
      {SIPHB_TRANSPORT_UDP, "Via: SIP/2.0/UDP 10.0.0.5:5060;branch=" BRANCH ";rport\r\n"},
      {SIPHB_TRANSPORT_TCP, "Via: SIP/2.0/TCP 10.0.0.5:5060;branch=" BRANCH ";rport\r\n"},
      {SIPHB_TRANSPORT_TLS, "Via: SIP/2.0/TLS 10.0.0.5:5060;branch=" BRANCH ";rport\r\n"},
      {SIPHB_TRANSPORT_SCTP, "Via: SIP/2.0/SCTP 10.0.0.5:5060;branch=" BRANCH ";rport\r\n"},
      {SIPHB_TRANSPORT_WS, "Via: SIP/2.0/WS 10.0.0.5:5060;branch=" BRANCH ";rport\r\n"},
      {SIPHB_TRANSPORT_WSS, "Via: SIP/2.0/WSS 10.0.0.5:5060;branch=" BRANCH ";rport\r\n"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    siphb_sip_options o;
    base_options(&o);
    o.transport = cases[i].t;
    char expected[1024];
    strcpy(expected, "OPTIONS sip:proxy.example.com SIP/2.0\r\n");
    strcat(expected, cases[i].via);
    strcat(expected, BASE_TAIL);
    expect_encoding(&o, NULL, expected, NULL);
  }
}

static void test_tls_with_display_and_contact(void **state) {
  (void)state;
  siphb_sip_options o;
  base_options(&o);
  o.transport = SIPHB_TRANSPORT_TLS;
  o.via_port = 5061;
  o.request_uri = S("sips:proxy.example.com");
  o.from_uri = S("sips:phone@example.com");
  o.from_display = S("Lobby Phone");
  o.contact_uri = S("sips:phone@10.0.0.5:5061;transport=tls");
  expect_encoding(&o, NULL,
                  "OPTIONS sips:proxy.example.com SIP/2.0\r\n"
                  "Via: SIP/2.0/TLS 10.0.0.5:5061;branch=" BRANCH ";rport\r\n"
                  "Max-Forwards: 70\r\n"
                  "To: <sips:proxy.example.com>\r\n"
                  "From: \"Lobby Phone\" <sips:phone@example.com>;tag=" TAG "\r\n"
                  "Call-ID: " CALL_ID "\r\n"
                  "CSeq: 1 OPTIONS\r\n"
                  "Contact: <sips:phone@10.0.0.5:5061;transport=tls>\r\n"
                  "Accept: application/sdp\r\n"
                  "Content-Length: 0\r\n\r\n",
                  NULL);
}

static void test_ipv6_with_and_without_brackets(void **state) {
  (void)state;
  const char *expected =
      "OPTIONS sip:proxy.example.com SIP/2.0\r\n"
      "Via: SIP/2.0/UDP [2001:db8::5]:5060;branch=" BRANCH ";rport\r\n" BASE_TAIL;
  siphb_sip_options o;
  base_options(&o);
  o.via_host = S("2001:db8::5");
  expect_encoding(&o, NULL, expected, NULL);
  base_options(&o);
  o.via_host = S("[2001:db8::5]");
  expect_encoding(&o, NULL, expected, NULL);
  /* without a port, and the shortest address */
  base_options(&o);
  o.via_host = S("::1");
  o.via_port = 0;
  expect_encoding(&o, NULL,
                  "OPTIONS sip:proxy.example.com SIP/2.0\r\n"
                  "Via: SIP/2.0/UDP [::1];branch=" BRANCH ";rport\r\n" BASE_TAIL,
                  NULL);
}

/* Everything optional set, the limits of every number, a To that differs
 * from the Request-URI, no Accept, and a display name that needs escapes. */
static void test_all_optional_headers_and_limits(void **state) {
  (void)state;
  siphb_sip_options o;
  base_options(&o);
  o.request_uri = S("sip:10.0.0.1:5080");
  o.to_uri = S("sip:ping@example.org");
  o.from_display = S("A \"quoted\" \\ name\twith tab\x01");
  o.contact_uri = S("sip:phone@10.0.0.5:5060");
  o.via_port = 65535;
  o.cseq = 2147483647u;
  o.max_forwards = 0;
  o.accept = S("");
  o.supported = S("outbound, path");
  o.allow = S("INVITE, ACK, BYE, CANCEL, OPTIONS");
  o.user_agent = S("siphb-test/1.0");
  expect_encoding(&o, NULL,
                  "OPTIONS sip:10.0.0.1:5080 SIP/2.0\r\n"
                  "Via: SIP/2.0/UDP 10.0.0.5:65535;branch=" BRANCH ";rport\r\n"
                  "Max-Forwards: 0\r\n"
                  "To: <sip:ping@example.org>\r\n"
                  "From: \"A \\\"quoted\\\" \\\\ name\twith tab\\\x01\" "
                  "<sip:phone@10.0.0.5>;tag=" TAG "\r\n"
                  "Call-ID: " CALL_ID "\r\n"
                  "CSeq: 2147483647 OPTIONS\r\n"
                  "Contact: <sip:phone@10.0.0.5:5060>\r\n"
                  "Supported: outbound, path\r\n"
                  "Allow: INVITE, ACK, BYE, CANCEL, OPTIONS\r\n"
                  "User-Agent: siphb-test/1.0\r\n"
                  "Content-Length: 0\r\n\r\n",
                  NULL);
}

/* Display names of every length around the 8-byte words the escape scan
 * works in, with the character to escape at each position. */
static void test_display_escapes_at_every_position(void **state) {
  (void)state;
  static const char specials[] = {'"', '\\', 0x01, 0x1f, 0x7f};
  for (size_t len = 1; len <= 20; len++) {
    for (size_t at = 0; at < len; at++) {
      for (size_t k = 0; k < sizeof(specials); k++) {
        char display[32], expected[64];
        memset(display, 'x', len);
        display[at] = specials[k];
        /* expected: "x..x\cx..x" */
        size_t e = 0;
        expected[e++] = '"';
        for (size_t i = 0; i < len; i++) {
          if (i == at) expected[e++] = '\\';
          expected[e++] = display[i];
        }
        expected[e++] = '"';
        expected[e++] = ' ';
        expected[e++] = '<';
        siphb_sip_options o;
        base_options(&o);
        o.from_display.ptr = display;
        o.from_display.len = len;
        uint8_t buf[1024], plain[1024];
        memset(buf, 0, sizeof(buf));
        siphb_error_info ei;
        memset(&ei, 0xEE, sizeof ei); /* poisoned: the call must clear or fill it */
        siphb_ssize n = siphb_sip_encode_options(buf, sizeof(buf), &o, NULL, NULL);
        assert_true(n > 0);
        assert_int_equal(siphb_sip_encode_options(buf, (size_t)n - 1, &o, NULL, &ei),
                         SIPHB_ERR_NOBUF);
        assert_int_equal(ei.code, SIPHB_ERR_NOBUF);
    assert_int_equal(ei.need, (size_t)n);
        const uint8_t *from = (const uint8_t *)strstr((const char *)buf, "\r\nFrom: ");
        assert_non_null(from);
        assert_memory_equal(from + 8, expected, e);
        /* a plain name of the same length is one byte shorter */
        memset(display, 'x', len);
        base_options(&o);
        o.from_display.ptr = display;
        o.from_display.len = len;
        assert_int_equal(siphb_sip_encode_options(plain, sizeof(plain), &o, NULL, NULL), n - 1);
      }
    }
  }
}

/* Numbers of every digit count go through the same writer. */
static void test_numbers(void **state) {
  (void)state;
  static const uint32_t values[] = {1, 9, 10, 99, 100, 999, 1000, 9999, 10000, 65535,
                                    100000, 999999, 1000000, 12345678, 123456789,
                                    1000000000, 2147483647u, 4294967295u};
  for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
    siphb_sip_options o;
    base_options(&o);
    o.max_forwards = values[i];
    if (values[i] <= 2147483647u) o.cseq = values[i];
    uint8_t buf[1024];
    siphb_ssize n = siphb_sip_encode_options(buf, sizeof(buf) - 1, &o, NULL, NULL);
    assert_true(n > 0);
    buf[n] = 0;
    char line[64];
    snprintf(line, sizeof(line), "\r\nMax-Forwards: %lu\r\n", (unsigned long)values[i]);
    assert_non_null(strstr((const char *)buf, line));
    snprintf(line, sizeof(line), "\r\nCSeq: %lu OPTIONS\r\n", (unsigned long)o.cseq);
    assert_non_null(strstr((const char *)buf, line));
  }
}

static void test_caller_supplied_ids(void **state) {
  (void)state;
  siphb_sip_options o;
  base_options(&o);
  o.branch = S("z9hG4bKcaller.1");
  o.from_tag = S("tag-1");
  o.call_id = S("abc@10.0.0.5");
  o.random = NULL; /* not needed: nothing is generated */
  uint8_t out[2048];
  siphb_sip_ids ids;
  expect_encoding(&o, &ids,
                  "OPTIONS sip:proxy.example.com SIP/2.0\r\n"
                  "Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKcaller.1;rport\r\n"
                  "Max-Forwards: 70\r\n"
                  "To: <sip:proxy.example.com>\r\n"
                  "From: <sip:phone@10.0.0.5>;tag=tag-1\r\n"
                  "Call-ID: abc@10.0.0.5\r\n"
                  "CSeq: 1 OPTIONS\r\n"
                  "Accept: application/sdp\r\n"
                  "Content-Length: 0\r\n\r\n",
                  out);
  assert_int_equal(ids.branch.len, 15);
  assert_memory_equal(ids.branch.ptr, "z9hG4bKcaller.1", 15);
  assert_int_equal(ids.from_tag.len, 5);
  assert_memory_equal(ids.from_tag.ptr, "tag-1", 5);
  assert_int_equal(ids.call_id.len, 12);
  assert_memory_equal(ids.call_id.ptr, "abc@10.0.0.5", 12);
}

/* Only what is missing is generated, in the order branch, tag, Call-ID,
 * from one call. */
static void test_partly_generated_ids(void **state) {
  (void)state;
  siphb_sip_options o;
  base_options(&o);
  o.from_tag = S("fixedtag");
  o.call_id = S("fixed-call");
  siphb_sip_ids ids;
  uint8_t buf[1024];
  assert_true(siphb_sip_encode_options(buf, sizeof(buf), &o, &ids, NULL) > 0);
  assert_int_equal(R.calls, 1);
  assert_int_equal(R.last_len, 8);
  assert_memory_equal(ids.branch.ptr, BRANCH, ids.branch.len);
  assert_memory_equal(ids.from_tag.ptr, "fixedtag", 8);

  base_options(&o);
  o.branch = S("z9hG4bKx");
  o.from_tag = S("fixedtag");
  assert_true(siphb_sip_encode_options(buf, sizeof(buf), &o, &ids, NULL) > 0);
  assert_int_equal(R.last_len, 16);
  assert_int_equal(ids.call_id.len, 32);
  assert_memory_equal(ids.call_id.ptr, "000102030405060708090a0b0c0d0e0f", 32);

  base_options(&o);
  o.branch = S("z9hG4bKx");
  o.call_id = S("fixed-call");
  assert_true(siphb_sip_encode_options(buf, sizeof(buf), &o, &ids, NULL) > 0);
  assert_int_equal(R.last_len, 8);
  assert_memory_equal(ids.from_tag.ptr, "0001020304050607", 16);
}

/* Every capacity below the length: NOBUF, the exact size, no random call,
 * ids untouched. Then the exact size succeeds. */
static void test_nobuf_every_short_capacity(void **state) {
  (void)state;
  siphb_sip_options o;
  base_options(&o);
  o.from_display = S("Esc\"aped");
  o.contact_uri = S("sip:phone@10.0.0.5");
  o.keep = true;
  o.supported = S("outbound");
  o.allow = S("OPTIONS");
  o.user_agent = S("ua");
  o.via_host = S("fe80::1");
  uint8_t full[2048];
  siphb_ssize len = siphb_sip_encode_options(full, sizeof(full), &o, NULL, NULL);
  assert_true(len > 0);
  for (size_t cap = 0; cap < (size_t)len; cap++) {
    uint8_t buf[2048];
    siphb_sip_ids ids;
    memset(&ids, 0x77, sizeof(ids));
    siphb_sip_ids untouched = ids;
    siphb_error_info ei;
    memset(&ei, 0xEE, sizeof ei); /* poisoned: the call must clear or fill it */
    R.calls = 0;
    assert_int_equal(siphb_sip_encode_options(buf, cap, &o, &ids, &ei), SIPHB_ERR_NOBUF);
    assert_int_equal(ei.code, SIPHB_ERR_NOBUF);
    assert_int_equal(ei.need, (size_t)len);
    assert_int_equal(R.calls, 0);
    assert_memory_equal(&ids, &untouched, sizeof(ids));
  }
  /* buf may be NULL with cap 0: a size query; err may be NULL */
  siphb_error_info ei;
  memset(&ei, 0xEE, sizeof ei); /* poisoned: the call must clear or fill it */
  assert_int_equal(siphb_sip_encode_options(NULL, 0, &o, NULL, &ei), SIPHB_ERR_NOBUF);
  assert_int_equal(ei.code, SIPHB_ERR_NOBUF);
    assert_int_equal(ei.need, (size_t)len);
  assert_int_equal(siphb_sip_encode_options(full, 10, &o, NULL, NULL), SIPHB_ERR_NOBUF);
  /* exactly len is enough, and gives the same bytes (same random state) */
  uint8_t exact[2048];
  R.next = 0;
  assert_int_equal(siphb_sip_encode_options(exact, (size_t)len, &o, NULL, NULL), len);
  assert_memory_equal(exact, full, (size_t)len);
}

/* Calls the encoder expecting INVALID_ARGUMENT, with ids and random
 * untouched. */
static void expect_invalid(const siphb_sip_options *o) {
  uint8_t buf[1024];
  siphb_sip_ids ids;
  memset(&ids, 0x77, sizeof(ids));
  siphb_sip_ids untouched = ids;
  siphb_error_info ei;
  memset(&ei, 0xEE, sizeof ei); /* poisoned: the call must clear or fill it */
  R.calls = 0;
  assert_int_equal(siphb_sip_encode_options(buf, sizeof(buf), o, &ids, &ei),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_memory_equal(&ids, &untouched, sizeof(ids));
  assert_int_equal(ei.code, SIPHB_ERR_INVALID_ARGUMENT);
  assert_non_null(ei.message);
  assert_int_equal(R.calls, 0);
}

/* Selects one siphb_str field of the options by index. */
static siphb_str *str_field(siphb_sip_options *o, int i) {
  switch (i) {
  case 0: return &o->request_uri;
  case 1: return &o->to_uri;
  case 2: return &o->from_uri;
  case 3: return &o->from_display;
  case 4: return &o->contact_uri;
  case 5: return &o->via_host;
  case 6: return &o->branch;
  case 7: return &o->from_tag;
  case 8: return &o->call_id;
  case 9: return &o->accept;
  case 10: return &o->supported;
  case 11: return &o->allow;
  case 12: return &o->user_agent;
  default: return NULL;
  }
}

static void test_invalid_arguments(void **state) {
  (void)state;
  siphb_sip_options o;
  uint8_t buf[64];
  base_options(&o);
  assert_int_equal(siphb_sip_encode_options(buf, sizeof(buf), NULL, NULL, NULL),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_sip_encode_options(NULL, 10, &o, NULL, NULL),
                   SIPHB_ERR_INVALID_ARGUMENT);

  /* required fields */
  base_options(&o);
  o.request_uri = S("");
  expect_invalid(&o);
  base_options(&o);
  o.from_uri = S("");
  expect_invalid(&o);
  base_options(&o);
  o.via_host = S("");
  expect_invalid(&o);

  /* CSeq: 1 .. 2^31 - 1 (RFC 3261 section 8.1.1.5) */
  base_options(&o);
  o.cseq = 0;
  expect_invalid(&o);
  base_options(&o);
  o.cseq = 2147483648u;
  expect_invalid(&o);
  base_options(&o);
  o.cseq = UINT32_MAX;
  expect_invalid(&o);

  /* transports: DTLS has no Via token; out-of-range values */
  base_options(&o);
  o.transport = SIPHB_TRANSPORT_DTLS;
  expect_invalid(&o);
  base_options(&o);
  o.transport = (siphb_transport)7;
  expect_invalid(&o);
  base_options(&o);
  o.transport = (siphb_transport)-1;
  expect_invalid(&o);

  /* random missing while something is to be generated */
  for (int which = 0; which < 3; which++) {
    base_options(&o);
    o.random = NULL;
    o.branch = S("z9hG4bKa");
    o.from_tag = S("t");
    o.call_id = S("c");
    if (which == 0) o.branch = S("");
    if (which == 1) o.from_tag = S("");
    if (which == 2) o.call_id = S("");
    expect_invalid(&o);
  }

  /* CR, LF or NUL anywhere in any value (start, middle past the first word,
   * end), and a NULL pointer with a length */
  static const char *const bad[] = {"\rsip:x", "sip:a\nb", "sip:x\r\n", "sip:abcdefghij\0k",
                                    "abcdefghijklmnopqrstu\r", "sip:0123456789abcdef\n"};
  static const size_t bad_len[] = {6, 7, 7, 16, 22, 21};
  for (int f = 0; f < 13; f++) {
    for (size_t b = 0; b < sizeof(bad) / sizeof(bad[0]); b++) {
      base_options(&o);
      siphb_str *field = str_field(&o, f);
      field->ptr = bad[b];
      field->len = bad_len[b];
      expect_invalid(&o);
    }
    base_options(&o);
    siphb_str *field = str_field(&o, f);
    field->ptr = NULL;
    field->len = 3;
    expect_invalid(&o);
  }

  /* Via hosts: a port in the host, unbalanced brackets */
  static const char *const bad_hosts[] = {"10.0.0.5:5060", "host:1", "[::1", "[]",
                                          "[", "::1]", "a]b"};
  for (size_t i = 0; i < sizeof(bad_hosts) / sizeof(bad_hosts[0]); i++) {
    base_options(&o);
    o.via_host = S(bad_hosts[i]);
    expect_invalid(&o);
  }
}

/* The value check reads 8 bytes at a time and ends on an overlapping last
 * word; the Via host check looks for ':' and ']' the same way. Every length
 * from 1 to 24 with the byte at every position, for one field of each. */
static void test_checks_at_every_length_and_position(void **state) {
  (void)state;
  siphb_sip_options o;
  uint8_t buf[1024];
  char text[25];
  static const char bad_bytes[] = {'\r', '\n', '\0'};
  for (size_t len = 1; len <= 24; len++) {
    memset(text, 'a', sizeof text);
    base_options(&o);
    o.user_agent = (siphb_str){text, len};
    assert_true(siphb_sip_encode_options(buf, sizeof buf, &o, NULL, NULL) > 0);
    for (size_t at = 0; at < len; at++)
      for (size_t b = 0; b < sizeof bad_bytes; b++) {
        memset(text, 'a', sizeof text);
        text[at] = bad_bytes[b];
        base_options(&o);
        o.user_agent = (siphb_str){text, len};
        expect_invalid(&o);
      }
    /* one ':' (a port) or a ']' anywhere in the host is refused; a host
     * of the same length without them is written as it is */
    for (size_t at = 0; at < len; at++) {
      memset(text, 'h', sizeof text);
      text[at] = ':';
      base_options(&o);
      o.via_host = (siphb_str){text, len};
      expect_invalid(&o);
      text[at] = ']';
      expect_invalid(&o);
    }
    memset(text, 'h', sizeof text);
    base_options(&o);
    o.via_host = (siphb_str){text, len};
    siphb_ssize n = siphb_sip_encode_options(buf, sizeof buf - 1, &o, NULL, NULL);
    assert_true(n > 0);
    buf[n] = 0;
    char want[64];
    snprintf(want, sizeof want, "\r\nVia: SIP/2.0/UDP %.*s:5060;", (int)len, text);
    assert_non_null(strstr((const char *)buf, want));
  }
}

static void test_random_failure(void **state) {
  (void)state;
  siphb_sip_options o;
  base_options(&o);
  R.fail = true;
  uint8_t buf[1024];
  siphb_sip_ids ids;
  memset(&ids, 0x77, sizeof(ids));
  siphb_sip_ids untouched = ids;
  assert_int_equal(siphb_sip_encode_options(buf, sizeof(buf), &o, &ids, NULL),
                   SIPHB_ERR_CALLBACK_FAILURE);
  assert_int_equal(R.calls, 1);
  assert_memory_equal(&ids, &untouched, sizeof(ids));
  /* no random call when everything is supplied, so no failure either */
  o.branch = S("z9hG4bKa");
  o.from_tag = S("t");
  o.call_id = S("c");
  R.calls = 0;
  assert_true(siphb_sip_encode_options(buf, sizeof(buf), &o, &ids, NULL) > 0);
  assert_int_equal(R.calls, 0);
}

/* ---- round trip through the parser ---------------------------------------- */

static void assert_str(siphb_str got, const char *want) {
  if (got.len != strlen(want) || (got.len && memcmp(got.ptr, want, got.len) != 0))
    fail_msg("got \"%.*s\", want \"%s\"", (int)got.len, got.ptr ? got.ptr : "", want);
}

/* Encodes `o`, parses the bytes (in stream mode for reliable transports, as
 * a receiver would) and checks every field the encoder wrote. */
static void round_trip(const siphb_sip_options *o, const char *transport, const char *host,
                       bool host_is_ipv6, const char *display) {
  uint8_t buf[2048];
  siphb_sip_ids ids;
  siphb_ssize n = siphb_sip_encode_options(buf, sizeof(buf), o, &ids, NULL);
  assert_true(n > 0);
  siphb_sip_parse_config cfg;
  siphb_sip_parse_config_init(&cfg, sizeof cfg);
  if (o->transport != SIPHB_TRANSPORT_UDP && o->transport != SIPHB_TRANSPORT_SCTP)
    cfg.mode = SIPHB_SIP_STREAM;
  siphb_sip_msg m;
  siphb_error_info err;
  memset(&err, 0, sizeof(err));
  siphb_ssize used = siphb_sip_parse(&m, buf, (size_t)n, &cfg, &err);
  if (used != n)
    fail_msg("parse: %s at %zu: %s", siphb_errname((int)used), err.offset,
             err.message ? err.message : "");
  assert_int_equal(m.length, (size_t)n);
  assert_true(m.is_request);
  assert_int_equal(m.method_id, SIPHB_SIP_METHOD_OPTIONS);
  assert_str(m.method, "OPTIONS");
  assert_true(m.request_uri.len == o->request_uri.len &&
              memcmp(m.request_uri.ptr, o->request_uri.ptr, o->request_uri.len) == 0);
  /* Via */
  assert_int_equal(m.via_count, 1);
  assert_str(m.via.transport, transport);
  assert_str(m.via.host, host);
  assert_int_equal(m.via.host_is_ipv6, host_is_ipv6);
  assert_int_equal(m.via.has_port, o->via_port != 0);
  if (o->via_port) assert_int_equal(m.via.port, o->via_port);
  assert_ptr_equal(m.via.branch.ptr, ids.branch.ptr);
  assert_int_equal(m.via.branch.len, ids.branch.len);
  assert_memory_equal(m.via.branch.ptr, "z9hG4bK", 7);
  assert_int_equal(m.via.has_rport, o->rport);
  assert_false(m.via.rport_has_value);
  assert_int_equal(m.via.has_keep, o->keep);
  assert_false(m.via.keep_has_value);
  assert_int_equal(m.via.received.len, 0);
  /* From, To */
  assert_true(m.from.uri.len == o->from_uri.len &&
              memcmp(m.from.uri.ptr, o->from_uri.ptr, o->from_uri.len) == 0);
  assert_ptr_equal(m.from.tag.ptr, ids.from_tag.ptr);
  assert_int_equal(m.from.tag.len, ids.from_tag.len);
  assert_str(m.from.display_name, display);
  siphb_str to = o->to_uri.len ? o->to_uri : o->request_uri;
  assert_true(m.to.uri.len == to.len && memcmp(m.to.uri.ptr, to.ptr, to.len) == 0);
  assert_int_equal(m.to.tag.len, 0);
  assert_int_equal(m.to.display_name.len, 0);
  /* Call-ID, CSeq, Max-Forwards */
  assert_ptr_equal(m.call_id.ptr, ids.call_id.ptr);
  assert_int_equal(m.call_id.len, ids.call_id.len);
  assert_true(siphb_sip_msg_has(&m, SIPHB_SIP_HDR_CSEQ));
  assert_int_equal(m.cseq, o->cseq);
  assert_str(m.cseq_method, "OPTIONS");
  assert_int_equal(m.cseq_method_id, SIPHB_SIP_METHOD_OPTIONS);
  assert_true(siphb_sip_msg_has(&m, SIPHB_SIP_HDR_MAX_FORWARDS));
  assert_int_equal(m.max_forwards, o->max_forwards);
  /* Contact, Accept, Supported, Allow, User-Agent, Content-Length */
  assert_int_equal(siphb_sip_msg_has(&m, SIPHB_SIP_HDR_CONTACT), o->contact_uri.len != 0);
  if (o->contact_uri.len) {
    assert_int_equal(m.contact_count, 1);
    assert_true(m.contact.uri.len == o->contact_uri.len &&
                memcmp(m.contact.uri.ptr, o->contact_uri.ptr, o->contact_uri.len) == 0);
  } else {
    assert_int_equal(m.contact_count, 0);
  }
  assert_int_equal(siphb_sip_msg_has(&m, SIPHB_SIP_HDR_ACCEPT), o->accept.len != 0);
  assert_int_equal(siphb_sip_msg_has(&m, SIPHB_SIP_HDR_SUPPORTED), o->supported.len != 0);
  assert_int_equal(siphb_sip_msg_has(&m, SIPHB_SIP_HDR_ALLOW), o->allow.len != 0);
  assert_int_equal(siphb_sip_msg_has(&m, SIPHB_SIP_HDR_USER_AGENT), o->user_agent.len != 0);
  if (o->user_agent.len)
    assert_true(m.user_agent.len == o->user_agent.len &&
                memcmp(m.user_agent.ptr, o->user_agent.ptr, o->user_agent.len) == 0);
  assert_true(siphb_sip_msg_has(&m, SIPHB_SIP_HDR_CONTENT_LENGTH));
  assert_int_equal(m.content_length, 0);
  assert_int_equal(m.body.len, 0);
}

static void test_round_trip(void **state) {
  (void)state;
  siphb_sip_options o;
  base_options(&o);
  round_trip(&o, "UDP", "10.0.0.5", false, "");

  base_options(&o);
  o.transport = SIPHB_TRANSPORT_TCP;
  o.via_host = S("phone7.example.net");
  o.via_port = 0;
  o.rport = false;
  o.keep = true;
  round_trip(&o, "TCP", "phone7.example.net", false, "");

  base_options(&o);
  o.transport = SIPHB_TRANSPORT_TLS;
  o.via_host = S("2001:db8::5");
  o.via_port = 5061;
  o.keep = true;
  o.from_display = S("Lobby Phone");
  o.contact_uri = S("sips:phone@[2001:db8::5]:5061");
  o.request_uri = S("sips:proxy.example.com");
  o.from_uri = S("sips:phone@example.com");
  round_trip(&o, "TLS", "2001:db8::5", true, "\"Lobby Phone\"");

  base_options(&o);
  o.transport = SIPHB_TRANSPORT_SCTP;
  o.via_host = S("[::1]");
  round_trip(&o, "SCTP", "::1", true, "");

  base_options(&o);
  o.transport = SIPHB_TRANSPORT_WS;
  o.via_host = S("df7jal23ls0d.invalid");
  o.via_port = 0;
  o.request_uri = S("sip:proxy.example.com;transport=ws");
  round_trip(&o, "WS", "df7jal23ls0d.invalid", false, "");

  base_options(&o);
  o.transport = SIPHB_TRANSPORT_WSS;
  o.to_uri = S("sip:ping@example.org");
  o.from_display = S("Say \"hi\" \\o/");
  o.cseq = 2147483647u;
  o.max_forwards = 0;
  o.accept = S("");
  o.supported = S("outbound, path");
  o.allow = S("INVITE, ACK, BYE, CANCEL, OPTIONS");
  o.user_agent = S("siphb-test/1.0");
  o.contact_uri = S("sip:phone@10.0.0.5:5060;transport=wss");
  o.branch = S("z9hG4bK-caller.1");
  o.from_tag = S("t1");
  o.call_id = S("abc@10.0.0.5");
  round_trip(&o, "WSS", "10.0.0.5", false, "\"Say \\\"hi\\\" \\\\o/\"");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_options_init_defaults),
      cmocka_unit_test(test_udp_ipv4_generated_ids),
      cmocka_unit_test(test_ids_point_into_buffer),
      cmocka_unit_test(test_tcp_hostname_no_port_no_rport_keep),
      cmocka_unit_test(test_rport_and_keep_together),
      cmocka_unit_test(test_every_transport),
      cmocka_unit_test(test_tls_with_display_and_contact),
      cmocka_unit_test(test_ipv6_with_and_without_brackets),
      cmocka_unit_test(test_all_optional_headers_and_limits),
      cmocka_unit_test(test_display_escapes_at_every_position),
      cmocka_unit_test(test_numbers),
      cmocka_unit_test(test_caller_supplied_ids),
      cmocka_unit_test(test_partly_generated_ids),
      cmocka_unit_test(test_nobuf_every_short_capacity),
      cmocka_unit_test(test_invalid_arguments),
      cmocka_unit_test(test_checks_at_every_length_and_position),
      cmocka_unit_test(test_random_failure),
      cmocka_unit_test(test_round_trip),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
