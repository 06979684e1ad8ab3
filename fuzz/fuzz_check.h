/*
 * fuzz_check.h - what the harnesses share: an invariant check that aborts
 * with a message (so libFuzzer reports it as a crash with a stack), and a
 * check that a slice lies inside a buffer.
 */
#ifndef SIPHB_FUZZ_CHECK_H
#define SIPHB_FUZZ_CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <siphb/common.h>

/* crc32_ref(): the bit-at-a-time CRC-32 the tests use too. */
#include "../tests/support/crc32_ref.h"

#define FUZZ_CHECK(cond)                                                                   \
  do {                                                                                     \
    if (!(cond)) {                                                                         \
      fprintf(stderr, "%s:%d: invariant violated: %s\n", __FILE__, __LINE__, #cond);       \
      abort();                                                                             \
    }                                                                                      \
  } while (0)

/* true if [p, p + n) lies inside [lo, hi]. Compared as integers: the
 * pointers may come from a broken parser and point anywhere. */
static inline int fuzz_inside(const void *p, size_t n, const void *lo, const void *hi) {
  uintptr_t a = (uintptr_t)p, l = (uintptr_t)lo, h = (uintptr_t)hi;
  return a >= l && a <= h && n <= h - a;
}

/* A slice is inside [lo, hi], or empty (an empty slice may be NULL). */
static inline int fuzz_slice_inside(siphb_str s, const void *lo, const void *hi) {
  if (s.len == 0 && s.ptr == NULL) return 1;
  return fuzz_inside(s.ptr, s.len, lo, hi);
}

#endif /* SIPHB_FUZZ_CHECK_H */
