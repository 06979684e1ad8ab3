/*
 * fuzz_crypto.c - libFuzzer harness for lib/crypto/: the CPU paths against
 * the portable code, and each hash against itself streamed.
 *
 * Input: byte 0 says where to split the rest for streaming (and how long
 * an HMAC key to take from its start); the rest is the data. Aborts on:
 * a CRC-32 that differs from a bit-at-a-time CRC-32 written here; MD5,
 * SHA-1, SHA-256 or HMAC-SHA1/-SHA256 that differ between one call and two
 * calls split at the chosen point; and, where lib/crypto/accel.h's x86-64
 * paths are built and the CPU has them, any result that differs between
 * those paths and the portable code.
 */
#include <stdint.h>
#include <string.h>

#include "crypto/accel.h"
#include "crypto/crypto.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct results {
  uint32_t crc;
  uint8_t md5[SIPHB_MD5_LEN], sha1[SIPHB_SHA1_LEN], sha256[SIPHB_SHA256_LEN];
  uint8_t hmac1[SIPHB_SHA1_LEN], hmac256[SIPHB_SHA256_LEN];
} results;

static void hmac(siphb_hmac_alg alg, const uint8_t *key, size_t klen, const uint8_t *d,
                 size_t n, size_t cut, uint8_t *out, size_t out_len) {
  siphb_hmac_key k;
  uint8_t split[SIPHB_SHA256_LEN];
  siphb_hmac_key_init(&k, alg, key, klen);
  siphb_hmac(&k, d, n, NULL, 0, NULL, 0, out);
  siphb_hmac(&k, d, cut, d + cut, n - cut, NULL, 0, split);
  FUZZ_CHECK(memcmp(out, split, out_len) == 0);
  siphb_hmac_key_wipe(&k);
}

/* Everything once, checking one call against two split at cut. */
static void compute(const uint8_t *d, size_t n, size_t cut, size_t klen, results *r) {
  siphb_md5_ctx m;
  siphb_sha1_ctx s1;
  siphb_sha256_ctx s2;
  uint8_t split[SIPHB_SHA256_LEN];

  r->crc = siphb_crc32(0, d, n);
  FUZZ_CHECK(siphb_crc32(siphb_crc32(0, d, cut), d + cut, n - cut) == r->crc);

  siphb_md5(d, n, r->md5);
  siphb_md5_init(&m);
  siphb_md5_update(&m, d, cut);
  siphb_md5_update(&m, d + cut, n - cut);
  siphb_md5_final(&m, split);
  FUZZ_CHECK(memcmp(split, r->md5, SIPHB_MD5_LEN) == 0);

  siphb_sha1(d, n, r->sha1);
  siphb_sha1_init(&s1);
  siphb_sha1_update(&s1, d, cut);
  siphb_sha1_update(&s1, d + cut, n - cut);
  siphb_sha1_final(&s1, split);
  FUZZ_CHECK(memcmp(split, r->sha1, SIPHB_SHA1_LEN) == 0);

  siphb_sha256(d, n, r->sha256);
  siphb_sha256_init(&s2);
  siphb_sha256_update(&s2, d, cut);
  siphb_sha256_update(&s2, d + cut, n - cut);
  siphb_sha256_final(&s2, split);
  FUZZ_CHECK(memcmp(split, r->sha256, SIPHB_SHA256_LEN) == 0);

  hmac(SIPHB_HMAC_SHA1, d, klen, d, n, cut, r->hmac1, SIPHB_SHA1_LEN);
  hmac(SIPHB_HMAC_SHA256, d, klen, d, n, cut, r->hmac256, SIPHB_SHA256_LEN);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  const uint8_t *d = data + 1;
  size_t n = size - 1;
  size_t cut = n ? data[0] % (n + 1) : 0;
  size_t klen = n < data[0] ? n : data[0]; /* up to 255: short and hashed keys */
  results r;
  memset(&r, 0, sizeof r); /* compared whole below */
  compute(d, n, cut, klen, &r);
  FUZZ_CHECK(r.crc == crc32_ref(0, d, n));
#if defined(SIPHB_X86_ACCEL)
  if (siphb_cpu_features() != 0) {
    results portable;
    memset(&portable, 0, sizeof portable);
    siphb_cpu_allow(0);
    compute(d, n, cut, klen, &portable);
    siphb_cpu_allow(~0u);
    FUZZ_CHECK(memcmp(&r, &portable, sizeof r) == 0);
  }
#endif
  return 0;
}
