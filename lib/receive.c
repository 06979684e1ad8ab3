/*
 * receive.c - what received bytes look like (RFC 5626 section 3.5.1 and
 * RFC 5389 section 6 / RFC 7983 demultiplexing), before any module parses
 * them.
 */
#include <string.h>

#include "ctx_int.h"

#define STUN_HEADER 20u
#define STUN_MAGIC_COOKIE 0x2112A442u

static bool is_token_char(uint8_t c) {
  /* RFC 3261 section 25.1 token characters, enough to tell a method. */
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
    return true;
  switch (c) {
  case '-':
  case '.':
  case '!':
  case '%':
  case '*':
  case '_':
  case '+':
  case '`':
  case '\'':
  case '~':
    return true;
  default:
    return false;
  }
}

static bool looks_like_stun(const uint8_t *d, size_t len, size_t *item_len) {
  if (len < STUN_HEADER || (d[0] & 0xC0u) != 0)
    return false;
  uint32_t cookie = (uint32_t)d[4] << 24 | (uint32_t)d[5] << 16 | (uint32_t)d[6] << 8 | d[7];
  size_t body = (size_t)d[2] << 8 | d[3];
  if (cookie != STUN_MAGIC_COOKIE || body % 4 != 0)
    return false;
  *item_len = STUN_HEADER + body;
  return true;
}

static bool looks_like_request(const uint8_t *d, size_t len) {
  size_t i = 0;
  while (i < len && is_token_char(d[i]))
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
  if (looks_like_stun(d, len, item_len))
    return SIPHB_RX_STUN;
  /* The SIP parser (its own module) finds where a message ends; until then
   * a SIP item spans the rest of the input. */
  if (len >= sizeof(sip_version) - 1 && memcmp(d, sip_version, sizeof(sip_version) - 1) == 0)
    return SIPHB_RX_SIP_RESPONSE;
  if (looks_like_request(d, len))
    return SIPHB_RX_SIP_REQUEST;
  return SIPHB_RX_OTHER;
}
