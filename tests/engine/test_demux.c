/*
 * test_demux.c - one demultiplexer: siphb_ctx_receive() and the stream codec
 * (siphb_stream_next) give the same answer for every classification case,
 * on byte streams and message transports, for both roles. One table drives
 * both; each row is also the codec's expected answer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <siphb/siphb.h>

#include "engine/ctx_int.h"
#include "quietctx.h"

#define CLIENT SIPHB_STREAM_CLIENT
#define SERVER SIPHB_STREAM_SERVER
#define UDP SIPHB_TRANSPORT_UDP
#define TCP SIPHB_TRANSPORT_TCP

typedef struct row {
  const char *name;
  const char *bytes;
  size_t len;
  siphb_transport transport;
  siphb_stream_role role;
  siphb_stream_kind kind; /* what the first item is (or started like) */
  size_t length;          /* its length; 0 when incomplete or refused */
  size_t need;            /* > 0: incomplete */
  int error;              /* the codec's refusal, 0 when framed */
} row;

#define STUN_HDR(len2, len3) "\x00\x01" len2 len3 "\x21\x12\xA4\x42" "abcdefghijkl"
/* A Binding request with FINGERPRINT (value not checked by framing). */
#define STUN28 STUN_HDR("\x00", "\x08") "\x80\x28\x00\x04wxyz"
#define RESP "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKa\r\nCSeq: 1 OPTIONS\r\n"
#define REQ "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bKb\r\n"
#define REQ_LF "OPTIONS sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bKc\n"
#define CL0 "Content-Length: 0\r\n\r\n"
#define S(lit) lit, sizeof(lit) - 1
#define ALL SIZE_MAX /* length: the whole input */

