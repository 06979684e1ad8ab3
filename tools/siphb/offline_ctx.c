/*
 * offline_ctx.c - the ctx of the simulated-time subcommands (offline_ctx.h).
 */
#include "offline_ctx.h"

static int no_send(siphb_ctx *ctx, const siphb_send_info *info, const uint8_t *data, size_t len,
                   void *user_data) {
  (void)ctx, (void)info, (void)data, (void)len, (void)user_data;
  return 0;
}

/* A fixed source: the same input gives the same output every run. */
static int fixed_random(uint8_t *dest, size_t len, void *user_data) {
  (void)user_data;
  for (size_t i = 0; i < len; i++) dest[i] = (uint8_t)(0x5A + 7 * i);
  return 0;
}

int offline_ctx_new(siphb_ctx **out, offline_event_fn event, void *user_data) {
  siphb_callbacks cb;
  siphb_callbacks_init(&cb, sizeof cb);
  cb.event = event;
  cb.send = no_send;
  cb.random = fixed_random;
  return siphb_ctx_new(out, NULL, &cb, NULL, user_data, 0);
}
