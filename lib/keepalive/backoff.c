/*
 * backoff.c - the RFC 5626 section 4.5 back-off (keepalive/backoff.h).
 */
#include "keepalive/backoff.h"

siphb_ms siphb_backoff_window(siphb_ms base, siphb_ms max, uint32_t failures) {
  if (base == 0) return 0;
  if (base >= max) return max;
  /* base < max: doubling stops once it reaches max, so nothing overflows */
  siphb_ms w = base;
  for (uint32_t i = 0; i < failures && w < max; i++) w = w > max / 2 ? max : 2 * w;
  return w < max ? w : max;
}

siphb_ms siphb_backoff_delay(siphb_ms window, uint64_t r) {
  siphb_ms lo = window - window / 2; /* ceil(W/2) */
  siphb_ms span = window - lo + 1;   /* W/2 + 1 values */
  return lo + r % span;
}
