/*
 * mem.c - accounted allocation through the integrator's siphb_mem.
 */
#include "base/mem.h"

#include <string.h>

static bool budget_allows(const siphb_alloc *a, size_t extra) {
  if (extra > SIZE_MAX - a->used) return false;
  return a->budget == 0 || a->used + extra <= a->budget;
}

static void account(siphb_alloc *a, size_t added, size_t removed) {
  a->used = a->used + added - removed;
  if (a->used > a->peak) a->peak = a->used;
}

int siphb_alloc_init(siphb_alloc *a, const siphb_mem *mem, size_t budget) {
  if (!mem) mem = siphb_mem_default();
  if (!mem || !mem->malloc || !mem->free || !mem->calloc || !mem->realloc)
    return SIPHB_ERR_INVALID_ARGUMENT;
  a->mem = *mem;
  a->budget = budget;
  a->used = 0;
  a->peak = 0;
  return 0;
}

void *siphb_alloc_zeroed(siphb_alloc *a, size_t size) { return siphb_alloc_array(a, 1, size); }

void *siphb_alloc_array(siphb_alloc *a, size_t nmemb, size_t size) {
  if (nmemb == 0 || size == 0 || nmemb > SIZE_MAX / size) return NULL;
  size_t total = nmemb * size;
  if (!budget_allows(a, total)) return NULL;
  void *p = a->mem.calloc(nmemb, size, a->mem.user_data);
  if (p) account(a, total, 0);
  return p;
}

void *siphb_alloc_resize(siphb_alloc *a, void *ptr, size_t old_size, size_t new_size) {
  if (new_size == 0) return NULL;
  if (new_size > old_size && !budget_allows(a, new_size - old_size)) return NULL;
  void *p = a->mem.realloc(ptr, new_size, a->mem.user_data);
  if (p) account(a, new_size, old_size);
  return p;
}

void siphb_alloc_free(siphb_alloc *a, void *ptr, size_t size) {
  if (!ptr) return;
  a->mem.free(ptr, a->mem.user_data);
  account(a, 0, size);
}
