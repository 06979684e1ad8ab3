/*
 * none.c - the freestanding build has no default allocator and no OS random
 * source: the integrator must pass both.
 */
#include "hosted/hosted.h"

const siphb_mem *siphb_mem_default(void) { return NULL; }

bool siphb_hosted_random_available(void) { return false; }

int siphb_hosted_random(uint8_t *buf, size_t len) {
  (void)buf;
  (void)len;
  return SIPHB_ERR_UNSUPPORTED;
}
