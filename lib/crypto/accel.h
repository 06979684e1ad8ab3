/*
 * accel.h - the x86-64 instruction-set paths of the built-in crypto
 * (internal): CRC-32 by carry-less multiplication (PCLMULQDQ) and SHA-1 /
 * SHA-256 by the SHA extensions, chosen at run time from CPUID.
 *
 * Compiled only when SIPHB_X86_ACCEL is defined: hosted builds on x86-64
 * with GCC or Clang and SIPHB_CPU_ACCEL=ON (lib/CMakeLists.txt); the SHA
 * part (SIPHB_X86_SHA) only with the built-in hashes, since OpenSSL's
 * block functions use the SHA extensions themselves. The
 * portable code in crc32.c, sha1.c and sha256.c stays the reference and the
 * path every other machine takes. tests/test_crypto.c compares each CPU
 * path with the portable code on random input, fuzz/fuzz_crypto.c on
 * fuzzed input, and scripts/test.sh runs one whole build with
 * SIPHB_CPU_ACCEL=OFF.
 */
#ifndef SIPHB_LIB_CRYPTO_ACCEL_H
#define SIPHB_LIB_CRYPTO_ACCEL_H

#include <stddef.h>
#include <stdint.h>

#if defined(SIPHB_X86_ACCEL)

#define SIPHB_CPU_PCLMUL 0x1u /* PCLMULQDQ and SSE4.1 */
#define SIPHB_CPU_SHA 0x2u    /* SHA extensions, SSSE3 and SSE4.1 */

#define SIPHB_CPU_DETECTED 0x80000000u /* set once CPUID has been read */

/* cpu_x86.c: 0 until the first siphb_cpu_features(), then the features
 * found | SIPHB_CPU_DETECTED; and the function that reads CPUID and fills
 * it in. */
extern unsigned siphb_cpu_cache;
unsigned siphb_cpu_detect(void);

/* The features above that this CPU has. Inline: the dispatchers in
 * crc32.c, sha1.c and sha256.c read one cached word, no call. */
static inline unsigned siphb_cpu_features(void) {
  unsigned f = __atomic_load_n(&siphb_cpu_cache, __ATOMIC_RELAXED);
  return f ? f & ~SIPHB_CPU_DETECTED : siphb_cpu_detect();
}

/* crc32.c's slicing tables (hosted builds: eight), which crc32_x86.c uses
 * for the bytes before the first whole block and for the last step. */
extern const uint32_t siphb_crc32_tables[8][256];

/* The CRC register (no initial or final inversion) after len >= 16 bytes
 * (crc32_x86.c). */
uint32_t siphb_crc32_clmul(uint32_t reg, const uint8_t *p, size_t len);

#endif /* SIPHB_X86_ACCEL */

#if defined(SIPHB_X86_SHA)

/* SHA-1 / SHA-256 compression of n 64-byte blocks with the SHA extensions,
 * same contract as siphb_sha1_blocks / siphb_sha256_blocks (sha_x86.c). */
void siphb_sha1_blocks_x86(uint32_t *h, const uint8_t *p, size_t n);
void siphb_sha256_blocks_x86(uint32_t *h, const uint8_t *p, size_t n);

/* The portable block functions, which siphb_sha1_blocks and
 * siphb_sha256_blocks call when the CPU lacks the SHA extensions (sha1.c,
 * sha256.c; named here so that tests can compare the two paths). */
void siphb_sha1_blocks_portable(uint32_t *h, const uint8_t *p, size_t n);
void siphb_sha256_blocks_portable(uint32_t *h, const uint8_t *p, size_t n);

#endif /* SIPHB_X86_SHA */

#endif /* SIPHB_LIB_CRYPTO_ACCEL_H */
