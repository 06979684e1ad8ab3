/*
 * fuzz_stream.c - libFuzzer harness for the demultiplexer
 * (siphb_stream_next) on byte streams and on message transports.
 *
 * The input is framed from its start in both roles, item after item, until
 * an error or an incomplete tail. Each item must be 1..remaining bytes and
 * look like its kind (CRLF keepalives, a STUN header with its length, a SIP
 * message that parses to the same length on its own); an incomplete tail
 * must say how much is missing; an error must carry its code. Then the
 * input is cut at a point chosen by its last two bytes, as if it had
 * arrived in two chunks: framing the first chunk must give either
 * "incomplete" (asking for no more than the second chunk turns out to
 * need) or the very item the whole input gives. Last the whole input is
 * framed as one message (UDP), where every outcome must be the whole
 * message or an error with the kind the bytes started like, and the same
 * whatever the role. Violations abort.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <siphb/sip.h>
#include <siphb/stream.h>

#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_item(const uint8_t *p, size_t remaining, siphb_ssize n,
                       const siphb_stream_item *item) {
  FUZZ_CHECK(n > 0 && (size_t)n == item->length && item->length <= remaining);
  switch (item->kind) {
  case SIPHB_STREAM_CRLF_PING:
    FUZZ_CHECK(item->length == 4 && memcmp(p, "\r\n\r\n", 4) == 0);
    break;
  case SIPHB_STREAM_CRLF_PONG:
    FUZZ_CHECK(item->length == 2 && memcmp(p, "\r\n", 2) == 0);
    break;
  case SIPHB_STREAM_STUN:
    FUZZ_CHECK(item->length >= 20 && (p[0] & 0xC0) == 0);
    FUZZ_CHECK(p[4] == 0x21 && p[5] == 0x12 && p[6] == 0xA4 && p[7] == 0x42);
    FUZZ_CHECK(item->length == 20 + ((size_t)p[2] << 8 | p[3]));
    FUZZ_CHECK(item->length % 4 == 0);
    break;
  case SIPHB_STREAM_SIP_REQUEST:
  case SIPHB_STREAM_SIP_RESPONSE: {
    /* The message alone frames to the same length. */
    siphb_sip_parse_config cfg;
    siphb_sip_msg msg;
    siphb_error_info err;
    siphb_sip_parse_config_init(&cfg, sizeof cfg);
    cfg.mode = SIPHB_SIP_STREAM;
    cfg.lenient = true;
    FUZZ_CHECK(siphb_sip_parse(&msg, p, item->length, &cfg, &err) == n);
    FUZZ_CHECK(msg.length == item->length); /* CRLFs before it are items of their own */
    FUZZ_CHECK(msg.is_request == (item->kind == SIPHB_STREAM_SIP_REQUEST));
    break;
  }
  default: /* OTHER never comes from a stream */
    FUZZ_CHECK(false);
  }
}

static void check_failure(siphb_ssize n, const siphb_error_info *err, size_t remaining) {
  FUZZ_CHECK(n < 0 && err->code == n);
  FUZZ_CHECK(err->message != NULL && err->message[0] != '\0');
  FUZZ_CHECK(err->offset <= remaining);
  FUZZ_CHECK(n == SIPHB_ERR_INCOMPLETE || n == SIPHB_ERR_PARSE ||
             (n <= SIPHB_ERR_SIP_START_LINE && n > -200));
  if (n == SIPHB_ERR_INCOMPLETE) FUZZ_CHECK(err->need > 0);
}

/* Frames the whole input, item after item. */
static void frame_all(const uint8_t *data, size_t size, siphb_stream_role role) {
  size_t off = 0;
  for (;;) {
    siphb_stream_item item;
    siphb_error_info err;
    siphb_ssize n =
        siphb_stream_next(data + off, size - off, SIPHB_TRANSPORT_TCP, role, &item, &err);
    if (n < 0) {
      check_failure(n, &err, size - off);
      if (off == size) FUZZ_CHECK(n == SIPHB_ERR_INCOMPLETE && err.need == 1);
      return;
    }
    check_item(data + off, size - off, n, &item);
    off += item.length; /* at least 1: the loop ends */
  }
}

