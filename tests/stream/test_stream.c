/*
 * test_stream.c - the stream framer: keepalives by role, STUN and SIP items,
 * exact `need` for every cut, and a mixed stream fed in chunks of every size.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <siphb/stream.h>

static const char sip_msg[] =
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bKabc\r\n"
    "From: <sip:a@example.com>;tag=1\r\n"
    "To: <sip:b@example.com>;tag=2\r\n"
    "Call-ID: x@192.0.2.1\r\n"
    "CSeq: 7 OPTIONS\r\n"
    "Content-Length: 5\r\n"
    "\r\n"
    "hello";

/* A STUN Binding request with one 4-byte attribute (SOFTWARE "abc" + pad). */
static const uint8_t stun_msg[28] = {0x00, 0x01, 0x00, 0x08, 0x21, 0x12, 0xA4, 0x42,
                                     1,    2,    3,    4,    5,    6,    7,    8,
                                     9,    10,   11,   12,   0x80, 0x22, 0x00, 0x03,
                                     'a',  'b',  'c',  0x00};

/* Frames data[0..len) copied into a buffer of exactly len bytes, so that
 * AddressSanitizer sees any read past the end. */
static siphb_ssize frame(const void *data, size_t len, siphb_stream_role role,
                         siphb_stream_item *item, siphb_error_info *err) {
  uint8_t *copy = malloc(len ? len : 1);
  assert_non_null(copy);
  if (len) memcpy(copy, data, len);
  siphb_ssize n = siphb_stream_next(len ? copy : NULL, len, SIPHB_TRANSPORT_TCP, role, item, err);
  free(copy);
  return n;
}

static void expect_item(const char *data, size_t len, siphb_stream_role role,
                        siphb_stream_kind kind, size_t length) {
  siphb_stream_item item;
  siphb_error_info err;
  assert_int_equal(frame(data, len, role, &item, &err), (siphb_ssize)length);
  assert_int_equal(item.kind, kind);
  assert_int_equal(item.length, length);
}

static void expect_need(const void *data, size_t len, siphb_stream_role role, size_t need) {
  siphb_stream_item item;
  siphb_error_info err;
  assert_int_equal(frame(data, len, role, &item, &err), SIPHB_ERR_INCOMPLETE);
  assert_int_equal(err.code, SIPHB_ERR_INCOMPLETE);
  assert_int_equal(err.need, need);
}

static void test_keepalives_by_role(void **state) {
  (void)state;
  expect_item("\r\n\r\n", 4, SIPHB_STREAM_SERVER, SIPHB_STREAM_CRLF_PING, 4);
  expect_item("\r\n\r\n", 4, SIPHB_STREAM_CLIENT, SIPHB_STREAM_CRLF_PING, 4);
  expect_item("\r\n", 2, SIPHB_STREAM_CLIENT, SIPHB_STREAM_CRLF_PONG, 2);
  expect_need("\r\n", 2, SIPHB_STREAM_SERVER, 2);
  expect_need("\r\n\r", 3, SIPHB_STREAM_SERVER, 1);
  expect_item("\r\n\r", 3, SIPHB_STREAM_CLIENT, SIPHB_STREAM_CRLF_PONG, 2);
  expect_need("\r", 1, SIPHB_STREAM_CLIENT, 1);
  expect_need("\r", 1, SIPHB_STREAM_SERVER, 3);
  /* A lone CRLF before a message is a pong for either role. */
  expect_item("\r\nOPTIONS", 9, SIPHB_STREAM_SERVER, SIPHB_STREAM_CRLF_PONG, 2);
  expect_item("\r\n\rX", 4, SIPHB_STREAM_SERVER, SIPHB_STREAM_CRLF_PONG, 2);
  expect_need("", 0, SIPHB_STREAM_SERVER, 1);
}

