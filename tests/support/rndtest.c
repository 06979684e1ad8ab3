/*
 * rndtest.c - see rndtest.h.
 */
#include "rndtest.h"

int rnd_counter(uint8_t *dest, size_t len, void *user_data) {
  rnd_state *r = user_data;
  r->calls++;
  r->last_len = len;
  if (r->fail) return -1;
  for (size_t i = 0; i < len; i++) dest[i] = r->next++;
  return 0;
}
