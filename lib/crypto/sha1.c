/*
 * sha1.c - the SHA-1 compression function (FIPS 180-4 section 6.1.2),
 * written from the standard: 80 rounds unrolled in groups of five, the
 * message schedule kept in a 16-word ring (W[t] replaces W[t-16]), the
 * five working variables rotated by renaming instead of moving. hash.c
 * does the buffering and padding. SHA-1 is kept for RFC 5389
 * MESSAGE-INTEGRITY (HMAC-SHA1), where its collision weakness does not
 * matter.
 */
#include <stddef.h>
#include <stdint.h>

#include "crypto/accel.h"
#include "crypto/hash_int.h"

/* FIPS 180-4 section 4.1.1: Ch for rounds 0-19, Parity for 20-39 and 60-79,
 * Maj for 40-59 (in forms with one operation fewer, equal bit by bit). */
#define CH(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define PARITY(x, y, z) ((x) ^ (y) ^ (z))
#define MAJ(x, y, z) (((x) & (y)) | ((z) & ((x) | (y))))

/* W[t] for t < 16 is the loaded word; beyond, W[t] = ROTL1(W[t-3] ^ W[t-8]
 * ^ W[t-14] ^ W[t-16]) stored over W[t-16] (indices mod 16). t is a
 * constant in every use, so the choice costs nothing. */
#define W(t)                                                                                    \
  ((t) < 16 ? w[(t) & 15]                                                                       \
            : (w[(t) & 15] = siphb_rol32(w[((t) + 13) & 15] ^ w[((t) + 8) & 15] ^               \
                                             w[((t) + 2) & 15] ^ w[(t) & 15],                   \
                                         1)))

/* One round: T = ROTL5(a) + f(b,c,d) + e + K + W[t]; then e <- d, d <- c,
 * c <- ROTL30(b), b <- a, a <- T. With the names rotated by the caller,
 * only T (into e) and ROTL30(b) need computing. */
#define ROUND(a, b, c, d, e, f, k, t)                                                           \
  do {                                                                                          \
    e += siphb_rol32(a, 5) + f(b, c, d) + (k) + W(t);                                           \
    b = siphb_rol32(b, 30);                                                                     \
  } while (0)

#define FIVE(f, k, t)                                                                           \
  ROUND(a, b, c, d, e, f, k, (t));                                                              \
  ROUND(e, a, b, c, d, f, k, (t) + 1);                                                          \
  ROUND(d, e, a, b, c, f, k, (t) + 2);                                                          \
  ROUND(c, d, e, a, b, f, k, (t) + 3);                                                          \
  ROUND(b, c, d, e, a, f, k, (t) + 4)

/* FIPS 180-4 section 4.2.1 */
#define K0 0x5a827999u
#define K1 0x6ed9eba1u
#define K2 0x8f1bbcdcu
#define K3 0xca62c1d6u

#if defined(SIPHB_X86_SHA)
void siphb_sha1_blocks(uint32_t *h, const uint8_t *p, size_t n) {
  if (siphb_cpu_features() & SIPHB_CPU_SHA)
    siphb_sha1_blocks_x86(h, p, n); /* sha_x86.c */
  else
    siphb_sha1_blocks_portable(h, p, n);
}
#else
/* Without the x86-64 paths the portable function is the only one. */
#  define siphb_sha1_blocks_portable siphb_sha1_blocks
#endif

void siphb_sha1_blocks_portable(uint32_t *h, const uint8_t *p, size_t n) {
  uint32_t w[16];
  for (; n > 0; n--, p += SIPHB_HASH_BLOCK) {
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    unsigned i;
    for (i = 0; i < 16; i++) w[i] = siphb_load_be32(p + 4 * i);

    FIVE(CH, K0, 0);
    FIVE(CH, K0, 5);
    FIVE(CH, K0, 10);
    FIVE(CH, K0, 15);

    FIVE(PARITY, K1, 20);
    FIVE(PARITY, K1, 25);
    FIVE(PARITY, K1, 30);
    FIVE(PARITY, K1, 35);

    FIVE(MAJ, K2, 40);
    FIVE(MAJ, K2, 45);
    FIVE(MAJ, K2, 50);
    FIVE(MAJ, K2, 55);

    FIVE(PARITY, K3, 60);
    FIVE(PARITY, K3, 65);
    FIVE(PARITY, K3, 70);
    FIVE(PARITY, K3, 75);

    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
  }
}
