/*
 * hmac.c - HMAC-SHA1 and HMAC-SHA256 (RFC 2104) with prepared keys, for
 * STUN MESSAGE-INTEGRITY and MESSAGE-INTEGRITY-SHA256 (both backends).
 *
 * HMAC(K, m) = H((K0 ^ opad) || H((K0 ^ ipad) || m)). The blocks K0 ^ ipad
 * and K0 ^ opad depend on the key only, so siphb_hmac_key_init compresses
 * each once and keeps the two chaining states (RFC 2104 section 4); a MAC
 * then resumes from them as if 64 bytes had been hashed already, which
 * saves two of the five compressions of a 100-byte STUN message. The
 * construction itself is in hash.c; the compressions are the built-in ones
 * or OpenSSL's (crypto_openssl.c).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/assert.h"
#include "crypto/crypto.h"
#include "crypto/hash_int.h"

/* The HMAC key block K0 (RFC 2104 section 2): the key, or its hash when
 * longer than 64 bytes, padded with zeros to 64 bytes. */
static void key_block(siphb_hmac_alg alg, const void *key, size_t key_len,
                      uint8_t block[SIPHB_HASH_BLOCK]) {
  size_t n = key_len;
  SIPHB_ASSERT(alg == SIPHB_HMAC_SHA1 || alg == SIPHB_HMAC_SHA256);
  if (key_len > SIPHB_HASH_BLOCK) {
    /* RFC 2104 section 2: a key longer than the block is hashed first */
    if (alg == SIPHB_HMAC_SHA256) {
      siphb_sha256(key, key_len, block);
      n = SIPHB_SHA256_LEN;
    } else {
      siphb_sha1(key, key_len, block);
      n = SIPHB_SHA1_LEN;
    }
  } else if (key_len) {
    memcpy(block, key, key_len);
  }
  memset(block + n, 0, SIPHB_HASH_BLOCK - n);
}

void siphb_hmac_key_init(siphb_hmac_key *k, siphb_hmac_alg alg, const void *key, size_t key_len) {
  uint8_t k0[SIPHB_HASH_BLOCK];
  memset(k, 0, sizeof *k);
  k->alg = alg;
  key_block(alg, key, key_len, k0);
  siphb_hmac_states(alg, k0, k->inner, k->outer);
  siphb_wipe(k0, sizeof k0);
}

void siphb_hmac(const siphb_hmac_key *k, const void *a, size_t a_len, const void *b, size_t b_len,
                const void *c, size_t c_len, uint8_t *out) {
  siphb_hmac_from_states(k->alg, k->inner, k->outer, a, a_len, b, b_len, c, c_len, out);
}
