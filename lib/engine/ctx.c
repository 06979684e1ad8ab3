/*
 * ctx.c - the sans-I/O context: creation, the clock, advance, and the
 * wrappers through which every module calls the integrator's callbacks.
 */
#include "engine/ctx_int.h"

#include <string.h>

#include "hosted/hosted.h"

void siphb_ctx_config_init(siphb_ctx_config *cfg) {
  if (!cfg) return;
  memset(cfg, 0, sizeof(*cfg));
  cfg->mem_budget = 0;
  cfg->log_level = SIPHB_LOG_WARN;
}

static bool config_valid(const siphb_ctx_config *cfg) {
  /* Unsigned: enums may be unsigned or one byte (arm-none-eabi). */
  return (unsigned)cfg->log_level <= (unsigned)SIPHB_LOG_DEBUG;
}

static void ctx_free(siphb_ctx *ctx) {
  siphb_obj_free_all(ctx);
  siphb_alloc alloc = ctx->alloc; /* the ctx frees itself through its own copy */
  siphb_alloc_free(&alloc, ctx, sizeof(*ctx));
}

int siphb_ctx_new(siphb_ctx **out, const siphb_ctx_config *cfg, const siphb_callbacks *callbacks,
                  const siphb_mem *mem, void *user_data, siphb_ms now) {
  siphb_ctx_config defaults;
  if (!cfg) {
    siphb_ctx_config_init(&defaults);
    cfg = &defaults;
  }
  if (!out || !callbacks || !callbacks->send || !callbacks->event || !config_valid(cfg))
    return SIPHB_ERR_INVALID_ARGUMENT;
  if (!callbacks->random && !siphb_hosted_random_available()) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_alloc alloc;
  if (siphb_alloc_init(&alloc, mem, cfg->mem_budget) != 0) return SIPHB_ERR_INVALID_ARGUMENT;

  siphb_ctx *ctx = siphb_alloc_zeroed(&alloc, sizeof(*ctx));
  if (!ctx) return SIPHB_ERR_NOMEM;
  ctx->alloc = alloc; /* accounting now includes the ctx itself */
  ctx->cb = *callbacks;
  ctx->cfg = *cfg;
  ctx->user_data = user_data;
  ctx->now = now;
  siphb_wheel_init(&ctx->wheel, now);

  uint8_t seed[32];
  int rv = siphb_ctx_random(ctx, seed, sizeof(seed));
  if (rv != 0) {
    ctx_free(ctx);
    return SIPHB_ERR_CALLBACK_FAILURE;
  }
  siphb_prng_seed(&ctx->prng, seed);
  *out = ctx;
  return 0;
}

void siphb_ctx_del(siphb_ctx *ctx) {
  if (!ctx) return;
  if (ctx->in_callback > 0) {
    ctx->delete_pending = true;
    return;
  }
  ctx_free(ctx);
}

/* Ends a public call that may have run callbacks: frees what they deleted.
 * Returns true when the ctx itself was freed (the caller must not touch it). */
static bool ctx_finish(siphb_ctx *ctx) {
  if (ctx->in_callback > 0) return false;
  if (ctx->delete_pending) {
    ctx_free(ctx);
    return true;
  }
  siphb_obj_reap(ctx);
  return false;
}

siphb_ms siphb_ctx_clock(siphb_ctx *ctx, siphb_ms now) {
  /* Not asserted: a clock stepping back is the integrator's bug, but a
   * keepalive library should keep running and say so, not trap. */
  if (now < ctx->now) {
    siphb_ctx_log(ctx, SIPHB_LOG_WARN, "time went backwards: clamped to the latest now");
    return ctx->now;
  }
  ctx->now = now;
  return now;
}

siphb_ms siphb_ctx_next_deadline(siphb_ctx *ctx) {
  if (!ctx) return SIPHB_NEVER;
  return siphb_wheel_next_deadline(&ctx->wheel);
}

