/*
 * crypto_openssl.c - the OpenSSL backend of crypto/crypto.h
 * (SIPHB_WITH_OPENSSL=ON; replaces md5.c, sha1.c and sha256.c).
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
 * HMAC is hmac.c's in both backends: the key's ipad/opad states are
 * prepared once, and each MAC resumes from them through the block functions
 * below, so with this backend it runs on OpenSSL's compression too. That is
 * faster than OpenSSL's own HMAC API (which allocates a context and redoes
 * the key schedule on every call: about 1.3 us against about 0.2 us for a
 * STUN message here) and cannot fail.
 */
#undef OPENSSL_API_COMPAT
#define OPENSSL_API_COMPAT 0x10100000L
#ifndef OPENSSL_SUPPRESS_DEPRECATED
#  define OPENSSL_SUPPRESS_DEPRECATED
#endif

#include <stddef.h>
#include <stdint.h>
#include <string.h>

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
