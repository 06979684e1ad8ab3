/*
 * accel.h - the x86-64 instruction-set paths of the built-in crypto
 * (internal): CRC-32 by carry-less multiplication (PCLMULQDQ) and SHA-1 /
 * SHA-256 by the SHA extensions, chosen at run time from CPUID.
 *
 * Compiled only when SIPHB_X86_ACCEL is defined: hosted builds on x86-64
 * with GCC or Clang and SIPHB_CPU_ACCEL=ON (lib/CMakeLists.txt). The
 * portable code in crc32.c, sha1.c and sha256.c stays the reference and the
 * path every other machine takes; tests/test_crypto.c runs every vector
 * through both and compares them on random input.
 */
#ifndef SIPHB_LIB_CRYPTO_ACCEL_H
#define SIPHB_LIB_CRYPTO_ACCEL_H

#include <stddef.h>
#include <stdint.h>

#if defined(SIPHB_X86_ACCEL)

#define SIPHB_CPU_PCLMUL 0x1u /* PCLMULQDQ and SSE4.1 */
#define SIPHB_CPU_SHA 0x2u    /* SHA extensions, SSSE3 and SSE4.1 */

/* The features above that this CPU has and that are allowed (cpu_x86.c).
 * CPUID runs once; the result is cached. */
unsigned siphb_cpu_features(void);

/* Limits the paths used from now on to `features` (tests: pass 0 to run
 * the portable code on a machine that has the instructions). */
void siphb_cpu_allow(unsigned features);

/* crc32.c's slicing tables (hosted builds: eight), which crc32_x86.c uses
 * for the bytes before the first whole block and for the last step. */
extern const uint32_t siphb_crc32_tables[8][256];

/* The CRC register (no initial or final inversion) after len >= 16 bytes
 * (crc32_x86.c). */
uint32_t siphb_crc32_clmul(uint32_t reg, const uint8_t *p, size_t len);

/* SHA-1 / SHA-256 compression of n 64-byte blocks with the SHA extensions,
 * same contract as siphb_sha1_blocks / siphb_sha256_blocks (sha_x86.c). */
void siphb_sha1_blocks_x86(uint32_t *h, const uint8_t *p, size_t n);
void siphb_sha256_blocks_x86(uint32_t *h, const uint8_t *p, size_t n);

#endif /* SIPHB_X86_ACCEL */

#endif /* SIPHB_LIB_CRYPTO_ACCEL_H */
