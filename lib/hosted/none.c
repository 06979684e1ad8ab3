/*
 * none.c - the freestanding build has no default allocator and no OS random
 * source: the integrator must pass both.
 */
#include "hosted/hosted.h"

const siphb_mem *siphb_mem_default(void) { return NULL; }

bool siphb_hosted_random_available(void) { return false; }

int siphb_random_os(uint8_t *buf, size_t len, void *user_data) {
  (void)buf;
  (void)len;
  (void)user_data;
  return SIPHB_ERR_UNSUPPORTED;
}
