/*
 * test_wheel.c - the internal timer wheel: ordering, range, late advance,
 * changes made while firing, and a randomized comparison with a reference
 * model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/wheel.h"

#define DAY ((siphb_ms)86400000)

typedef struct tnode {
  siphb_wheel_node node; /* first, so a node pointer is a tnode pointer */
  int id;
  siphb_ms fired_at;   /* `now` passed to fire */
  siphb_ms fired_due;  /* node->deadline when it fired */
  int fires;
} tnode;

typedef struct firelog {
  int ids[20000];
  size_t n;
  int fail_on_id; /* fire returns 99 for this id (once) */
  siphb_wheel *w;
  /* actions performed when a given id fires */
  int cancel_id_on;      /* when this id fires ... */
  tnode *cancel_target;  /* ... cancel this node */
  int rearm_id_on;
  siphb_ms rearm_to;
  tnode *arm_target_on_fire;
  siphb_ms arm_target_deadline;
} firelog;

static firelog *LOG;

static int fire(siphb_wheel_node *n, siphb_ms now, void *arg) {
  tnode *t = (tnode *)(void *)n;
  firelog *log = arg;
  assert_ptr_equal(log, LOG);
  assert_false(siphb_wheel_node_armed(n));
  assert_true(n->deadline <= now);
  if (t->id == log->fail_on_id) {
    log->fail_on_id = -1;
    return 99;
  }
  t->fires++;
  t->fired_at = now;
  t->fired_due = n->deadline;
  if (log->n < sizeof(log->ids) / sizeof(log->ids[0])) log->ids[log->n++] = t->id;
  if (t->id == log->cancel_id_on && log->cancel_target)
    siphb_wheel_cancel(log->w, &log->cancel_target->node);
  if (t->id == log->rearm_id_on) {
    log->rearm_id_on = -1;
    siphb_wheel_arm(log->w, n, log->rearm_to);
  }
  if (log->arm_target_on_fire && t->id == 0) {
    siphb_wheel_arm(log->w, &log->arm_target_on_fire->node, log->arm_target_deadline);
    log->arm_target_on_fire = NULL;
  }
  return 0;
}

static void setup_nodes(tnode *nodes, size_t n) {
  for (size_t i = 0; i < n; i++) {
    memset(&nodes[i], 0, sizeof(nodes[i]));
    siphb_wheel_node_init(&nodes[i].node, fire);
    nodes[i].id = (int)i;
  }
}

static void init_log(firelog *log, siphb_wheel *w) {
  memset(log, 0, sizeof(*log));
  log->fail_on_id = -1;
  log->cancel_id_on = -1;
  log->rearm_id_on = -1;
  log->w = w;
  LOG = log;
}

/* The usual start of a test: a wheel at `now`, an empty log bound to it, n
 * disarmed nodes with ids 0..n-1. */
static void wheel_start(siphb_wheel *w, firelog *log, tnode *nodes, size_t n, siphb_ms now) {
  siphb_wheel_init(w, now);
  init_log(log, w);
  setup_nodes(nodes, n);
}

static uint64_t lcg_state;
static uint64_t lcg(void) {
  lcg_state = lcg_state * 6364136223846793005u + 1442695040888963407u;
  return lcg_state >> 17;
}

static void test_node_is_32_bytes_on_lp64(void **state) {
  (void)state;
  if (sizeof(void *) == 8) assert_int_equal(sizeof(siphb_wheel_node), 32);
}

static void test_empty_wheel(void **state) {
  (void)state;
  siphb_wheel w;
  siphb_wheel_init(&w, 1000);
  firelog log;
  init_log(&log, &w);
  assert_int_equal(siphb_wheel_next_deadline(&w), SIPHB_NEVER);
  assert_int_equal(siphb_wheel_advance(&w, 5000000, &log), 0);
  assert_int_equal(log.n, 0);
  assert_int_equal(siphb_wheel_count(&w), 0);
}

/* Timers due in the same millisecond fire in the order they were armed, even
 * when armed at different times (and so first placed at different levels). */
