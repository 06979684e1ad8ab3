/*
 * stream.c - framing a SIP byte stream into CRLF keepalives, STUN messages
 * and SIP messages (RFC 5626 section 3.5.1; RFC 3261 section 7.5 for the
 * CRLFs a stream may carry between messages).
 */
#include <siphb/stream.h>

#include <siphb/sip.h>
#include <string.h>

#include "base/parse_error.h"
#include "stun/stun_frame.h"

static siphb_ssize found(siphb_stream_item *item, siphb_stream_kind kind, size_t length) {
  item->kind = kind;
  item->length = length;
  return (siphb_ssize)length;
}

/* A keepalive: CRLFCRLF is a ping; a lone CRLF is a pong for a client at
 * once, and for a server only once the next byte shows it is not the start
 * of a ping. */
static siphb_ssize frame_crlf(const uint8_t *d, size_t len, siphb_stream_role role,
                              siphb_stream_item *item, siphb_parse_error *err) {
  if (len >= 2 && d[1] != '\n')
    return siphb_parse_fail(err, SIPHB_ERR_PARSE, 1, 0, "CR not followed by LF");
  if (len >= 4 && d[2] == '\r' && d[3] == '\n') return found(item, SIPHB_STREAM_CRLF_PING, 4);
  if ((len >= 3 && d[2] != '\r') || len >= 4) return found(item, SIPHB_STREAM_CRLF_PONG, 2);
  if (len >= 2 && role == SIPHB_STREAM_CLIENT) return found(item, SIPHB_STREAM_CRLF_PONG, 2);
  if (len == 1) /* "\r": a client needs the LF, a server the whole ping */
    return siphb_parse_fail(err, SIPHB_ERR_INCOMPLETE, len, role == SIPHB_STREAM_CLIENT ? 1 : 3,
                        "keepalive incomplete");
  return siphb_parse_fail(err, SIPHB_ERR_INCOMPLETE, len, 4 - len, "keepalive incomplete");
}

siphb_ssize siphb_stream_next(const uint8_t *data, size_t len, siphb_stream_role role,
                              siphb_stream_item *item, siphb_parse_error *err) {
  if (err) memset(err, 0, sizeof *err);
  if (!item || (!data && len))
    return siphb_parse_fail(err, SIPHB_ERR_INVALID_ARGUMENT, 0, 0, "item or data is NULL");
  if (len == 0) return siphb_parse_fail(err, SIPHB_ERR_INCOMPLETE, 0, 1, "no data");
  if (data[0] == '\r') return frame_crlf(data, len, role, item, err);

  size_t total = 0;
  switch (siphb_stun_frame_check(data, len, &total)) {
  case SIPHB_STUN_FRAME_YES:
    if (total > len)
      return siphb_parse_fail(err, SIPHB_ERR_INCOMPLETE, len, total - len,
                              "STUN message incomplete");
    return found(item, SIPHB_STREAM_STUN, total);
  case SIPHB_STUN_FRAME_SHORT:
    return siphb_parse_fail(err, SIPHB_ERR_INCOMPLETE, len, total - len, "STUN header incomplete");
  case SIPHB_STUN_FRAME_NO:
    break;
  }
  /* SIP starts with a token character (a method) or "SIP/2.0"; anything
   * below 0x40 that is not STUN is neither. */
  if (data[0] < 0x40)
    return siphb_parse_fail(err, SIPHB_ERR_PARSE, 0, 0, "neither SIP, STUN nor a CRLF keepalive");
  siphb_sip_parse_config cfg;
  siphb_sip_parse_config_init(&cfg);
  cfg.mode = SIPHB_SIP_STREAM;
  cfg.lenient = true; /* framing needs only the length: a peer's odd header is not ours to judge */
  siphb_sip_msg msg;
  siphb_ssize n = siphb_sip_parse(&msg, data, len, &cfg, err);
  if (n < 0) return n;
  return found(item, SIPHB_STREAM_SIP, (size_t)n);
}
