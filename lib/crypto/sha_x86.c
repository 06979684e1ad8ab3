/*
 * sha_x86.c - SHA-1 and SHA-256 compression with the x86 SHA extensions
 * (Intel SHA extensions: SHA1RNDS4, SHA1NEXTE, SHA1MSG1/2, SHA256RNDS2,
 * SHA256MSG1/2), for CPUs where cpu_x86.c finds them. Same contract and
 * results as sha1.c and sha256.c, which stay the reference.
 *
 * SHA-1: A..D live in one register (A in the top lane), E in the top lane
 * of another. A group is four rounds: SHA1RNDS4 takes the four W+E sums
 * (SHA1NEXTE adds E, rotated from the A of four rounds before, to the top
 * word) and the round function number (group / 5). The schedule for group
 * T (T >= 4) is built over three earlier groups: MSG1 of groups T-4 and
 * T-3 at group T-3, XOR group T-2 at T-2, MSG2 with group T-1 at T-1.
 *
 * SHA-256: the state lives as ABEF and CDGH; SHA256RNDS2 does two rounds
 * with the two W+K words in the low lanes. The schedule for group T
 * (T >= 4): MSG1 of groups T-4 and T-3 at group T-3; at T-1 add words
 * W[4T-7..4T-4] (an ALIGNR of groups T-2 and T-1) and MSG2 with group T-1.
 *
 * The groups are written as macros over a four-register ring indexed by
 * constants, so the compiler keeps the ring in registers and drops the
 * steps whose condition is false.
 */
#include <immintrin.h>

#include "crypto/accel.h"
#include "crypto/hash_int.h"

#define SHA_TARGET __attribute__((target("sha,ssse3,sse4.1")))

/* Group g of SHA-1 (rounds 4g..4g+3). e_in/e_keep alternate between
 * groups: e_in enters this group, e_keep keeps this group's A..D for the
 * next group's E. in3 is group g-1's words (becoming group g+3's), in2
 * group g-2's (becoming g+2's). */
#define SHA1_GROUP(g, e_in, e_keep)                                                        \
  do {                                                                                     \
    __m128i *const cur = &m[(g) % 4], *const next = &m[((g) + 1) % 4];                     \
    __m128i *const in2 = &m[((g) + 2) % 4], *const in3 = &m[((g) + 3) % 4];                \
    e_in = (g) == 0 ? _mm_add_epi32(e_in, *cur) : _mm_sha1nexte_epu32(e_in, *cur);         \
    e_keep = abcd;                                                                         \
    if ((g) >= 3 && (g) <= 18) *next = _mm_sha1msg2_epu32(*next, *cur);                    \
    abcd = _mm_sha1rnds4_epu32(abcd, e_in, (g) / 5);                                       \
    if ((g) >= 1 && (g) <= 16) *in3 = _mm_sha1msg1_epu32(*in3, *cur);                      \
    if ((g) >= 2 && (g) <= 17) *in2 = _mm_xor_si128(*in2, *cur);                           \
  } while (0)

SHA_TARGET void siphb_sha1_blocks_x86(uint32_t *h, const uint8_t *p, size_t n) {
  /* Reverses all 16 bytes: big-endian words, W[4g] in the top lane. */
  const __m128i reverse = _mm_set_epi64x(0x0001020304050607ll, 0x08090a0b0c0d0e0fll);
  __m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)h), 0x1b);
  __m128i e_top = _mm_set_epi32((int)h[4], 0, 0, 0);
  for (; n > 0; n--, p += 64) {
    const __m128i abcd_start = abcd, e_start = e_top;
    __m128i m[4], e0 = e_top, e1;
    for (int i = 0; i < 4; i++)
      m[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i)),
                              reverse);
    SHA1_GROUP(0, e0, e1);
    SHA1_GROUP(1, e1, e0);
    SHA1_GROUP(2, e0, e1);
    SHA1_GROUP(3, e1, e0);
    SHA1_GROUP(4, e0, e1);
    SHA1_GROUP(5, e1, e0);
    SHA1_GROUP(6, e0, e1);
    SHA1_GROUP(7, e1, e0);
    SHA1_GROUP(8, e0, e1);
    SHA1_GROUP(9, e1, e0);
    SHA1_GROUP(10, e0, e1);
    SHA1_GROUP(11, e1, e0);
    SHA1_GROUP(12, e0, e1);
    SHA1_GROUP(13, e1, e0);
    SHA1_GROUP(14, e0, e1);
    SHA1_GROUP(15, e1, e0);
    SHA1_GROUP(16, e0, e1);
    SHA1_GROUP(17, e1, e0);
    SHA1_GROUP(18, e0, e1);
    SHA1_GROUP(19, e1, e0);
    /* e0 holds A..D before the last group: its A rotated is the final E. */
    e_top = _mm_sha1nexte_epu32(e0, e_start);
    abcd = _mm_add_epi32(abcd, abcd_start);
  }
  _mm_storeu_si128((__m128i *)(void *)h, _mm_shuffle_epi32(abcd, 0x1b));
  h[4] = (uint32_t)_mm_extract_epi32(e_top, 3);
}

