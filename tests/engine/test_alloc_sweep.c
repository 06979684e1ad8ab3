/*
 * test_alloc_sweep.c - the allocation-failure sweep over ctx creation,
 * timer use and the engine's hash map (its reservations are the maps'
 * only allocations): every allocation made by these scenarios is failed in turn;
 * each run must report SIPHB_ERR_NOMEM, leave what it was operating on
 * unchanged and usable, and free everything.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <siphb/siphb.h>

#include "engine/hmap.h"
#include "failmem.h"
#include "simclock.h"

static int scenario_ctx_new(failmem *fm, void *arg) {
  (void)arg;
  sim *s = test_malloc(sizeof(sim));
  int rv = sim_init(s, 0, &fm->mem, 0);
  if (rv != 0) {
    assert_null(s->ctx); /* *out not written on failure */
    test_free(s);
    return rv;
  }
  sim_free(s);
  test_free(s);
  return 0;
}

/* Creates timers until one fails; after a failure the ctx and the timers
 * created so far must behave exactly as before the failing call. */
static int scenario_timers(failmem *fm, void *arg) {
  (void)arg;
  sim *s = test_malloc(sizeof(sim));
  int rv = sim_init(s, 0, &fm->mem, 0);
  if (rv != 0) {
    test_free(s);
    return rv;
  }
  siphb_timer *timers[8] = {0};
  int made = 0;
  for (; made < 8; made++) {
    size_t used = siphb_ctx_mem_used(s->ctx);
    siphb_ms next = siphb_ctx_next_deadline(s->ctx);
    siphb_timer *t = (siphb_timer *)(uintptr_t)1;
    rv = siphb_timer_new(&t, s->ctx, NULL);
    if (rv != 0) {
      assert_ptr_equal(t, (siphb_timer *)(uintptr_t)1);
      assert_int_equal(siphb_ctx_mem_used(s->ctx), used);
      assert_int_equal(siphb_ctx_next_deadline(s->ctx), next);
      break;
    }
    timers[made] = t;
    assert_int_equal(siphb_timer_start(t, 10u * (siphb_ms)(made + 1), 40, 0), 0);
  }
  /* Whatever was made still works: each fires on time. */
  assert_int_equal(sim_run_until(s, 80), 0);
  for (int i = 0; i < made; i++) {
    siphb_ms first = 10u * (siphb_ms)(i + 1);
    size_t expect = first <= 80 ? 1 + (size_t)((80 - first) / 40) : 0;
    size_t got = 0;
    for (size_t k = 0; k < s->nrecords; k++)
      if (s->records[k].event.object == timers[i]) got++;
    assert_int_equal(got, expect);
  }
  if (made > 0) siphb_timer_del(timers[0]);
  sim_free(s);
  test_free(s);
  return rv;
}

/* Reserves room in steps and fills it, as objects' _new would; a failed
 * reservation must leave the map (buckets, entries) as it was. */
static int scenario_hmap(failmem *fm, void *arg) {
  (void)arg;
  static const uint8_t key[16] = {7};
  siphb_alloc a;
  assert_int_equal(siphb_alloc_init(&a, &fm->mem, 0), 0);
  siphb_hmap m;
  siphb_hmap_init(&m, key);
  static siphb_hmap_node nodes[64];
  memset(nodes, 0, sizeof nodes);
  size_t n = 0;
  int rv = 0;
  for (size_t step = 1; step <= 32 && rv == 0; step *= 2) {
    siphb_hmap before = m;
    rv = siphb_hmap_reserve(&m, &a, step);
    if (rv != 0) {
      assert_memory_equal(&m, &before, sizeof m);
      break;
    }
    for (size_t i = 0; i < step; i++, n++) siphb_hmap_insert(&m, &nodes[n], n * 0x9E3779B97F4A7C15u);
  }
  for (size_t i = 0; i < n; i++) /* every entry still findable */
    assert_ptr_equal(siphb_hmap_find(&m, i * 0x9E3779B97F4A7C15u), &nodes[i]);
  siphb_hmap_free(&m, &a);
  assert_int_equal(a.used, 0);
  return rv;
}

static void test_sweep_hmap(void **state) {
  (void)state;
  long allocs = failmem_sweep(scenario_hmap, NULL);
  assert_int_equal(allocs, 4); /* buckets of 8, 16, 32 and 64: 1+2+4+8+16+32 = 63 entries */
}

static void test_sweep_ctx_creation(void **state) {
  (void)state;
  long allocs = failmem_sweep(scenario_ctx_new, NULL);
  assert_int_equal(allocs, 1); /* the ctx is one allocation */
}

static void test_sweep_timer_use(void **state) {
  (void)state;
  long allocs = failmem_sweep(scenario_timers, NULL);
  assert_int_equal(allocs, 9); /* ctx + 8 timers; arming allocates nothing */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sweep_ctx_creation),
      cmocka_unit_test(test_sweep_timer_use),
      cmocka_unit_test(test_sweep_hmap),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
