/*
 * crypto.h - the hashes STUN needs (internal): CRC-32 for FINGERPRINT,
 * MD5/SHA-256 for long-term keys and USERHASH, HMAC-SHA1 and HMAC-SHA256 for
 * MESSAGE-INTEGRITY(-SHA256) (RFC 5389 section 15, RFC 8489 section 14).
 *
 * Built in (crc32.c, md5.c, sha1.c, sha256.c, hmac.c: portable C, no
 * dependency, no allocation, usable in the freestanding core) or, with
 * SIPHB_WITH_OPENSSL=ON, the hashes and HMACs come from OpenSSL
 * (crypto_openssl.c replaces md5.c, sha1.c, sha256.c and hmac.c; CRC-32
 * stays built in). Both builds expose exactly this interface and run the
 * same tests.
 *
 * Streaming contexts are plain structs on the caller's stack. HMAC keys are
 * prepared once per credential: siphb_hmac_key holds the hash states after
 * absorbing the ipad and opad blocks, so each MAC costs two compressions of
 * the message plus two finalisations (RFC 2104 section 4 "implementation
 * note").
 */
#ifndef SIPHB_LIB_CRYPTO_H
#define SIPHB_LIB_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIPHB_MD5_LEN 16
#define SIPHB_SHA1_LEN 20
#define SIPHB_SHA256_LEN 32
#define SIPHB_HASH_BLOCK 64 /* MD5, SHA-1 and SHA-256 all use 64-byte blocks */

/* CRC-32 of ITU-T V.42 / ISO 3309 (the zlib crc32()): start with crc = 0,
 * feed the previous result to continue. crc32(0, "123456789", 9) ==
 * 0xCBF43926. */
uint32_t siphb_crc32(uint32_t crc, const void *data, size_t len);

typedef struct siphb_md5_ctx {
  uint32_t h[4];
  uint64_t bytes;
  uint8_t block[SIPHB_HASH_BLOCK];
} siphb_md5_ctx;

typedef struct siphb_sha1_ctx {
  uint32_t h[5];
  uint64_t bytes;
  uint8_t block[SIPHB_HASH_BLOCK];
} siphb_sha1_ctx;

typedef struct siphb_sha256_ctx {
  uint32_t h[8];
  uint64_t bytes;
  uint8_t block[SIPHB_HASH_BLOCK];
} siphb_sha256_ctx;

void siphb_md5_init(siphb_md5_ctx *c);
void siphb_md5_update(siphb_md5_ctx *c, const void *data, size_t len);
void siphb_md5_final(siphb_md5_ctx *c, uint8_t out[SIPHB_MD5_LEN]);
void siphb_md5(const void *data, size_t len, uint8_t out[SIPHB_MD5_LEN]);

void siphb_sha1_init(siphb_sha1_ctx *c);
void siphb_sha1_update(siphb_sha1_ctx *c, const void *data, size_t len);
void siphb_sha1_final(siphb_sha1_ctx *c, uint8_t out[SIPHB_SHA1_LEN]);
void siphb_sha1(const void *data, size_t len, uint8_t out[SIPHB_SHA1_LEN]);

void siphb_sha256_init(siphb_sha256_ctx *c);
void siphb_sha256_update(siphb_sha256_ctx *c, const void *data, size_t len);
void siphb_sha256_final(siphb_sha256_ctx *c, uint8_t out[SIPHB_SHA256_LEN]);
void siphb_sha256(const void *data, size_t len, uint8_t out[SIPHB_SHA256_LEN]);

typedef enum siphb_hmac_alg { SIPHB_HMAC_SHA1 = 1, SIPHB_HMAC_SHA256 = 2 } siphb_hmac_alg;

/* A prepared HMAC key (RFC 2104): a key longer than 64 bytes is hashed
 * first; inner/outer are the chaining states after the ipad/opad block (in
 * both backends: with OpenSSL, the blocks are compressed by OpenSSL). Never
 * compared, never printed; siphb_hmac_key_wipe() clears it. */
typedef struct siphb_hmac_key {
  siphb_hmac_alg alg;
  uint32_t inner[8];
  uint32_t outer[8];
} siphb_hmac_key;

void siphb_hmac_key_init(siphb_hmac_key *k, siphb_hmac_alg alg, const void *key, size_t key_len);
void siphb_hmac_key_wipe(siphb_hmac_key *k);

/* MAC of the concatenation of up to three pieces (STUN hashes the header
 * with a patched length, then the rest: no copy needed). Pieces with len 0
 * may be NULL. out gets 20 (SHA-1) or 32 (SHA-256) bytes. */
void siphb_hmac(const siphb_hmac_key *k, const void *a, size_t a_len, const void *b, size_t b_len,
                const void *c, size_t c_len, uint8_t *out);

/* Constant-time comparison of n bytes: true when equal. */
bool siphb_ct_equal(const void *a, const void *b, size_t n);

/* Clears n bytes of a secret so that the compiler cannot drop it as a
 * dead store (secret.c); p may be NULL when n is 0. */
void siphb_wipe(void *p, size_t n);

#endif /* SIPHB_LIB_CRYPTO_H */
