/*
 * test_timer.c - siphb_timer in simulated time: exact firing times, event
 * contents, periodic timers after a late advance, and deletion/restart from
 * inside callbacks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <siphb/siphb.h>

#include "simclock.h"

static sim S;

static int setup(void **state) {
  (void)state;
  return sim_init(&S, 1000, NULL, 0);
}

static int teardown(void **state) {
  (void)state;
  sim_free(&S);
  return 0;
}

static siphb_timer *new_timer(void *user_data) {
  siphb_timer *t = NULL;
  assert_int_equal(siphb_timer_new(&t, S.ctx, user_data), 0);
  assert_non_null(t);
  return t;
}

static void test_one_shot_fires_once_with_full_event(void **state) {
  (void)state;
  int tag;
  siphb_timer *t = new_timer(&tag);
  assert_int_equal(siphb_timer_deadline(t), SIPHB_NEVER);
  assert_int_equal(siphb_timer_start(t, 250, 0, 1000), 0);
  assert_int_equal(siphb_timer_deadline(t), 1250);
  assert_int_equal(siphb_ctx_next_deadline(S.ctx), 1250);
  assert_int_equal(sim_run_until(&S, 10000), 0);
  assert_int_equal(S.nrecords, 1);
  const sim_record *r = &S.records[0];
  assert_int_equal(r->at, 1250);
  assert_int_equal(r->event.type, SIPHB_EVENT_TIMER);
  assert_int_equal(r->event.object_kind, SIPHB_OBJECT_TIMER);
  assert_ptr_equal(r->event.object, t);
  assert_ptr_equal(r->event.object_user_data, &tag);
  assert_int_equal(r->event.now, 1250);
  assert_int_equal(r->event.due, 1250);
  assert_int_equal(r->event.u.timer.deadline, 1250);
  assert_int_equal(r->event.u.timer.fire_count, 1);
  assert_int_equal(r->event.u.timer.skipped, 0);
  assert_int_equal(siphb_timer_deadline(t), SIPHB_NEVER);
  assert_ptr_equal(siphb_timer_get_user_data(t), &tag);
  siphb_timer_set_user_data(t, NULL);
  assert_null(siphb_timer_get_user_data(t));
}

static void test_periodic_fires_on_the_period(void **state) {
  (void)state;
  siphb_timer *t = new_timer(NULL);
  assert_int_equal(siphb_timer_start(t, 250, 250, 1000), 0);
  assert_int_equal(sim_run_until(&S, 2000), 0);
  assert_int_equal(S.nrecords, 4);
  for (size_t i = 0; i < 4; i++) {
    assert_int_equal(S.records[i].at, 1250 + 250 * i);
    assert_int_equal(S.records[i].event.u.timer.fire_count, i + 1);
  }
  assert_int_equal(siphb_timer_deadline(t), 2250);
  /* every wake-up fired something: next_deadline was exact */
  assert_int_equal(S.advances, 4);
}

/* Two hours late: a 1 s periodic timer fires once, says how many periods it
 * skipped, and resumes on its original phase. */
static void test_late_periodic_fires_once_and_reports_skips(void **state) {
  (void)state;
  siphb_timer *t = new_timer(NULL);
  assert_int_equal(siphb_timer_start(t, 1000, 1000, 1000), 0); /* due 2000, 3000, ... */
  const siphb_ms late = 2000 + 2 * 3600 * 1000 + 500;
  assert_int_equal(siphb_ctx_advance(S.ctx, late), 0);
  assert_int_equal(S.nrecords, 1);
  assert_int_equal(S.records[0].event.due, 2000);
  assert_int_equal(S.records[0].event.now, late);
  assert_int_equal(S.records[0].event.u.timer.skipped, 7200);
  assert_int_equal(siphb_timer_deadline(t), 2000 + 7201 * 1000);
  assert_int_equal(siphb_ctx_next_deadline(S.ctx), 2000 + 7201 * 1000);
}

static void test_stop(void **state) {
  (void)state;
  siphb_timer *t = new_timer(NULL);
  assert_int_equal(siphb_timer_start(t, 10, 10, 1000), 0);
  assert_int_equal(siphb_timer_stop(t, 1005), 0);
  assert_int_equal(siphb_timer_stop(t, 1005), 0);
  assert_int_equal(siphb_timer_deadline(t), SIPHB_NEVER);
  assert_int_equal(siphb_ctx_next_deadline(S.ctx), SIPHB_NEVER);
  assert_int_equal(sim_run_until(&S, 5000), 0);
  assert_int_equal(S.nrecords, 0);
}

