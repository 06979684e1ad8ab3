/*
 * fuzz_ctx.h - what the ctx harnesses (fuzz_ctx_probe.c, fuzz_ctx_flow.c)
 * share: the cursor over the input program, the deterministic random
 * source, the clock step, mutating bytes, and siphb_ctx_receive with the
 * checks every receive must pass.
 */
#ifndef SIPHB_FUZZ_CTX_H
#define SIPHB_FUZZ_CTX_H

#include <stddef.h>
#include <stdint.h>

#include <siphb/siphb.h>

#include "fuzz_check.h"
#include "../tests/support/testcb.h"

/* A cursor over the input; past its end every byte reads 0. */
typedef struct fuzz_input {
  const uint8_t *p, *end;
} fuzz_input;

static inline unsigned fuzz_next(fuzz_input *in) { return in->p < in->end ? *in->p++ : 0; }

/* The next n bytes of the input (fewer at its end): *at points to them. */
static inline size_t fuzz_take(fuzz_input *in, size_t n, const uint8_t **at) {
  if (n > (size_t)(in->end - in->p)) n = (size_t)(in->end - in->p);
  *at = in->p;
  in->p += n;
  return n;
}

/* The ctx's `random`: a 64-bit LCG in *rng, so that runs repeat. */
static inline void fuzz_lcg_fill(uint64_t *rng, uint8_t *dest, size_t len) {
  for (size_t i = 0; i < len; i++) {
    *rng = *rng * 6364136223846793005u + 1442695040888963407u;
    dest[i] = (uint8_t)(*rng >> 56);
  }
}

/* A ctx at time 0 with the harness's callbacks and user_data (its world). */
static inline siphb_ctx *fuzz_ctx_new(test_send_fn send, test_event_fn event,
                                      siphb_random_fn random, void *world) {
  siphb_callbacks cb;
  test_callbacks(&cb, send, event, random);
  siphb_ctx *ctx = NULL;
  FUZZ_CHECK(siphb_ctx_new(&ctx, NULL, &cb, NULL, world, 0) == 0);
  return ctx;
}

/* The clock: to the next deadline when step is 0, else by step; then
 * advance, which must succeed. */
static inline void fuzz_clock(siphb_ctx *ctx, siphb_ms *now, siphb_ms step) {
  siphb_ms nd = siphb_ctx_next_deadline(ctx);
  if (step == 0 && nd != SIPHB_NEVER && nd > *now) *now = nd;
  *now += step;
  FUZZ_CHECK(siphb_ctx_advance(ctx, *now) == 0);
}

/* Up to 3 bytes of buf[0..n) XORed with input bytes, at input offsets. */
static inline void fuzz_flip(fuzz_input *in, uint8_t *buf, size_t n) {
  unsigned flips = fuzz_next(in) % 4;
  for (unsigned i = 0; i < flips && n; i++) {
    size_t hi = fuzz_next(in); /* sequenced: the same program with every compiler */
    size_t at = (hi << 8 | fuzz_next(in)) % n;
    buf[at] = (uint8_t)(buf[at] ^ fuzz_next(in));
  }
}

/* Receives d[0..len) from peer; the call succeeds, the item lies within
 * the input, a consumed item names its consumer (of a kind in `kinds`, a
 * bit per siphb_object_kind). */
static inline void fuzz_receive(siphb_ctx *ctx, const siphb_peer *peer, const uint8_t *d,
                                size_t len, siphb_ms now, unsigned kinds) {
  siphb_rx_result r;
  int rv = siphb_ctx_receive(ctx, peer, d, len, &r, now);
  FUZZ_CHECK(rv == 0);
  FUZZ_CHECK(r.length <= len);
  FUZZ_CHECK(!r.consumed || r.length > 0);
  FUZZ_CHECK(!r.consumed || ((kinds >> r.object_kind) & 1u) != 0);
  FUZZ_CHECK(r.consumed == (r.object != NULL));
}

#endif /* SIPHB_FUZZ_CTX_H */
