/*
 * tb_siphb.c - siphb's timers: the internal wheel (lib/wheel.h) driven
 * directly, and the public siphb_timer objects driven through a siphb_ctx.
 * Time is simulated: arming is relative to the wheel's cursor and expiry is
 * one advance to just past the last deadline.
 */
#include "tb.h"

#include <stdio.h>
#include <stdlib.h>

#include <siphb/ctx.h>
#include <siphb/timer.h>

#include "engine/wheel.h"

/* ---- the wheel ---------------------------------------------------------- */

static int count_fire(siphb_wheel_node *node, siphb_ms now, void *arg) {
  (void)node;
  (void)now;
  ++*(size_t *)arg;
  return 0;
}

int tb_run_siphb_wheel(const tb_workload *wl, tb_result *r) {
  static const char lib[] = "siphb wheel";
  const size_t n = wl->n;
  const uint64_t *delay = wl->delay_ms;
  const uint32_t *perm = wl->perm;
  tb_result_init(r, lib, wl);

  siphb_wheel *w = malloc(sizeof *w);
  siphb_wheel_node *nodes = malloc(n * sizeof *nodes);
  if (!w || !nodes) {
    fprintf(stderr, "bench_timers: out of memory\n");
    exit(1);
  }
  siphb_ms now = 1000;
  siphb_wheel_init(w, now);
  for (size_t i = 0; i < n; i++) siphb_wheel_node_init(&nodes[i], count_fire);

  tb_samples s;
  size_t growth = 0;
  for (int rep = 0; rep < wl->reps; rep++) {
    /* 1. arm in arm order, cancel in arm order */
    size_t heap0 = tb_heap_bytes();
    uint64_t t0 = bench_now_ns();
    for (size_t i = 0; i < n; i++) siphb_wheel_arm(w, &nodes[i], now + delay[i]);
    uint64_t t1 = bench_now_ns();
    if (rep == 0) growth = tb_heap_bytes() - heap0;
    if (siphb_wheel_count(w) != n) tb_fail(lib, "armed after arm", siphb_wheel_count(w), n);
    for (size_t i = 0; i < n; i++) siphb_wheel_cancel(w, &nodes[i]);
    uint64_t t2 = bench_now_ns();
    if (siphb_wheel_count(w) != 0) tb_fail(lib, "armed after cancel", siphb_wheel_count(w), 0);
    s.arm[rep] = (double)(t1 - t0) / (double)n;
    s.cancel[rep] = (double)(t2 - t1) / (double)n;

    /* 2. arm, cancel in random order */
    for (size_t i = 0; i < n; i++) siphb_wheel_arm(w, &nodes[i], now + delay[i]);
    t0 = bench_now_ns();
    for (size_t i = 0; i < n; i++) siphb_wheel_cancel(w, &nodes[perm[i]]);
    t1 = bench_now_ns();
    if (siphb_wheel_count(w) != 0)
      tb_fail(lib, "armed after random cancel", siphb_wheel_count(w), 0);
    s.cancel_rand[rep] = (double)(t1 - t0) / (double)n;

    /* 3. arm, expire all: one advance past the last deadline */
    for (size_t i = 0; i < n; i++) siphb_wheel_arm(w, &nodes[i], now + delay[i]);
    size_t fired = 0;
    siphb_ms until = now + wl->spread_ms + 1;
    t0 = bench_now_ns();
    int rc = siphb_wheel_advance(w, until, &fired);
    t1 = bench_now_ns();
    if (rc != 0 || fired != n) tb_fail(lib, "fired", fired, n);
    if (siphb_wheel_count(w) != 0) tb_fail(lib, "armed after expire", siphb_wheel_count(w), 0);
    s.expire[rep] = (double)(t1 - t0) / (double)n;
    now = until;
    tb_verbose_rep(wl, lib, rep, &s, true);
  }
  tb_finish(r, &s, wl->reps, true);
  r->bytes = (double)sizeof(siphb_wheel_node) + (double)growth / (double)n;
  snprintf(r->note, sizeof r->note,
           "sizeof(siphb_wheel_node)=%zu, heap growth while arming %zu B; "
           "fixed per wheel sizeof(siphb_wheel)=%zu B",
           sizeof(siphb_wheel_node), growth, sizeof(siphb_wheel));
  free(nodes);
  free(w);
  return 0;
}

/* ---- the public siphb_timer path ---------------------------------------- */

static int ctx_send(siphb_ctx *ctx, const siphb_send_info *info, const uint8_t *data,
                    size_t len, void *user_data) {
  (void)ctx;
  (void)info;
  (void)data;
  (void)len;
  (void)user_data;
  return 0;
}

