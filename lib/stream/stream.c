/*
 * stream.c - the demultiplexer: framing what a SIP flow carries into CRLF
 * keepalives, STUN messages and SIP messages (RFC 5626 section 3.5.1; RFC
 * 3261 section 7.5 for the CRLFs a stream may carry between messages), on
 * byte streams and on message transports.
 */
#include <siphb/stream.h>

#include <siphb/sip.h>
#include <string.h>

#include "base/error_info.h"
#include "sip/sip_parse_int.h"
#include "stream/stream_frame.h"
#include "stun/stun_frame.h"

const char *siphb_stream_kind_name(siphb_stream_kind kind) {
  switch (kind) {
  case SIPHB_STREAM_OTHER: return "other";
  case SIPHB_STREAM_CRLF_PING: return "crlf_ping";
  case SIPHB_STREAM_CRLF_PONG: return "crlf_pong";
  case SIPHB_STREAM_STUN: return "stun";
  case SIPHB_STREAM_SIP_REQUEST: return "sip_request";
  case SIPHB_STREAM_SIP_RESPONSE: return "sip_response";
  }
  return "unknown";
}

static siphb_ssize found(siphb_stream_item *item, siphb_stream_kind kind, size_t length) {
  item->kind = kind;
  item->length = length;
  return (siphb_ssize)length;
}

/* A failure on bytes that started like `kind`. */
static siphb_ssize refused(siphb_stream_item *item, siphb_stream_kind kind,
                           siphb_error_info *err, int code, size_t offset, size_t need,
                           const char *why) {
  item->kind = kind;
  item->length = 0;
  return siphb_fail(err, code, offset, need, why);
}

/* Byte streams carry no message boundaries; every other transport siphb
 * knows delivers whole messages (a datagram, an SCTP message, a WebSocket
 * message: RFC 4168, RFC 7118). */
static bool is_byte_stream(siphb_transport t) {
  return t == SIPHB_TRANSPORT_TCP || t == SIPHB_TRANSPORT_TLS;
}

/* A status line starts with "SIP/" in any case; so does the parser's
 * choice between status and request line. Cut short, the bytes there are
 * compared. */
static bool starts_like_response(const uint8_t *d, size_t len) {
  static const char sip[] = "sip/";
  size_t n = len < 4 ? len : 4;
  for (size_t i = 0; i < n; i++)
    if ((d[i] | 0x20u) != (uint8_t)sip[i] && !(i == 3 && d[i] == '/')) return false;
  return true;
}

static siphb_stream_kind sip_kind(const uint8_t *d, size_t len) {
  return starts_like_response(d, len) ? SIPHB_STREAM_SIP_RESPONSE : SIPHB_STREAM_SIP_REQUEST;
}

/* ---- byte streams ---------------------------------------------------------- */

/* A keepalive: CRLFCRLF is a ping; a lone CRLF is a pong for a client at
 * once, and for a server only once the next byte shows it is not the start
 * of a ping. */
static siphb_ssize stream_crlf(const uint8_t *d, size_t len, siphb_stream_role role,
                               siphb_stream_item *item, siphb_error_info *err) {
  siphb_stream_kind maybe = role == SIPHB_STREAM_CLIENT ? SIPHB_STREAM_CRLF_PONG
                                                        : SIPHB_STREAM_CRLF_PING;
  if (len >= 2 && d[1] != '\n')
    return refused(item, SIPHB_STREAM_OTHER, err, SIPHB_ERR_PARSE, 1, 0, "CR not followed by LF");
  if (len >= 4 && d[2] == '\r' && d[3] == '\n') return found(item, SIPHB_STREAM_CRLF_PING, 4);
  if ((len >= 3 && d[2] != '\r') || len >= 4) return found(item, SIPHB_STREAM_CRLF_PONG, 2);
  if (len >= 2 && role == SIPHB_STREAM_CLIENT) return found(item, SIPHB_STREAM_CRLF_PONG, 2);
  if (len == 1) /* "\r": a client needs the LF, a server the whole ping */
    return refused(item, maybe, err, SIPHB_ERR_INCOMPLETE, len,
                   role == SIPHB_STREAM_CLIENT ? 1 : 3, "keepalive incomplete");
  return refused(item, maybe, err, SIPHB_ERR_INCOMPLETE, len, 4 - len, "keepalive incomplete");
}

