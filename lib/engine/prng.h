/*
 * prng.h - fast non-cryptographic generator for jitter (internal).
 *
 * xoshiro256** seeded once per ctx from the integrator's random source.
 * Never used for values that must be unpredictable (branches, tags,
 * transaction ids): those come from the random callback directly.
 */
#ifndef SIPHB_LIB_PRNG_H
#define SIPHB_LIB_PRNG_H

#include <stdint.h>

typedef struct siphb_prng {
  uint64_t s[4];
} siphb_prng;

/* Seeds from 32 bytes; an all-zero seed is replaced by a fixed one. */
void siphb_prng_seed(siphb_prng *p, const uint8_t seed[32]);
uint64_t siphb_prng_next(siphb_prng *p);
/* Uniform in [0, bound); bound 0 gives 0. */
uint64_t siphb_prng_below(siphb_prng *p, uint64_t bound);

#endif /* SIPHB_LIB_PRNG_H */
