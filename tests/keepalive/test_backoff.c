/*
 * test_backoff.c - the RFC 5626 section 4.5 back-off curve as a table:
 * W = min(max-time, base-time * 2^failures), delay uniform in [W/2, W].
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "keepalive/backoff.h"

#define S 1000u
#define MAX (1800 * S)

typedef struct row {
  siphb_ms base, max;
  uint32_t failures;
  siphb_ms window;
} row;

static const row rows[] = {
    /* base 30 s: every flow of the set has failed */
    {30 * S, MAX, 0, 30 * S},   {30 * S, MAX, 1, 60 * S},   {30 * S, MAX, 2, 120 * S},
    {30 * S, MAX, 3, 240 * S},  /* the RFC's example */
    {30 * S, MAX, 4, 480 * S},  {30 * S, MAX, 5, 960 * S},  {30 * S, MAX, 6, MAX},
    {30 * S, MAX, 7, MAX},      {30 * S, MAX, 63, MAX},     {30 * S, MAX, 64, MAX},
    {30 * S, MAX, UINT32_MAX, MAX},
    /* base 90 s: some flow is still up */
    {90 * S, MAX, 0, 90 * S},   {90 * S, MAX, 1, 180 * S},  {90 * S, MAX, 2, 360 * S},
    {90 * S, MAX, 3, 720 * S},  {90 * S, MAX, 4, 1440 * S}, {90 * S, MAX, 5, MAX},
    /* edges: base above max, zero base, the largest durations */
    {MAX + 1, MAX, 0, MAX},     {0, MAX, 9, 0},              {1, 1, 5, 1},
    {SIPHB_NEVER / 2 + 1, SIPHB_NEVER - 1, 1, SIPHB_NEVER - 1},
};

static void test_window_table(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
    if (siphb_backoff_window(rows[i].base, rows[i].max, rows[i].failures) != rows[i].window)
      fail_msg("row %zu: got %llu", i,
               (unsigned long long)siphb_backoff_window(rows[i].base, rows[i].max,
                                                        rows[i].failures));
}

/* The delay covers exactly [ceil(W/2), W]: both ends reached, nothing
 * outside, for the RFC's windows and small odd ones. */
static void test_delay_range(void **state) {
  (void)state;
  static const siphb_ms windows[] = {0, 1, 2, 3, 7, 30 * S, 60 * S, 240 * S, MAX};
  for (size_t i = 0; i < sizeof windows / sizeof windows[0]; i++) {
    siphb_ms w = windows[i], lo = w - w / 2;
    assert_int_equal(siphb_backoff_delay(w, 0), lo);
    assert_int_equal(siphb_backoff_delay(w, w / 2), w);
    assert_int_equal(siphb_backoff_delay(w, w / 2 + 1), lo); /* wraps */
    uint64_t r = 0x9E3779B97F4A7C15u;
    for (int k = 0; k < 10000; k++) {
      r = r * 6364136223846793005u + 1442695040888963407u;
      siphb_ms d = siphb_backoff_delay(w, r);
      assert_true(d >= lo && d <= w);
    }
  }
  /* 30 s base, one failure: the first retry 30-60 s later */
  siphb_ms w = siphb_backoff_window(30 * S, MAX, 1);
  assert_int_equal(siphb_backoff_delay(w, 0), 30 * S);
  assert_int_equal(siphb_backoff_delay(w, 30 * S), 60 * S);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_window_table),
      cmocka_unit_test(test_delay_range),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
