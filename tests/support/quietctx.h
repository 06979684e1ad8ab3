/*
 * quietctx.h - a ctx for tests that need one but none of its callbacks:
 * send and event accept everything and do nothing, random is the OS's.
 */
#ifndef SIPHB_TEST_QUIETCTX_H
#define SIPHB_TEST_QUIETCTX_H

#include <siphb/siphb.h>

#include "testcb.h"

/* Fills cb (initialised) with the do-nothing send and event. */
void quiet_callbacks(siphb_callbacks *cb);

/* A new ctx with quiet_callbacks() at time 0; fails the test if it cannot. */
siphb_ctx *quiet_ctx(void);

/* A new ctx at time 0 with these callbacks (random may be NULL: the OS's),
 * the allocator (NULL = libc) and user_data; fails the test if it cannot. */
siphb_ctx *test_ctx_new(test_send_fn send, test_event_fn event, siphb_random_fn random,
                        const siphb_mem *mem, void *user_data);

/* The soak tests' loop until `end`: whichever comes first of the next
 * network input (next_input: its time in *at and an index, or SIZE_MAX
 * when none is queued) and the ctx's next deadline; inputs go to deliver,
 * deadlines to siphb_ctx_advance (which must succeed), followed by
 * after_advance (may be NULL). */
typedef size_t (*test_next_input_fn)(siphb_ms *at);
void test_drive(siphb_ctx *ctx, siphb_ms *now, siphb_ms end, test_next_input_fn next_input,
                void (*deliver)(size_t i), void (*after_advance)(void));

#endif /* SIPHB_TEST_QUIETCTX_H */
