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

uint64_t rnd_splitmix(uint64_t *state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

int rnd_splitmix_fill(uint8_t *dest, size_t len, void *user_data) {
  for (size_t i = 0; i < len; i++) dest[i] = (uint8_t)rnd_splitmix(user_data);
  return 0;
}
