/*
 * test_mem.c - the allocator: user allocators, accounting, byte budget.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <siphb/siphb.h>

#include "failmem.h"
#include "base/mem.h"

static int no_send(siphb_ctx *c, const siphb_send_info *i, const uint8_t *d, size_t l, void *u) {
  (void)c, (void)i, (void)d, (void)l, (void)u;
  return 0;
}
static int no_event(siphb_ctx *c, const siphb_event *e, void *u) {
  (void)c, (void)e, (void)u;
  return 0;
}
static const siphb_callbacks CB = {sizeof(siphb_callbacks), no_send, no_event, NULL, NULL};

static void test_default_allocator_is_complete(void **state) {
  (void)state;
  const siphb_mem *m = siphb_mem_default();
  assert_non_null(m);
  assert_non_null(m->malloc);
  assert_non_null(m->free);
  assert_non_null(m->calloc);
  assert_non_null(m->realloc);
}

static void test_incomplete_allocator_rejected(void **state) {
  (void)state;
  failmem fm;
  failmem_init(&fm, -1);
  siphb_mem m = fm.mem;
  m.realloc = NULL;
  siphb_ctx *ctx = (siphb_ctx *)(uintptr_t)1;
  assert_int_equal(siphb_ctx_new(&ctx, NULL, &CB, &m, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_ptr_equal(ctx, (siphb_ctx *)(uintptr_t)1); /* *out untouched */
  assert_int_equal(fm.allocs, 0);
}

static void test_every_allocation_goes_through_user_allocator(void **state) {
  (void)state;
  failmem fm;
  failmem_init(&fm, -1);
  siphb_ctx *ctx;
  assert_int_equal(siphb_ctx_new(&ctx, NULL, &CB, &fm.mem, NULL, 0), 0);
  siphb_timer *t[10];
  for (int i = 0; i < 10; i++) assert_int_equal(siphb_timer_new(&t[i], ctx, NULL), 0);
  assert_int_equal(fm.live_blocks, 11);
  assert_int_equal(siphb_ctx_mem_used(ctx), fm.live_bytes);
  siphb_timer_del(t[3]);
  assert_int_equal(siphb_ctx_mem_used(ctx), fm.live_bytes);
  size_t peak = siphb_ctx_mem_peak(ctx);
  assert_true(peak > siphb_ctx_mem_used(ctx));
  siphb_ctx_del(ctx);
  assert_int_equal(fm.live_blocks, 0);
  assert_int_equal(fm.live_bytes, 0);
}

static void test_budget_limits_allocation(void **state) {
  (void)state;
  failmem fm;
  failmem_init(&fm, -1);
  siphb_ctx_config cfg;
  siphb_ctx_config_init(&cfg, sizeof cfg);
  /* Learn the sizes first. */
  siphb_ctx *ctx;
  assert_int_equal(siphb_ctx_new(&ctx, &cfg, &CB, &fm.mem, NULL, 0), 0);
  size_t ctx_bytes = siphb_ctx_mem_used(ctx);
  siphb_timer *t;
  assert_int_equal(siphb_timer_new(&t, ctx, NULL), 0);
  size_t timer_bytes = siphb_ctx_mem_used(ctx) - ctx_bytes;
  siphb_ctx_del(ctx);

  cfg.mem_budget = ctx_bytes - 1;
  assert_int_equal(siphb_ctx_new(&ctx, &cfg, &CB, &fm.mem, NULL, 0), SIPHB_ERR_NOMEM);
  cfg.mem_budget = ctx_bytes + 2 * timer_bytes;
  assert_int_equal(siphb_ctx_new(&ctx, &cfg, &CB, &fm.mem, NULL, 0), 0);
  siphb_timer *a, *b, *c = NULL;
  assert_int_equal(siphb_timer_new(&a, ctx, NULL), 0);
  assert_int_equal(siphb_timer_new(&b, ctx, NULL), 0);
  assert_int_equal(siphb_timer_new(&c, ctx, NULL), SIPHB_ERR_NOMEM);
  assert_null(c);
  assert_int_equal(siphb_ctx_mem_used(ctx), cfg.mem_budget);
  siphb_timer_del(a); /* freeing makes room again */
  assert_int_equal(siphb_timer_new(&c, ctx, NULL), 0);
  siphb_ctx_del(ctx);
  assert_int_equal(fm.live_blocks, 0);
}

static void test_internal_alloc_rules(void **state) {
  (void)state;
  failmem fm;
  failmem_init(&fm, -1);
  siphb_alloc a;
  assert_int_equal(siphb_alloc_init(&a, &fm.mem, 100), 0);
  assert_null(siphb_alloc_zeroed(&a, 0));          /* never size 0 */
  assert_null(siphb_alloc_array(&a, SIZE_MAX, 2)); /* overflow */
  unsigned char *p = siphb_alloc_zeroed(&a, 40);
  assert_non_null(p);
  for (int i = 0; i < 40; i++) assert_int_equal(p[i], 0);
  assert_null(siphb_alloc_resize(&a, p, 40, 101)); /* over budget: p kept */
  assert_int_equal(a.used, 40);
  p = siphb_alloc_resize(&a, p, 40, 100);
  assert_non_null(p);
  assert_int_equal(a.used, 100);
  assert_null(siphb_alloc_zeroed(&a, 1));
  siphb_alloc_free(&a, p, 100);
  assert_int_equal(a.used, 0);
  assert_int_equal(a.peak, 100);
  siphb_alloc_free(&a, NULL, 0);
  assert_int_equal(fm.live_blocks, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_default_allocator_is_complete),
      cmocka_unit_test(test_incomplete_allocator_rejected),
      cmocka_unit_test(test_every_allocation_goes_through_user_allocator),
      cmocka_unit_test(test_budget_limits_allocation),
      cmocka_unit_test(test_internal_alloc_rules),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