static void test_same_millisecond_fires_in_arm_order(void **state) {
  (void)state;
  static tnode nodes[300];
  siphb_wheel w;
  firelog log;
  wheel_start(&w, &log, nodes, 300, 0);
  const siphb_ms due = 300000; /* 5 minutes: several levels up at t=0 */
  for (int i = 0; i < 100; i++) siphb_wheel_arm(&w, &nodes[i].node, due);
  assert_int_equal(siphb_wheel_advance(&w, 299000, &log), 0);
  for (int i = 100; i < 200; i++) siphb_wheel_arm(&w, &nodes[i].node, due);
  assert_int_equal(siphb_wheel_advance(&w, 299990, &log), 0);
  for (int i = 200; i < 300; i++) siphb_wheel_arm(&w, &nodes[i].node, due);
  assert_int_equal(log.n, 0);
  assert_int_equal(siphb_wheel_next_deadline(&w), due);
  assert_int_equal(siphb_wheel_advance(&w, due, &log), 0);
  assert_int_equal(log.n, 300);
  for (int i = 0; i < 300; i++) assert_int_equal(log.ids[i], i);
}

/* From 1 ms to beyond the horizon, each timer fires exactly at its deadline
 * when the loop wakes at next_deadline, and next_deadline is exact. */
static void test_range_1ms_to_beyond_49_days(void **state) {
  (void)state;
  static const siphb_ms delays[] = {1, 2, 63, 64, 65, 4095, 4096, 262143, 262144, 30000,
                                    3600000, 49 * DAY, 50 * DAY, 397 * DAY,
                                    SIPHB_WHEEL_HORIZON + 5, 3 * SIPHB_WHEEL_HORIZON + 17};
  const size_t n = sizeof(delays) / sizeof(delays[0]);
  static tnode nodes[32];
  const siphb_ms start = 123456789; /* not aligned to any level */
  siphb_wheel w;
  firelog log;
  wheel_start(&w, &log, nodes, n, start);
  for (size_t i = 0; i < n; i++) siphb_wheel_arm(&w, &nodes[i].node, start + delays[i]);
  assert_int_equal(siphb_wheel_count(&w), n);
  size_t wakeups = 0;
  for (;;) {
    siphb_ms next = siphb_wheel_next_deadline(&w);
    if (next == SIPHB_NEVER) break;
    size_t before = log.n;
    assert_int_equal(siphb_wheel_advance(&w, next, &log), 0);
    wakeups++;
    /* Exact within the horizon: every wake-up fires something. */
    if (next - start <= SIPHB_WHEEL_HORIZON) assert_true(log.n > before);
  }
  assert_int_equal(log.n, n);
  for (size_t i = 0; i < n; i++) {
    assert_int_equal(nodes[i].fires, 1);
    assert_int_equal(nodes[i].fired_at, start + delays[i]);
  }
  /* Beyond the horizon a parked timer may cost one extra wake-up per 2^35 ms. */
  assert_true(wakeups <= n + 4);
}

/* One advance after a long gap fires everything due once, in deadline order. */
static void test_late_advance_fires_all_due_in_order_once(void **state) {
  (void)state;
  static tnode nodes[5000];
  siphb_wheel w;
  firelog log;
  wheel_start(&w, &log, nodes, 5000, 1000);
  lcg_state = 42;
  for (int i = 0; i < 5000; i++) {
    siphb_ms d = 1000 + 1 + lcg() % (4 * 3600000); /* within 4 hours */
    if (i % 10 == 0) d = 1000 + 5 * 3600000 + (siphb_ms)i; /* some after the jump */
    siphb_wheel_arm(&w, &nodes[i].node, d);
  }
  const siphb_ms jump_to = 1000 + 5 * 3600000 - 1;
  assert_int_equal(siphb_wheel_advance(&w, jump_to, &log), 0);
  assert_int_equal(log.n, 4500);
  for (size_t k = 1; k < log.n; k++) {
    siphb_ms a = nodes[log.ids[k - 1]].fired_due, b = nodes[log.ids[k]].fired_due;
    assert_true(a <= b);
    if (a == b) assert_true(log.ids[k - 1] < log.ids[k]); /* armed in id order */
  }
  for (int i = 0; i < 5000; i++) {
    assert_int_equal(nodes[i].fires, i % 10 == 0 ? 0 : 1);
    if (i % 10) assert_int_equal(nodes[i].fired_at, jump_to);
  }
  assert_int_equal(siphb_wheel_count(&w), 500);
  assert_int_equal(siphb_wheel_next_deadline(&w), 1000 + 5 * 3600000);
}

