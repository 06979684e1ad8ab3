/*
 * receive.c - what received bytes look like (RFC 5626 section 3.5.1 and
 * RFC 5389 section 6 / RFC 7983 demultiplexing), before any module parses
 * them.
 */
#include <string.h>

#include "engine/ctx_int.h"
#include "sip/sip_lex.h"
#include "stun/stun_frame.h"

static bool looks_like_request(const uint8_t *d, size_t len) {
  size_t i = 0;
  while (i < len && siphb_cc(d[i], SIPHB_CC_TOKEN))
    i++;
  return i > 0 && i < len && d[i] == ' ';
}

siphb_rx_kind siphb_rx_classify(const uint8_t *d, size_t len, size_t *item_len) {
  static const char sip_version[] = "SIP/2.0 ";
  *item_len = len;
  if (len >= 4 && memcmp(d, "\r\n\r\n", 4) == 0) {
    *item_len = 4;
    return SIPHB_RX_CRLF_PING;
  }
  if (len >= 2 && memcmp(d, "\r\n", 2) == 0) {
    *item_len = 2;
    return SIPHB_RX_CRLF_PONG;
  }
  /* A STUN message cut short still counts as STUN: item_len > len then
   * tells the ctx how much is missing. */
  if (siphb_stun_frame_check(d, len, item_len) != SIPHB_STUN_FRAME_NO)
    return SIPHB_RX_STUN;
  *item_len = len;
  /* The SIP parser (its own module) finds where a message ends; until then
   * a SIP item spans the rest of the input. */
  if (len >= sizeof(sip_version) - 1 && memcmp(d, sip_version, sizeof(sip_version) - 1) == 0)
    return SIPHB_RX_SIP_RESPONSE;
  if (looks_like_request(d, len))
    return SIPHB_RX_SIP_REQUEST;
  return SIPHB_RX_OTHER;
}
