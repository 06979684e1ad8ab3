/*
 * tb_libevent.c - libevent's timers (evtimer_assign / event_add / event_del:
 * a binary min-heap of struct event pointers, O(log n) insert and delete).
 * Timeouts are relative to the real clock, so expiry waits in real time.
 */
#include "tb.h"

#include <stdio.h>
#include <stdlib.h>

#ifdef TB_HAVE_LIBEVENT
#include <event2/event.h>
#include <event2/event_struct.h>

static void count_cb(evutil_socket_t fd, short what, void *arg) {
  (void)fd;
  (void)what;
  ++*(size_t *)arg;
}

const char *tb_libevent_version(void) { return event_get_version(); }

struct arm_cancel {
  struct event *ev;
  const struct timeval *tv;
  const uint32_t *perm;
  size_t n;
  int rep;
  tb_samples *s;
  size_t growth;
  int bad;
  int ran;
};

static void arm_cancel_cb(evutil_socket_t fd, short what, void *arg) {
  (void)fd;
  (void)what;
  struct arm_cancel *ac = arg;
  struct event *ev = ac->ev;
  const struct timeval *tv = ac->tv;
  const uint32_t *perm = ac->perm;
  const size_t n = ac->n;
  int bad = 0;
  /* 1. arm in arm order, cancel in arm order */
  size_t heap0 = tb_heap_bytes();
  uint64_t t0 = bench_now_ns();
  for (size_t i = 0; i < n; i++) bad |= event_add(&ev[i], &tv[i]);
  uint64_t t1 = bench_now_ns();
  ac->growth = tb_heap_bytes() - heap0;
  for (size_t i = 0; i < n; i++) bad |= event_del(&ev[i]);
  uint64_t t2 = bench_now_ns();
  ac->s->arm[ac->rep] = (double)(t1 - t0) / (double)n;
  ac->s->cancel[ac->rep] = (double)(t2 - t1) / (double)n;

  /* 2. arm, cancel in random order */
  for (size_t i = 0; i < n; i++) bad |= event_add(&ev[i], &tv[i]);
  t0 = bench_now_ns();
  for (size_t i = 0; i < n; i++) bad |= event_del(&ev[perm[i]]);
  t1 = bench_now_ns();
  ac->s->cancel_rand[ac->rep] = (double)(t1 - t0) / (double)n;
  ac->bad = bad;
  ac->ran = 1;
}

int tb_run_libevent(const tb_workload *wl, tb_result *r) {
  static const char lib[] = "libevent";
  const size_t n = wl->n;
  const uint32_t *perm = wl->perm;
  tb_result_init(r, lib, wl);

  struct event *ev = malloc(n * sizeof *ev);
  /* Converted once, outside the timed loops. */
  struct timeval *tv = malloc(n * sizeof *tv);
  if (!ev || !tv) {
    fprintf(stderr, "bench_timers: out of memory\n");
    exit(1);
  }
  for (size_t i = 0; i < n; i++) {
    tv[i].tv_sec = (time_t)(wl->delay_ms[i] / 1000);
    tv[i].tv_usec = (suseconds_t)((wl->delay_ms[i] % 1000) * 1000);
  }
  size_t fired = 0;
  struct event_base *base = event_base_new();
  if (!base) {
    fprintf(stderr, "bench_timers: event_base_new failed\n");
    exit(1);
  }
  for (size_t i = 0; i < n; i++) evtimer_assign(&ev[i], base, count_cb, &fired);

  tb_samples s;
  size_t growth = 0;
  int bad = 0;
  for (int rep = 0; rep < wl->reps; rep++) {
    /* 1 and 2 run inside a loop callback, where event_add uses the base's
     * cached time as it does in a real server (outside, each call reads the
     * clock). */
    struct arm_cancel ac = {ev, tv, perm, n, rep, &s, 0, 0, 0};
    if (event_base_once(base, -1, EV_TIMEOUT, arm_cancel_cb, &ac, NULL) != 0 ||
        event_base_loop(base, EVLOOP_NONBLOCK) < 0 || !ac.ran)
      tb_fail(lib, "arm/cancel callback runs", (size_t)ac.ran, 1);
    if (rep == 0) growth = ac.growth;
    bad |= ac.bad;
    if (bad) tb_fail(lib, "calls that returned an error", 1, 0);

    /* 3. arm, wait until every timeout is due, time the one loop run */
    if (wl->real_expire) {
      for (size_t i = 0; i < n; i++) bad |= event_add(&ev[i], &tv[i]);
      tb_sleep_until_ns(bench_now_ns() + (wl->spread_ms + TB_REAL_MARGIN_MS) * 1000000u);
      fired = 0;
      uint64_t t0 = bench_now_ns();
      int rc = event_base_loop(base, EVLOOP_NONBLOCK);
      uint64_t t1 = bench_now_ns();
      if (rc < 0 || bad) tb_fail(lib, "event_base_loop/event_add errors", 1, 0);
      if (fired != n) tb_fail(lib, "callbacks in one EVLOOP_NONBLOCK run", fired, n);
      s.expire[rep] = (double)(t1 - t0) / (double)n;
    }
    tb_verbose_rep(wl, lib, rep, &s, wl->real_expire);
  }
  tb_finish(r, &s, wl->reps, wl->real_expire);
  r->bytes = (double)event_get_struct_event_size() + (double)growth / (double)n;
  snprintf(r->note, sizeof r->note,
           "sizeof(struct event)=%zu + min-heap pointer array (heap growth while arming "
           "%zu B = %.1f B/timer)",
           event_get_struct_event_size(), growth, (double)growth / (double)n);
  event_base_free(base);
  free(tv);
  free(ev);
  return 0;
}
#else
const char *tb_libevent_version(void) { return NULL; }
int tb_run_libevent(const tb_workload *wl, tb_result *r) {
  (void)wl;
  (void)r;
  return -1;
}
#endif
