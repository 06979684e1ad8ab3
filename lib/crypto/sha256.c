/*
 * sha256.c - the SHA-256 compression function (FIPS 180-4 section 6.2.2),
 * written from the standard: rounds unrolled in groups of sixteen, the
 * message schedule kept in a 16-word ring (W[t] replaces W[t-16]), the
 * eight working variables rotated by renaming instead of moving. hash.c
 * does the buffering and padding. Used for RFC 8489 MESSAGE-INTEGRITY-SHA256
 * (HMAC-SHA256) and USERHASH.
 */
#include <stddef.h>
#include <stdint.h>

#include "crypto/accel.h"
#include "crypto/hash_int.h"

/* FIPS 180-4 section 4.2.2: the first 32 bits of the fractional parts of
 * the cube roots of the first 64 primes. */
const uint32_t siphb_sha256_k[64] = {
  0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u,
  0xab1c5ed5u, 0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu,
  0x9bdc06a7u, 0xc19bf174u, 0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu,
  0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau, 0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u,
  0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u, 0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu,
  0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u, 0xa2bfe8a1u, 0xa81a664bu,
  0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u, 0x19a4c116u,
  0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
  0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u,
  0xc67178f2u,
};

/* FIPS 180-4 section 4.1.2 (Ch and Maj in forms with one operation fewer,
 * equal bit by bit) */
#define CH(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MAJ(x, y, z) (((x) & (y)) | ((z) & ((x) | (y))))
#define BSIG0(x) (siphb_ror32(x, 2) ^ siphb_ror32(x, 13) ^ siphb_ror32(x, 22))
#define BSIG1(x) (siphb_ror32(x, 6) ^ siphb_ror32(x, 11) ^ siphb_ror32(x, 25))
#define SSIG0(x) (siphb_ror32(x, 7) ^ siphb_ror32(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (siphb_ror32(x, 17) ^ siphb_ror32(x, 19) ^ ((x) >> 10))

/* W[t] for t < 16 is the loaded word; beyond, W[t] = SSIG1(W[t-2]) +
 * W[t-7] + SSIG0(W[t-15]) + W[t-16] stored over W[t-16] (indices mod 16). */
#define WL(t) w[(t) & 15]
#define WS(t)                                                                                   \
  (w[(t) & 15] += SSIG1(w[((t) + 14) & 15]) + w[((t) + 9) & 15] + SSIG0(w[((t) + 1) & 15]))

/* One round: T1 = h + BSIG1(e) + Ch(e,f,g) + K[t] + W[t], T2 = BSIG0(a) +
 * Maj(a,b,c); then h <- g, g <- f, f <- e, e <- d + T1, d <- c, c <- b,
 * b <- a, a <- T1 + T2. With the names rotated by the caller, only the new
 * e (into d) and the new a (into h) need computing. */
#define ROUND(a, b, c, d, e, f, g, h, t, W)                                                     \
  do {                                                                                          \
    uint32_t t1 = h + BSIG1(e) + CH(e, f, g) + siphb_sha256_k[t] + W(t);                                     \
    d += t1;                                                                                    \
    h = t1 + BSIG0(a) + MAJ(a, b, c);                                                           \
  } while (0)

/* Sixteen rounds from t (a multiple of 16, so every ring index is a
 * constant), the eight names back in place at the end. */
#define SIXTEEN(t, W)                                                                           \
  ROUND(a, b, c, d, e, f, g, h, (t), W);                                                        \
  ROUND(h, a, b, c, d, e, f, g, (t) + 1, W);                                                    \
  ROUND(g, h, a, b, c, d, e, f, (t) + 2, W);                                                    \
  ROUND(f, g, h, a, b, c, d, e, (t) + 3, W);                                                    \
  ROUND(e, f, g, h, a, b, c, d, (t) + 4, W);                                                    \
  ROUND(d, e, f, g, h, a, b, c, (t) + 5, W);                                                    \
  ROUND(c, d, e, f, g, h, a, b, (t) + 6, W);                                                    \
  ROUND(b, c, d, e, f, g, h, a, (t) + 7, W);                                                    \
  ROUND(a, b, c, d, e, f, g, h, (t) + 8, W);                                                    \
  ROUND(h, a, b, c, d, e, f, g, (t) + 9, W);                                                    \
  ROUND(g, h, a, b, c, d, e, f, (t) + 10, W);                                                   \
  ROUND(f, g, h, a, b, c, d, e, (t) + 11, W);                                                   \
  ROUND(e, f, g, h, a, b, c, d, (t) + 12, W);                                                   \
  ROUND(d, e, f, g, h, a, b, c, (t) + 13, W);                                                   \
  ROUND(c, d, e, f, g, h, a, b, (t) + 14, W);                                                   \
  ROUND(b, c, d, e, f, g, h, a, (t) + 15, W)

#if defined(SIPHB_X86_SHA)
void siphb_sha256_blocks(uint32_t *state, const uint8_t *p, size_t n) {
  if (siphb_cpu_features() & SIPHB_CPU_SHA)
    siphb_sha256_blocks_x86(state, p, n); /* sha_x86.c */
  else
    siphb_sha256_blocks_portable(state, p, n);
}
#else
/* Without the x86-64 paths the portable function is the only one. */
#  define siphb_sha256_blocks_portable siphb_sha256_blocks
#endif

void siphb_sha256_blocks_portable(uint32_t *state, const uint8_t *p, size_t n) {
  uint32_t w[16];
  for (; n > 0; n--, p += SIPHB_HASH_BLOCK) {
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    unsigned i, t;
    for (i = 0; i < 16; i++) w[i] = siphb_load_be32(p + 4 * i);

    /* rounds 0-15 on the loaded words, then three times sixteen with the
     * schedule: unrolled within sixteen rounds, where the speed is, and a
     * loop around them, which halves the code (Cortex-M4 flash) */
    SIXTEEN(0, WL);
    for (t = 16; t < 64; t += 16) {
      SIXTEEN(t, WS);
    }

    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
  }
}
