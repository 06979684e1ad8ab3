/*
 * backoff.h - the RFC 5626 section 4.5 recovery back-off (internal): a
 * failed flow, and a failed registration, wait a random time that grows
 * with the failures in a row before trying again.
 *
 *   W     = min(max-time, base-time * 2^consecutive-failures)
 *   delay = uniform in [W/2, W]
 *
 * with max-time 1800 s and base-time 30 s when every flow of the set has
 * failed, 90 s while some flow is still up. So the first retry after one
 * failure comes 30-60 s later (base 30 s), and at the cap a UA retries
 * every 15-30 min for as long as it takes.
 */
#ifndef SIPHB_LIB_KEEPALIVE_BACKOFF_H
#define SIPHB_LIB_KEEPALIVE_BACKOFF_H

#include <siphb/common.h>

/* W for `failures` in a row: base * 2^failures, at most max (and max when
 * the product would not fit). base and max in ms; base 0 gives 0. */
siphb_ms siphb_backoff_window(siphb_ms base, siphb_ms max, uint32_t failures);

/* A delay uniform in [ceil(W/2), W] from the random value r (any 64 bits:
 * the ctx's jitter generator). */
siphb_ms siphb_backoff_delay(siphb_ms window, uint64_t r);

#endif /* SIPHB_LIB_KEEPALIVE_BACKOFF_H */
