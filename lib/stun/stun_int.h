/*
 * stun_int.h - what the STUN sources share (internal): big-endian access,
 * the index of the attributes the decoder knows, the checks of their
 * values, the address codec and the MAC of a message prefix.
 *
 * stun_decode.c walks the header and the attributes, stun_attr.c reads
 * and checks attribute values, stun_encode.c builds messages and
 * stun_auth.c holds keys, integrity and fingerprint.
 */
#ifndef SIPHB_LIB_STUN_INT_H
#define SIPHB_LIB_STUN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <siphb/stun.h>

/* ---- big-endian access ---------------------------------------------------- */

static inline uint16_t siphb_be16(const uint8_t *p) {
  return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static inline uint32_t siphb_be32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void siphb_put_be16(uint8_t *p, unsigned v) {
  p[0] = (uint8_t)(v >> 8);
  p[1] = (uint8_t)v;
}

static inline void siphb_put_be32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

/* A value length rounded up to the 4-byte boundary of the next attribute
 * (RFC 8489 section 14). */
static inline size_t siphb_stun_pad4(size_t n) { return (n + 3u) & ~(size_t)3u; }

/* ---- the attributes the decoder indexes ----------------------------------- */

/* Slots of siphb_stun_msg.index_ (16 of them, see stun.h). */
typedef enum siphb_stun_known {
  STUN_K_MAPPED_ADDRESS,
  STUN_K_USERNAME,
  STUN_K_MESSAGE_INTEGRITY,
  STUN_K_ERROR_CODE,
  STUN_K_UNKNOWN_ATTRIBUTES,
  STUN_K_REALM,
  STUN_K_NONCE,
  STUN_K_MESSAGE_INTEGRITY_SHA256,
  STUN_K_PASSWORD_ALGORITHM,
  STUN_K_USERHASH,
  STUN_K_XOR_MAPPED_ADDRESS,
  STUN_K_PASSWORD_ALGORITHMS,
  STUN_K_ALTERNATE_DOMAIN,
  STUN_K_SOFTWARE,
  STUN_K_ALTERNATE_SERVER,
  STUN_K_FINGERPRINT,
  STUN_K_COUNT_,
  STUN_K_NONE = -1
} siphb_stun_known;

/* The slot of a type siphb knows, or STUN_K_NONE. Inline: the decoder
 * asks once per attribute. */
static inline siphb_stun_known siphb_stun_known_slot(uint16_t type) {
  switch (type) {
  case SIPHB_STUN_ATTR_MAPPED_ADDRESS:
    return STUN_K_MAPPED_ADDRESS;
  case SIPHB_STUN_ATTR_USERNAME:
    return STUN_K_USERNAME;
  case SIPHB_STUN_ATTR_MESSAGE_INTEGRITY:
    return STUN_K_MESSAGE_INTEGRITY;
  case SIPHB_STUN_ATTR_ERROR_CODE:
    return STUN_K_ERROR_CODE;
  case SIPHB_STUN_ATTR_UNKNOWN_ATTRIBUTES:
    return STUN_K_UNKNOWN_ATTRIBUTES;
  case SIPHB_STUN_ATTR_REALM:
    return STUN_K_REALM;
  case SIPHB_STUN_ATTR_NONCE:
    return STUN_K_NONCE;
  case SIPHB_STUN_ATTR_MESSAGE_INTEGRITY_SHA256:
    return STUN_K_MESSAGE_INTEGRITY_SHA256;
  case SIPHB_STUN_ATTR_PASSWORD_ALGORITHM:
    return STUN_K_PASSWORD_ALGORITHM;
  case SIPHB_STUN_ATTR_USERHASH:
    return STUN_K_USERHASH;
  case SIPHB_STUN_ATTR_XOR_MAPPED_ADDRESS:
    return STUN_K_XOR_MAPPED_ADDRESS;
  case SIPHB_STUN_ATTR_PASSWORD_ALGORITHMS:
    return STUN_K_PASSWORD_ALGORITHMS;
  case SIPHB_STUN_ATTR_ALTERNATE_DOMAIN:
    return STUN_K_ALTERNATE_DOMAIN;
  case SIPHB_STUN_ATTR_SOFTWARE:
    return STUN_K_SOFTWARE;
  case SIPHB_STUN_ATTR_ALTERNATE_SERVER:
    return STUN_K_ALTERNATE_SERVER;
  case SIPHB_STUN_ATTR_FINGERPRINT:
    return STUN_K_FINGERPRINT;
  default:
    return STUN_K_NONE;
  }
}

/* true for the RFC 3489 attributes that RFC 5389 section 18.2 reserves
 * (RESPONSE-ADDRESS, CHANGE-REQUEST, SOURCE-ADDRESS, CHANGED-ADDRESS,
 * PASSWORD, REFLECTED-FROM): known in a classic message, unknown in any
 * other (stun_attr.c). */
bool siphb_stun_classic_attr(uint16_t type);

/* Where and why a value is wrong: `at` is an offset from the start of the
 * message. */
typedef struct siphb_stun_fault {
  int code;
  size_t at;
  const char *why;
} siphb_stun_fault;

/* Checks the value of the first occurrence of a known attribute, whose
 * header starts at msg[off] (stun_attr.c). Returns 0, or a code with *f
 * filled. */
int siphb_stun_check_value(const uint8_t *msg, size_t off, siphb_stun_known slot,
                           siphb_stun_fault *f);

/* Decodes an address value of `len` bytes at msg[off + 4] into *out (NULL:
 * only checks it); the XOR mask is msg[4..20) (cookie and transaction id).
 * Returns 0, or a code with *f filled (when f is not NULL). */
int siphb_stun_addr_decode(const uint8_t *msg, size_t off, size_t len, bool xored,
                           siphb_mapped_addr *out, siphb_stun_fault *f);

/* Writes an address value (8 or 20 bytes) for the message whose header
 * is at msg (for the XOR mask); returns its length, or 0 for a family
 * other than 1 or 2. */
size_t siphb_stun_addr_encode(const uint8_t *msg, const siphb_mapped_addr *a, bool xored,
                              uint8_t *out);

/* ---- MAC of a message prefix (stun_auth.c) -------------------------------- */

/* true if the key was prepared by siphb_stun_key_init(). */
bool siphb_stun_key_ready(const siphb_stun_key *key);

/*
 * The HMAC of type's algorithm (SHA-1 for MESSAGE-INTEGRITY, SHA-256 for
 * MESSAGE-INTEGRITY-SHA256) over msg[0..off), where the integrity
 * attribute starts at off and holds `value_len` bytes: the header is hashed
 * with its Length counting up to the end of that attribute, the rest as it
 * is (RFC 8489 sections 14.5, 14.6). msg is not modified. out gets 20 or
 * 32 bytes.
 */
void siphb_stun_mac(const siphb_stun_key *key, uint16_t type, const uint8_t *msg, size_t off,
                    size_t value_len, uint8_t out[32]);

/* The FINGERPRINT value for msg[0..off) (whose header Length must already
 * be final). */
uint32_t siphb_stun_crc(const uint8_t *msg, size_t off);

#endif /* SIPHB_LIB_STUN_INT_H */
