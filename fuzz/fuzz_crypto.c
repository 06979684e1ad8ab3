/*
 * fuzz_crypto.c - libFuzzer harness for lib/crypto/: the CPU paths against
 * the portable code, and each hash against itself streamed.
 *
 * Input: byte 0 says where to split the rest for streaming (and how long
 * an HMAC key to take from its start); the rest is the data. Aborts on:
 * a CRC-32 that differs from a bit-at-a-time CRC-32 written here; MD5,
 * SHA-1, SHA-256 or HMAC-SHA1/-SHA256 that differ between one call and two
 * calls split at the chosen point; and, where lib/crypto/accel.h's SHA
 * extension paths are built and the CPU has them, SHA-1 or SHA-256 block
 * compression of the data's whole blocks (from a state taken from its
 * start) that differs between those paths and the portable code. (The
 * CRC-32 check covers whichever CRC path the length takes.)
 */
#include <stdint.h>
#include <string.h>

#include "crypto/accel.h"
#include "crypto/crypto.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void hmac(siphb_hmac_alg alg, const uint8_t *key, size_t klen, const uint8_t *d,
                 size_t n, size_t cut, size_t out_len) {
  siphb_hmac_key k;
  uint8_t out[SIPHB_SHA256_LEN], split[SIPHB_SHA256_LEN];
  siphb_hmac_key_init(&k, alg, key, klen);
  siphb_hmac(&k, d, n, NULL, 0, NULL, 0, out);
  siphb_hmac(&k, d, cut, d + cut, n - cut, NULL, 0, split);
  FUZZ_CHECK(memcmp(out, split, out_len) == 0);
  siphb_hmac_key_wipe(&k);
}

/* siphb_<h>() of d[0..n) against siphb_<h>_init/update/update/final split
 * at cut (h: md5, sha1, sha256; LEN: its digest length). */
#define CHECK_HASH_SPLIT(h, LEN)                                                           \
  do {                                                                                     \
    uint8_t whole[LEN], split[LEN];                                                        \
    siphb_##h##_ctx c;                                                                     \
    siphb_##h(d, n, whole);                                                                \
    siphb_##h##_init(&c);                                                                  \
    siphb_##h##_update(&c, d, cut);                                                        \
    siphb_##h##_update(&c, d + cut, n - cut);                                              \
    siphb_##h##_final(&c, split);                                                          \
    FUZZ_CHECK(memcmp(split, whole, LEN) == 0);                                            \
  } while (0)

/* Every hash and HMAC, one call against two split at cut; returns the
 * CRC-32. */
static uint32_t one_call_vs_split(const uint8_t *d, size_t n, size_t cut, size_t klen) {
  uint32_t crc = siphb_crc32(0, d, n);
  FUZZ_CHECK(siphb_crc32(siphb_crc32(0, d, cut), d + cut, n - cut) == crc);
  CHECK_HASH_SPLIT(md5, SIPHB_MD5_LEN);
  CHECK_HASH_SPLIT(sha1, SIPHB_SHA1_LEN);
  CHECK_HASH_SPLIT(sha256, SIPHB_SHA256_LEN);
  hmac(SIPHB_HMAC_SHA1, d, klen, d, n, cut, SIPHB_SHA1_LEN);
  hmac(SIPHB_HMAC_SHA256, d, klen, d, n, cut, SIPHB_SHA256_LEN);
  return crc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  const uint8_t *d = data + 1;
  size_t n = size - 1;
  size_t cut = n ? data[0] % (n + 1) : 0;
  size_t klen = n < data[0] ? n : data[0]; /* up to 255: short and hashed keys */
  FUZZ_CHECK(one_call_vs_split(d, n, cut, klen) == crc32_ref(0, d, n));
#if defined(SIPHB_X86_SHA)
  if ((siphb_cpu_features() & SIPHB_CPU_SHA) && n >= SIPHB_HASH_BLOCK) {
    uint32_t h[4][8]; /* SHA-1 x86, portable; SHA-256 x86, portable */
    memcpy(h[0], d, sizeof h[0]); /* the chaining state: the first 32 bytes */
    for (int i = 1; i < 4; i++) memcpy(h[i], h[0], sizeof h[0]);
    siphb_sha1_blocks_x86(h[0], d, n / SIPHB_HASH_BLOCK);
    siphb_sha1_blocks_portable(h[1], d, n / SIPHB_HASH_BLOCK);
    FUZZ_CHECK(memcmp(h[0], h[1], sizeof h[0]) == 0);
    siphb_sha256_blocks_x86(h[2], d, n / SIPHB_HASH_BLOCK);
    siphb_sha256_blocks_portable(h[3], d, n / SIPHB_HASH_BLOCK);
    FUZZ_CHECK(memcmp(h[2], h[3], sizeof h[2]) == 0);
  }
#endif
  return 0;
}