static int ctx_event(siphb_ctx *ctx, const siphb_event *ev, void *user_data) {
  (void)ctx;
  if (ev->type == SIPHB_EVENT_TIMER) ++*(size_t *)user_data;
  return 0;
}

int tb_run_siphb_timer(const tb_workload *wl, tb_result *r) {
  static const char lib[] = "siphb_timer";
  const size_t n = wl->n;
  const uint64_t *delay = wl->delay_ms;
  const uint32_t *perm = wl->perm;
  tb_result_init(r, lib, wl);

  size_t fired = 0;
  siphb_callbacks cbs;
  siphb_callbacks_init(&cbs, sizeof cbs);
  cbs.send = ctx_send;
  cbs.event = ctx_event;
  siphb_ctx *ctx = NULL;
  int rc = siphb_ctx_new(&ctx, NULL, &cbs, NULL, &fired, 1000);
  if (rc != 0) {
    fprintf(stderr, "bench_timers: siphb_ctx_new: %s\n", siphb_strerror(rc));
    exit(1);
  }
  siphb_timer **t = malloc(n * sizeof *t);
  if (!t) {
    fprintf(stderr, "bench_timers: out of memory\n");
    exit(1);
  }
  size_t mem0 = siphb_ctx_mem_used(ctx);
  size_t heap0 = tb_heap_bytes();
  for (size_t i = 0; i < n; i++) {
    rc = siphb_timer_new(&t[i], ctx, NULL);
    if (rc != 0) {
      fprintf(stderr, "bench_timers: siphb_timer_new: %s\n", siphb_strerror(rc));
      exit(1);
    }
  }
  size_t mem_objs = siphb_ctx_mem_used(ctx) - mem0;
  size_t heap_objs = tb_heap_bytes() - heap0;

  tb_samples s;
  size_t growth = 0;
  int bad = 0;
  for (int rep = 0; rep < wl->reps; rep++) {
    siphb_ms now = siphb_ctx_now(ctx);
    /* 1. start in arm order, stop in arm order */
    size_t mem1 = siphb_ctx_mem_used(ctx);
    uint64_t t0 = bench_now_ns();
    for (size_t i = 0; i < n; i++) bad |= siphb_timer_start(t[i], delay[i], 0, now);
    uint64_t t1 = bench_now_ns();
    if (rep == 0) growth = siphb_ctx_mem_used(ctx) - mem1;
    for (size_t i = 0; i < n; i++) bad |= siphb_timer_stop(t[i], now);
    uint64_t t2 = bench_now_ns();
    s.arm[rep] = (double)(t1 - t0) / (double)n;
    s.cancel[rep] = (double)(t2 - t1) / (double)n;

    /* 2. start, stop in random order */
    for (size_t i = 0; i < n; i++) bad |= siphb_timer_start(t[i], delay[i], 0, now);
    t0 = bench_now_ns();
    for (size_t i = 0; i < n; i++) bad |= siphb_timer_stop(t[perm[i]], now);
    t1 = bench_now_ns();
    s.cancel_rand[rep] = (double)(t1 - t0) / (double)n;
    if (siphb_ctx_next_deadline(ctx) != SIPHB_NEVER)
      tb_fail(lib, "deadline after stop (0 = none)", 1, 0);

    /* 3. start, one advance past the last deadline */
    for (size_t i = 0; i < n; i++) bad |= siphb_timer_start(t[i], delay[i], 0, now);
    fired = 0;
    t0 = bench_now_ns();
    rc = siphb_ctx_advance(ctx, now + wl->spread_ms + 1);
    t1 = bench_now_ns();
    if (rc != 0 || fired != n) tb_fail(lib, "timer events", fired, n);
    s.expire[rep] = (double)(t1 - t0) / (double)n;
    if (bad) tb_fail(lib, "calls that returned an error", 1, 0);
    tb_verbose_rep(wl, lib, rep, &s, true);
  }
  tb_finish(r, &s, wl->reps, true);
  r->bytes = ((double)mem_objs + (double)growth) / (double)n;
  snprintf(r->note, sizeof r->note,
           "siphb_ctx_mem_used: %.1f B/timer at creation + %zu B while armed; "
           "malloc footprint incl. its headers %.1f B/timer",
           (double)mem_objs / (double)n, growth, (double)heap_objs / (double)n);
  for (size_t i = 0; i < n; i++) siphb_timer_del(t[i]);
  siphb_ctx_del(ctx);
  free(t);
  return 0;
}
