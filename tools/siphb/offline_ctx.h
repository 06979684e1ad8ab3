/*
 * offline_ctx.h - a ctx for the subcommands that run library objects in
 * simulated time with no network (`simulate`, `session-timer`): sends are
 * accepted and dropped, and the random source is fixed, so that the same
 * input always prints the same output.
 */
#ifndef SIPHB_TOOL_OFFLINE_CTX_H
#define SIPHB_TOOL_OFFLINE_CTX_H

#include <siphb/siphb.h>

typedef int (*offline_event_fn)(siphb_ctx *ctx, const siphb_event *ev, void *user_data);

/* A new ctx at time 0 reporting to event with user_data. Returns
 * siphb_ctx_new()'s value. */
int offline_ctx_new(siphb_ctx **out, offline_event_fn event, void *user_data);

#endif /* SIPHB_TOOL_OFFLINE_CTX_H */
