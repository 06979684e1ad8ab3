/*
 * prng.c - xoshiro256** (Blackman and Vigna, public domain algorithm).
 */
#include "engine/prng.h"

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

void siphb_prng_seed(siphb_prng *p, const uint8_t seed[32]) {
  uint64_t any = 0;
  for (int i = 0; i < 4; i++) {
    uint64_t v = 0;
    for (int b = 0; b < 8; b++) v = (v << 8) | seed[i * 8 + b];
    p->s[i] = v;
    any |= v;
  }
  if (!any) { /* xoshiro must not start from all zeros */
    p->s[0] = 0x9E3779B97F4A7C15u;
    p->s[1] = 0xBF58476D1CE4E5B9u;
    p->s[2] = 0x94D049BB133111EBu;
    p->s[3] = 0x2545F4914F6CDD1Du;
  }
}

uint64_t siphb_prng_next(siphb_prng *p) {
  uint64_t *s = p->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

uint64_t siphb_prng_below(siphb_prng *p, uint64_t bound) {
  if (bound == 0) return 0;
  /* Rejection sampling removes the modulo bias. */
  uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  uint64_t v;
  do v = siphb_prng_next(p);
  while (v >= limit);
  return v % bound;
}