static siphb_ssize stream_item(const uint8_t *data, size_t len, siphb_stream_role role,
                               siphb_stream_item *item, siphb_sip_msg *msg,
                               siphb_error_info *err) {
  if (len == 0)
    return refused(item, SIPHB_STREAM_OTHER, err, SIPHB_ERR_INCOMPLETE, 0, 1, "no data");
  if (data[0] == '\r') return stream_crlf(data, len, role, item, err);

  size_t total = 0;
  switch (siphb_stun_frame_check(data, len, &total)) {
  case SIPHB_STUN_FRAME_YES:
    if (total > len)
      return refused(item, SIPHB_STREAM_STUN, err, SIPHB_ERR_INCOMPLETE, len, total - len,
                     "STUN message incomplete");
    return found(item, SIPHB_STREAM_STUN, total);
  case SIPHB_STUN_FRAME_SHORT:
    return refused(item, SIPHB_STREAM_STUN, err, SIPHB_ERR_INCOMPLETE, len, total - len,
                   "STUN header incomplete");
  case SIPHB_STUN_FRAME_NO:
    break;
  }
  /* SIP starts with a token character (a method) or "SIP/2.0"; anything
   * below 0x40 that is not STUN is neither. */
  if (data[0] < 0x40)
    return refused(item, SIPHB_STREAM_OTHER, err, SIPHB_ERR_PARSE, 0, 0,
                   "neither SIP, STUN nor a CRLF keepalive");
  siphb_ssize n = siphb_sip_parse(msg, data, len, siphb_sip_lenient_config(SIPHB_SIP_STREAM), err);
  if (n < 0) {
    item->kind = sip_kind(data, len);
    item->length = 0;
    return n;
  }
  return found(item, msg->is_request ? SIPHB_STREAM_SIP_REQUEST : SIPHB_STREAM_SIP_RESPONSE,
               (size_t)n);
}

/* ---- message transports ---------------------------------------------------- */

/* A message of CRLFs only is a keepalive: one CRLF a pong, more a ping. */
static siphb_ssize message_crlf(const uint8_t *d, size_t len, siphb_stream_item *item,
                                siphb_error_info *err) {
  size_t i = 0;
  while (i < len && d[i] == (i % 2 ? '\n' : '\r')) i++;
  if (i == len && len % 2 == 0)
    return found(item, len == 2 ? SIPHB_STREAM_CRLF_PONG : SIPHB_STREAM_CRLF_PING, len);
  siphb_stream_kind kind = i >= 4 ? SIPHB_STREAM_CRLF_PING
                           : i >= 2 ? SIPHB_STREAM_CRLF_PONG
                                    : SIPHB_STREAM_OTHER;
  return refused(item, kind, err, SIPHB_ERR_PARSE, i, 0,
                 i % 2 ? "CR not followed by LF"
                       : "CRLF keepalive followed by other bytes in one message");
}

static siphb_ssize message_item(const uint8_t *data, size_t len, siphb_stream_item *item,
                                siphb_sip_msg *msg, siphb_error_info *err) {
  if (len == 0) return found(item, SIPHB_STREAM_OTHER, 0);
  if (data[0] == '\r') return message_crlf(data, len, item, err);

  size_t total = 0;
  switch (siphb_stun_frame_check(data, len, &total)) {
  case SIPHB_STUN_FRAME_YES:
    if (total != len)
      return refused(item, SIPHB_STREAM_STUN, err, SIPHB_ERR_STUN_LENGTH, 2, 0,
                     "STUN Length does not match the message");
    return found(item, SIPHB_STREAM_STUN, len);
  case SIPHB_STUN_FRAME_SHORT:
    /* With the whole magic cookie seen, it is STUN cut short. */
    if (len >= 8)
      return refused(item, SIPHB_STREAM_STUN, err, SIPHB_ERR_STUN_LENGTH, len, 0,
                     "STUN message shorter than its 20-byte header");
    break;
  case SIPHB_STUN_FRAME_NO:
    break;
  }
  if (data[0] < 0x40) return found(item, SIPHB_STREAM_OTHER, len);
  siphb_error_info sip_err;
  siphb_ssize n =
      siphb_sip_parse(msg, data, len, siphb_sip_lenient_config(SIPHB_SIP_DATAGRAM), &sip_err);
  if (n >= 0)
    return found(item, msg->is_request ? SIPHB_STREAM_SIP_REQUEST : SIPHB_STREAM_SIP_RESPONSE,
                 len);
  /* No start line of a request or response: not SIP at all (a raw NAT
   * keepalive such as "HELLO", another protocol on the port). */
  bool response = starts_like_response(data, len);
  if (sip_err.code == SIPHB_ERR_SIP_START_LINE && !response)
    return found(item, SIPHB_STREAM_OTHER, len);
  if (err) *err = sip_err;
  return refused(item, sip_kind(data, len), NULL, (int)n, 0, 0, NULL);
}

siphb_ssize siphb_stream_frame(const uint8_t *data, size_t len, siphb_transport transport,
                               siphb_stream_role role, siphb_stream_item *item,
                               siphb_sip_msg *sip, siphb_error_info *err) {
  siphb_error_clear(err);
  if (!item || (!data && len))
    return siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, 0, 0, "item or data is NULL");
  memset(item, 0, sizeof *item);
  if ((unsigned)transport > (unsigned)SIPHB_TRANSPORT_DTLS)
    return siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, 0, 0, "unknown transport");
  if (role != SIPHB_STREAM_CLIENT && role != SIPHB_STREAM_SERVER)
    return siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, 0, 0, "unknown role");
  siphb_sip_msg local;
  siphb_sip_msg *msg = sip ? sip : &local;
  if (is_byte_stream(transport)) return stream_item(data, len, role, item, msg, err);
  return message_item(data, len, item, msg, err);
}

siphb_ssize siphb_stream_next(const uint8_t *data, size_t len, siphb_transport transport,
                              siphb_stream_role role, siphb_stream_item *item,
                              siphb_error_info *err) {
  return siphb_stream_frame(data, len, transport, role, item, NULL, err);
}
