/*
 * stun_frame.h - recognising a STUN message by its first bytes, for
 * demultiplexing it from SIP on one socket (RFC 5389 section 6: the top two
 * bits are zero, the length is a multiple of 4, the magic cookie follows;
 * RFC 5626 section 3.5.1 and RFC 7983 rely on it). Internal.
 */
#ifndef SIPHB_LIB_STUN_FRAME_H
#define SIPHB_LIB_STUN_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include <siphb/stun.h> /* SIPHB_STUN_HEADER_SIZE, SIPHB_STUN_MAGIC_COOKIE */

typedef enum siphb_stun_frame {
  SIPHB_STUN_FRAME_NO = 0,    /* these bytes cannot start a STUN message */
  SIPHB_STUN_FRAME_SHORT = 1, /* could be STUN: fewer than 20 bytes to tell */
  SIPHB_STUN_FRAME_YES = 2    /* a STUN header; *total is the whole message */
} siphb_stun_frame;

static inline siphb_stun_frame siphb_stun_frame_check(const uint8_t *d, size_t len,
                                                      size_t *total) {
  if (len == 0 || (d[0] & 0xC0u) != 0) return SIPHB_STUN_FRAME_NO;
  if (len >= 4 && (d[3] & 3u) != 0) return SIPHB_STUN_FRAME_NO;
  size_t have = len < 8 ? len : 8;
  static const uint8_t cookie[4] = {0x21, 0x12, 0xA4, 0x42};
  for (size_t i = 4; i < have; i++)
    if (d[i] != cookie[i - 4]) return SIPHB_STUN_FRAME_NO;
  if (len < SIPHB_STUN_HEADER_SIZE) {
    *total = len >= 4 ? SIPHB_STUN_HEADER_SIZE + ((size_t)d[2] << 8 | d[3])
                      : SIPHB_STUN_HEADER_SIZE;
    return SIPHB_STUN_FRAME_SHORT;
  }
  *total = SIPHB_STUN_HEADER_SIZE + ((size_t)d[2] << 8 | d[3]);
  return SIPHB_STUN_FRAME_YES;
}

#endif /* SIPHB_LIB_STUN_FRAME_H */