static const row rows[] = {
    /* keepalives on a stream, by role (stream.h lists the rules) */
    {"ping, server", S("\r\n\r\n"), TCP, SERVER, SIPHB_STREAM_CRLF_PING, 4, 0, 0},
    {"ping, client", S("\r\n\r\n"), TCP, CLIENT, SIPHB_STREAM_CRLF_PING, 4, 0, 0},
    {"ping then more", S("\r\n\r\nOPTIONS"), TCP, SERVER, SIPHB_STREAM_CRLF_PING, 4, 0, 0},
    {"lone CRLF, server", S("\r\n"), TCP, SERVER, SIPHB_STREAM_CRLF_PING, 0, 2, 0},
    {"lone CRLF, client", S("\r\n"), TCP, CLIENT, SIPHB_STREAM_CRLF_PONG, 2, 0, 0},
    {"CRLF CR, server", S("\r\n\r"), TCP, SERVER, SIPHB_STREAM_CRLF_PING, 0, 1, 0},
    {"CRLF CR, client", S("\r\n\r"), TCP, CLIENT, SIPHB_STREAM_CRLF_PONG, 2, 0, 0},
    {"CR, server", S("\r"), TCP, SERVER, SIPHB_STREAM_CRLF_PING, 0, 3, 0},
    {"CR, client", S("\r"), TCP, CLIENT, SIPHB_STREAM_CRLF_PONG, 0, 1, 0},
    {"CRLF before SIP", S("\r\nSIP/2.0"), TCP, SERVER, SIPHB_STREAM_CRLF_PONG, 2, 0, 0},
    {"CRLF CR X", S("\r\n\rX"), TCP, SERVER, SIPHB_STREAM_CRLF_PONG, 2, 0, 0},
    {"CR X on a stream", S("\rX"), TCP, SERVER, SIPHB_STREAM_OTHER, 0, 0, SIPHB_ERR_PARSE},
    {"nothing on a stream", "", 0, TCP, SERVER, SIPHB_STREAM_OTHER, 0, 1, 0},
    /* keepalives as messages: the role does not matter */
    {"ping datagram", S("\r\n\r\n"), UDP, SERVER, SIPHB_STREAM_CRLF_PING, 4, 0, 0},
    {"ping datagram, client", S("\r\n\r\n"), UDP, CLIENT, SIPHB_STREAM_CRLF_PING, 4, 0, 0},
    {"three CRLFs", S("\r\n\r\n\r\n"), UDP, SERVER, SIPHB_STREAM_CRLF_PING, 6, 0, 0},
    {"pong datagram, server", S("\r\n"), UDP, SERVER, SIPHB_STREAM_CRLF_PONG, 2, 0, 0},
    {"pong as WebSocket message", S("\r\n"), SIPHB_TRANSPORT_WS, SERVER, SIPHB_STREAM_CRLF_PONG, 2, 0, 0},
    {"ping over SCTP", S("\r\n\r\n"), SIPHB_TRANSPORT_SCTP, CLIENT, SIPHB_STREAM_CRLF_PING, 4, 0, 0},
    {"ping then SIP in one datagram", S("\r\n\r\nOPTIONS"), UDP, SERVER, SIPHB_STREAM_CRLF_PING, 0, 0,
     SIPHB_ERR_PARSE},
    {"CR alone in a datagram", S("\r"), UDP, SERVER, SIPHB_STREAM_OTHER, 0, 0, SIPHB_ERR_PARSE},
    {"empty datagram", "", 0, UDP, SERVER, SIPHB_STREAM_OTHER, 0, 0, 0},
    /* STUN */
    {"STUN on a stream", S(STUN28), TCP, SERVER, SIPHB_STREAM_STUN, 28, 0, 0},
    {"STUN datagram", S(STUN28), UDP, SERVER, SIPHB_STREAM_STUN, 28, 0, 0},
    {"STUN over DTLS", S(STUN28), SIPHB_TRANSPORT_DTLS, CLIENT, SIPHB_STREAM_STUN, 28, 0, 0},
    {"STUN header only, stream", STUN28, 20, TCP, SERVER, SIPHB_STREAM_STUN, 0, 8, 0},
    {"STUN 27 of 28, stream", STUN28, 27, TCP, CLIENT, SIPHB_STREAM_STUN, 0, 1, 0},
    {"STUN 5 bytes, stream", STUN28, 5, TCP, SERVER, SIPHB_STREAM_STUN, 0, 23, 0},
    {"STUN 3 bytes, stream", STUN28, 3, TCP, SERVER, SIPHB_STREAM_STUN, 0, 17, 0},
    {"STUN header only, datagram", STUN28, 20, UDP, SERVER, SIPHB_STREAM_STUN, 0, 0,
     SIPHB_ERR_STUN_LENGTH},
    {"STUN 12 bytes, datagram", STUN28, 12, UDP, SERVER, SIPHB_STREAM_STUN, 0, 0,
     SIPHB_ERR_STUN_LENGTH},
    {"STUN 5 bytes, datagram", STUN28, 5, UDP, SERVER, SIPHB_STREAM_OTHER, 5, 0, 0},
    {"STUN then more, stream", S(STUN28 "\r\n\r\n"), TCP, SERVER, SIPHB_STREAM_STUN, 28, 0, 0},
    {"STUN then more, datagram", S(STUN28 "\r\n\r\n"), UDP, SERVER, SIPHB_STREAM_STUN, 0, 0,
     SIPHB_ERR_STUN_LENGTH},
    {"bad cookie, datagram", "\x00\x01\x00\x00\x21\x12\xA4\x43" "abcdefghijkl", 20, UDP, SERVER,
     SIPHB_STREAM_OTHER, 20, 0, 0},
    {"STUN, one byte too many", S(STUN_HDR("\x00", "\x00") "x"), UDP, SERVER, SIPHB_STREAM_STUN, 0,
     0, SIPHB_ERR_STUN_LENGTH},
    {"bad cookie, stream", "\x00\x01\x00\x00\x21\x12\xA4\x43" "abcdefghijkl", 20, TCP, SERVER,
     SIPHB_STREAM_OTHER, 0, 0, SIPHB_ERR_PARSE},
    {"length not x4, datagram", STUN_HDR("\x00", "\x03"), 20, UDP, SERVER, SIPHB_STREAM_OTHER, 20, 0,
     0},
    {"length not x4, stream", STUN_HDR("\x00", "\x03"), 20, TCP, SERVER, SIPHB_STREAM_OTHER, 0, 0,
     SIPHB_ERR_PARSE},
    {"top bits 01", "\x40\x01\x00\x00\x21\x12\xA4\x42" "abcdefghijkl", 20, UDP, SERVER,
     SIPHB_STREAM_OTHER, 20, 0, 0},
    /* SIP */
    {"response datagram", S(RESP "\r\n"), UDP, CLIENT, SIPHB_STREAM_SIP_RESPONSE, ALL, 0, 0},
    {"request datagram", S(REQ "\r\n"), UDP, SERVER, SIPHB_STREAM_SIP_REQUEST, ALL, 0, 0},
    {"request over WSS", S(REQ "\r\n"), SIPHB_TRANSPORT_WSS, SERVER, SIPHB_STREAM_SIP_REQUEST, ALL, 0,
     0},
    {"response on a stream", S(RESP CL0 "SIP/2.0"), TCP, CLIENT, SIPHB_STREAM_SIP_RESPONSE,
     sizeof(RESP CL0) - 1, 0, 0},
    {"request on a stream", S(REQ CL0), SIPHB_TRANSPORT_TLS, SERVER, SIPHB_STREAM_SIP_REQUEST, ALL, 0,
     0},
    {"request cut, stream", S(REQ "Content-Le"), TCP, SERVER, SIPHB_STREAM_SIP_REQUEST, 0, 4, 0},
    {"response cut in the body", S(RESP "Content-Length: 4\r\n\r\nab"), TCP, CLIENT,
     SIPHB_STREAM_SIP_RESPONSE, 0, 2, 0},
    {"response start cut, stream", S("SI"), TCP, CLIENT, SIPHB_STREAM_SIP_RESPONSE, 0, 4, 0},
    {"no Content-Length on a stream", S(RESP "\r\n"), TCP, CLIENT, SIPHB_STREAM_SIP_RESPONSE, 0, 0,
     SIPHB_ERR_SIP_NO_CONTENT_LENGTH},
    {"malformed response datagram", S("SIP/2.0 20 OK\r\n\r\n"), UDP, CLIENT,
     SIPHB_STREAM_SIP_RESPONSE, 0, 0, SIPHB_ERR_SIP_START_LINE},
    {"malformed Via, datagram", S("OPTIONS sip:a SIP/2.0\r\nVia: x\r\n\r\n"), UDP, SERVER,
     SIPHB_STREAM_SIP_REQUEST, 0, 0, SIPHB_ERR_SIP_VIA},
    /* lines ended by LF alone: taken in a datagram, refused on a stream,
     * where CRLF frames keepalives and the header block */
    {"bare-LF request datagram", S(REQ_LF "\n"), UDP, SERVER, SIPHB_STREAM_SIP_REQUEST, ALL, 0, 0},
    {"bare-LF request on a stream", S(REQ_LF "Content-Length: 0\n\n"), TCP, SERVER,
     SIPHB_STREAM_SIP_REQUEST, 0, 0, SIPHB_ERR_SIP_START_LINE},
    {"raw NAT keepalive", S("HELLO"), UDP, SERVER, SIPHB_STREAM_OTHER, 5, 0, 0},
    {"raw NAT keepalive on a stream", S("HELLO"), TCP, SERVER, SIPHB_STREAM_SIP_REQUEST, 0, 4, 0},
    {"space first", S(" OPTIONS"), UDP, SERVER, SIPHB_STREAM_OTHER, 8, 0, 0},
    {"TLS record on a stream", S("\x16\x03\x01\x00\x10"), TCP, SERVER, SIPHB_STREAM_OTHER, 0, 0,
     SIPHB_ERR_PARSE},
    {"TLS record in a datagram", S("\x16\x03\x01\x00\x10"), UDP, SERVER, SIPHB_STREAM_OTHER, 5, 0, 0},
};

