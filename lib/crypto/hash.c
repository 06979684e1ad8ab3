/*
 * hash.c - the streaming API of MD5, SHA-1 and SHA-256: buffering into
 * 64-byte blocks and the final padding, common to the three (they are all
 * Merkle-Damgard hashes with 64-byte blocks and a 64-bit length at the
 * end). The compression itself is the block function of hash_int.h: the
 * built-in md5.c/sha1.c/sha256.c, or OpenSSL's in the OpenSSL backend, so
 * both backends share this file and keep their state in the same structs.
 *
 * Also the HMAC construction (RFC 2104) over the block functions, from the
 * chaining states after K0 ^ ipad and K0 ^ opad, which hmac.c prepares
 * once per key (in both backends).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crypto/crypto.h"
#include "crypto/hash_int.h"

void siphb_hash_absorb(uint32_t *h, uint64_t *bytes, uint8_t block[SIPHB_HASH_BLOCK],
                       const void *data, size_t len, siphb_hash_blocks_fn blocks) {
  const uint8_t *p = (const uint8_t *)data;
  size_t used = (size_t)(*bytes % SIPHB_HASH_BLOCK);
  if (len == 0) return; /* data may be NULL then */
  *bytes += len;
  if (used) {
    size_t room = SIPHB_HASH_BLOCK - used;
    if (len < room) {
      memcpy(block + used, p, len);
      return;
    }
    memcpy(block + used, p, room);
    blocks(h, block, 1);
    p += room;
    len -= room;
  }
  if (len >= SIPHB_HASH_BLOCK) {
    blocks(h, p, len / SIPHB_HASH_BLOCK);
    p += len - len % SIPHB_HASH_BLOCK;
    len %= SIPHB_HASH_BLOCK;
  }
  if (len) memcpy(block, p, len);
}

void siphb_hash_finish(uint32_t *h, uint64_t bytes, uint8_t block[SIPHB_HASH_BLOCK], size_t words,
                       bool big_endian, siphb_hash_blocks_fn blocks, uint8_t *out) {
  /* The padding (RFC 1321 sections 3.1-3.2, FIPS 180-4 section 5.1.1): a 1
   * bit, zeros up to 56 mod 64, then the message length in bits as 64
   * bits. Only the tail of the last one or two blocks is cleared: whole,
   * then the 0x80 put in; clearing exactly the bytes between the 0x80 and
   * the length was 30 ns slower per final block (x86-64, gcc -O2: an
   * inlined byte loop whose stores the block function's word loads could
   * not forward from). */
  size_t i, used = (size_t)(bytes % SIPHB_HASH_BLOCK);
  uint64_t bits = bytes << 3;
  memset(block + used, 0, SIPHB_HASH_BLOCK - used);
  block[used] = 0x80;
  if (used >= SIPHB_HASH_BLOCK - 8) { /* no room left for the length */
    blocks(h, block, 1);
    memset(block, 0, SIPHB_HASH_BLOCK - 8);
  }
  if (big_endian) {
    siphb_store_be32(block + 56, (uint32_t)(bits >> 32));
    siphb_store_be32(block + 60, (uint32_t)bits);
  } else {
    siphb_store_le32(block + 56, (uint32_t)bits);
    siphb_store_le32(block + 60, (uint32_t)(bits >> 32));
  }
  blocks(h, block, 1);
  for (i = 0; i < words; i++) {
    if (big_endian) siphb_store_be32(out + 4 * i, h[i]);
    else siphb_store_le32(out + 4 * i, h[i]);
  }
}

/* ---- MD5 (RFC 1321) ------------------------------------------------------ */

void siphb_md5_init(siphb_md5_ctx *c) {
  /* RFC 1321 section 3.3, the words A..D as little-endian numbers */
  c->h[0] = 0x67452301u;
  c->h[1] = 0xefcdab89u;
  c->h[2] = 0x98badcfeu;
  c->h[3] = 0x10325476u;
  c->bytes = 0;
}

void siphb_md5_update(siphb_md5_ctx *c, const void *data, size_t len) {
  siphb_hash_absorb(c->h, &c->bytes, c->block, data, len, siphb_md5_blocks);
}

void siphb_md5_final(siphb_md5_ctx *c, uint8_t out[SIPHB_MD5_LEN]) {
  siphb_hash_finish(c->h, c->bytes, c->block, 4, false, siphb_md5_blocks, out);
}

void siphb_md5(const void *data, size_t len, uint8_t out[SIPHB_MD5_LEN]) {
  siphb_md5_ctx c;
  siphb_md5_init(&c);
  siphb_md5_update(&c, data, len);
  siphb_md5_final(&c, out);
}

/* ---- SHA-1 (FIPS 180-4 section 6.1) -------------------------------------- */

void siphb_sha1_init(siphb_sha1_ctx *c) {
  /* FIPS 180-4 section 5.3.1 */
  c->h[0] = 0x67452301u;
  c->h[1] = 0xefcdab89u;
  c->h[2] = 0x98badcfeu;
  c->h[3] = 0x10325476u;
  c->h[4] = 0xc3d2e1f0u;
  c->bytes = 0;
}

void siphb_sha1_update(siphb_sha1_ctx *c, const void *data, size_t len) {
  siphb_hash_absorb(c->h, &c->bytes, c->block, data, len, siphb_sha1_blocks);
}

