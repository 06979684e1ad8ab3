/*
 * rndtest.h - a deterministic random callback for the encoder tests: each
 * byte is the next value of a counter, so generated identifiers are known.
 * Its signature fits siphb_random_fn and siphb_random_fn.
 */
#ifndef SIPHB_TESTS_RNDTEST_H
#define SIPHB_TESTS_RNDTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rnd_state {
  uint8_t next;    /* the next byte handed out */
  int calls;       /* calls so far */
  size_t last_len; /* len of the last call */
  bool fail;       /* true: the call fails (returns -1) after counting */
} rnd_state;

/* user_data is a rnd_state. */
int rnd_counter(uint8_t *dest, size_t len, void *user_data);

/* SplitMix64: the soak tests' deterministic generator (the network's
 * decisions and the ctx's random bytes). */
uint64_t rnd_splitmix(uint64_t *state);

/* A siphb_random_fn over rnd_splitmix; user_data is the uint64_t state. */
int rnd_splitmix_fill(uint8_t *dest, size_t len, void *user_data);

#endif /* SIPHB_TESTS_RNDTEST_H */
