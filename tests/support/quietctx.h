/*
 * quietctx.h - a ctx for tests that need one but none of its callbacks:
 * send and event accept everything and do nothing, random is the OS's.
 */
#ifndef SIPHB_TEST_QUIETCTX_H
#define SIPHB_TEST_QUIETCTX_H

#include <siphb/siphb.h>

/* Fills cb (initialised) with the do-nothing send and event. */
void quiet_callbacks(siphb_callbacks *cb);

/* A new ctx with quiet_callbacks() at time 0; fails the test if it cannot. */
siphb_ctx *quiet_ctx(void);

#endif /* SIPHB_TEST_QUIETCTX_H */
