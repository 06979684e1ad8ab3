/*
 * secret.c - handling secrets, shared by both crypto backends: the HMAC key
 * block (RFC 2104 section 2), wiping, and the constant-time comparison of
 * MACs.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/assert.h"
#include "crypto/crypto.h"
#include "crypto/hash_int.h"

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

size_t siphb_hmac_key_block(siphb_hmac_alg alg, const void *key, size_t key_len,
                            uint8_t block[SIPHB_HASH_BLOCK]) {
  size_t n = key_len;
  SIPHB_ASSERT(alg == SIPHB_HMAC_SHA1 || alg == SIPHB_HMAC_SHA256);
  if (key_len > SIPHB_HASH_BLOCK) {
    /* RFC 2104 section 2: a key longer than the block is hashed first */
    if (alg == SIPHB_HMAC_SHA256) {
      siphb_sha256(key, key_len, block);
      n = SIPHB_SHA256_LEN;
    } else {
      siphb_sha1(key, key_len, block);
      n = SIPHB_SHA1_LEN;
    }
  } else if (key_len) {
    memcpy(block, key, key_len);
  }
  memset(block + n, 0, SIPHB_HASH_BLOCK - n);
  return n;
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
