/*
 * ctx_int.h - the ctx's internals, shared by the modules built on it
 * (internal; not installed).
 */
#ifndef SIPHB_LIB_CTX_INT_H
#define SIPHB_LIB_CTX_INT_H

#include <siphb/ctx.h>

#include "base/mem.h"
#include "engine/obj.h"
#include "engine/prng.h"
#include "engine/wheel.h"

/* Handles one whole received item (`len` bytes) of the kind it registered
 * for. When the item was for one of its objects it sets result->consumed,
 * object_kind and object (and result->error if that object rejected it).
 * Returns 0 or a negative code (callback failures included). */
typedef int (*siphb_rx_hook)(siphb_ctx *ctx, const siphb_peer *peer, const uint8_t *data,
                             size_t len, siphb_rx_result *result, siphb_ms now);

#define SIPHB_RX_KINDS 6

/* Returned internally by code that ran a callback which deleted the ctx: stop
 * at once and unwind; the public entry point turns it into success. */
#define SIPHB_STOPPED 1

struct siphb_ctx {
  siphb_wheel wheel;
  siphb_alloc alloc;
  siphb_callbacks cb;
  siphb_ctx_config cfg;
  void *user_data;
  siphb_ms now;            /* largest `now` seen */
  siphb_prng prng;
  siphb_obj *objects;      /* live objects */
  siphb_obj *dead;         /* deleted from a callback, freed on return */
  unsigned in_callback;    /* depth of callbacks running */
  bool delete_pending;     /* siphb_ctx_del() was called from a callback */
  siphb_rx_hook rx_hooks[SIPHB_RX_KINDS];
};

/* Clamps `now` so time never goes backwards, records it, and returns it. */
siphb_ms siphb_ctx_clock(siphb_ctx *ctx, siphb_ms now);

/* Callback wrappers: count the callback depth, map the result. Each returns
 * 0, SIPHB_ERR_CALLBACK_FAILURE, or SIPHB_STOPPED when the callback deleted
 * the ctx. siphb_ctx_send also returns SIPHB_ERR_SEND for a failed send. */
int siphb_ctx_emit(siphb_ctx *ctx, const siphb_event *ev);
int siphb_ctx_send(siphb_ctx *ctx, const siphb_send_info *info, const uint8_t *data, size_t len);
int siphb_ctx_random(siphb_ctx *ctx, uint8_t *dest, size_t len);
void siphb_ctx_log(siphb_ctx *ctx, siphb_log_level level, const char *message);

/* Registers the handler for one kind of received bytes (one per kind). */
void siphb_ctx_set_rx_hook(siphb_ctx *ctx, siphb_rx_kind kind, siphb_rx_hook hook);

/* Classifies the first item of `data` (receive.c) and sets *item_len to its
 * length, which exceeds len when the header says more is coming. */
siphb_rx_kind siphb_rx_classify(const uint8_t *data, size_t len, size_t *item_len);

#endif /* SIPHB_LIB_CTX_INT_H */
