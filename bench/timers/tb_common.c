/* tb_common.c - timing, memory and statistics helpers for bench_timers. */
#include "tb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

void tb_sleep_until_ns(uint64_t t) {
  struct timespec ts;
  ts.tv_sec = (time_t)(t / 1000000000u);
  ts.tv_nsec = (long)(t % 1000000000u);
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) != 0) {
  }
}

/* glibc only (mallinfo2, glibc >= 2.33); elsewhere growth reads as 0, and
 * the per-timer figures are the structure sizes alone. */
size_t tb_heap_bytes(void) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  struct mallinfo2 mi = mallinfo2();
  return mi.uordblks + mi.hblkhd;
#else
  return 0;
#endif
}

void tb_result_init(tb_result *r, const char *library, const tb_workload *wl) {
  memset(r, 0, sizeof *r);
  r->library = library;
  r->spread = wl->spread_name;
  r->n = wl->n;
  r->arm_ns = r->cancel_ns = r->cancel_rand_ns = r->expire_ns = TB_NA;
  r->bytes = TB_NA;
}

void tb_finish(tb_result *r, tb_samples *s, int reps, bool have_expire) {
  r->arm_ns = bench_median(s->arm, reps);
  r->cancel_ns = bench_median(s->cancel, reps);
  r->cancel_rand_ns = bench_median(s->cancel_rand, reps);
  r->expire_ns = have_expire ? bench_median(s->expire, reps) : TB_NA;
  r->ok = true;
}

void tb_verbose_rep(const tb_workload *wl, const char *lib, int rep, const tb_samples *s,
                    bool have_expire) {
  if (!wl->verbose) return;
  fprintf(stderr, "  [%s n=%zu %s rep %d] arm %.1f cancel %.1f cancel-rand %.1f expire ", lib,
          wl->n, wl->spread_name, rep + 1, s->arm[rep], s->cancel[rep], s->cancel_rand[rep]);
  if (have_expire)
    fprintf(stderr, "%.1f ns/op\n", s->expire[rep]);
  else
    fprintf(stderr, "-\n");
}

void tb_fail(const char *lib, const char *what, size_t got, size_t want) {
  fprintf(stderr, "bench_timers: FAIL: %s: %s: got %zu, expected %zu\n", lib, what, got, want);
  exit(1);
}
