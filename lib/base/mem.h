/*
 * mem.h - the ctx's allocator: the integrator's siphb_mem plus byte
 * accounting and an optional budget (internal).
 *
 * Frees are sized (the caller passes the size it allocated), so accounting
 * costs no per-allocation header.
 */
#ifndef SIPHB_LIB_MEM_H
#define SIPHB_LIB_MEM_H

#include <siphb/common.h>

typedef struct siphb_alloc {
  siphb_mem mem;
  size_t budget; /* 0 = none */
  size_t used;
  size_t peak;
} siphb_alloc;

/* Checks that a user allocator is complete; NULL selects the default.
 * Returns 0 or SIPHB_ERR_INVALID_ARGUMENT (incomplete, or no default in a
 * freestanding build). */
int siphb_alloc_init(siphb_alloc *a, const siphb_mem *mem, size_t budget);

/* Zero-filled allocation of `size` bytes, NULL on failure or over budget. */
void *siphb_alloc_zeroed(siphb_alloc *a, size_t size);
/* Zero-filled array; NULL also when nmemb * size overflows. */
void *siphb_alloc_array(siphb_alloc *a, size_t nmemb, size_t size);
/* Resizes `ptr` (of old_size bytes; NULL allocates); NULL on failure, with
 * ptr untouched. */
void *siphb_alloc_resize(siphb_alloc *a, void *ptr, size_t old_size, size_t new_size);
void siphb_alloc_free(siphb_alloc *a, void *ptr, size_t size);

#endif /* SIPHB_LIB_MEM_H */
