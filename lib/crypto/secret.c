/*
 * secret.c - handling secrets, shared by both crypto backends: wiping, and
 * the constant-time comparison of MACs. It calls nothing else of crypto/.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crypto/crypto.h"

/* The C standard lets a compiler drop a memset() of memory that is never
 * read again (the key on the stack of a returning function, a struct about
 * to be freed). Calling memset through a volatile function pointer forbids
 * that: the compiler must load the pointer at run time and cannot know it
 * still points to memset, so the call and its stores stay. Portable C (no
 * memset_s, explicit_bzero or SecureZeroMemory needed) and no loop. */
static void *(*const volatile wipe_memset)(void *, int, size_t) = memset;

void siphb_wipe(void *p, size_t n) {
  if (n) wipe_memset(p, 0, n);
}

void siphb_hmac_key_wipe(siphb_hmac_key *k) {
  if (k) siphb_wipe(k, sizeof *k);
}

bool siphb_ct_equal(const void *a, const void *b, size_t n) {
  /* OR of the XORs of all bytes, no early exit: the time depends on n only,
   * never on where the first difference is (a MAC compared byte by byte
   * with an early exit leaks how many leading bytes a forgery got right).
   * The accumulator could only let a compiler stop early once it is 0xff,
   * which says nothing about where the differences are. */
  const uint8_t *x = (const uint8_t *)a, *y = (const uint8_t *)b;
  unsigned diff = 0;
  size_t i;
  for (i = 0; i < n; i++) diff |= (unsigned)(x[i] ^ y[i]);
  return diff == 0;
}
