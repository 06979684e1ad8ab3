/*
 * test_obs.c - how objects compose on a ctx: the observation wiring
 * (engine/obs.h: one sink per source, fixed order, O(1) unlinking from
 * either side, a sink deleted in the source's callback is not fed), the
 * typed-wiring check (siphb_obj_sink) and the per-module slots of the ctx,
 * destroyed after every object at ctx deletion.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <siphb/siphb.h>

#include "engine/ctx_int.h"
#include "engine/obs.h"
#include "quietctx.h"

/* ---- a source and a judge, as a probe and a health would be ---------------- */

typedef struct judge {
  siphb_obj base;
  siphb_obs_sink sink;
  int fed;
  siphb_event_type last_type;
  siphb_ms last_now;
} judge;

typedef struct source {
  siphb_obj base;
  siphb_obs_link link;
} source;

static char order[16];
static size_t order_len;

static int judge_observe(siphb_obs_sink *sink, const siphb_event *ev, siphb_ms now) {
  judge *j = (judge *)(void *)((char *)sink - offsetof(judge, sink));
  j->fed++;
  j->last_type = ev->type;
  j->last_now = now;
  order[order_len++] = 'J';
  return 0;
}

static void judge_stop(siphb_obj *obj) { siphb_obs_sink_close(&((judge *)(void *)obj)->sink); }
static siphb_obs_sink *judge_sink(siphb_obj *obj) { return &((judge *)(void *)obj)->sink; }
static void source_stop(siphb_obj *obj) { siphb_obs_detach(&((source *)(void *)obj)->link); }

static const siphb_obj_ops judge_ops = {SIPHB_OBJECT_HEALTH, sizeof(judge), judge_stop, NULL,
                                        judge_sink};
static const siphb_obj_ops source_ops = {SIPHB_OBJECT_PROBE, sizeof(source), source_stop, NULL,
                                         NULL};

static judge *new_judge(siphb_ctx *ctx) {
  void *obj;
  assert_int_equal(siphb_obj_new(&obj, ctx, &judge_ops, NULL), 0);
  judge *j = obj;
  siphb_obs_sink_init(&j->sink, judge_observe);
  return j;
}

static source *new_source(siphb_ctx *ctx) {
  void *obj;
  assert_int_equal(siphb_obj_new(&obj, ctx, &source_ops, NULL), 0);
  return obj;
}

/* What a source does with a result: its own event first, then its sink. */
static int source_report(source *s, siphb_ms now) {
  siphb_event ev;
  memset(&ev, 0, sizeof ev);
  siphb_obj_fill_event(&s->base, &ev, (siphb_event_type)100, now, now);
  int rv = siphb_ctx_emit(s->base.ctx, &ev);
  if (rv != 0 || siphb_obj_dead(&s->base)) return rv;
  return siphb_obs_deliver(&s->link, &ev, now);
}

/* ---- the ctx's callbacks ----------------------------------------------------- */

static judge *delete_in_callback; /* the event callback deletes this judge */

static int on_event(siphb_ctx *ctx, const siphb_event *ev, void *u) {
  (void)ctx, (void)ev, (void)u;
  order[order_len++] = 'S';
  if (delete_in_callback) siphb_obj_delete(&delete_in_callback->base);
  return 0;
}

static siphb_ctx *new_ctx(void) {
  siphb_callbacks cb;
  quiet_callbacks(&cb);
  cb.event = on_event;
  siphb_ctx *ctx;
  assert_int_equal(siphb_ctx_new(&ctx, NULL, &cb, NULL, NULL, 0), 0);
  order_len = 0;
  delete_in_callback = NULL;
  return ctx;
}

static void test_source_feeds_its_sink_after_its_event(void **state) {
  (void)state;
  siphb_ctx *ctx = new_ctx();
  judge *j = new_judge(ctx);
  source *s = new_source(ctx);
  assert_int_equal(source_report(s, 5), 0); /* not attached: nobody fed */
  assert_int_equal(j->fed, 0);
  assert_int_equal(siphb_obs_attach(&s->link, &j->sink), 0);
  assert_int_equal(siphb_obs_attach(&s->link, &j->sink), SIPHB_ERR_INVALID_STATE); /* one sink */
  order_len = 0;
  assert_int_equal(source_report(s, 7), 0);
  assert_int_equal(j->fed, 1);
  assert_int_equal(j->last_type, 100);
  assert_int_equal(j->last_now, 7);
  assert_memory_equal(order, "SJ", 2); /* the source's event, then the judge */
  siphb_obs_detach(&s->link);
  siphb_obs_detach(&s->link); /* twice is fine */
  assert_int_equal(source_report(s, 8), 0);
  assert_int_equal(j->fed, 1);
  siphb_ctx_del(ctx);
}

