/*
 * quietctx.c - a ctx whose callbacks do nothing (quietctx.h).
 */
#include "quietctx.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

static int quiet_send(siphb_ctx *c, const siphb_send_info *i, const uint8_t *d, size_t l,
                      void *u) {
  (void)c, (void)i, (void)d, (void)l, (void)u;
  return 0;
}

static int quiet_event(siphb_ctx *c, const siphb_event *e, void *u) {
  (void)c, (void)e, (void)u;
  return 0;
}

void quiet_callbacks(siphb_callbacks *cb) {
  siphb_callbacks_init(cb, sizeof *cb);
  cb->send = quiet_send;
  cb->event = quiet_event;
}

siphb_ctx *quiet_ctx(void) {
  siphb_callbacks cb;
  quiet_callbacks(&cb);
  siphb_ctx *ctx = NULL;
  assert_int_equal(siphb_ctx_new(&ctx, NULL, &cb, NULL, NULL, 0), 0);
  return ctx;
}