/* Group g of SHA-256 (rounds 4g..4g+3). */
#define SHA256_GROUP(g)                                                                    \
  do {                                                                                     \
    __m128i *const cur = &m[(g) % 4], *const next = &m[((g) + 1) % 4];                     \
    __m128i *const prev = &m[((g) + 3) % 4];                                               \
    const __m128i k = _mm_loadu_si128((const __m128i *)(const void *)&siphb_sha256_k[4 * (g)]); \
    __m128i wk = _mm_add_epi32(*cur, k);                                                   \
    cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);                                          \
    if ((g) >= 3 && (g) <= 14) {                                                           \
      __m128i w7 = _mm_alignr_epi8(*cur, *prev, 4);                                        \
      *next = _mm_sha256msg2_epu32(_mm_add_epi32(*next, w7), *cur);                        \
    }                                                                                      \
    abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0e));                 \
    if ((g) >= 1 && (g) <= 12) *prev = _mm_sha256msg1_epu32(*prev, *cur);                  \
  } while (0)

SHA_TARGET void siphb_sha256_blocks_x86(uint32_t *h, const uint8_t *p, size_t n) {
  /* Byte-swaps each word: big-endian words, W[4g] in the bottom lane. */
  const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bll, 0x0405060700010203ll);
  __m128i dcba = _mm_loadu_si128((const __m128i *)(const void *)h);
  __m128i hgfe = _mm_loadu_si128((const __m128i *)(const void *)(h + 4));
  __m128i badc = _mm_shuffle_epi32(dcba, 0xb1);
  __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1b);
  __m128i abef = _mm_alignr_epi8(badc, efgh, 8);
  __m128i cdgh = _mm_blend_epi16(efgh, badc, 0xf0);
  for (; n > 0; n--, p += 64) {
    const __m128i abef_start = abef, cdgh_start = cdgh;
    __m128i m[4];
    for (int i = 0; i < 4; i++)
      m[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i)),
                              swap);
    SHA256_GROUP(0);
    SHA256_GROUP(1);
    SHA256_GROUP(2);
    SHA256_GROUP(3);
    SHA256_GROUP(4);
    SHA256_GROUP(5);
    SHA256_GROUP(6);
    SHA256_GROUP(7);
    SHA256_GROUP(8);
    SHA256_GROUP(9);
    SHA256_GROUP(10);
    SHA256_GROUP(11);
    SHA256_GROUP(12);
    SHA256_GROUP(13);
    SHA256_GROUP(14);
    SHA256_GROUP(15);
    abef = _mm_add_epi32(abef, abef_start);
    cdgh = _mm_add_epi32(cdgh, cdgh_start);
  }
  __m128i feba = _mm_shuffle_epi32(abef, 0x1b);
  __m128i dchg = _mm_shuffle_epi32(cdgh, 0xb1);
  _mm_storeu_si128((__m128i *)(void *)h, _mm_blend_epi16(feba, dchg, 0xf0));
  _mm_storeu_si128((__m128i *)(void *)(h + 4), _mm_alignr_epi8(dchg, feba, 8));
}