/* ---- the codec -------------------------------------------------------------- */

static size_t length_of(const row *r) { return r->length == ALL ? r->len : r->length; }

static void check_codec(const row *r) {
  /* An exact-size heap copy: AddressSanitizer sees any read past the end. */
  uint8_t *copy = malloc(r->len ? r->len : 1);
  assert_non_null(copy);
  memcpy(copy, r->bytes, r->len);
  siphb_stream_item item;
  siphb_error_info err;
  memset(&item, 0xAA, sizeof item);
  siphb_ssize n = siphb_stream_next(r->len ? copy : NULL, r->len, r->transport, r->role, &item,
                                    &err);
  free(copy);
  print_message("codec: %s\n", r->name);
  assert_int_equal(item.kind, r->kind);
  assert_int_equal(item.length, length_of(r));
  assert_int_equal(item.reserved_[0], 0);
  assert_int_equal(item.reserved_[1], 0);
  if (r->need) {
    assert_int_equal(n, SIPHB_ERR_INCOMPLETE);
    assert_int_equal(err.need, r->need);
  } else if (r->error) {
    assert_int_equal(n, r->error);
    assert_int_equal(err.code, r->error);
    assert_non_null(err.message);
  } else {
    assert_int_equal(n, (siphb_ssize)length_of(r));
    assert_int_equal(err.code, 0);
  }
}

/* ---- the ctx ---------------------------------------------------------------- */

static siphb_stream_role the_role;
static siphb_stream_role role_of(siphb_ctx *ctx, const siphb_peer *peer) {
  (void)ctx, (void)peer;
  return the_role;
}

