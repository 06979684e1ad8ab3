/*
 * mem_libc.c - the C library allocator as the default siphb_mem (hosted
 * builds only: the core never includes stdlib.h).
 */
#include <stdlib.h>

#include <siphb/common.h>

static void *libc_malloc(size_t size, void *user_data) {
  (void)user_data;
  return malloc(size);
}

static void libc_free(void *ptr, void *user_data) {
  (void)user_data;
  free(ptr);
}

static void *libc_calloc(size_t nmemb, size_t size, void *user_data) {
  (void)user_data;
  return calloc(nmemb, size);
}

static void *libc_realloc(void *ptr, size_t size, void *user_data) {
  (void)user_data;
  return realloc(ptr, size);
}

static const siphb_mem libc_mem = {NULL, libc_malloc, libc_free, libc_calloc, libc_realloc};

const siphb_mem *siphb_mem_default(void) { return &libc_mem; }
