/*
 * hmac.c - HMAC-SHA1 and HMAC-SHA256 (RFC 2104) with prepared keys, for
 * STUN MESSAGE-INTEGRITY and MESSAGE-INTEGRITY-SHA256.
 *
 * HMAC(K, m) = H((K0 ^ opad) || H((K0 ^ ipad) || m)). The blocks K0 ^ ipad
 * and K0 ^ opad depend on the key only, so siphb_hmac_key_init compresses
 * each once and keeps the two chaining states (RFC 2104 section 4); a MAC
 * then resumes from them as if 64 bytes had been hashed already, which
 * saves two of the five compressions of a 100-byte STUN message.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crypto/crypto.h"
#include "crypto/hash_int.h"

#define IPAD 0x36
#define OPAD 0x5c

/* The chaining states after K0 ^ ipad and after K0 ^ opad, from the
 * hash's initial state iv of `words` words. */
static void prepare(siphb_hmac_key *k, const uint32_t *iv, size_t words,
                    siphb_hash_blocks_fn blocks, uint8_t pad[SIPHB_HASH_BLOCK]) {
  size_t i;
  memcpy(k->inner, iv, words * sizeof *iv);
  memcpy(k->outer, iv, words * sizeof *iv);
  for (i = 0; i < SIPHB_HASH_BLOCK; i++) pad[i] ^= IPAD;
  blocks(k->inner, pad, 1);
  for (i = 0; i < SIPHB_HASH_BLOCK; i++) pad[i] ^= IPAD ^ OPAD;
  blocks(k->outer, pad, 1);
}

void siphb_hmac_key_init(siphb_hmac_key *k, siphb_hmac_alg alg, const void *key, size_t key_len) {
  uint8_t pad[SIPHB_HASH_BLOCK];
  memset(k, 0, sizeof *k); /* raw/raw_len belong to the OpenSSL backend */
  k->alg = alg;
  (void)siphb_hmac_key_block(alg, key, key_len, pad);
  if (alg == SIPHB_HMAC_SHA256) {
    siphb_sha256_ctx c;
    siphb_sha256_init(&c);
    prepare(k, c.h, 8, siphb_sha256_blocks, pad);
  } else {
    siphb_sha1_ctx c;
    siphb_sha1_init(&c);
    prepare(k, c.h, 5, siphb_sha1_blocks, pad);
  }
  siphb_wipe(pad, sizeof pad);
}

/* H(state || a || b || c) for a state that has absorbed one block (the
 * prepared ipad/opad states), the digest as words big-endian into out. */
static void resume(const uint32_t *state, size_t words, siphb_hash_blocks_fn blocks,
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

void siphb_hmac(const siphb_hmac_key *k, const void *a, size_t a_len, const void *b, size_t b_len,
                const void *c, size_t c_len, uint8_t *out) {
  uint8_t inner[SIPHB_SHA256_LEN];
  size_t words = k->alg == SIPHB_HMAC_SHA256 ? 8 : 5;
  siphb_hash_blocks_fn blocks =
      k->alg == SIPHB_HMAC_SHA256 ? siphb_sha256_blocks : siphb_sha1_blocks;
  resume(k->inner, words, blocks, a, a_len, b, b_len, c, c_len, inner);
  resume(k->outer, words, blocks, inner, words * 4, NULL, 0, NULL, 0, out);
}
