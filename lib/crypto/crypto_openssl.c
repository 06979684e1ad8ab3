/*
 * crypto_openssl.c - the OpenSSL backend of crypto/crypto.h
 * (SIPHB_WITH_OPENSSL=ON; replaces md5.c, sha1.c, sha256.c and hmac.c).
 *
 * Hashes: the streaming contexts of crypto.h are fixed plain structs (the
 * chaining state, a byte count and one buffered block) that callers keep on
 * the stack without a cleanup call, so they cannot hold an EVP_MD_CTX (heap
 * allocated, must be freed). Nor should they buffer the whole input for a
 * one-shot hash at the end. Instead hash.c keeps doing the buffering and
 * padding in those structs, and OpenSSL does the work that costs: the
 * compression function of each 64-byte block, through MD5_Transform,
 * SHA1_Transform and SHA256_Transform (its assembly, with the SHA
 * extensions where the CPU has them). Those low-level functions are
 * deprecated in OpenSSL 3.0 in favour of EVP, which has no way to resume
 * from a given chaining state; hence OPENSSL_API_COMPAT (keeps them
 * declared even if the build asks for the 3.0 API only) and
 * OPENSSL_SUPPRESS_DEPRECATED (no warnings, so -Werror builds pass). An
 * OpenSSL configured with no-deprecated lacks them and cannot be used.
 *
 * HMAC: siphb_hmac_key keeps the raw key (hashed first when longer than 64
 * bytes, RFC 2104 section 2: the same MAC) and each MAC is computed by
 * OpenSSL's HMAC over the three pieces, with an HMAC_CTX made and freed in
 * the call (no state kept between calls, none shared). HMAC_CTX is
 * available from OpenSSL 1.1.0 to 3.x (deprecated in 3.0 too, like the
 * Transform functions). siphb_hmac() cannot report an error, so if OpenSSL
 * fails (it cannot allocate its context), the MAC is computed by the RFC
 * 2104 construction of hash.c over the hashes above instead, which needs
 * no allocation: the result is the same either way.
 */
#undef OPENSSL_API_COMPAT
#define OPENSSL_API_COMPAT 0x10100000L
#ifndef OPENSSL_SUPPRESS_DEPRECATED
#  define OPENSSL_SUPPRESS_DEPRECATED
#endif

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/md5.h>
#include <openssl/sha.h>

#include "crypto/crypto.h"
#include "crypto/hash_int.h"

/* ---- block functions ----------------------------------------------------- */

/* Each *_Transform compresses one block into the state words of an OpenSSL
 * context and touches nothing else of it, so only those words are set. */

void siphb_md5_blocks(uint32_t *h, const uint8_t *p, size_t n) {
  MD5_CTX c;
  c.A = h[0];
  c.B = h[1];
  c.C = h[2];
  c.D = h[3];
  for (; n > 0; n--, p += SIPHB_HASH_BLOCK) MD5_Transform(&c, p);
  h[0] = c.A;
  h[1] = c.B;
  h[2] = c.C;
  h[3] = c.D;
}

void siphb_sha1_blocks(uint32_t *h, const uint8_t *p, size_t n) {
  SHA_CTX c;
  c.h0 = h[0];
  c.h1 = h[1];
  c.h2 = h[2];
  c.h3 = h[3];
  c.h4 = h[4];
  for (; n > 0; n--, p += SIPHB_HASH_BLOCK) SHA1_Transform(&c, p);
  h[0] = c.h0;
  h[1] = c.h1;
  h[2] = c.h2;
  h[3] = c.h3;
  h[4] = c.h4;
}

void siphb_sha256_blocks(uint32_t *h, const uint8_t *p, size_t n) {
  SHA256_CTX c;
  size_t i;
  for (i = 0; i < 8; i++) c.h[i] = h[i];
  for (; n > 0; n--, p += SIPHB_HASH_BLOCK) SHA256_Transform(&c, p);
  for (i = 0; i < 8; i++) h[i] = c.h[i];
}

/* ---- HMAC ---------------------------------------------------------------- */

void siphb_hmac_key_init(siphb_hmac_key *k, siphb_hmac_alg alg, const void *key, size_t key_len) {
  memset(k, 0, sizeof *k); /* inner/outer belong to the built-in backend */
  k->alg = alg;
  k->raw_len = siphb_hmac_key_block(alg, key, key_len, k->raw);
}

static int update(HMAC_CTX *ctx, const void *p, size_t n) {
  return n == 0 || HMAC_Update(ctx, (const unsigned char *)p, n);
}

void siphb_hmac(const siphb_hmac_key *k, const void *a, size_t a_len, const void *b, size_t b_len,
                const void *c, size_t c_len, uint8_t *out) {
  const EVP_MD *md = k->alg == SIPHB_HMAC_SHA256 ? EVP_sha256() : EVP_sha1();
  HMAC_CTX *ctx;
  unsigned int len = 0;
  int ok;
  /* A failure handled here must not leave entries in the thread's OpenSSL
   * error queue, where the integrator's own OpenSSL calls (SSL_get_error)
   * would find them; the mark keeps whatever was queued before. */
  ERR_set_mark();
  ctx = HMAC_CTX_new();
  ok = ctx != NULL && HMAC_Init_ex(ctx, k->raw, (int)k->raw_len, md, NULL) &&
       update(ctx, a, a_len) && update(ctx, b, b_len) && update(ctx, c, c_len) &&
       HMAC_Final(ctx, out, &len);
  HMAC_CTX_free(ctx); /* accepts NULL */
  ERR_pop_to_mark();
  if (!ok) {
    uint32_t inner[8], outer[8];
    siphb_hmac_states(k->alg, k->raw, inner, outer);
    siphb_hmac_from_states(k->alg, inner, outer, a, a_len, b, b_len, c, c_len, out);
    siphb_wipe(inner, sizeof inner);
    siphb_wipe(outer, sizeof outer);
  }
}