static void test_invalid_arguments(void **state) {
  (void)state;
  siphb_timer *t = (siphb_timer *)(uintptr_t)1;
  assert_int_equal(siphb_timer_new(NULL, S.ctx, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_timer_new(&t, NULL, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  assert_ptr_equal(t, (siphb_timer *)(uintptr_t)1);
  assert_int_equal(siphb_timer_start(NULL, 1, 0, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_timer_stop(NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  t = new_timer(NULL);
  assert_int_equal(siphb_timer_start(t, SIPHB_NEVER - 1000, 0, 1000), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_timer_deadline(t), SIPHB_NEVER); /* unchanged */
  assert_int_equal(siphb_timer_deadline(NULL), SIPHB_NEVER);
  siphb_timer_del(NULL);
}

/* Hooks acting from inside the event callback. */
typedef struct actions {
  siphb_timer *self_delete;   /* deletes itself when it fires */
  siphb_timer *victim;        /* deleted by the first event */
  siphb_timer *restart;       /* restarted with delay 7 when it fires */
  bool create_new;            /* first event creates and starts a 0-delay timer */
  siphb_timer *created;
  bool restarted;
  size_t mem_in_callback; /* at the first event */
  int events;
} actions;

static int act(sim *s, const siphb_event *ev) {
  actions *a = s->hook_arg;
  siphb_timer *t = ev->object;
  if (a->events++ == 0) a->mem_in_callback = siphb_ctx_mem_used(s->ctx);
  if (a->victim) {
    siphb_timer_del(a->victim);
    a->victim = NULL;
  }
  if (t == a->self_delete) {
    siphb_timer_del(t);
    /* still readable in the callback; calls on it are refused */
    assert_int_equal(siphb_timer_start(t, 1, 0, ev->now), SIPHB_ERR_INVALID_ARGUMENT);
  }
  if (t == a->restart && !a->restarted) {
    a->restarted = true;
    assert_int_equal(siphb_timer_start(t, 7, 0, ev->now), 0);
  }
  if (a->create_new) {
    a->create_new = false;
    assert_int_equal(siphb_timer_new(&a->created, s->ctx, NULL), 0);
    assert_int_equal(siphb_timer_start(a->created, 0, 0, ev->now), 0);
  }
  return 0;
}

static void test_delete_self_and_others_from_callback(void **state) {
  (void)state;
  actions a = {0};
  S.hook = act;
  S.hook_arg = &a;
  siphb_timer *first = new_timer(NULL), *second = new_timer(NULL), *third = new_timer(NULL);
  assert_int_equal(siphb_timer_start(first, 100, 100, 1000), 0);
  assert_int_equal(siphb_timer_start(second, 100, 0, 1000), 0); /* same ms as first */
  assert_int_equal(siphb_timer_start(third, 300, 0, 1000), 0);
  a.self_delete = first;
  a.victim = second;
  size_t before = siphb_ctx_mem_used(S.ctx);
  assert_int_equal(sim_run_until(&S, 5000), 0);
  /* first fired once and deleted itself; second was deleted before firing */
  assert_int_equal(S.nrecords, 2);
  assert_ptr_equal(S.records[0].event.object, first);
  assert_ptr_equal(S.records[1].event.object, third);
  assert_int_equal(S.records[1].at, 1300);
  /* freed after the callback returned, not during it */
  assert_int_equal(a.mem_in_callback, before);
  assert_true(siphb_ctx_mem_used(S.ctx) < before);
}

static void test_restart_and_create_from_callback(void **state) {
  (void)state;
  actions a = {0};
  S.hook = act;
  S.hook_arg = &a;
  siphb_timer *t = new_timer(NULL);
  a.restart = t;
  a.create_new = true;
  assert_int_equal(siphb_timer_start(t, 50, 0, 1000), 0);
  assert_int_equal(sim_run_until(&S, 5000), 0);
  assert_int_equal(S.nrecords, 3);
  assert_ptr_equal(S.records[0].event.object, t);
  assert_int_equal(S.records[0].at, 1050);
  /* the 0-delay timer created in the callback fires in the same advance */
  assert_ptr_equal(S.records[1].event.object, a.created);
  assert_int_equal(S.records[1].at, 1050);
  assert_ptr_equal(S.records[2].event.object, t);
  assert_int_equal(S.records[2].at, 1057);
  assert_int_equal(S.records[2].event.u.timer.fire_count, 1); /* restart resets the count */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_one_shot_fires_once_with_full_event, setup, teardown),
      cmocka_unit_test_setup_teardown(test_periodic_fires_on_the_period, setup, teardown),
      cmocka_unit_test_setup_teardown(test_late_periodic_fires_once_and_reports_skips, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_stop, setup, teardown),
      cmocka_unit_test_setup_teardown(test_invalid_arguments, setup, teardown),
      cmocka_unit_test_setup_teardown(test_delete_self_and_others_from_callback, setup, teardown),
      cmocka_unit_test_setup_teardown(test_restart_and_create_from_callback, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
