/*
 * bits.h - count-leading/trailing-zero helpers (internal).
 * Compiler builtins where available; portable loops elsewhere.
 */
#ifndef SIPHB_LIB_BITS_H
#define SIPHB_LIB_BITS_H

#include <stdint.h>

/* Index of the highest set bit; x must not be 0. */
static inline unsigned siphb_bit_high(uint64_t x) {
#if defined(__GNUC__) || defined(__clang__)
  return 63u - (unsigned)__builtin_clzll(x);
#else
  unsigned n = 0;
  while (x >>= 1) n++;
  return n;
#endif
}

/* Index of the lowest set bit; x must not be 0. */
static inline unsigned siphb_bit_low(uint64_t x) {
#if defined(__GNUC__) || defined(__clang__)
  return (unsigned)__builtin_ctzll(x);
#else
  unsigned n = 0;
  while (!(x & 1u)) {
    x >>= 1;
    n++;
  }
  return n;
#endif
}

static inline uint64_t siphb_rotr64(uint64_t x, unsigned r) {
  r &= 63u;
  return r ? (x >> r) | (x << (64u - r)) : x;
}

#endif /* SIPHB_LIB_BITS_H */
