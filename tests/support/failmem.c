#include "failmem.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Each block carries its size in front so live_bytes stays exact. */
typedef union header {
  size_t size;
  long double align_ld; /* max_align_t is C11; these cover it in C99 */
  void *align_p;
  long long align_ll;
} header;

static bool should_fail(failmem *fm) {
  long index = fm->allocs++;
  if (index == fm->fail_at) {
    fm->failures++;
    return true;
  }
  return false;
}

static void *fm_malloc(size_t size, void *user_data) {
  failmem *fm = user_data;
  if (should_fail(fm)) return NULL;
  header *h = malloc(sizeof(header) + size);
  if (!h) return NULL;
  h->size = size;
  fm->live_blocks++;
  fm->live_bytes += size;
  return h + 1;
}

static void fm_free(void *ptr, void *user_data) {
  failmem *fm = user_data;
  if (!ptr) return;
  header *h = (header *)ptr - 1;
  fm->live_blocks--;
  fm->live_bytes -= h->size;
  free(h);
}

static void *fm_calloc(size_t nmemb, size_t size, void *user_data) {
  if (size && nmemb > SIZE_MAX / size) return NULL;
  void *p = fm_malloc(nmemb * size, user_data);
  if (p) memset(p, 0, nmemb * size);
  return p;
}

static void *fm_realloc(void *ptr, size_t size, void *user_data) {
  failmem *fm = user_data;
  if (!ptr) return fm_malloc(size, user_data);
  header *old = (header *)ptr - 1;
  if (size > old->size && should_fail(fm)) return NULL;
  size_t old_size = old->size;
  header *h = realloc(old, sizeof(header) + size);
  if (!h) return NULL;
  h->size = size;
  fm->live_bytes = fm->live_bytes - old_size + size;
  return h + 1;
}

void failmem_init(failmem *fm, long fail_at) {
  memset(fm, 0, sizeof(*fm));
  fm->mem.user_data = fm;
  fm->mem.malloc = fm_malloc;
  fm->mem.free = fm_free;
  fm->mem.calloc = fm_calloc;
  fm->mem.realloc = fm_realloc;
  fm->fail_at = fail_at;
}

long failmem_sweep(failmem_scenario scenario, void *arg) {
  for (long n = 0;; n++) {
    failmem fm;
    failmem_init(&fm, n);
    int rv = scenario(&fm, arg);
    if (fm.live_blocks != 0 || fm.live_bytes != 0) {
      fail_msg("failing allocation #%ld: %ld blocks (%zu bytes) leaked", n, fm.live_blocks,
               fm.live_bytes);
    }
    if (fm.failures == 0) {
      /* The scenario needed fewer than n+1 allocations: a full run. */
      if (rv != 0) fail_msg("full run (no failure injected) returned %d", rv);
      return fm.allocs;
    }
    if (rv != SIPHB_ERR_NOMEM)
      fail_msg("failing allocation #%ld: scenario returned %d, expected SIPHB_ERR_NOMEM", n, rv);
  }
}