static void test_garbage_is_refused(void **state) {
  (void)state;
  siphb_stream_item item;
  siphb_error_info err;
  assert_int_equal(frame("\rX", 2, SIPHB_STREAM_SERVER, &item, &err), SIPHB_ERR_PARSE);
  assert_int_equal(err.offset, 1);
  static const uint8_t tls[] = {0x16, 0x03, 0x01, 0x00, 0x10};
  assert_int_equal(frame(tls, sizeof tls, SIPHB_STREAM_SERVER, &item, &err), SIPHB_ERR_PARSE);
  uint8_t bad_cookie[28];
  memcpy(bad_cookie, stun_msg, sizeof bad_cookie);
  bad_cookie[5] ^= 1;
  assert_int_equal(frame(bad_cookie, sizeof bad_cookie, SIPHB_STREAM_CLIENT, &item, &err),
                   SIPHB_ERR_PARSE);
  uint8_t bad_len[28];
  memcpy(bad_len, stun_msg, sizeof bad_len);
  bad_len[3] = 7;
  assert_int_equal(frame(bad_len, sizeof bad_len, SIPHB_STREAM_CLIENT, &item, &err),
                   SIPHB_ERR_PARSE);
  static const char no_cl[] = "SIP/2.0 200 OK\r\nCall-ID: x\r\n\r\n";
  assert_int_equal(frame(no_cl, sizeof no_cl - 1, SIPHB_STREAM_CLIENT, &item, &err),
                   SIPHB_ERR_SIP_NO_CONTENT_LENGTH);
  assert_int_equal(siphb_stream_next(NULL, 3, SIPHB_TRANSPORT_TCP, SIPHB_STREAM_CLIENT, &item, &err),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stream_next((const uint8_t *)"\r\n", 2, SIPHB_TRANSPORT_TCP, SIPHB_STREAM_CLIENT,
                                     NULL, &err),
                   SIPHB_ERR_INVALID_ARGUMENT);
}

static void test_stun_every_cut(void **state) {
  (void)state;
  expect_item((const char *)stun_msg, sizeof stun_msg, SIPHB_STREAM_CLIENT, SIPHB_STREAM_STUN, 28);
  for (size_t k = 1; k < sizeof stun_msg; k++)
    expect_need(stun_msg, k, SIPHB_STREAM_CLIENT, k < 4 ? 20 - k : 28 - k);
}

static void test_sip_every_cut(void **state) {
  (void)state;
  size_t len = sizeof sip_msg - 1;
  expect_item(sip_msg, len, SIPHB_STREAM_CLIENT, SIPHB_STREAM_SIP_RESPONSE, len);
  size_t body_at = len - 5;
  for (size_t k = 1; k < len; k++) {
    siphb_stream_item item;
    siphb_error_info err;
    assert_int_equal(frame(sip_msg, k, SIPHB_STREAM_CLIENT, &item, &err), SIPHB_ERR_INCOMPLETE);
    if (k >= body_at) assert_int_equal(err.need, len - k); /* the length is known */
    else assert_true(err.need >= 1 && err.need <= len - k);
  }
}

/* A server's stream: ping, SIP, ping, STUN, SIP; fed in chunks of every size
 * from 1 byte to all of it, framed as soon as each item is whole. */
static void test_mixed_stream_in_chunks(void **state) {
  (void)state;
  uint8_t stream[512];
  size_t n = 0;
  const struct {
    const void *p;
    size_t len;
    siphb_stream_kind kind;
  } parts[] = {
      {"\r\n\r\n", 4, SIPHB_STREAM_CRLF_PING}, {sip_msg, sizeof sip_msg - 1, SIPHB_STREAM_SIP_RESPONSE},
      {"\r\n\r\n", 4, SIPHB_STREAM_CRLF_PING}, {stun_msg, sizeof stun_msg, SIPHB_STREAM_STUN},
      {sip_msg, sizeof sip_msg - 1, SIPHB_STREAM_SIP_RESPONSE},
  };
  const size_t nparts = sizeof parts / sizeof parts[0];
  for (size_t i = 0; i < nparts; i++) {
    memcpy(stream + n, parts[i].p, parts[i].len);
    n += parts[i].len;
  }
  for (size_t chunk = 1; chunk <= n; chunk++) {
    uint8_t buf[512];
    size_t have = 0, fed = 0, next_part = 0;
    while (fed < n || have > 0) {
      size_t add = n - fed < chunk ? n - fed : chunk;
      memcpy(buf + have, stream + fed, add);
      have += add;
      fed += add;
      for (;;) {
        siphb_stream_item item;
        siphb_error_info err;
        siphb_ssize r =
            siphb_stream_next(buf, have, SIPHB_TRANSPORT_TCP, SIPHB_STREAM_SERVER, &item, &err);
        if (r == SIPHB_ERR_INCOMPLETE) {
          assert_true(fed < n); /* only while bytes are still to come */
          break;
        }
        assert_true(r > 0);
        assert_true(next_part < nparts);
        assert_int_equal(item.kind, parts[next_part].kind);
        assert_int_equal(item.length, parts[next_part].len);
        next_part++;
        memmove(buf, buf + item.length, have - item.length);
        have -= item.length;
        if (have == 0) break;
      }
    }
    assert_int_equal(next_part, nparts);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_keepalives_by_role),
      cmocka_unit_test(test_garbage_is_refused),
      cmocka_unit_test(test_stun_every_cut),
      cmocka_unit_test(test_sip_every_cut),
      cmocka_unit_test(test_mixed_stream_in_chunks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
