/*
 * timer.c - siphb_timer: the integrator's own timers on the ctx's wheel.
 */
#include <siphb/timer.h>

#include "engine/ctx_int.h"

struct siphb_timer {
  siphb_obj base; /* first: the handle is the object */
  siphb_wheel_node node;
  siphb_ms period;  /* 0 = one-shot */
  uint64_t fire_count;
};

static siphb_timer *timer_of(siphb_wheel_node *node) {
  return (siphb_timer *)(void *)((char *)node - offsetof(siphb_timer, node));
}

static void timer_stop_op(siphb_obj *obj) {
  siphb_timer *t = (siphb_timer *)(void *)obj;
  siphb_wheel_cancel(siphb_ctx_wheel(obj->ctx), &t->node);
}

static const siphb_obj_ops timer_ops = {SIPHB_OBJECT_TIMER, sizeof(siphb_timer), timer_stop_op,
                                        NULL, NULL};

/* The deadline after `due` that is later than `now`, and how many periods
 * were passed over to get there; SIPHB_NEVER if it would overflow. */
static siphb_ms next_period(siphb_ms due, siphb_ms period, siphb_ms now, uint64_t *skipped) {
  uint64_t missed = now >= due ? (now - due) / period : 0;
  *skipped = missed;
  uint64_t steps = missed + 1;
  if (steps > (SIPHB_NEVER - 1 - due) / period) return SIPHB_NEVER;
  return due + steps * period;
}

static int timer_fire(siphb_wheel_node *node, siphb_ms now, void *arg) {
  siphb_ctx *ctx = arg;
  siphb_timer *t = timer_of(node);
  siphb_ms due = node->deadline;
  uint64_t skipped = 0;
  t->fire_count++;
  /* Re-armed before the event, so the callback sees the next deadline and
   * may stop or restart the timer. */
  if (t->period)
    siphb_wheel_arm(siphb_ctx_wheel(ctx), node, next_period(due, t->period, now, &skipped));
  siphb_event ev = {0};
  siphb_obj_fill_event(&t->base, &ev, SIPHB_EVENT_TIMER, due, now);
  ev.u.timer.deadline = due;
  ev.u.timer.fire_count = t->fire_count;
  ev.u.timer.skipped = skipped;
  return siphb_ctx_emit(ctx, &ev);
}

int siphb_timer_new(siphb_timer **out, siphb_ctx *ctx, void *user_data) {
  if (!out || !ctx) return SIPHB_ERR_INVALID_ARGUMENT;
  void *obj;
  int rv = siphb_obj_new(&obj, ctx, &timer_ops, user_data);
  if (rv != 0) return rv;
  siphb_timer *t = obj;
  siphb_wheel_node_init(&t->node, timer_fire);
  *out = t;
  return 0;
}

void siphb_timer_del(siphb_timer *t) {
  if (t) siphb_obj_delete(&t->base);
}

int siphb_timer_start(siphb_timer *t, siphb_ms delay, siphb_ms period, siphb_ms now) {
  if (!t || siphb_obj_dead(&t->base)) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_ctx *ctx = t->base.ctx;
  now = siphb_ctx_clock(ctx, now);
  if (delay >= SIPHB_NEVER - now) return SIPHB_ERR_INVALID_ARGUMENT;
  t->period = period;
  t->fire_count = 0;
  siphb_wheel_arm(siphb_ctx_wheel(ctx), &t->node, now + delay);
  return 0;
}

int siphb_timer_stop(siphb_timer *t, siphb_ms now) {
  if (!t || siphb_obj_dead(&t->base)) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_ctx_clock(t->base.ctx, now);
  siphb_wheel_cancel(siphb_ctx_wheel(t->base.ctx), &t->node);
  return 0;
}

siphb_ms siphb_timer_deadline(const siphb_timer *t) {
  if (!t || !siphb_wheel_node_armed(&t->node)) return SIPHB_NEVER;
  return t->node.deadline;
}

void *siphb_timer_get_user_data(const siphb_timer *t) { return t ? t->base.user_data : NULL; }

void siphb_timer_set_user_data(siphb_timer *t, void *user_data) {
  if (t) t->base.user_data = user_data;
}
