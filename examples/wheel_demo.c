/*
 * wheel_demo.c - a walk through siphb's ctx and timers in simulated time.
 *
 * siphb reads no clock: every call that changes state takes `now` (ms of the
 * integrator's monotonic clock). A real program would sleep/poll until
 * siphb_ctx_next_deadline(); this demo just jumps the clock there, so it runs
 * instantly and prints the same transcript every time.
 */
#include <siphb/siphb.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#define SECOND ((siphb_ms)1000)
#define HOUR (3600 * SECOND)
#define DAY (24 * HOUR)

/* Our own bookkeeping for each timer; passed to siphb as its user pointer. */
typedef struct demo_timer {
  const char *name;
  siphb_timer *timer;
} demo_timer;

/* "1d 02:03:04.005"-style rendering of a time in ms. */
static const char *fmt_ms(siphb_ms ms, char *buf, size_t size) {
  snprintf(buf, size, "%" PRIu64 "d %02u:%02u:%02u.%03u", ms / DAY,
           (unsigned)(ms % DAY / HOUR), (unsigned)(ms % HOUR / 60000u),
           (unsigned)(ms % 60000u / 1000u), (unsigned)(ms % 1000u));
  return buf;
}

static void check(int rc, const char *what) {
  if (rc != 0) {
    fprintf(stderr, "%s: %s\n", what, siphb_strerror(rc));
    exit(1);
  }
}

/* send: required by the ctx; plain timers never send anything. */
static int on_send(siphb_ctx *ctx, const siphb_send_info *info, const uint8_t *data, size_t len,
                   void *user_data) {
  (void)ctx; (void)info; (void)data; (void)len; (void)user_data;
  return 0;
}

/* event: called from inside siphb_ctx_advance() for everything that is due. */
static int on_event(siphb_ctx *ctx, const siphb_event *ev, void *user_data) {
  char now[32], due[32];
  demo_timer *dt = ev->object_user_data;
  (void)ctx; (void)user_data;
  if (ev->type != SIPHB_EVENT_TIMER) {
    printf("  (event %s)\n", siphb_event_type_name(ev->type));
    return 0;
  }
  printf("  now %s  %-7s fired #%" PRIu64 " (due %s", fmt_ms(ev->now, now, sizeof now),
         dt->name, ev->u.timer.fire_count, fmt_ms(ev->due, due, sizeof due));
  if (ev->u.timer.skipped)
    printf(", late: %" PRIu64 " periods skipped, not replayed", ev->u.timer.skipped);
  printf(")\n");
  /* Deleting the timer that is reporting, from its own callback, is allowed:
   * siphb frees it once advance() returns. */
  if (ev->u.timer.skipped) {
    printf("          %-7s deletes itself from its own callback\n", dt->name);
    siphb_timer_del(dt->timer);
    dt->timer = NULL;
  }
  return 0; /* non-zero would abort advance() with SIPHB_ERR_CALLBACK_FAILURE */
}

/* The integrator's loop, minus the waiting: ask when, jump there, advance. */
static siphb_ms run_until(siphb_ctx *ctx, siphb_ms now, siphb_ms limit) {
  char buf[32];
  for (;;) {
    siphb_ms next = siphb_ctx_next_deadline(ctx);
    if (next == SIPHB_NEVER) {
      printf("next deadline: SIPHB_NEVER (nothing armed)\n");
      return now;
    }
    if (next > limit) return now;
    if (next > now) now = next; /* a deadline <= now means "advance now" */
    printf("next deadline %s -> siphb_ctx_advance()\n", fmt_ms(now, buf, sizeof buf));
    check(siphb_ctx_advance(ctx, now), "siphb_ctx_advance");
  }
}

int main(void) {
  siphb_callbacks cb;
  siphb_ctx *ctx = NULL;
  siphb_ms now = 0; /* simulated clock; any origin works */
  char buf[32];
  demo_timer t[] = {{"once", NULL}, {"tie-A", NULL}, {"tie-B", NULL},
                    {"tick", NULL}, {"49days", NULL}};
  size_t i;

  printf("siphb %s: timer wheel demo (simulated time)\n\n", siphb_version());
  siphb_callbacks_init(&cb, sizeof cb);
  cb.send = on_send;
  cb.event = on_event;
  /* cfg NULL = defaults, mem NULL = malloc/free, random NULL = OS source. */
  check(siphb_ctx_new(&ctx, NULL, &cb, NULL, NULL, now), "siphb_ctx_new");
  for (i = 0; i < sizeof t / sizeof t[0]; i++)
    check(siphb_timer_new(&t[i].timer, ctx, &t[i]), "siphb_timer_new");

  /* siphb_timer_start(timer, delay, period (0 = one-shot), now) */
  check(siphb_timer_start(t[0].timer, 1, 0, now), "start once");
  /* Same deadline: they fire in the order they were armed. */
  check(siphb_timer_start(t[1].timer, 100, 0, now), "start tie-A");
  check(siphb_timer_start(t[2].timer, 100, 0, now), "start tie-B");
  check(siphb_timer_start(t[3].timer, 250, 250, now), "start tick");
  /* 49 days is past 2^32 ms: siphb_ms is 64-bit, nothing wraps. */
  check(siphb_timer_start(t[4].timer, 49 * DAY, 0, now), "start 49days");
  printf("armed: once @1 ms, tie-A and tie-B @100 ms, tick every 250 ms, 49days @49 days\n\n");

  printf("-- 1. drive the clock from deadline to deadline up to 1 s\n");
  now = run_until(ctx, now, SECOND);

  printf("\n-- 2. a late advance: the process was stopped for 2 hours\n");
  now += 2 * HOUR;
  printf("siphb_ctx_advance(now = %s)\n", fmt_ms(now, buf, sizeof buf));
  check(siphb_ctx_advance(ctx, now), "siphb_ctx_advance");

  printf("\n-- 3. carry on until nothing is armed\n");
  now = run_until(ctx, now, SIPHB_NEVER);

  /* Deleting the ctx deletes every timer still on it. */
  siphb_ctx_del(ctx);
  printf("\ndone at %s; ctx deleted\n", fmt_ms(now, buf, sizeof buf));
  return 0;
}
