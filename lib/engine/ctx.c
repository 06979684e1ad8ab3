/*
 * ctx.c - the sans-I/O context: creation, the clock, advance, the wrappers
 * through which every module calls the integrator's callbacks, and the
 * accessors of ctx_int.h.
 */
#include "engine/ctx_state.h"

#include <string.h>

#include "base/assert.h"
#include "base/sized.h"
#include "hosted/hosted.h"

/* The sizes of the first release's structs: a caller's struct can be no
 * smaller (base/sized.h). They never change when fields are appended. */
#define CTX_CONFIG_MIN_SIZE (offsetof(siphb_ctx_config, log_level) + sizeof(siphb_log_level))
#define CALLBACKS_MIN_SIZE (offsetof(siphb_callbacks, log) + sizeof(void (*)(void)))

static void config_defaults(siphb_ctx_config *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->size = (uint32_t)sizeof *cfg;
  cfg->mem_budget = 0;
  cfg->log_level = SIPHB_LOG_WARN;
}

void siphb_ctx_config_init(siphb_ctx_config *cfg, size_t size) {
  siphb_ctx_config d;
  config_defaults(&d);
  siphb_sized_init(cfg, size, &d, sizeof d, CTX_CONFIG_MIN_SIZE);
}

void siphb_callbacks_init(siphb_callbacks *cb, size_t size) {
  siphb_callbacks d;
  memset(&d, 0, sizeof d);
  d.size = (uint32_t)sizeof d;
  siphb_sized_init(cb, size, &d, sizeof d, CALLBACKS_MIN_SIZE);
}

static bool config_valid(const siphb_ctx_config *cfg) {
  /* Unsigned: enums may be unsigned or one byte (arm-none-eabi). */
  return (unsigned)cfg->log_level <= (unsigned)SIPHB_LOG_DEBUG;
}

static void ctx_free(siphb_ctx *ctx) {
  siphb_obj_free_all(ctx);
  /* Module state after the objects, whose stop ops may still use it. */
  for (size_t k = 0; k < SIPHB_CTX_MODULES; k++) {
    siphb_module_slot *slot = &ctx->modules[k];
    if (slot->state && slot->destroy) slot->destroy(ctx, slot->state);
  }
  siphb_alloc alloc = ctx->alloc; /* the ctx frees itself through its own copy */
  siphb_alloc_free(&alloc, ctx, sizeof(*ctx));
}

int siphb_ctx_new(siphb_ctx **out, const siphb_ctx_config *cfg_in,
                  const siphb_callbacks *callbacks_in, const siphb_mem *mem, void *user_data,
                  siphb_ms now) {
  siphb_ctx_config cfg;
  siphb_callbacks cb;
  int rv;
  config_defaults(&cfg);
  if (!out || !callbacks_in) return SIPHB_ERR_INVALID_ARGUMENT;
  if (cfg_in && (rv = siphb_sized_read(&cfg, sizeof cfg, CTX_CONFIG_MIN_SIZE, cfg_in)) != 0)
    return rv;
  siphb_callbacks_init(&cb, sizeof cb);
  if ((rv = siphb_sized_read(&cb, sizeof cb, CALLBACKS_MIN_SIZE, callbacks_in)) != 0) return rv;
  if (!cb.send || !cb.event || !config_valid(&cfg)) return SIPHB_ERR_INVALID_ARGUMENT;
  if (!cb.random && !siphb_hosted_random_available()) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_alloc alloc;
  if (siphb_alloc_init(&alloc, mem, cfg.mem_budget) != 0) return SIPHB_ERR_INVALID_ARGUMENT;

  siphb_ctx *ctx = siphb_alloc_zeroed(&alloc, sizeof(*ctx));
  if (!ctx) return SIPHB_ERR_NOMEM;
  ctx->alloc = alloc; /* accounting now includes the ctx itself */
  ctx->cb = cb;
  ctx->cfg = cfg;
  ctx->user_data = user_data;
  ctx->now = now;
  siphb_wheel_init(&ctx->wheel, now);

  uint8_t seed[32];
  rv = siphb_ctx_random(ctx, seed, sizeof(seed));
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

bool siphb_ctx_finish(siphb_ctx *ctx) {
  if (ctx->in_callback > 0) return false;
  if (ctx->delete_pending) {
    ctx_free(ctx);
    return true;
  }
  siphb_obj_reap(ctx);
  return false;
}

int siphb_ctx_end_call(siphb_ctx *ctx, int rv) {
  if (ctx->in_callback == 0 && siphb_ctx_finish(ctx)) return 0;
  return rv < 0 ? SIPHB_ERR_CALLBACK_FAILURE : 0;
}

siphb_ms siphb_ctx_clock(siphb_ctx *ctx, siphb_ms now) {
  /* Time going backwards is the integrator's bug: a trap where asserts are
   * on (the sanitizer and fuzz builds), so that it is found; elsewhere a
   * keepalive library keeps running and says so. */
  SIPHB_ASSERT(now >= ctx->now);
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
  if (siphb_ctx_finish(ctx)) return 0;
  return rv == SIPHB_STOPPED ? 0 : rv;
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
  if (!ctx->cb.random) return siphb_random_os(dest, len, NULL) == 0 ? 0 : SIPHB_ERR_CALLBACK_FAILURE;
  ctx->in_callback++;
  return after_callback(ctx, ctx->cb.random(dest, len, ctx->user_data));
}

void siphb_ctx_log(siphb_ctx *ctx, siphb_log_level level, const char *message) {
  if (!ctx->cb.log || level > ctx->cfg.log_level) return;
  ctx->in_callback++;
  ctx->cb.log(ctx, level, message, ctx->user_data);
  ctx->in_callback--;
}

siphb_wheel *siphb_ctx_wheel(siphb_ctx *ctx) { return &ctx->wheel; }
siphb_alloc *siphb_ctx_alloc(siphb_ctx *ctx) { return &ctx->alloc; }
siphb_prng *siphb_ctx_prng(siphb_ctx *ctx) { return &ctx->prng; }
siphb_obj_registry *siphb_ctx_objects(siphb_ctx *ctx) { return &ctx->objects; }
unsigned siphb_ctx_callback_depth(const siphb_ctx *ctx) { return ctx->in_callback; }
bool siphb_ctx_deleting(const siphb_ctx *ctx) { return ctx->delete_pending; }

siphb_module_slot *siphb_ctx_module(siphb_ctx *ctx, siphb_object_kind kind) {
  SIPHB_ASSERT((size_t)kind < SIPHB_CTX_MODULES);
  return &ctx->modules[(size_t)kind];
}

siphb_ms siphb_ctx_now(const siphb_ctx *ctx) { return ctx ? ctx->now : 0; }

void *siphb_ctx_get_user_data(const siphb_ctx *ctx) { return ctx ? ctx->user_data : NULL; }

void siphb_ctx_set_user_data(siphb_ctx *ctx, void *user_data) {
  if (ctx) ctx->user_data = user_data;
}

size_t siphb_ctx_mem_used(const siphb_ctx *ctx) { return ctx ? ctx->alloc.used : 0; }

size_t siphb_ctx_mem_peak(const siphb_ctx *ctx) { return ctx ? ctx->alloc.peak : 0; }
