/*
 * tb_libuv.c - libuv's timers (uv_timer_start / uv_timer_stop: an intrusive
 * binary min-heap whose node is embedded in uv_timer_t). Timeouts are
 * relative to the loop's cached real clock, so expiry waits in real time.
 */
#include "tb.h"

#include <stdio.h>
#include <stdlib.h>

#ifdef TB_HAVE_LIBUV
#include <uv.h>

static size_t g_fired;

static void count_cb(uv_timer_t *handle) {
  (void)handle;
  ++g_fired;
}

const char *tb_libuv_version(void) { return uv_version_string(); }

int tb_run_libuv(const tb_workload *wl, tb_result *r) {
  static const char lib[] = "libuv";
  const size_t n = wl->n;
  const uint64_t *delay = wl->delay_ms;
  const uint32_t *perm = wl->perm;
  tb_result_init(r, lib, wl);

  uv_loop_t loop;
  if (uv_loop_init(&loop) != 0) {
    fprintf(stderr, "bench_timers: uv_loop_init failed\n");
    exit(1);
  }
  uv_timer_t *t = malloc(n * sizeof *t);
  if (!t) {
    fprintf(stderr, "bench_timers: out of memory\n");
    exit(1);
  }
  for (size_t i = 0; i < n; i++) uv_timer_init(&loop, &t[i]);

  tb_samples s;
  size_t growth = 0;
  int bad = 0;
  for (int rep = 0; rep < wl->reps; rep++) {
    uv_update_time(&loop); /* outside the timing: arm relative to a fresh loop time */
    /* 1. arm in arm order, cancel in arm order */
    size_t heap0 = tb_heap_bytes();
    uint64_t t0 = bench_now_ns();
    for (size_t i = 0; i < n; i++) bad |= uv_timer_start(&t[i], count_cb, delay[i], 0);
    uint64_t t1 = bench_now_ns();
    if (rep == 0) growth = tb_heap_bytes() - heap0;
    for (size_t i = 0; i < n; i++) bad |= uv_timer_stop(&t[i]);
    uint64_t t2 = bench_now_ns();
    s.arm[rep] = (double)(t1 - t0) / (double)n;
    s.cancel[rep] = (double)(t2 - t1) / (double)n;

    /* 2. arm, cancel in random order */
    for (size_t i = 0; i < n; i++) bad |= uv_timer_start(&t[i], count_cb, delay[i], 0);
    t0 = bench_now_ns();
    for (size_t i = 0; i < n; i++) bad |= uv_timer_stop(&t[perm[i]]);
    t1 = bench_now_ns();
    s.cancel_rand[rep] = (double)(t1 - t0) / (double)n;
    if (bad) tb_fail(lib, "calls that returned an error", 1, 0);

    /* 3. arm, wait until every timeout is due, time the one loop run */
    if (wl->real_expire) {
      uv_update_time(&loop);
      for (size_t i = 0; i < n; i++) bad |= uv_timer_start(&t[i], count_cb, delay[i], 0);
      tb_sleep_until_ns(bench_now_ns() + (wl->spread_ms + TB_REAL_MARGIN_MS) * 1000000u);
      g_fired = 0;
      t0 = bench_now_ns();
      uv_run(&loop, UV_RUN_NOWAIT);
      t1 = bench_now_ns();
      if (bad) tb_fail(lib, "uv_timer_start errors", 1, 0);
      if (g_fired != n) tb_fail(lib, "callbacks in one UV_RUN_NOWAIT run", g_fired, n);
      s.expire[rep] = (double)(t1 - t0) / (double)n;
    }
    tb_verbose_rep(wl, lib, rep, &s, wl->real_expire);
  }
  tb_finish(r, &s, wl->reps, wl->real_expire);
  r->bytes = (double)sizeof(uv_timer_t) + (double)growth / (double)n;
  snprintf(r->note, sizeof r->note,
           "sizeof(uv_timer_t)=%zu (heap node embedded), heap growth while arming %zu B",
           sizeof(uv_timer_t), growth);
  for (size_t i = 0; i < n; i++) uv_close((uv_handle_t *)&t[i], NULL);
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  free(t);
  return 0;
}
#else
const char *tb_libuv_version(void) { return NULL; }
int tb_run_libuv(const tb_workload *wl, tb_result *r) {
  (void)wl;
  (void)r;
  return -1;
}
#endif