static void test_cancel_and_rearm(void **state) {
  (void)state;
  static tnode nodes[10];
  siphb_wheel w;
  firelog log;
  wheel_start(&w, &log, nodes, 10, 0);
  for (int i = 0; i < 10; i++) siphb_wheel_arm(&w, &nodes[i].node, 100 + (siphb_ms)i * 1000);
  siphb_wheel_cancel(&w, &nodes[0].node);
  siphb_wheel_cancel(&w, &nodes[0].node); /* disarmed: no effect */
  assert_false(siphb_wheel_node_armed(&nodes[0].node));
  assert_int_equal(siphb_wheel_next_deadline(&w), 1100); /* cache follows the cancel */
  siphb_wheel_arm(&w, &nodes[5].node, 50);                 /* re-arm earlier */
  assert_int_equal(siphb_wheel_next_deadline(&w), 50);
  siphb_wheel_arm(&w, &nodes[9].node, SIPHB_NEVER); /* NEVER disarms */
  assert_false(siphb_wheel_node_armed(&nodes[9].node));
  assert_int_equal(siphb_wheel_count(&w), 8);
  assert_int_equal(siphb_wheel_advance(&w, 100000, &log), 0);
  int expected[] = {5, 1, 2, 3, 4, 6, 7, 8};
  assert_int_equal(log.n, 8);
  for (int i = 0; i < 8; i++) assert_int_equal(log.ids[i], expected[i]);
  assert_int_equal(nodes[0].fires, 0);
  assert_int_equal(nodes[9].fires, 0);
  assert_int_equal(siphb_wheel_count(&w), 0);
}

/* Fire functions may cancel a node due in the same millisecond, re-arm
 * themselves, and arm a node already due: the wheel stays consistent. */
static void test_changes_while_firing(void **state) {
  (void)state;
  static tnode nodes[5];
  siphb_wheel w;
  firelog log;
  wheel_start(&w, &log, nodes, 5, 0);
  for (int i = 0; i < 4; i++) siphb_wheel_arm(&w, &nodes[i].node, 500);
  log.cancel_id_on = 0;
  log.cancel_target = &nodes[2]; /* due in the same ms, not fired yet */
  log.rearm_id_on = 1;
  log.rearm_to = 500; /* again in this same ms: after the others */
  log.arm_target_on_fire = &nodes[4];
  log.arm_target_deadline = 10; /* in the past */
  assert_int_equal(siphb_wheel_advance(&w, 600, &log), 0);
  int expected[] = {0, 1, 3, 4, 1};
  assert_int_equal(log.n, 5);
  for (int i = 0; i < 5; i++) assert_int_equal(log.ids[i], expected[i]);
  assert_int_equal(nodes[2].fires, 0);
  assert_int_equal(siphb_wheel_count(&w), 0);
  assert_int_equal(siphb_wheel_next_deadline(&w), SIPHB_NEVER);
}

/* A fire function that fails stops advance; nothing is lost or repeated. */
static void test_failure_stops_and_resumes(void **state) {
  (void)state;
  static tnode nodes[6];
  siphb_wheel w;
  firelog log;
  wheel_start(&w, &log, nodes, 6, 0);
  for (int i = 0; i < 3; i++) siphb_wheel_arm(&w, &nodes[i].node, 70);
  for (int i = 3; i < 6; i++) siphb_wheel_arm(&w, &nodes[i].node, 90000);
  log.fail_on_id = 1;
  assert_int_equal(siphb_wheel_advance(&w, 100000, &log), 99);
  assert_int_equal(log.n, 1); /* node 0 fired */
  /* node 1 was handed to fire (and is disarmed); 2..5 remain, 2 still due */
  assert_int_equal(siphb_wheel_count(&w), 4);
  assert_int_equal(siphb_wheel_next_deadline(&w), 70);
  assert_int_equal(siphb_wheel_advance(&w, 100000, &log), 0);
  int expected[] = {0, 2, 3, 4, 5};
  assert_int_equal(log.n, 5);
  for (int i = 0; i < 5; i++) assert_int_equal(log.ids[i], expected[i]);
}

