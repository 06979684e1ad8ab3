/*
 * consumer.c - a program built against an *installed* siphb, outside the
 * source tree, to check the headers, pkg-config file and CMake package.
 * Built by tests/consumer/run.sh (see there).
 */
#include <siphb/siphb.h>

#include <stdio.h>

static int on_send(siphb_ctx *ctx, const siphb_send_info *info, const uint8_t *data,
                   size_t len, void *user_data) {
  (void)ctx; (void)info; (void)data; (void)len; (void)user_data;
  return 0;
}

static int on_event(siphb_ctx *ctx, const siphb_event *ev, void *user_data) {
  (void)ctx;
  if (ev->type == SIPHB_EVENT_TIMER)
    ++*(int *)user_data;
  return 0;
}

int main(void) {
  siphb_callbacks cb;
  siphb_ctx *ctx = NULL;
  siphb_timer *t = NULL;
  int fired = 0;
  int rc;

  siphb_callbacks_init(&cb, sizeof cb);
  cb.send = on_send;
  cb.event = on_event;
  if ((rc = siphb_ctx_new(&ctx, NULL, &cb, NULL, &fired, 0)) != 0) {
    fprintf(stderr, "siphb_ctx_new: %s\n", siphb_strerror(rc));
    return 1;
  }
  if ((rc = siphb_timer_new(&t, ctx, NULL)) != 0 ||
      (rc = siphb_timer_start(t, 5, 0, 0)) != 0 ||
      (rc = siphb_ctx_advance(ctx, 10)) != 0) {
    fprintf(stderr, "siphb call failed: %s\n", siphb_strerror(rc));
    siphb_ctx_del(ctx);
    return 1;
  }
  siphb_ctx_del(ctx);
  if (fired != 1) {
    fprintf(stderr, "expected the timer to fire once, it fired %d times\n", fired);
    return 1;
  }
  if (siphb_version_number() != (uint32_t)SIPHB_VERSION_NUM) {
    fprintf(stderr, "header %s does not match library %s\n", SIPHB_VERSION, siphb_version());
    return 1;
  }
  printf("siphb %s (headers %s)\n", siphb_version(), SIPHB_VERSION);
  printf("consumer ok\n");
  return 0;
}
