/*
 * crc32_x86.c - CRC-32 (crc32.c's polynomial and bit order) by folding
 * 16 bytes at a time with carry-less multiplication (PCLMULQDQ).
 *
 * Bit order: a 16-byte little-endian load holds the polynomial X = H*x^64
 * + L, H in the low quadword (the earlier bytes are the higher degrees,
 * and bit i of a quadword is degree 63 - i). A carry-less product of two
 * such quadwords is A*B*x in the 128-bit register, so every constant below
 * is one degree lower than the power it stands for. The constants are
 * x^n mod P for the CRC polynomial P, as quadwords; they were computed with
 * a polynomial-arithmetic script, and tests/test_crypto.c compares this
 * path with the tables on random input of every length up to 300 bytes at
 * every alignment.
 *
 * The len % 16 bytes before the first whole block go through crc32.c's
 * tables, then the register is XORed into the first four bytes of the
 * block, as the byte-at-a-time algorithm does.
 *
 * Folding: appending 16 bytes multiplies X by x^128, and modulo P that is
 * H*(x^192 mod P) + L*(x^128 mod P), two products of at most 96 bits XORed
 * into the next block. Two blocks at a time, X is folded over 32 bytes
 * (x^320, x^256) while the block after it is folded over 16, so the two
 * products run side by side: one multiplication latency per 32 bytes.
 *
 * Reduction: the register wanted is X*x^32 mod P. X*x^32 = H*x^96 +
 * L*x^32 becomes T = H*(x^96 mod P) + L*x^32 (at most 96 bits); T = Th*x^64
 * + Tl becomes U = Th*(x^64 mod P) + Tl (64 bits); U = Uh*x^32 + Ul gives
 * Uh*x^32 mod P (one table step: the register after four zero bytes) + Ul.
 */
#include <immintrin.h>

#include "crypto/accel.h"

#define K_X319 0x9570d49500000000ull /* x^320 mod P: folds H over 32 bytes */
#define K_X255 0x01b5fd1d00000000ull /* x^256 mod P: folds L over 32 bytes */
#define K_X191 0x65673b4600000000ull /* x^192 mod P: folds H over 16 bytes */
#define K_X127 0x9ba54c6f00000000ull /* x^128 mod P: folds L over 16 bytes */
#define K_X95 0xccaa009e00000000ull  /* x^96 mod P */
#define K_X63 0xb8bc676500000000ull  /* x^64 mod P */

#define tab siphb_crc32_tables

/* The register after four bytes (little-endian word w) from register reg. */
static inline uint32_t step4(uint32_t reg, uint32_t w) {
  reg ^= w;
  return tab[3][reg & 0xff] ^ tab[2][(reg >> 8) & 0xff] ^ tab[1][(reg >> 16) & 0xff] ^
         tab[0][reg >> 24];
}

/* X*x^256 or X*x^128 (mod P), per the constants in k. */
__attribute__((target("pclmul,sse4.1"))) static inline __m128i fold(__m128i x, __m128i k) {
  return _mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x00), _mm_clmulepi64_si128(x, k, 0x11));
}

/* The register after eight bytes (little-endian words lo, hi). */
static inline uint32_t step8(uint32_t reg, uint32_t lo, uint32_t hi) {
  lo ^= reg;
  return tab[7][lo & 0xff] ^ tab[6][(lo >> 8) & 0xff] ^ tab[5][(lo >> 16) & 0xff] ^
         tab[4][lo >> 24] ^ tab[3][hi & 0xff] ^ tab[2][(hi >> 8) & 0xff] ^
         tab[1][(hi >> 16) & 0xff] ^ tab[0][hi >> 24];
}

static inline uint32_t load_le32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

__attribute__((target("pclmul,sse4.1"))) uint32_t siphb_crc32_clmul(uint32_t reg,
                                                                     const uint8_t *p,
                                                                     size_t len) {
  const __m128i by32 = _mm_set_epi64x((long long)K_X255, (long long)K_X319);
  const __m128i by16 = _mm_set_epi64x((long long)K_X127, (long long)K_X191);
  const __m128i reduce = _mm_set_epi64x((long long)K_X63, (long long)K_X95);
  size_t head = len % 16;
  if (head >= 8) {
    reg = step8(reg, load_le32(p), load_le32(p + 4));
    head -= 8, len -= 8, p += 8;
  }
  if (head >= 4) {
    reg = step4(reg, load_le32(p));
    head -= 4, len -= 4, p += 4;
  }
  for (; head > 0; head--, len--, p++) reg = tab[0][(reg ^ *p) & 0xff] ^ (reg >> 8);

  __m128i x = _mm_xor_si128(_mm_loadu_si128((const __m128i *)(const void *)p),
                            _mm_cvtsi32_si128((int)reg));
  for (p += 16, len -= 16; len >= 32; p += 32, len -= 32) {
    __m128i b1 = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i b2 = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
    x = _mm_xor_si128(_mm_xor_si128(fold(x, by32), fold(b1, by16)), b2);
  }
  if (len > 0) x = _mm_xor_si128(fold(x, by16), _mm_loadu_si128((const __m128i *)(const void *)p));
  /* T: L moves to bits 32..95 (degrees 95..32) */
  __m128i t = _mm_xor_si128(_mm_clmulepi64_si128(x, reduce, 0x00),
                            _mm_slli_si128(_mm_srli_si128(x, 8), 4));
  /* U: Th is T's low quadword, Tl its high one */
  __m128i u = _mm_xor_si128(_mm_clmulepi64_si128(t, reduce, 0x10), t);
  uint64_t u64 = (uint64_t)_mm_extract_epi64(u, 1);
  return step4(0, (uint32_t)u64) ^ (uint32_t)(u64 >> 32);
}