/* Crossing the 2^36 ms boundary of the top level (wrap-around). */
static void test_top_level_wraparound(void **state) {
  (void)state;
  static tnode nodes[4];
  const siphb_ms start = ((siphb_ms)1 << 36) - 1000;
  siphb_wheel w;
  firelog log;
  wheel_start(&w, &log, nodes, 4, start);
  siphb_wheel_arm(&w, &nodes[0].node, start + 999);
  siphb_wheel_arm(&w, &nodes[1].node, start + 1000);
  siphb_wheel_arm(&w, &nodes[2].node, start + 1001);
  siphb_wheel_arm(&w, &nodes[3].node, start + 20 * DAY);
  for (int i = 0; i < 4; i++) {
    siphb_ms next = siphb_wheel_next_deadline(&w);
    assert_int_equal(next, nodes[i].node.deadline);
    assert_int_equal(siphb_wheel_advance(&w, next, &log), 0);
    assert_int_equal(log.n, (size_t)i + 1);
    assert_int_equal(log.ids[i], i);
  }
}

/* Randomized comparison with a reference model: after every operation,
 * next_deadline equals the true minimum, and every advance fires exactly the
 * due nodes, ordered by (deadline, arm order). */
typedef struct ref {
  bool armed;
  siphb_ms deadline;
  uint64_t seq;
} ref;

static int cmp_due(const void *a, const void *b, const ref *refs) {
  const ref *x = &refs[*(const int *)a], *y = &refs[*(const int *)b];
  if (x->deadline != y->deadline) return x->deadline < y->deadline ? -1 : 1;
  return x->seq < y->seq ? -1 : (x->seq > y->seq);
}

static const ref *SORT_REFS;
static int cmp_due_q(const void *a, const void *b) { return cmp_due(a, b, SORT_REFS); }

static void test_matches_reference_model(void **state) {
  (void)state;
  enum { N = 1500, OPS = 60000 };
  static tnode nodes[N];
  static ref refs[N];
  static int expect[N];
  siphb_wheel w;
  siphb_ms now = 777;
  firelog log;
  wheel_start(&w, &log, nodes, N, now);
  memset(refs, 0, sizeof(refs));
  uint64_t seq = 0;
  lcg_state = 2024;
  static const siphb_ms spans[] = {3, 70, 5000, 300000, 20000000, 49 * DAY};
  for (int op = 0; op < OPS; op++) {
    uint64_t r = lcg() % 100;
    if (r < 60) {
      int i = (int)(lcg() % N);
      siphb_ms span = spans[lcg() % 6];
      siphb_ms d = now + lcg() % span;
      siphb_wheel_arm(&w, &nodes[i].node, d);
      refs[i].armed = true;
      refs[i].deadline = d < now ? now : d;
      refs[i].seq = seq++;
    } else if (r < 80) {
      int i = (int)(lcg() % N);
      siphb_wheel_cancel(&w, &nodes[i].node);
      refs[i].armed = false;
    } else {
      siphb_ms step = lcg() % spans[lcg() % 6];
      siphb_ms to = now + step;
      size_t ne = 0;
      for (int i = 0; i < N; i++)
        if (refs[i].armed && refs[i].deadline <= to) expect[ne++] = i;
      SORT_REFS = refs;
      qsort(expect, ne, sizeof(int), cmp_due_q);
      log.n = 0;
      assert_int_equal(siphb_wheel_advance(&w, to, &log), 0);
      assert_int_equal(log.n, ne);
      for (size_t k = 0; k < ne; k++) {
        assert_int_equal(log.ids[k], expect[k]);
        refs[expect[k]].armed = false;
      }
      now = to;
    }
    siphb_ms min = SIPHB_NEVER;
    size_t armed = 0;
    for (int i = 0; i < N; i++)
      if (refs[i].armed) {
        armed++;
        if (refs[i].deadline < min) min = refs[i].deadline;
      }
    assert_int_equal(siphb_wheel_count(&w), armed);
    assert_int_equal(siphb_wheel_next_deadline(&w), min);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_node_is_32_bytes_on_lp64),
      cmocka_unit_test(test_empty_wheel),
      cmocka_unit_test(test_same_millisecond_fires_in_arm_order),
      cmocka_unit_test(test_range_1ms_to_beyond_49_days),
      cmocka_unit_test(test_late_advance_fires_all_due_in_order_once),
      cmocka_unit_test(test_cancel_and_rearm),
      cmocka_unit_test(test_changes_while_firing),
      cmocka_unit_test(test_failure_stops_and_resumes),
      cmocka_unit_test(test_top_level_wraparound),
      cmocka_unit_test(test_matches_reference_model),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