/* Every hook records what it was handed. */
static siphb_stream_kind hooked_kind;
static size_t hooked_len;
static bool hooked_sip;
static int hook(siphb_ctx *ctx, const siphb_peer *peer, const uint8_t *data, size_t len,
                const siphb_sip_msg *sip, siphb_rx_result *r, siphb_ms now) {
  (void)ctx, (void)peer, (void)data, (void)now;
  hooked_kind = r->kind;
  hooked_len = len;
  hooked_sip = sip != NULL;
  return 0;
}

static void check_ctx(siphb_ctx *ctx, const row *r) {
  uint8_t *copy = malloc(r->len ? r->len : 1);
  assert_non_null(copy);
  memcpy(copy, r->bytes, r->len);
  siphb_peer peer = {1, NULL, r->transport};
  siphb_rx_result res;
  memset(&res, 0xAA, sizeof res);
  the_role = r->role;
  hooked_kind = (siphb_stream_kind)99;
  hooked_len = 0;
  hooked_sip = false;
  print_message("ctx: %s\n", r->name);
  assert_int_equal(siphb_ctx_receive(ctx, &peer, r->len ? copy : NULL, r->len, &res, 0), 0);
  free(copy);
  assert_int_equal(res.kind, r->kind);
  assert_int_equal(res.length, length_of(r));
  assert_int_equal(res.need, r->need);
  assert_int_equal(res.error, r->error);
  assert_false(res.consumed);
  bool whole = r->need == 0 && r->error == 0;
  if (whole) { /* a whole item reaches the hook of its kind, with a parse if SIP */
    assert_int_equal(hooked_kind, r->kind);
    assert_int_equal(hooked_len, length_of(r));
    assert_int_equal(hooked_sip, r->kind == SIPHB_STREAM_SIP_REQUEST ||
                                     r->kind == SIPHB_STREAM_SIP_RESPONSE);
  } else {
    assert_int_equal(hooked_kind, 99);
  }
}

static void test_ctx_and_codec_agree(void **state) {
  (void)state;
  siphb_ctx *ctx = quiet_ctx();
  siphb_ctx_set_role_hook(ctx, role_of);
  for (int k = 0; k <= (int)SIPHB_STREAM_SIP_RESPONSE; k++)
    siphb_ctx_set_rx_hook(ctx, (siphb_stream_kind)k, SIPHB_OBJECT_FLOW, hook);
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    check_codec(&rows[i]);
    check_ctx(ctx, &rows[i]);
  }
  siphb_ctx_del(ctx);
}

/* Without a role hook every stream peer is the server end. */
static void test_server_end_by_default(void **state) {
  (void)state;
  siphb_ctx *ctx = quiet_ctx();
  siphb_peer peer = {1, NULL, TCP};
  siphb_rx_result res;
  assert_int_equal(siphb_ctx_receive(ctx, &peer, (const uint8_t *)"\r\n", 2, &res, 0), 0);
  assert_int_equal(res.kind, SIPHB_STREAM_CRLF_PING);
  assert_int_equal(res.need, 2);
  siphb_ctx_del(ctx);
}

static void test_kind_names(void **state) {
  (void)state;
  assert_string_equal(siphb_stream_kind_name(SIPHB_STREAM_OTHER), "other");
  assert_string_equal(siphb_stream_kind_name(SIPHB_STREAM_CRLF_PING), "crlf_ping");
  assert_string_equal(siphb_stream_kind_name(SIPHB_STREAM_CRLF_PONG), "crlf_pong");
  assert_string_equal(siphb_stream_kind_name(SIPHB_STREAM_STUN), "stun");
  assert_string_equal(siphb_stream_kind_name(SIPHB_STREAM_SIP_REQUEST), "sip_request");
  assert_string_equal(siphb_stream_kind_name(SIPHB_STREAM_SIP_RESPONSE), "sip_response");
  assert_string_equal(siphb_stream_kind_name((siphb_stream_kind)42), "unknown");
}

static void test_codec_refuses_bad_arguments(void **state) {
  (void)state;
  siphb_stream_item item;
  siphb_error_info err;
  assert_int_equal(siphb_stream_next((const uint8_t *)"\r\n", 2, (siphb_transport)7, CLIENT, &item,
                                     &err),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_non_null(strstr(err.message, "transport"));
  assert_int_equal(siphb_stream_next((const uint8_t *)"\r\n", 2, UDP, (siphb_stream_role)2, &item,
                                     &err),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_non_null(strstr(err.message, "role"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ctx_and_codec_agree),
      cmocka_unit_test(test_server_end_by_default),
      cmocka_unit_test(test_kind_names),
      cmocka_unit_test(test_codec_refuses_bad_arguments),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