/* Deleting either side unlinks it; a judge deleted in the source's own
 * callback is not fed. */
static void test_deletion_unlinks_either_side(void **state) {
  (void)state;
  siphb_ctx *ctx = new_ctx();
  judge *j = new_judge(ctx);
  source *a = new_source(ctx), *b = new_source(ctx), *c = new_source(ctx);
  assert_int_equal(siphb_obs_attach(&a->link, &j->sink), 0);
  assert_int_equal(siphb_obs_attach(&b->link, &j->sink), 0);
  assert_int_equal(siphb_obs_attach(&c->link, &j->sink), 0);
  siphb_obj_delete(&b->base); /* the middle source goes */
  assert_ptr_equal(j->sink.sources, &c->link);
  assert_ptr_equal(c->link.next, &a->link);
  assert_null(a->link.next);
  assert_int_equal(source_report(a, 1), 0);
  assert_int_equal(source_report(c, 1), 0);
  assert_int_equal(j->fed, 2);
  delete_in_callback = j;
  assert_int_equal(source_report(a, 2), 0);
  assert_int_equal(j->fed, 2); /* deleted before it could be fed */
  assert_null(a->link.sink);   /* and every source was detached */
  assert_null(c->link.sink);
  delete_in_callback = NULL;
  siphb_obj_reap(ctx); /* what the outermost call would do */
  siphb_ctx_del(ctx);
}

/* Typed wiring finds a sink only on a live object of the right kind on the
 * same ctx. */
static void test_obj_sink_checks_kind_ctx_and_life(void **state) {
  (void)state;
  siphb_ctx *ctx = new_ctx(), *other = new_ctx();
  judge *j = new_judge(ctx);
  source *s = new_source(ctx);
  assert_ptr_equal(siphb_obj_sink(&j->base, ctx, SIPHB_OBJECT_HEALTH), &j->sink);
  assert_null(siphb_obj_sink(&j->base, ctx, SIPHB_OBJECT_FAILOVER)); /* wrong kind */
  assert_null(siphb_obj_sink(&j->base, other, SIPHB_OBJECT_HEALTH)); /* other ctx */
  assert_null(siphb_obj_sink(&s->base, ctx, SIPHB_OBJECT_PROBE));    /* no sink */
  assert_null(siphb_obj_sink(NULL, ctx, SIPHB_OBJECT_HEALTH));
  j->base.flags |= SIPHB_OBJ_DEAD; /* as a deleted one parked until reaped */
  assert_null(siphb_obj_sink(&j->base, ctx, SIPHB_OBJECT_HEALTH));
  j->base.flags &= ~(uint32_t)SIPHB_OBJ_DEAD;
  siphb_ctx_del(other);
  siphb_ctx_del(ctx);
}

/* ---- module slots ------------------------------------------------------------ */

static int destroyed;
static size_t live_when_destroyed;
static void slot_destroy(siphb_ctx *ctx, void *state) {
  (void)ctx;
  destroyed++;
  live_when_destroyed = *(size_t *)state;
}

static size_t live_objects;
static void counted_stop(siphb_obj *obj) {
  (void)obj;
  live_objects--;
}
static const siphb_obj_ops counted_ops = {SIPHB_OBJECT_FLOW, sizeof(siphb_obj), counted_stop, NULL,
                                          NULL};

static void test_module_slots_outlive_objects(void **state) {
  (void)state;
  siphb_ctx *ctx = new_ctx();
  for (int k = 0; k <= (int)SIPHB_OBJECT_SESSION; k++) {
    siphb_module_slot *slot = siphb_ctx_module(ctx, (siphb_object_kind)k);
    assert_non_null(slot);
    assert_null(slot->state); /* empty until a module fills it */
  }
  siphb_module_slot *slot = siphb_ctx_module(ctx, SIPHB_OBJECT_FLOW);
  slot->state = &live_objects;
  slot->destroy = slot_destroy;
  live_objects = 0;
  for (int i = 0; i < 3; i++) {
    void *obj;
    assert_int_equal(siphb_obj_new(&obj, ctx, &counted_ops, NULL), 0);
    live_objects++;
  }
  destroyed = 0;
  live_when_destroyed = 99;
  siphb_ctx_del(ctx);
  assert_int_equal(destroyed, 1);
  assert_int_equal(live_when_destroyed, 0); /* after every object stopped */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_source_feeds_its_sink_after_its_event),
      cmocka_unit_test(test_deletion_unlinks_either_side),
      cmocka_unit_test(test_obj_sink_checks_kind_ctx_and_life),
      cmocka_unit_test(test_module_slots_outlive_objects),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
