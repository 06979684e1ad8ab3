/*
 * quietctx.c - a ctx whose callbacks do nothing (quietctx.h).
 */
#include "quietctx.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

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

void quiet_callbacks(siphb_callbacks *cb) { test_callbacks(cb, quiet_send, quiet_event, NULL); }

siphb_ctx *quiet_ctx(void) {
  siphb_callbacks cb;
  quiet_callbacks(&cb);
  siphb_ctx *ctx = NULL;
  assert_int_equal(siphb_ctx_new(&ctx, NULL, &cb, NULL, NULL, 0), 0);
  return ctx;
}

siphb_ctx *test_ctx_new(test_send_fn send, test_event_fn event, siphb_random_fn random,
                        const siphb_mem *mem, void *user_data) {
  siphb_callbacks cb;
  test_callbacks(&cb, send, event, random);
  siphb_ctx *ctx = NULL;
  assert_int_equal(siphb_ctx_new(&ctx, NULL, &cb, mem, user_data, 0), 0);
  return ctx;
}

void test_drive(siphb_ctx *ctx, siphb_ms *now, siphb_ms end, test_next_input_fn next_input,
                void (*deliver)(size_t i), void (*after_advance)(void)) {
  while (*now < end) {
    siphb_ms next = siphb_ctx_next_deadline(ctx);
    siphb_ms at = 0;
    size_t first = next_input(&at);
    if (first != SIZE_MAX && at < next) {
      if (at > *now) *now = at;
      deliver(first);
    } else {
      if (next == SIPHB_NEVER) break;
      if (next > *now) *now = next;
      assert_int_equal(siphb_ctx_advance(ctx, *now), 0);
      if (after_advance) after_advance();
    }
  }
}