void siphb_sha1_final(siphb_sha1_ctx *c, uint8_t out[SIPHB_SHA1_LEN]) {
  siphb_hash_finish(c->h, c->bytes, c->block, 5, true, siphb_sha1_blocks, out);
}

void siphb_sha1(const void *data, size_t len, uint8_t out[SIPHB_SHA1_LEN]) {
  siphb_sha1_ctx c;
  siphb_sha1_init(&c);
  siphb_sha1_update(&c, data, len);
  siphb_sha1_final(&c, out);
}

/* ---- SHA-256 (FIPS 180-4 section 6.2) ------------------------------------ */

void siphb_sha256_init(siphb_sha256_ctx *c) {
  /* FIPS 180-4 section 5.3.3: the first 32 bits of the fractional parts of
   * the square roots of the first eight primes */
  c->h[0] = 0x6a09e667u;
  c->h[1] = 0xbb67ae85u;
  c->h[2] = 0x3c6ef372u;
  c->h[3] = 0xa54ff53au;
  c->h[4] = 0x510e527fu;
  c->h[5] = 0x9b05688cu;
  c->h[6] = 0x1f83d9abu;
  c->h[7] = 0x5be0cd19u;
  c->bytes = 0;
}

void siphb_sha256_update(siphb_sha256_ctx *c, const void *data, size_t len) {
  siphb_hash_absorb(c->h, &c->bytes, c->block, data, len, siphb_sha256_blocks);
}

void siphb_sha256_final(siphb_sha256_ctx *c, uint8_t out[SIPHB_SHA256_LEN]) {
  siphb_hash_finish(c->h, c->bytes, c->block, 8, true, siphb_sha256_blocks, out);
}

void siphb_sha256(const void *data, size_t len, uint8_t out[SIPHB_SHA256_LEN]) {
  siphb_sha256_ctx c;
  siphb_sha256_init(&c);
  siphb_sha256_update(&c, data, len);
  siphb_sha256_final(&c, out);
}

/* ---- HMAC (RFC 2104) ----------------------------------------------------- */

#define IPAD 0x36
#define OPAD 0x5c

static size_t hmac_words(siphb_hmac_alg alg) {
  return alg == SIPHB_HMAC_SHA256 ? 8 : 5;
}

static siphb_hash_blocks_fn hmac_blocks(siphb_hmac_alg alg) {
  return alg == SIPHB_HMAC_SHA256 ? siphb_sha256_blocks : siphb_sha1_blocks;
}

void siphb_hmac_states(siphb_hmac_alg alg, const uint8_t k0[SIPHB_HASH_BLOCK], uint32_t inner[8],
                       uint32_t outer[8]) {
  uint8_t pad[SIPHB_HASH_BLOCK];
  siphb_hash_blocks_fn blocks = hmac_blocks(alg);
  size_t i;
  if (alg == SIPHB_HMAC_SHA256) {
    siphb_sha256_ctx c;
    siphb_sha256_init(&c);
    memcpy(inner, c.h, sizeof c.h);
  } else {
    siphb_sha1_ctx c;
    siphb_sha1_init(&c);
    memcpy(inner, c.h, sizeof c.h);
  }
  memcpy(outer, inner, hmac_words(alg) * sizeof *inner);
  for (i = 0; i < SIPHB_HASH_BLOCK; i++) pad[i] = (uint8_t)(k0[i] ^ IPAD);
  blocks(inner, pad, 1);
  for (i = 0; i < SIPHB_HASH_BLOCK; i++) pad[i] = (uint8_t)(k0[i] ^ OPAD);
  blocks(outer, pad, 1);
  siphb_wipe(pad, sizeof pad);
}

/* H(state || a || b || c) for a state that has absorbed one block, the
 * digest into out. */
static void hmac_resume(const uint32_t *state, size_t words, siphb_hash_blocks_fn blocks,
                        const void *a, size_t a_len, const void *b, size_t b_len, const void *c,
                        size_t c_len, uint8_t *out) {
  uint32_t h[8];
  uint64_t bytes = SIPHB_HASH_BLOCK;
  uint8_t block[SIPHB_HASH_BLOCK];
  memcpy(h, state, words * sizeof *h);
  siphb_hash_absorb(h, &bytes, block, a, a_len, blocks);
  siphb_hash_absorb(h, &bytes, block, b, b_len, blocks);
  siphb_hash_absorb(h, &bytes, block, c, c_len, blocks);
  siphb_hash_finish(h, bytes, block, words, true, blocks, out);
}

void siphb_hmac_from_states(siphb_hmac_alg alg, const uint32_t inner[8], const uint32_t outer[8],
                            const void *a, size_t a_len, const void *b, size_t b_len,
                            const void *c, size_t c_len, uint8_t *out) {
  uint8_t digest[SIPHB_SHA256_LEN];
  size_t words = hmac_words(alg);
  siphb_hash_blocks_fn blocks = hmac_blocks(alg);
  hmac_resume(inner, words, blocks, a, a_len, b, b_len, c, c_len, digest);
  hmac_resume(outer, words, blocks, digest, words * 4, NULL, 0, NULL, 0, out);
}