/* The input arrives as data[0..cut) and then the rest. */
static void check_split(const uint8_t *data, size_t size, size_t cut, siphb_stream_role role) {
  siphb_stream_item first, whole;
  siphb_error_info err1, err2;
  siphb_ssize n1 = siphb_stream_next(data, cut, SIPHB_TRANSPORT_TLS, role, &first, &err1);
  siphb_ssize n2 = siphb_stream_next(data, size, SIPHB_TRANSPORT_TLS, role, &whole, &err2);
  if (n1 == SIPHB_ERR_INCOMPLETE) {
    FUZZ_CHECK(err1.need > 0);
    /* `need` is a lower bound: the item, once complete, is at least that
     * much longer. A server's lone CRLF is the exception by design: it
     * asks for a whole ping, but one more byte that is not CR already
     * makes it a pong. */
    if (n2 > 0 && !(role == SIPHB_STREAM_SERVER && whole.kind == SIPHB_STREAM_CRLF_PONG))
      FUZZ_CHECK(cut + err1.need <= whole.length);
    return;
  }
  if (n1 > 0) {
    /* A client takes a CRLF as a pong at once; with the next CRLF already
     * in the same chunk it is a ping (RFC 5626 section 4.4.1 lets a client
     * see only pongs, so that split is the documented one). */
    if (role == SIPHB_STREAM_CLIENT && first.kind == SIPHB_STREAM_CRLF_PONG &&
        n2 > 0 && whole.kind == SIPHB_STREAM_CRLF_PING)
      return;
    FUZZ_CHECK(n2 == n1 && whole.kind == first.kind && whole.length == first.length);
    return;
  }
  /* An error in the first chunk stays the same error with more data. */
  FUZZ_CHECK(n2 == n1 && err2.offset == err1.offset);
}

/* The input as one datagram: the item is all of it, or an error; the role
 * makes no difference on a message transport. */
static void frame_message(const uint8_t *data, size_t size) {
  siphb_stream_item a, b;
  siphb_error_info ea, eb;
  siphb_ssize n = siphb_stream_next(data, size, SIPHB_TRANSPORT_UDP, SIPHB_STREAM_CLIENT, &a, &ea);
  siphb_ssize m = siphb_stream_next(data, size, SIPHB_TRANSPORT_WS, SIPHB_STREAM_SERVER, &b, &eb);
  FUZZ_CHECK(n == m && a.kind == b.kind && a.length == b.length);
  if (n >= 0) {
    FUZZ_CHECK((size_t)n == size && a.length == size);
    if (a.kind == SIPHB_STREAM_CRLF_PONG) FUZZ_CHECK(size == 2);
    if (a.kind == SIPHB_STREAM_CRLF_PING) FUZZ_CHECK(size >= 4 && size % 2 == 0);
    if (a.kind == SIPHB_STREAM_STUN) FUZZ_CHECK(size == 20 + ((size_t)data[2] << 8 | data[3]));
    return;
  }
  FUZZ_CHECK(ea.code == n && ea.message != NULL && a.length == 0);
  FUZZ_CHECK(n == SIPHB_ERR_PARSE || n == SIPHB_ERR_STUN_LENGTH ||
             (n <= SIPHB_ERR_SIP_START_LINE && n > -200));
  if (n == SIPHB_ERR_STUN_LENGTH) FUZZ_CHECK(a.kind == SIPHB_STREAM_STUN);
  if (n < SIPHB_ERR_SIP_START_LINE + 1 && n > -200)
    FUZZ_CHECK(a.kind == SIPHB_STREAM_SIP_REQUEST || a.kind == SIPHB_STREAM_SIP_RESPONSE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  frame_message(data, size);
  frame_all(data, size, SIPHB_STREAM_CLIENT);
  frame_all(data, size, SIPHB_STREAM_SERVER);
  if (size >= 2) {
    size_t pick = (size_t)data[size - 2] << 8 | data[size - 1];
    size_t cut = pick % (size + 1);
    check_split(data, size, cut, SIPHB_STREAM_CLIENT);
    check_split(data, size, cut, SIPHB_STREAM_SERVER);
  }
  return 0;
}