int siphb_ctx_advance(siphb_ctx *ctx, siphb_ms now) {
  if (!ctx) return SIPHB_ERR_INVALID_ARGUMENT;
  if (ctx->in_callback > 0) return SIPHB_ERR_INVALID_STATE;
  now = siphb_ctx_clock(ctx, now);
  int rv = siphb_wheel_advance(&ctx->wheel, now, ctx);
  if (ctx_finish(ctx)) return 0;
  return rv == SIPHB_STOPPED ? 0 : rv;
}

int siphb_ctx_receive(siphb_ctx *ctx, const siphb_peer *peer, const uint8_t *data, size_t len,
                      siphb_rx_result *result, siphb_ms now) {
  if (!ctx || !peer || (!data && len > 0)) return SIPHB_ERR_INVALID_ARGUMENT;
  if (ctx->in_callback > 0) return SIPHB_ERR_INVALID_STATE;
  now = siphb_ctx_clock(ctx, now);
  siphb_rx_result r;
  memset(&r, 0, sizeof(r));
  size_t item_len = 0;
  r.kind = siphb_rx_classify(data, len, &item_len);
  int rv = 0;
  if (item_len > len) {
    r.need = item_len - len; /* nothing is routed until the item is whole */
  } else {
    r.length = item_len;
    siphb_rx_hook hook = ctx->rx_hooks[r.kind];
    if (hook) rv = hook(ctx, peer, data, item_len, &r, now);
  }
  if (result) *result = r;
  if (ctx_finish(ctx)) return 0;
  return rv == SIPHB_STOPPED ? 0 : rv;
}

void siphb_ctx_set_rx_hook(siphb_ctx *ctx, siphb_rx_kind kind, siphb_rx_hook hook) {
  ctx->rx_hooks[kind] = hook;
}

/* Maps what a callback returned, after it returned. */
static int after_callback(siphb_ctx *ctx, int returned) {
  ctx->in_callback--;
  if (returned != 0) return SIPHB_ERR_CALLBACK_FAILURE;
  return ctx->delete_pending ? SIPHB_STOPPED : 0;
}

int siphb_ctx_emit(siphb_ctx *ctx, const siphb_event *ev) {
  ctx->in_callback++;
  return after_callback(ctx, ctx->cb.event(ctx, ev, ctx->user_data));
}

int siphb_ctx_send(siphb_ctx *ctx, const siphb_send_info *info, const uint8_t *data,
                   size_t len) {
  ctx->in_callback++;
  int returned = ctx->cb.send(ctx, info, data, len, ctx->user_data);
  if (returned == SIPHB_ERR_SEND) {
    int rv = after_callback(ctx, 0);
    return rv ? rv : SIPHB_ERR_SEND;
  }
  return after_callback(ctx, returned);
}

int siphb_ctx_random(siphb_ctx *ctx, uint8_t *dest, size_t len) {
  if (!ctx->cb.random) return siphb_hosted_random(dest, len) == 0 ? 0 : SIPHB_ERR_CALLBACK_FAILURE;
  ctx->in_callback++;
  return after_callback(ctx, ctx->cb.random(ctx, dest, len, ctx->user_data));
}

void siphb_ctx_log(siphb_ctx *ctx, siphb_log_level level, const char *message) {
  if (!ctx->cb.log || level > ctx->cfg.log_level) return;
  ctx->in_callback++;
  ctx->cb.log(ctx, level, message, ctx->user_data);
  ctx->in_callback--;
}

siphb_ms siphb_ctx_now(const siphb_ctx *ctx) { return ctx ? ctx->now : 0; }

void *siphb_ctx_get_user_data(const siphb_ctx *ctx) { return ctx ? ctx->user_data : NULL; }

void siphb_ctx_set_user_data(siphb_ctx *ctx, void *user_data) {
  if (ctx) ctx->user_data = user_data;
}

size_t siphb_ctx_mem_used(const siphb_ctx *ctx) { return ctx ? ctx->alloc.used : 0; }

size_t siphb_ctx_mem_peak(const siphb_ctx *ctx) { return ctx ? ctx->alloc.peak : 0; }
