/*
 * hash_int.h - what the hash sources share (internal to lib/crypto/):
 * byte-order helpers, the block (compression) functions, and hash.c's
 * buffering and padding around them (the streaming API of both backends,
 * which hmac.c also drives directly). The block functions come from md5.c,
 * sha1.c and sha256.c, or from crypto_openssl.c.
 *
 * Loads and stores go through byte shifts: portable to any byte order and
 * alignment, and compilers turn them into single (byte-swapping) loads.
 */
#ifndef SIPHB_LIB_CRYPTO_HASH_INT_H
#define SIPHB_LIB_CRYPTO_HASH_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"

static inline uint32_t siphb_rol32(uint32_t x, unsigned n) {
  return (x << n) | (x >> (32u - n)); /* n is always 1..31 here */
}

static inline uint32_t siphb_ror32(uint32_t x, unsigned n) {
  return (x >> n) | (x << (32u - n));
}

static inline uint32_t siphb_load_be32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline uint32_t siphb_load_le32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void siphb_store_be32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

static inline void siphb_store_le32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

/* Compresses n consecutive 64-byte blocks at p into h (MD5: 4 words,
 * SHA-1: 5, SHA-256: 8); p needs no alignment. */
void siphb_md5_blocks(uint32_t *h, const uint8_t *p, size_t n);
void siphb_sha1_blocks(uint32_t *h, const uint8_t *p, size_t n);
void siphb_sha256_blocks(uint32_t *h, const uint8_t *p, size_t n);

/* FIPS 180-4 section 4.2.2: the SHA-256 round constants (sha256.c; also
 * read by sha_x86.c). */
extern const uint32_t siphb_sha256_k[64];

typedef void (*siphb_hash_blocks_fn)(uint32_t *h, const uint8_t *p, size_t n);

/* Absorbs len bytes into a hash state h with its buffered block: completes
 * the buffered block first, compresses whole blocks straight from the
 * input (no copy), buffers the tail. *bytes counts everything absorbed, so
 * *bytes % 64 is the buffered length. data may be NULL when len is 0
 * (hash.c). */
void siphb_hash_absorb(uint32_t *h, uint64_t *bytes, uint8_t block[SIPHB_HASH_BLOCK],
                       const void *data, size_t len, siphb_hash_blocks_fn blocks);

/* Pads and compresses the last block(s), then writes the `words` state
 * words to out: big-endian for SHA (the length is big-endian too),
 * little-endian for MD5 (hash.c). */
void siphb_hash_finish(uint32_t *h, uint64_t bytes, uint8_t block[SIPHB_HASH_BLOCK], size_t words,
                       bool big_endian, siphb_hash_blocks_fn blocks, uint8_t *out);

/* The chaining states after K0 ^ ipad and after K0 ^ opad (RFC 2104
 * section 4), 5 words for SHA-1, 8 for SHA-256 (hash.c). */
void siphb_hmac_states(siphb_hmac_alg alg, const uint8_t k0[SIPHB_HASH_BLOCK], uint32_t inner[8],
                       uint32_t outer[8]);

/* HMAC of the concatenation a || b || c from those states (hash.c). */
void siphb_hmac_from_states(siphb_hmac_alg alg, const uint32_t inner[8], const uint32_t outer[8],
                            const void *a, size_t a_len, const void *b, size_t b_len,
                            const void *c, size_t c_len, uint8_t *out);

#endif /* SIPHB_LIB_CRYPTO_HASH_INT_H */
